/* cli_ui.c — weibao with no command: the full-screen console. */
#include "cli_opt.h"

#include "i18n.h"

#include <stdio.h>

int cli_ui(struct cli_ctx *ctx, int argc, char **argv);

int cli_ui(struct cli_ctx *ctx, int argc, char **argv)
{
	/* until the console lands, show the queue as the command line prints it */
	char *list_argv[] = { (char *)"list", NULL };
	return cli_ticket(ctx, 1, list_argv);
}

/* cli_ui.c — weibao with no command: open the desk and hand it to the full-screen console. */
#include "cli_opt.h"

#include "i18n.h"
#include "ui.h"

#include <stdio.h>

int cli_ui(struct cli_ctx *ctx, int argc, char **argv);

int cli_ui(struct cli_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	struct desk *desk;
	int ex = cli_desk(ctx, &desk);
	if (ex)
		return ex;
	struct ui_options opt = { 0 };
	opt.theme = ctx->theme;
	opt.db_path = ctx->db_path;
	opt.config_path = ctx->cfg.path;
	struct wb_err err = { 0 };
	if (ui_main(desk, &opt, &err) != WB_OK)
		return cli_fail(&err);
	return 0;
}

#include "cli.h"

#include "i18n.h"

#include <stdio.h>
#include <string.h>

int cli_main(int argc, char **argv)
{
	i18n_init(NULL);
	if (argc > 1 && strcmp(argv[1], "--version") == 0) {
		printf("weibao %s\n", WB_VERSION);
		return 0;
	}
	fprintf(stderr, "%s\n", _("weibao: not yet"));
	return 2;
}

/* cli_db.c — `weibao db …`: initialise, migrate, check and back up the database. */
#include "cli_opt.h"

#include "i18n.h"
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct cli_opt no_opts[] = { { NULL, NULL, NULL, NULL } };

int cli_db(struct cli_ctx *ctx, int argc, char **argv)
{
	if (argc < 1 || !strcmp(argv[0], "--help")) {
		FILE *out = argc < 1 ? stderr : stdout;
		fprintf(out, "%s\n", _("usage: weibao db init|migrate|check|backup FILE"));
		fprintf(out, "  init          %s\n", _("create the database (you become its admin)"));
		fprintf(out, "  migrate       %s\n", _("bring the schema up to date"));
		fprintf(out, "  check         %s\n", _("verify the database's integrity"));
		fprintf(out, "  backup FILE   %s\n", _("copy the live database while others keep working"));
		return argc < 1 ? 2 : 0;
	}
	const char *verb = argv[0];
	bool backup = !strcmp(verb, "backup");
	char usage[48];
	snprintf(usage, sizeof usage, backup ? "db backup FILE" : "db %s", verb);
	struct cli_cmd cmd = { usage, NULL, no_opts, backup ? 1 : 0, backup ? 1 : 0 };
	char **args;
	int nargs, ex;
	if (strcmp(verb, "init") && strcmp(verb, "migrate") && strcmp(verb, "check") && !backup)
		return cli_usage_error(_("unknown command 'db %s' (see weibao db --help)"), verb);
	if (cli_parse(&cmd, argc - 1, argv + 1, &args, &nargs, &ex))
		return ex;
	struct wb_err err = { 0 };
	int rc = WB_OK;
	if (!strcmp(verb, "check")) {
		struct store *s;
		rc = store_open_existing(ctx->db_path, &s, &err);
		char *report = NULL;
		if (rc == WB_OK) {
			rc = store_check(s, &report, &err);
			store_close(&s);
		}
		if (rc == WB_OK) {
			printf("%s\n", report);
			if (strcmp(report, "ok") != 0)
				rc = wb_err_set(&err, WB_EDB, _("database %s has problems"), ctx->db_path);
			free(report);
		}
	} else {
		/* init and migrate: opening runs the migrations; init also registers the first admin */
		struct desk *d;
		if ((ex = cli_desk(ctx, &d))) {
			free(args);
			return ex;
		}
		if (backup) {
			rc = store_backup(d->store, args[0], &err);
			if (rc == WB_OK)
				printf(_("backed up %s to %s\n"), ctx->db_path, args[0]);
		} else {
			int v = 0;
			rc = store_schema_version(d->store, &v, &err);
			if (rc == WB_OK)
				printf(_("database %s at schema version %d; you are %s (%s)\n"), ctx->db_path, v,
				       d->me.login, user_role_name((enum user_role)d->me.role));
		}
	}
	free(args);
	return rc ? cli_fail(&err) : 0;
}

/* cli_db.c — `weibao db …`: initialise, migrate, check and back up the database. */
#include "cli_opt.h"

#include "i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct cli_opt no_opts[] = { { NULL, NULL, NULL, NULL } };

/* init, migrate, check or backup FILE */
static int db_run(struct cli_ctx *ctx, const char *verb, int argc, char **argv)
{
	bool backup = !strcmp(verb, "backup");
	char usage[48];
	snprintf(usage, sizeof usage, backup ? "db backup FILE" : "db %s", verb);
	struct cli_cmd cmd = { usage, NULL, no_opts, backup ? 1 : 0, backup ? 1 : 0 };
	char **args;
	int nargs, ex;
	if (cli_parse(&cmd, argc, argv, &args, &nargs, &ex))
		return ex;
	struct wb_err err = { 0 };
	int rc = WB_OK;
	if (!strcmp(verb, "check")) {
		char *report;
		rc = desk_check(ctx->db_path, &report, &err);
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
			rc = desk_backup(d, args[0], &err);
			if (rc == WB_OK)
				printf(_("backed up %s to %s\n"), ctx->db_path, args[0]);
		} else {
			int v = 0;
			rc = desk_schema_version(d, &v, &err);
			if (rc == WB_OK)
				printf(_("database %s at schema version %d; you are %s (%s)\n"), ctx->db_path, v,
				       d->me.login, user_role_name((enum user_role)d->me.role));
		}
	}
	free(args);
	return rc ? cli_fail(&err) : 0;
}

static const struct cli_sub db_subs[] = {
	{ "init", "init", N_("create the database (you become its admin)"), NULL, db_run },
	{ "migrate", "migrate", N_("bring the schema up to date"), NULL, db_run },
	{ "check", "check", N_("verify the database's integrity"), NULL, db_run },
	{ "backup", "backup FILE", N_("copy the live database while others keep working"), NULL, db_run },
};

static const struct cli_group db_group = {
	N_("usage: weibao db init|migrate|check|backup FILE"),
	N_("unknown command 'db %s' (see weibao db --help)"),
	db_subs, sizeof db_subs / sizeof db_subs[0], 13, NULL,
};

int cli_db(struct cli_ctx *ctx, int argc, char **argv)
{
	return cli_dispatch(ctx, &db_group, argc, argv);
}

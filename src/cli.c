/* cli.c — weibao's command line: global options, then one command group. */
#include "cli.h"

#include "cli_calendar.h"
#include "cli_opt.h"
#include "cli_report.h"
#include "config.h"
#include "desk.h"
#include "i18n.h"
#include "outbox.h"
#include "utf8.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Set by the UI module when it is linked in; weibao without arguments opens it. */
int cli_ui(struct cli_ctx *ctx, int argc, char **argv);

static void main_help(FILE *out)
{
	fprintf(out, "%s\n\n", _("usage: weibao [--db PATH] [--config FILE] [--theme NAME] [COMMAND ...]"));
	fprintf(out, "%s\n\n", _("With no command, weibao opens the full-screen console."));
	static const char *const lines[][2] = {
		{ "ticket ...", N_("open, list, show, reply to and change tickets") },
		{ "contact ...", N_("customers: add, list, show, set") },
		{ "org ...", N_("organisations and their maintenance contracts") },
		{ "system ...", N_("the systems under maintenance") },
		{ "queue ...", N_("ticket queues") },
		{ "user ...", N_("operators and their roles") },
		{ "outbox send|daemon|list|retry|cancel", N_("outgoing mail: send it, watch it, retry it") },
		{ "mailgate [--queue Q]", N_("file one email from standard input (for the mail server)") },
		{ "mailgate quarantine ...", N_("list, show, retry or drop mail that could not be filed") },
		{ "import mbox FILE | maildir DIR", N_("bring in mail history") },
		{ "report [--period P] [--format F]", N_("the maintenance-cycle evaluation of a period") },
		{ "automate [--dry-run]", N_("SLA escalation, reminders and auto-close (for cron)") },
		{ "plan ...", N_("maintenance plans: add, list, show, set, remove, done (tick a checklist item)") },
		{ "calendar [generate|export|import]", N_("the maintenance agenda, task generation (cron), iCalendar files") },
		{ "window add|list|notify", N_("maintenance windows and their announcements") },
		{ "db init|migrate|check|backup FILE", N_("the database") },
		{ "demo [--tickets N]", N_("fill the database with a realistic sample desk") },
		{ "--version", N_("print the version") },
	};
	cli_help_rows(out, lines, sizeof lines / sizeof lines[0], 36);
	fprintf(out, "\n%s\n", _("Each command takes --help. Exit status: 0 done, 1 refused or not found, 2 usage error."));
}

int cli_desk(struct cli_ctx *ctx, struct desk **out)
{
	if (!ctx->desk) {
		struct wb_err err = { 0 };
		if (desk_open(&ctx->cfg, ctx->db_path, ctx->agent, &ctx->desk, &err))
			return cli_fail(&err);
		outbox_attach(ctx->desk, &ctx->cfg); /* replies and events queue their mail */
	}
	*out = ctx->desk;
	return 0;
}

int cli_main(int argc, char **argv)
{
	struct cli_ctx ctx;
	memset(&ctx, 0, sizeof ctx);
	const char *config_path = NULL, *db = NULL;
	int i = 1;
	/* the config's language must be known before any message is translated */
	for (int j = 1; j + 1 < argc; j++)
		if (!strcmp(argv[j], "--config"))
			config_path = argv[j + 1];
	struct wb_err err = { 0 };
	int cfg_rc = config_load(config_path, &ctx.cfg, &err);
	i18n_init(ctx.cfg.language);
	if (cfg_rc) {
		int ex = cli_fail(&err);
		config_clear(&ctx.cfg);
		return ex;
	}
	int ex = 0;
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--version")) {
			printf("weibao %s\n", WB_VERSION);
			goto done;
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			main_help(stdout);
			goto done;
		} else if (!strcmp(a, "--db") || !strcmp(a, "--config") || !strcmp(a, "--theme")) {
			if (i + 1 >= argc) {
				ex = cli_usage_error(_("option %s needs a value"), a);
				goto done;
			}
			if (!strcmp(a, "--db"))
				db = argv[i + 1];
			else if (!strcmp(a, "--theme"))
				ctx.theme = argv[i + 1];
			i++;
		} else {
			ex = cli_usage_error(_("unknown option '%s' (see weibao --help)"), a);
			goto done;
		}
	}
	ctx.db_path = db ? xstrdup(db) : ctx.cfg.db_path ? xstrdup(ctx.cfg.db_path) : config_default_db_path();
	if (!ctx.theme)
		ctx.theme = ctx.cfg.theme;
	if (i >= argc) {
		ex = cli_ui(&ctx, 0, NULL);
		goto done;
	}
	const char *group = argv[i++];
	int rest = argc - i;
	char **rv = argv + i;
	if (!strcmp(group, "ticket"))
		ex = cli_ticket(&ctx, rest, rv);
	else if (!strcmp(group, "contact") || !strcmp(group, "org") || !strcmp(group, "system") ||
		 !strcmp(group, "queue") || !strcmp(group, "user"))
		ex = cli_directory(&ctx, group, rest, rv);
	else if (!strcmp(group, "outbox"))
		ex = cli_outbox(&ctx, rest, rv);
	else if (!strcmp(group, "report") || !strcmp(group, "automate"))
		ex = !strcmp(group, "report") ? cli_report(&ctx, rest, rv) : cli_automate(&ctx, rest, rv);
	else if (!strcmp(group, "plan") || !strcmp(group, "calendar") || !strcmp(group, "window"))
		ex = !strcmp(group, "plan") ? cli_plan(&ctx, rest, rv) : !strcmp(group, "window") ? cli_window(&ctx, rest, rv)
		     : cli_calendar(&ctx, rest, rv);
	else if (!strcmp(group, "db"))
		ex = cli_db(&ctx, rest, rv);
	else if (!strcmp(group, "mailgate"))
		ex = cli_mailgate(&ctx, rest, rv);
	else if (!strcmp(group, "import"))
		ex = cli_import(&ctx, rest, rv);
	else if (!strcmp(group, "demo"))
		ex = cli_demo(&ctx, rest, rv);
	else if (!strcmp(group, "help"))
		main_help(stdout);
	else
		ex = cli_usage_error(_("unknown command '%s' (see weibao --help)"), group);
done:
	desk_close(&ctx.desk);
	free(ctx.db_path);
	config_clear(&ctx.cfg);
	return ex;
}

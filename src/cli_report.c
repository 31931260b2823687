/* cli_report.c — `weibao report` and `weibao automate`: argument parsing and wiring only. */
#include "cli_report.h"

#include "automate.h"
#include "i18n.h"
#include "outbox.h"
#include "report.h"
#include "report_render.h"
#include "xmalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct cli_opt report_opts[] = {
	{ "period", "P", N_("a month 2026-10 (default: this month), quarter 2026Q4, week 2026-W47, year 2026"), NULL },
	{ "from", "DATE", N_("first day of a custom period (YYYY-MM-DD, with --to)"), NULL },
	{ "to", "DATE", N_("last day of a custom period (inclusive)"), NULL },
	{ "org", "O", N_("only this organisation"), NULL },
	{ "system", "S", N_("only this system"), NULL },
	{ "queue", "Q", N_("only this queue"), NULL },
	{ "format", "F", N_("text (default), md, csv, json or html"), NULL },
	{ "output", "FILE", N_("write to FILE instead of standard output"), NULL },
	{ "mail-to", "ADDR", N_("queue the report by mail to ADDR (HTML attached)"), NULL },
	{ NULL, NULL, NULL, NULL },
};

static int write_file(const char *path, const char *text, struct wb_err *err)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return wb_err_set(err, WB_EIO, _("cannot write %s: %s"), path, strerror(errno));
	size_t len = strlen(text);
	bool ok = fwrite(text, 1, len, f) == len;
	if (fclose(f) != 0)
		ok = false;
	if (!ok)
		return wb_err_set(err, WB_EIO, _("cannot write %s: %s"), path, strerror(errno));
	return WB_OK;
}

int cli_report(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_cmd cmd = { "report [--period P | --from D --to D] [--org O] [--system S] [--queue Q] "
			       "[--format F] [--output FILE] [--mail-to ADDR]",
			       N_("The maintenance-cycle evaluation for a period: tickets, response and resolution times "
				  "against the SLA, backlog, reopen rate, bug fixes, security updates, maintenance tasks, "
				  "time worked and satisfaction."),
			       report_opts, 0, 0 };
	char **args;
	int nargs, ex;
	if (cli_parse(&cmd, argc, argv, &args, &nargs, &ex))
		return ex;
	free(args);
	struct wb_err err = { 0 };
	enum report_format fmt = REPORT_TEXT;
	if (cli_has(&cmd, "format") && report_format_parse(cli_get(&cmd, "format"), &fmt, &err))
		return cli_usage_error("%s", err.msg);
	if (cli_has(&cmd, "from") != cli_has(&cmd, "to"))
		return cli_usage_error(_("give both --from and --to"));
	struct desk *d;
	if ((ex = cli_desk(ctx, &d)))
		return ex;
	struct report_spec spec = { cli_get(&cmd, "period"), cli_get(&cmd, "from"), cli_get(&cmd, "to"),
				    cli_get(&cmd, "org"), cli_get(&cmd, "system"), cli_get(&cmd, "queue") };
	struct report r;
	int rc = report_build(d, &spec, &r, &err);
	if (rc)
		return rc == WB_EINVAL ? cli_usage_error("%s", err.msg) : cli_fail(&err);
	char *out = report_render(&r, fmt);
	const char *mail_to = cli_get(&cmd, "mail-to");
	if (mail_to) {
		/* the body is the text report; the attachment the chosen format (HTML unless one was asked) */
		enum report_format af = cli_has(&cmd, "format") ? fmt : REPORT_HTML;
		char *body = report_render(&r, REPORT_TEXT);
		char *att = af == fmt ? NULL : report_render(&r, af);
		char *subject = xasprintf(_("Maintenance report %s"), r.label);
		char *name = xasprintf("weibao-report-%s.%s", r.label, report_format_name(af));
		const char *data = att ? att : out;
		rc = outbox_report_mail(d, mail_to, subject, body, name, report_format_mime(af), data, strlen(data), &err);
		free(body);
		free(att);
		free(subject);
		free(name);
		if (rc == WB_OK)
			fprintf(stderr, _("weibao: report %s queued for %s\n"), r.label, mail_to);
	}
	if (rc == WB_OK && cli_has(&cmd, "output"))
		rc = write_file(cli_get(&cmd, "output"), out, &err);
	else if (rc == WB_OK && !mail_to)
		fputs(out, stdout);
	free(out);
	report_clear(&r);
	return rc ? cli_fail(&err) : 0;
}

static struct cli_opt automate_opts[] = {
	{ "dry-run", NULL, N_("list what would be done, change nothing"), NULL },
	{ NULL, NULL, NULL, NULL },
};

int cli_automate(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_cmd cmd = { "automate [--dry-run]",
			       N_("The time-based pass for cron: SLA at-risk and breach escalation, reminders to "
				  "customers who have not answered, auto-close of resolved tickets ([automation] in "
				  "the config). Running it twice does nothing new."),
			       automate_opts, 0, 0 };
	char **args;
	int nargs, ex;
	if (cli_parse(&cmd, argc, argv, &args, &nargs, &ex))
		return ex;
	free(args);
	struct wb_err err = { 0 };
	/* the program's own agent acts, so the audit log says who did it */
	struct desk *d;
	if (desk_open(&ctx->cfg, ctx->db_path, "@automation", &d, &err))
		return cli_fail(&err);
	outbox_attach(d, &ctx->cfg); /* escalations and reminders queue their mail */
	struct automate_opts o;
	automate_opts_init(&o, &ctx->cfg);
	o.dry_run = cli_has(&cmd, "dry-run");
	struct automate_result r;
	int rc = automate_run(d, &o, &r, &err);
	if (rc == WB_OK) {
		size_t waiting_for_mail = 0;
		for (size_t i = 0; i < r.n; i++) {
			const struct automate_item *it = &r.items[i];
			if (it->note && !it->error) {
				waiting_for_mail++; /* one line for all of them, below */
				continue;
			}
			const char *state = it->error ? _("failed") : it->done ? _("done")
					    : it->note ? _("skipped") : _("would do");
			printf("#%lld\t%s%s%s\t%s", (long long)it->ticket_id, automate_action_name(it->action),
			       it->target ? " " : "", it->target ? it->target : "", state);
			if (it->error || it->note)
				printf(": %s", it->error ? it->error : _(it->note));
			putchar('\n');
		}
		if (waiting_for_mail)
			printf(_("%zu reminders not sent: mail is not configured\n"), waiting_for_mail);
		if (!r.n)
			printf("%s\n", _("nothing to do"));
		ex = r.failed ? 1 : 0;
		automate_result_clear(&r);
	} else {
		ex = cli_fail(&err);
	}
	desk_close(&d);
	return ex;
}

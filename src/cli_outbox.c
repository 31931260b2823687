/* cli_outbox.c — `weibao outbox …`: send, daemon, list, retry, cancel. */
#include "cli_opt.h"

#include "automate.h"

#include "i18n.h"
#include "outbox.h"
#include "store_outbox.h"
#include "strbuf.h"
#include "utf8.h"
#include "xmalloc.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct cli_opt send_opts[] = {
	{ "to-dir", "DIR", N_("write each message to DIR as an .eml file instead of sending it"), NULL },
	{ NULL, NULL, NULL, NULL },
};

static void print_notices(const struct outbox_report *r)
{
	for (size_t i = 0; i < r->n_notices; i++)
		fprintf(stderr, "weibao: %s\n", r->notices[i]);
}

static void print_summary(const struct outbox_report *r, const char *to_dir)
{
	if (to_dir)
		printf(_("wrote %zu messages to %s; %lld waiting\n"), r->written, to_dir, (long long)r->waiting);
	else if (r->problem[0])
		printf(_("sent %zu, retrying %zu, failed %zu; %lld waiting: %s\n"), r->sent, r->retrying, r->failed,
		       (long long)r->waiting, r->problem);
	else
		printf(_("sent %zu, retrying %zu, failed %zu; %lld waiting\n"), r->sent, r->retrying, r->failed,
		       (long long)r->waiting);
}

static void print_no_smtp(const struct cli_ctx *ctx, const struct outbox_report *r)
{
	printf(_("no [smtp] host is configured in %s: %lld messages stay queued (or write them out with --to-dir DIR)\n"),
	       ctx->cfg.path ? ctx->cfg.path : _("the config file"), (long long)r->waiting);
}

static int outbox_send(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_cmd cmd = { "outbox send [--to-dir DIR]",
			       N_("Send every mail that is due now, once (for cron)."), send_opts, 0, 0 };
	char **args;
	int nargs, ex;
	if (cli_parse(&cmd, argc, argv, &args, &nargs, &ex))
		return ex;
	free(args);
	struct desk *d;
	if ((ex = cli_desk(ctx, &d)))
		return ex;
	struct outbox_send_opts o = { 0 };
	o.to_dir = cli_get(&cmd, "to-dir");
	struct outbox_report r;
	struct wb_err err = { 0 };
	int rc = outbox_send_pass(d, &o, &r, &err);
	print_notices(&r);
	if (rc == WB_OK) {
		if (r.no_smtp)
			print_no_smtp(ctx, &r);
		else
			print_summary(&r, o.to_dir);
	}
	outbox_report_clear(&r);
	return rc ? cli_fail(&err) : 0;
}

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

struct daemon_ctx {
	struct cli_ctx *ctx;
	const char *to_dir;
	char last[600];
	wb_time automated_at;
};

/* The time-based rules (SLA escalation, reminders, auto-close) every few minutes, so a desk
 * that runs the daemon needs no cron line for `weibao automate`. */
static void run_automation(struct daemon_ctx *dc)
{
	wb_time now = clock_now();
	if (dc->automated_at && now - dc->automated_at < 300 && now >= dc->automated_at)
		return;
	dc->automated_at = now;
	struct automate_opts ao;
	automate_opts_init(&ao, &dc->ctx->cfg);
	struct automate_result ar;
	memset(&ar, 0, sizeof ar);
	struct wb_err err = { 0 };
	if (automate_run(dc->ctx->desk, &ao, &ar, &err) != WB_OK)
		fprintf(stderr, "weibao: automate: %s\n", err.msg);
	automate_result_clear(&ar);
}

static void on_pass(const struct outbox_report *r, int rc, const struct wb_err *err, void *p)
{
	struct daemon_ctx *dc = p;
	print_notices(r);
	if (rc != WB_OK) {
		/* the same settings problem once, not every minute */
		if (strcmp(dc->last, err->msg) != 0)
			fprintf(stderr, "weibao: %s\n", err->msg);
		snprintf(dc->last, sizeof dc->last, "%s", err->msg);
		return;
	}
	dc->last[0] = '\0';
	run_automation(dc);
	if (r->no_smtp)
		return;
	if (r->sent || r->retrying || r->failed || r->written || r->problem[0]) {
		print_summary(r, dc->to_dir);
		fflush(stdout);
	}
}

static int outbox_daemon_cmd(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_cmd cmd = { "outbox daemon [--to-dir DIR]",
			       N_("Keep sending: wake up when mail is queued or a retry is due; stop with Ctrl-C."),
			       send_opts, 0, 0 };
	char **args;
	int nargs, ex;
	if (cli_parse(&cmd, argc, argv, &args, &nargs, &ex))
		return ex;
	free(args);
	struct desk *d;
	if ((ex = cli_desk(ctx, &d)))
		return ex;
	struct outbox_send_opts o = { 0 };
	o.to_dir = cli_get(&cmd, "to-dir");
	if (!o.to_dir && (!ctx->cfg.smtp_host || !*ctx->cfg.smtp_host)) {
		struct wb_err err;
		wb_err_set(&err, WB_EINVAL, _("no [smtp] host is configured in %s; set one, or use --to-dir DIR"),
			   ctx->cfg.path ? ctx->cfg.path : _("the config file"));
		return cli_fail(&err);
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal; /* no SA_RESTART: the sleep ends at once */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	struct daemon_ctx dc = { ctx, o.to_dir, "", 0 };
	struct wb_err err = { 0 };
	int rc = outbox_daemon(d, &o, &stop_flag, on_pass, &dc, &err);
	return rc ? cli_fail(&err) : 0;
}

static struct cli_opt list_opts[] = {
	{ "state", "S", N_("only queued, sending, sent, retrying, failed or cancelled"), NULL },
	{ "limit", "N", N_("at most N messages, newest first (default 50; 0 = all)"), NULL },
	{ "json", NULL, N_("print JSON"), NULL },
	{ NULL, NULL, NULL, NULL },
};

static void item_json(const struct outbox_item *it, struct strbuf *b)
{
	char iso[32];
	strbuf_addf(b, "{\"id\":%lld,\"ticket\":", (long long)it->id);
	if (it->ticket_id)
		strbuf_addf(b, "%lld", (long long)it->ticket_id);
	else
		strbuf_adds(b, "null");
	strbuf_adds(b, ",\"message_id\":");
	strbuf_add_json(b, it->email_message_id);
	strbuf_adds(b, ",\"state\":");
	strbuf_add_json(b, outbox_state_name(it->state));
	strbuf_addf(b, ",\"attempts\":%d", it->attempts);
	const struct {
		const char *key;
		wb_time t;
	} times[] = { { "created", it->created_at },
		      { "next_attempt", it->state == OUTBOX_SENT || it->state == OUTBOX_CANCELLED ||
					    it->state == OUTBOX_FAILED ? 0 : it->next_attempt_at },
		      { "sent", it->sent_at } };
	for (size_t i = 0; i < 3; i++) {
		strbuf_addf(b, ",\"%s\":", times[i].key);
		if (times[i].t) {
			clock_format_iso(times[i].t, iso, sizeof iso);
			strbuf_add_json(b, iso);
		} else {
			strbuf_adds(b, "null");
		}
	}
	strbuf_adds(b, ",\"last_error\":");
	strbuf_add_json(b, it->last_error);
	strbuf_adds(b, ",\"recipients\":[");
	for (size_t i = 0; i < it->n_rcpt; i++) {
		const struct outbox_rcpt *r = &it->rcpt[i];
		strbuf_adds(b, i ? ",{\"addr\":" : "{\"addr\":");
		strbuf_add_json(b, r->addr);
		strbuf_adds(b, ",\"state\":");
		strbuf_add_json(b, outbox_state_name(r->state));
		strbuf_addf(b, ",\"code\":%d,\"reply\":", r->code);
		strbuf_add_json(b, r->reply);
		strbuf_addc(b, '}');
	}
	strbuf_adds(b, "]}");
}

static void item_row(const struct outbox_item *it, struct strbuf *b)
{
	char id[24], ticket[24], when[32] = "-", tries[16];
	snprintf(id, sizeof id, "%lld", (long long)it->id);
	if (it->ticket_id)
		snprintf(ticket, sizeof ticket, "#%lld", (long long)it->ticket_id);
	else
		snprintf(ticket, sizeof ticket, "-");
	snprintf(tries, sizeof tries, "%d", it->attempts);
	wb_time t = it->state == OUTBOX_SENT ? it->sent_at
		  : it->state == OUTBOX_QUEUED || it->state == OUTBOX_RETRYING ? it->next_attempt_at : 0;
	if (t)
		clock_format_iso(t, when, sizeof when);
	struct strbuf to = STRBUF_INIT;
	for (size_t i = 0; i < it->n_rcpt; i++) {
		if (i)
			strbuf_adds(&to, ",");
		strbuf_adds(&to, it->rcpt[i].addr);
	}
	const char *cells[] = { id, outbox_state_name(it->state), tries, ticket, strbuf_str(&to), when };
	const int w[] = { 6, 9, 5, 7, 30, 20 };
	for (size_t i = 0; i < 6; i++) {
		char *p = utf8_pad(cells[i], w[i]);
		strbuf_adds(b, p);
		strbuf_addc(b, ' ');
		free(p);
	}
	strbuf_adds(b, it->last_error ? it->last_error : "");
	while (b->len && b->s[b->len - 1] == ' ')
		b->s[--b->len] = '\0';
	strbuf_free(&to);
}

static int outbox_list_cmd(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_cmd cmd = { "outbox list [--state S] [--json]", N_("List outgoing mail, newest first."),
			       list_opts, 0, 0 };
	char **args;
	int nargs, ex;
	if (cli_parse(&cmd, argc, argv, &args, &nargs, &ex))
		return ex;
	free(args);
	struct wb_err err = { 0 };
	enum outbox_state st = OUTBOX_QUEUED;
	bool filter = cli_has(&cmd, "state");
	if (filter && outbox_state_parse(cli_get(&cmd, "state"), &st, &err))
		return cli_fail(&err);
	long limit = 50;
	if (cli_has(&cmd, "limit")) {
		char *end;
		limit = strtol(cli_get(&cmd, "limit"), &end, 10);
		if (*end || limit < 0 || !*cli_get(&cmd, "limit"))
			return cli_usage_error(_("--limit wants a number, not '%s'"), cli_get(&cmd, "limit"));
	}
	bool json = cli_has(&cmd, "json");
	struct desk *d;
	if ((ex = cli_desk(ctx, &d)))
		return ex;
	if (!json) {
		struct strbuf h = STRBUF_INIT;
		const char *cols[] = { _("ID"), _("STATE"), _("TRIES"), _("TICKET"), _("TO"), _("NEXT/SENT") };
		const int w[] = { 6, 9, 5, 7, 30, 20 };
		for (size_t i = 0; i < 6; i++) {
			char *p = utf8_pad(cols[i], w[i]);
			strbuf_adds(&h, p);
			strbuf_addc(&h, ' ');
			free(p);
		}
		strbuf_adds(&h, _("LAST ERROR"));
		puts(strbuf_str(&h));
		strbuf_free(&h);
	}
	int64_t before = 0;
	long printed = 0;
	bool any = false;
	int rc = WB_OK;
	for (;;) {
		size_t want = 200;
		if (limit && (size_t)(limit - printed) < want)
			want = (size_t)(limit - printed);
		if (!want)
			break;
		struct outbox_item *v;
		size_t n;
		if ((rc = outbox_list(d, filter, st, before, want, &v, &n, &err)))
			break;
		for (size_t i = 0; i < n; i++) {
			struct strbuf b = STRBUF_INIT;
			if (json) {
				strbuf_adds(&b, any ? "," : "[");
				item_json(&v[i], &b);
			} else {
				item_row(&v[i], &b);
			}
			puts(strbuf_str(&b));
			strbuf_free(&b);
			any = true;
		}
		printed += (long)n;
		if (n)
			before = v[n - 1].id;
		outbox_items_free(&v, n);
		if (n < want)
			break;
	}
	if (rc)
		return cli_fail(&err);
	if (json)
		puts(any ? "]" : "[]");
	return 0;
}

static struct cli_opt no_opts[] = { { NULL, NULL, NULL, NULL } };

/* retry or cancel ID */
static int outbox_id_cmd(struct cli_ctx *ctx, const char *verb, int argc, char **argv)
{
	bool retry = !strcmp(verb, "retry");
	struct cli_cmd cmd = { retry ? "outbox retry ID" : "outbox cancel ID",
			       retry ? N_("Send a failed, retrying or cancelled mail again, now.")
				     : N_("Do not send a queued, retrying or failed mail."),
			       no_opts, 1, 1 };
	char **args;
	int nargs, ex;
	if (cli_parse(&cmd, argc, argv, &args, &nargs, &ex))
		return ex;
	char *end;
	long long id = strtoll(args[0], &end, 10);
	if (!*args[0] || *end || id <= 0) {
		ex = cli_usage_error(_("an outbox message id is a number (see weibao outbox list), not '%s'"), args[0]);
		free(args);
		return ex;
	}
	free(args);
	struct desk *d;
	if ((ex = cli_desk(ctx, &d)))
		return ex;
	struct wb_err err = { 0 };
	if (retry ? outbox_retry(d, id, &err) : outbox_cancel(d, id, &err))
		return cli_fail(&err);
	printf(retry ? _("outbox message %lld queued again\n") : _("outbox message %lld cancelled\n"), id);
	return 0;
}

static const struct cli_sub outbox_subs[] = {
	{ "send", "send [--to-dir DIR]", N_("send every mail due now, once (for cron)"), outbox_send, NULL },
	{ "daemon", "daemon [--to-dir DIR]", N_("keep sending as mail is queued"), outbox_daemon_cmd, NULL },
	{ "list", "list [--state S] [--json]", N_("list outgoing mail and its state"), outbox_list_cmd, NULL },
	{ "retry", "retry ID", N_("send a failed mail again"), NULL, outbox_id_cmd },
	{ "cancel", "cancel ID", N_("do not send a mail"), NULL, outbox_id_cmd },
};

static const struct cli_group outbox_group = {
	N_("usage: weibao outbox COMMAND [options]   (weibao outbox COMMAND --help for more)"),
	N_("unknown command 'outbox %s' (see weibao outbox --help)"),
	outbox_subs, sizeof outbox_subs / sizeof outbox_subs[0], 28, NULL,
};

int cli_outbox(struct cli_ctx *ctx, int argc, char **argv)
{
	return cli_dispatch(ctx, &outbox_group, argc, argv);
}

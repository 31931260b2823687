/* cli_ticket.c — `weibao ticket …`: the same domain calls the full-screen UI makes. */
#include "cli_opt.h"

#include "directory.h"
#include "report.h"
#include "fmt.h"
#include "i18n.h"
#include "strbuf.h"
#include "utf8.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- output ---- */

static void json_time(struct strbuf *b, const char *key, wb_time t)
{
	char iso[32];
	strbuf_addf(b, ",\"%s\":", key);
	if (t) {
		clock_format_iso(t, iso, sizeof iso);
		strbuf_add_json(b, iso);
	} else {
		strbuf_adds(b, "null");
	}
}

static void json_str(struct strbuf *b, const char *key, const char *v)
{
	strbuf_addf(b, ",\"%s\":", key);
	strbuf_add_json(b, v);
}

static void ticket_json(struct desk *d, const struct ticket *t, wb_time now, struct strbuf *b)
{
	strbuf_addf(b, "{\"id\":%lld", (long long)t->id);
	json_str(b, "subject", t->subject);
	json_str(b, "kind", ticket_kind_name(t->kind));
	json_str(b, "status", ticket_status_name(t->status));
	strbuf_addf(b, ",\"priority\":\"P%d\"", t->priority);
	json_str(b, "channel", ticket_channel_name(t->channel));
	json_str(b, "queue", t->queue);
	json_str(b, "requester", t->requester_name);
	json_str(b, "requester_email", t->requester_email);
	json_str(b, "requester_phone", t->requester_phone);
	json_str(b, "organisation", t->org);
	json_str(b, "system", t->system);
	json_str(b, "assignee", t->assignee);
	json_time(b, "created", t->created_at);
	json_time(b, "updated", t->updated_at);
	json_time(b, "first_response", t->first_response_at);
	json_time(b, "resolved", t->resolved_at);
	json_time(b, "closed", t->closed_at);
	json_time(b, "response_due", t->response_due);
	json_time(b, "resolve_due", t->resolve_due);
	json_str(b, "sla", sla_state_name(desk_ticket_sla(d, t, now)));
	json_str(b, "affected_version", t->affected_version);
	json_str(b, "fixed_version", t->fixed_version);
	json_str(b, "review", t->review_ref);
	json_str(b, "test_result", t->test_result);
	if (t->merged_into)
		strbuf_addf(b, ",\"merged_into\":%lld", (long long)t->merged_into);
	strbuf_addf(b, ",\"minutes_worked\":%d,\"version\":%lld}", t->minutes_worked, (long long)t->version);
}

enum list_format { FMT_TABLE, FMT_JSON, FMT_CSV };

/* TRANSLATORS: column headings of `weibao ticket list`; keep them short (the columns are 6, 3, 12, 11, 40,
   16, 10 and 12 cells wide; a longer heading widens its column). */
static const char *const list_cols[] = { N_("ID"), N_("PRI"), N_("STATUS"), N_("KIND"), N_("SUBJECT"),
					 N_("REQUESTER"), N_("ASSIGNEE"), N_("DUE") };

/* Cells of list column i: its usual width, or its translated heading's when that is wider. */
static int list_width(size_t i)
{
	static const int w[] = { 6, 3, 12, 11, 40, 16, 10, 12 };
	int hw = utf8_width(_(list_cols[i]));
	return hw > w[i] ? hw : w[i];
}

static void print_header(enum list_format f)
{
	if (f == FMT_CSV) {
		puts("id,priority,status,kind,subject,requester,organisation,assignee,sla,due,updated");
		return;
	}
	if (f != FMT_TABLE)
		return;
	struct strbuf b = STRBUF_INIT;
	for (size_t i = 0; i < 8; i++) {
		char *p = utf8_pad(_(list_cols[i]), list_width(i));
		strbuf_adds(&b, p);
		if (i < 7)
			strbuf_addc(&b, ' ');
		free(p);
	}
	while (b.len && b.s[b.len - 1] == ' ')
		b.s[--b.len] = '\0';
	puts(strbuf_str(&b));
	strbuf_free(&b);
}

static void print_row(struct desk *d, const struct ticket *t, wb_time now, enum list_format f, bool first)
{
	struct strbuf b = STRBUF_INIT;
	char due[40], upd[40];
	fmt_relative(now, t->sla_due, due, sizeof due);
	if (f == FMT_JSON) {
		strbuf_adds(&b, first ? "[" : ",");
		ticket_json(d, t, now, &b);
	} else if (f == FMT_CSV) {
		char iso[32] = "", iso2[32] = "";
		if (t->sla_due)
			clock_format_iso(t->sla_due, iso, sizeof iso);
		clock_format_iso(t->updated_at, iso2, sizeof iso2);
		strbuf_addf(&b, "%lld,P%d,%s,%s,", (long long)t->id, t->priority, ticket_status_name(t->status),
			    ticket_kind_name(t->kind));
		strbuf_add_csv(&b, t->subject);
		strbuf_addc(&b, ',');
		strbuf_add_csv(&b, t->requester_email ? t->requester_email : t->requester_name);
		strbuf_addc(&b, ',');
		strbuf_add_csv(&b, t->org);
		strbuf_addc(&b, ',');
		strbuf_add_csv(&b, t->assignee);
		strbuf_addf(&b, ",%s,%s,%s", sla_state_name(desk_ticket_sla(d, t, now)), iso, iso2);
	} else {
		char id[16], pri[4];
		snprintf(id, sizeof id, "%lld", (long long)t->id);
		snprintf(pri, sizeof pri, "P%d", t->priority);
		const char *cells[] = { id, pri, ticket_status_label(t->status), ticket_kind_label(t->kind),
					t->subject, t->requester_name ? t->requester_name : "-",
					t->assignee ? t->assignee : "-", due };
		for (size_t i = 0; i < 8; i++) {
			char *p = utf8_pad(cells[i], list_width(i));
			strbuf_adds(&b, p);
			if (i < 7)
				strbuf_addc(&b, ' ');
			free(p);
		}
		while (b.len && b.s[b.len - 1] == ' ')
			b.s[--b.len] = '\0';
	}
	(void)upd;
	puts(strbuf_str(&b));
	strbuf_free(&b);
}

static void print_footer(enum list_format f, bool any)
{
	if (f == FMT_JSON)
		puts(any ? "]" : "[]");
}

static int parse_format(const struct cli_cmd *cmd, enum list_format *f)
{
	*f = cli_has(cmd, "json") ? FMT_JSON : cli_has(cmd, "csv") ? FMT_CSV : FMT_TABLE;
	if (cli_has(cmd, "json") && cli_has(cmd, "csv"))
		return cli_usage_error(_("choose one of --json and --csv"));
	return 0;
}

/* ---- ticket new ---- */

static struct cli_opt new_opts[] = {
	{ "subject", "TEXT", N_("what the ticket is about (required)"), NULL },
	{ "requester", "EMAIL", N_("the customer's email address"), NULL },
	{ "phone", "NUMBER", N_("the customer's phone number (instead of or with --requester)"), NULL },
	{ "name", "NAME", N_("the customer's name, for a new contact"), NULL },
	{ "kind", "KIND", N_("bug, security, feature, question (default), maintenance"), NULL },
	{ "priority", "P", N_("P1 (critical) .. P4 (low); default P3"), NULL },
	{ "channel", "C", N_("email (default), phone, web, internal"), NULL },
	{ "queue", "Q", N_("queue name (default: the first queue)"), NULL },
	{ "system", "S", N_("the system under maintenance it concerns"), NULL },
	{ "assign", "USER", N_("assign to an operator"), NULL },
	{ "version", "V", N_("affected version (bugs)"), NULL },
	{ "body-file", "F", N_("the first message, from file F or - for standard input"), NULL },
	{ "body", "TEXT", N_("the first message as text"), NULL },
	{ "minutes", "N", N_("time worked on it, in minutes"), NULL },
	{ NULL, NULL, NULL, NULL },
};

static int parse_minutes(const char *s, int *out)
{
	if (!s) {
		*out = 0;
		return 0;
	}
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < 0 || v > 100000)
		return cli_usage_error(_("--minutes wants a number of minutes (0 to 100000), not '%s'"), s);
	*out = (int)v;
	return 0;
}

static int read_body_opt(const struct cli_cmd *cmd, char **body, struct wb_err *err)
{
	*body = NULL;
	const char *file = cli_get(cmd, "body-file");
	const char *text = cli_get(cmd, "body");
	if (file && text)
		return wb_err_set(err, WB_EINVAL, _("give either --body or --body-file, not both"));
	if (file)
		return cli_read_body(file, body, err);
	if (text) {
		*body = xstrdup(text);
		return ticket_body_check(*body, err);
	}
	return WB_OK;
}

static int ticket_new(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_cmd cmd = { "ticket new --subject TEXT [--requester EMAIL] [options]",
			       N_("Open a new ticket and print its number."), new_opts, 0, 0 };
	char **args;
	int nargs, ex;
	if (cli_parse(&cmd, argc, argv, &args, &nargs, &ex))
		return ex;
	free(args);
	struct ticket_draft t;
	ticket_draft_init(&t);
	struct wb_err err = { 0 };
	int rc = WB_OK;
	t.subject = cli_get(&cmd, "subject");
	if (!t.subject)
		return cli_usage_error(_("--subject is required"));
	t.requester_email = cli_get(&cmd, "requester");
	t.requester_phone = cli_get(&cmd, "phone");
	t.requester_name = cli_get(&cmd, "name");
	t.queue = cli_get(&cmd, "queue");
	t.system = cli_get(&cmd, "system");
	t.assignee = cli_get(&cmd, "assign");
	t.affected_version = cli_get(&cmd, "version");
	if (cli_has(&cmd, "kind"))
		rc = ticket_kind_parse(cli_get(&cmd, "kind"), &t.kind, &err);
	if (rc == WB_OK && cli_has(&cmd, "priority"))
		rc = ticket_priority_parse(cli_get(&cmd, "priority"), &t.priority, &err);
	if (rc == WB_OK && cli_has(&cmd, "channel"))
		rc = ticket_channel_parse(cli_get(&cmd, "channel"), &t.channel, &err);
	if (rc == WB_OK && t.requester_email) {
		char *norm;
		rc = contact_email_normalise(t.requester_email, &norm, &err);
		if (rc == WB_OK)
			free(norm);
	}
	if ((ex = parse_minutes(cli_get(&cmd, "minutes"), &t.first.minutes)))
		return ex;
	char *body = NULL;
	if (rc == WB_OK)
		rc = read_body_opt(&cmd, &body, &err);
	if (rc)
		return cli_fail(&err);
	t.body = body;
	struct desk *d;
	if ((ex = cli_desk(ctx, &d))) {
		free(body);
		return ex;
	}
	int64_t id;
	rc = desk_ticket_create(d, &t, &id, &err);
	free(body);
	if (rc)
		return cli_fail(&err);
	printf("%lld\n", (long long)id);
	return 0;
}

/* ---- ticket import: many tickets from a script, each its own transaction ---- */

static struct cli_opt import_opts[] = {
	{ "channel", "C", N_("channel of the new tickets (default email)"), NULL },
	{ NULL, NULL, NULL, NULL },
};

/* Splits a line at tabs into at most n fields (in place); returns the count. */
static int split_tabs(char *line, char **f, int n)
{
	int k = 0;
	f[k++] = line;
	for (char *p = line; *p && k < n; p++)
		if (*p == '\t') {
			*p = '\0';
			f[k++] = p + 1;
		}
	return k;
}

static int ticket_import(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_cmd cmd = { "ticket import FILE|-",
			       N_("Open one ticket per line: SUBJECT<TAB>REQUESTER-EMAIL[<TAB>PRIORITY<TAB>KIND<TAB>QUEUE<TAB>BODY]. "
				  "Each ticket is its own transaction; prints the new ids."),
			       import_opts, 1, 1 };
	char **args;
	int nargs, ex;
	if (cli_parse(&cmd, argc, argv, &args, &nargs, &ex))
		return ex;
	FILE *in = strcmp(args[0], "-") ? fopen(args[0], "r") : stdin;
	if (!in) {
		ex = cli_usage_error(_("cannot read %s"), args[0]);
		free(args);
		return ex;
	}
	struct desk *d;
	struct wb_err err = { 0 };
	enum ticket_channel channel = CHANNEL_EMAIL;
	if (cli_has(&cmd, "channel") && ticket_channel_parse(cli_get(&cmd, "channel"), &channel, &err)) {
		ex = cli_fail(&err);
	} else {
		ex = cli_desk(ctx, &d);
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long lineno = 0;
	while (!ex && (n = getline(&line, &cap, in)) >= 0) {
		lineno++;
		if (n && line[n - 1] == '\n')
			line[--n] = '\0';
		if (n && line[n - 1] == '\r')
			line[--n] = '\0';
		if (!n)
			continue;
		char *f[6] = { 0 };
		int k = split_tabs(line, f, 6);
		struct ticket_draft t;
		ticket_draft_init(&t);
		t.subject = f[0];
		t.requester_email = k > 1 && *f[1] ? f[1] : NULL;
		t.channel = channel;
		int rc = WB_OK;
		if (k > 2 && *f[2])
			rc = ticket_priority_parse(f[2], &t.priority, &err);
		if (rc == WB_OK && k > 3 && *f[3])
			rc = ticket_kind_parse(f[3], &t.kind, &err);
		t.queue = k > 4 && *f[4] ? f[4] : NULL;
		t.body = k > 5 && *f[5] ? f[5] : NULL;
		int64_t id;
		if (rc == WB_OK)
			rc = desk_ticket_create(d, &t, &id, &err);
		if (rc) {
			wb_err_prefix(&err, rc, _("line %ld"), lineno);
			ex = cli_fail(&err);
			break;
		}
		printf("%lld\n", (long long)id);
	}
	free(line);
	if (in != stdin)
		fclose(in);
	free(args);
	return ex;
}

/* ---- ticket list ---- */

static struct cli_opt list_opts[] = {
	{ "status", "S", N_("open (default), all, or statuses separated by commas"), NULL },
	{ "queue", "Q", N_("only this queue"), NULL },
	{ "mine", NULL, N_("only tickets assigned to me"), NULL },
	{ "assignee", "USER", N_("only tickets assigned to USER"), NULL },
	{ "unassigned", NULL, N_("only tickets nobody has taken"), NULL },
	{ "kind", "KIND", N_("only this kind"), NULL },
	{ "org", "ORG", N_("only this organisation"), NULL },
	{ "sla", "STATE", N_("at_risk or breached"), NULL },
	{ "channel", "CH", N_("only tickets that came in by email, phone, web or internal"), NULL },
	{ "opened-from", "DATE", N_("opened on or after DATE (YYYY-MM-DD in the desk's zone; with a date option "
				    "--status defaults to all)"), NULL },
	{ "opened-to", "DATE", N_("opened on or before DATE, that day included"), NULL },
	{ "resolved-from", "DATE", N_("resolved or closed on or after DATE"), NULL },
	{ "resolved-to", "DATE", N_("resolved or closed on or before DATE, that day included"), NULL },
	{ "sort", "KEY", N_("priority (default), updated, created, id, due"), NULL },
	{ "limit", "N", N_("at most N tickets (default 50; 0 = all)"), NULL },
	{ "json", NULL, N_("print JSON"), NULL },
	{ "csv", NULL, N_("print CSV"), NULL },
	{ NULL, NULL, NULL, NULL },
};

static int parse_status_mask(const char *s, unsigned *mask, struct wb_err *err)
{
	*mask = 0;
	if (!s || !strcmp(s, "open"))
		return WB_OK;
	if (!strcmp(s, "all")) {
		*mask = (1u << STATUS_COUNT) - 1;
		return WB_OK;
	}
	char *copy = xstrdup(s), *save = NULL;
	int rc = WB_OK;
	for (char *tok = strtok_r(copy, ",", &save); tok && rc == WB_OK; tok = strtok_r(NULL, ",", &save)) {
		enum ticket_status st;
		rc = ticket_status_parse(tok, &st, err);
		if (rc == WB_OK)
			*mask |= 1u << st;
	}
	free(copy);
	return rc;
}

/* --NAME-from and --NAME-to: whole local days of the desk's zone, both included, as [from, to). */
static int date_range(struct desk *d, const struct cli_cmd *cmd, const char *name, wb_time *from, wb_time *to,
		      struct wb_err *err)
{
	char opt_from[32], opt_to[32];
	snprintf(opt_from, sizeof opt_from, "%s-from", name);
	snprintf(opt_to, sizeof opt_to, "%s-to", name);
	char flag_from[40], flag_to[40];
	snprintf(flag_from, sizeof flag_from, "--%s", opt_from);
	snprintf(flag_to, sizeof flag_to, "--%s", opt_to);
	wb_time start, end;
	int rc;
	if (cli_has(cmd, opt_from)) {
		if ((rc = report_day_range(cli_get(cmd, opt_from), d->cal.tz, flag_from, &start, &end, err)))
			return rc;
		*from = start;
	}
	if (cli_has(cmd, opt_to)) {
		if ((rc = report_day_range(cli_get(cmd, opt_to), d->cal.tz, flag_to, &start, &end, err)))
			return rc;
		*to = end;
	}
	if (*from && *to && *to <= *from)
		return wb_err_set(err, WB_EINVAL, _("%s %s is before %s %s"), flag_to, cli_get(cmd, opt_to), flag_from,
				  cli_get(cmd, opt_from));
	return WB_OK;
}

static int build_filter(struct desk *d, const struct cli_cmd *cmd, struct ticket_filter *f, struct wb_err *err)
{
	ticket_filter_init(f);
	int rc = parse_status_mask(cli_get(cmd, "status"), &f->status_mask, err);
	if (rc)
		return rc;
	if (cli_has(cmd, "queue")) {
		struct queue_info q;
		if ((rc = directory_queue_find(d, cli_get(cmd, "queue"), &q, err)))
			return rc;
		f->queue_id = q.id;
		queue_info_clear(&q);
	}
	if (cli_has(cmd, "mine"))
		f->assignee_id = d->me.id;
	if (cli_has(cmd, "assignee")) {
		struct user u;
		if ((rc = directory_user_find(d, cli_get(cmd, "assignee"), &u, err)))
			return rc;
		f->assignee_id = u.id;
		user_clear(&u);
	}
	f->unassigned = cli_has(cmd, "unassigned");
	if (cli_has(cmd, "kind")) {
		enum ticket_kind k;
		if ((rc = ticket_kind_parse(cli_get(cmd, "kind"), &k, err)))
			return rc;
		f->kind = (int)k;
	}
	if (cli_has(cmd, "org")) {
		struct organisation o;
		if ((rc = directory_org_find(d, cli_get(cmd, "org"), &o, err)))
			return rc;
		f->org_id = o.id;
		organisation_clear(&o);
	}
	if (cli_has(cmd, "sla")) {
		const char *s = cli_get(cmd, "sla");
		if (!strcmp(s, "at_risk") || !strcmp(s, "at-risk"))
			f->sla = 1;
		else if (!strcmp(s, "breached"))
			f->sla = 2;
		else
			return wb_err_set(err, WB_EINVAL, _("unknown SLA state '%s' (allowed: at_risk, breached)"), s);
	}
	if (cli_has(cmd, "channel")) {
		enum ticket_channel c;
		if ((rc = ticket_channel_parse(cli_get(cmd, "channel"), &c, err)))
			return rc;
		f->channel = (int)c;
	}
	if ((rc = date_range(d, cmd, "opened", &f->created_from, &f->created_to, err)) ||
	    (rc = date_range(d, cmd, "resolved", &f->resolved_from, &f->resolved_to, err)))
		return rc;
	bool dated = f->created_from || f->created_to || f->resolved_from || f->resolved_to;
	if (dated && !cli_has(cmd, "status"))
		f->status_mask = (1u << STATUS_COUNT) - 1; /* a period's tickets, whatever became of them */
	f->now = clock_now();
	return WB_OK;
}

/* desk_ticket_each's callback: one row of `ticket list`. */
struct row_ctx {
	struct desk *d;
	wb_time now;
	enum list_format fmt;
	bool any;
};

static int print_one(const struct ticket *t, void *ctx)
{
	struct row_ctx *c = ctx;
	print_row(c->d, t, c->now, c->fmt, !c->any);
	c->any = true;
	return 0;
}

static int ticket_list(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_cmd cmd = { "ticket list [options]", N_("List tickets, most urgent first."), list_opts, 0, 0 };
	char **args;
	int nargs, ex;
	if (cli_parse(&cmd, argc, argv, &args, &nargs, &ex))
		return ex;
	free(args);
	enum list_format fmt;
	if ((ex = parse_format(&cmd, &fmt)))
		return ex;
	long limit = 50;
	if (cli_has(&cmd, "limit")) {
		char *end;
		limit = strtol(cli_get(&cmd, "limit"), &end, 10);
		if (*end || limit < 0 || !*cli_get(&cmd, "limit"))
			return cli_usage_error(_("--limit wants a number, not '%s'"), cli_get(&cmd, "limit"));
	}
	enum ticket_sort sort = SORT_DEFAULT;
	struct wb_err err = { 0 };
	if (cli_has(&cmd, "sort") && ticket_sort_parse(cli_get(&cmd, "sort"), &sort, &err))
		return cli_fail(&err);
	struct desk *d;
	if ((ex = cli_desk(ctx, &d)))
		return ex;
	struct ticket_filter f;
	if (build_filter(d, &cmd, &f, &err))
		return cli_fail(&err);
	/* the domain pages through with keyset queries: memory stays flat whatever the size of the desk */
	struct row_ctx rows = { d, clock_now(), fmt, false };
	print_header(fmt);
	if (desk_ticket_each(d, &f, sort, (size_t)limit, print_one, &rows, &err))
		return cli_fail(&err);
	print_footer(fmt, rows.any);
	return 0;
}

/* ---- ticket show ---- */

static struct cli_opt show_opts[] = {
	{ "json", NULL, N_("print JSON"), NULL },
	{ NULL, NULL, NULL, NULL },
};

static void print_field(const char *label, const char *value)
{
	char *p = utf8_pad(label, 16);
	printf("%s %s\n", p, value && *value ? value : "-");
	free(p);
}

static int ticket_show(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_cmd cmd = { "ticket show ID [--json]", N_("Show a ticket with its whole conversation."),
			       show_opts, 1, 1 };
	int64_t id;
	struct desk *d;
	int ex;
	if (cli_parse_id(ctx, &cmd, argc, argv, NULL, &id, &d, &ex))
		return ex;
	struct wb_err err = { 0 };
	struct ticket *t;
	struct message_list msgs;
	if (desk_ticket_read(d, id, &t, &msgs, &err))
		return cli_fail(&err);
	wb_time now = clock_now();
	char buf[400], buf2[64];
	if (cli_has(&cmd, "json")) {
		struct strbuf b = STRBUF_INIT;
		ticket_json(d, t, now, &b);
		b.s[--b.len] = '\0'; /* reopen the object for the conversation */
		strbuf_adds(&b, ",\"messages\":[");
		for (size_t i = 0; i < msgs.n; i++) {
			const struct message *m = &msgs.items[i];
			strbuf_addf(&b, "%s{\"id\":%lld", i ? "," : "", (long long)m->id);
			json_str(&b, "kind", message_kind_name(m->kind));
			json_str(&b, "author", m->author);
			json_time(&b, "at", m->created_at);
			strbuf_addf(&b, ",\"minutes\":%d", m->minutes);
			json_str(&b, "outbox", m->outbox_state);
			strbuf_addf(&b, ",\"attachments\":%d,\"flagged\":%s", m->n_attachments,
				    m->flagged ? "true" : "false");
			json_str(&b, "body", m->body);
			strbuf_addc(&b, '}');
		}
		strbuf_adds(&b, "]}");
		puts(strbuf_str(&b));
		strbuf_free(&b);
	} else {
		printf("#%lld %s\n\n", (long long)t->id, t->subject);
		print_field(_("Status"), ticket_status_label(t->status));
		print_field(_("Priority"), ticket_priority_label(t->priority));
		print_field(_("Kind"), ticket_kind_label(t->kind));
		print_field(_("Channel"), ticket_channel_label(t->channel));
		print_field(_("Queue"), t->queue);
		snprintf(buf, sizeof buf, "%s%s%s%s", t->requester_name ? t->requester_name : "-",
			 t->requester_email ? " <" : "", t->requester_email ? t->requester_email : "",
			 t->requester_email ? ">" : "");
		print_field(_("Requester"), buf);
		print_field(_("Phone"), t->requester_phone);
		print_field(_("Organisation"), t->org);
		print_field(_("System"), t->system);
		print_field(_("Assignee"), t->assignee);
		fmt_datetime(t->created_at, buf, sizeof buf);
		print_field(_("Created"), buf);
		fmt_relative(now, t->sla_due, buf2, sizeof buf2);
		snprintf(buf, sizeof buf, "%s (%s)", buf2, sla_state_label(desk_ticket_sla(d, t, now)));
		print_field(t->first_response_at ? _("Resolve due") : _("Response due"), buf);
		fmt_minutes(t->minutes_worked, buf, sizeof buf);
		print_field(_("Time worked"), buf);
		if (t->kind == KIND_BUG || t->affected_version || t->fixed_version) {
			print_field(_("Affected"), t->affected_version);
			print_field(_("Fixed in"), t->fixed_version);
			print_field(_("Review"), t->review_ref);
			print_field(_("Test result"), t->test_result);
		}
		if (t->merged_into) {
			snprintf(buf, sizeof buf, "#%lld", (long long)t->merged_into);
			print_field(_("Merged into"), buf);
		}
		for (size_t i = 0; i < msgs.n; i++) {
			const struct message *m = &msgs.items[i];
			fmt_datetime(m->created_at, buf, sizeof buf);
			printf("\n--- %s · %s · %s", message_kind_label(m->kind), m->author ? m->author : "-", buf);
			if (m->minutes) {
				fmt_minutes(m->minutes, buf2, sizeof buf2);
				printf(" · %s", buf2);
			}
			if (m->outbox_state)
				printf(" · %s %s", _("mail"), m->outbox_state);
			if (m->flagged)
				printf(" · %s", _("flagged"));
			printf("\n%s\n", m->body);
		}
	}
	ticket_free(&t);
	message_list_free(&msgs);
	return 0;
}

/* ---- reply, note, call ---- */

static struct cli_opt msg_opts[] = {
	{ "body-file", "F", N_("the text, from file F or - for standard input"), NULL },
	{ "body", "TEXT", N_("the text"), NULL },
	{ "minutes", "N", N_("time worked, in minutes"), NULL },
	{ "expect-version", "V", N_("refuse if the ticket changed since version V"), NULL },
	{ NULL, NULL, NULL, NULL },
};

/* reply, note or call ID */
static int ticket_message(struct cli_ctx *ctx, const char *verb, int argc, char **argv)
{
	enum message_kind kind = !strcmp(verb, "reply") ? MSG_REPLY : !strcmp(verb, "note") ? MSG_NOTE : MSG_CALL;
	const char *summary = kind == MSG_REPLY ? N_("Reply to the requester; the email goes out through the outbox.")
			      : kind == MSG_NOTE ? N_("Add an internal note (never sent to the customer).")
						 : N_("Log a phone call on a ticket.");
	char usage[64];
	snprintf(usage, sizeof usage, "ticket %s ID --body-file F|- [--minutes N]", verb);
	struct cli_cmd cmd = { usage, summary, msg_opts, 1, 1 };
	int64_t id;
	int ex;
	if (cli_parse_id(ctx, &cmd, argc, argv, NULL, &id, NULL, &ex))
		return ex;
	struct desk_message m = { 0 };
	m.kind = kind;
	if ((ex = parse_minutes(cli_get(&cmd, "minutes"), &m.minutes)))
		return ex;
	int64_t expect = 0;
	if (cli_has(&cmd, "expect-version"))
		expect = strtoll(cli_get(&cmd, "expect-version"), NULL, 10);
	struct wb_err err = { 0 };
	char *body;
	if (read_body_opt(&cmd, &body, &err))
		return cli_fail(&err);
	if (!body)
		return cli_usage_error(_("give the text with --body-file F (or -) or --body TEXT"));
	m.body = body;
	struct desk *d;
	if ((ex = cli_desk(ctx, &d))) {
		free(body);
		return ex;
	}
	int64_t mid;
	int rc = desk_ticket_add_message(d, id, &m, expect, &mid, &err);
	free(body);
	if (rc)
		return cli_fail(&err);
	return 0;
}

/* ---- set, assign, take, close, reopen, resolve ---- */

static struct cli_opt set_opts[] = {
	{ "status", "S", N_("new status (only allowed transitions)"), NULL },
	{ "priority", "P", N_("P1 .. P4"), NULL },
	{ "kind", "KIND", N_("bug, security, feature, question, maintenance"), NULL },
	{ "queue", "Q", N_("move to queue Q"), NULL },
	{ "assign", "USER", N_("assign to USER ('' to unassign)"), NULL },
	{ "subject", "TEXT", N_("new subject"), NULL },
	{ "system", "S", N_("the system it concerns"), NULL },
	{ "affected", "V", N_("affected version"), NULL },
	{ "fixed", "V", N_("fixed-in version"), NULL },
	{ "review", "REF", N_("review reference"), NULL },
	{ "test-result", "TEXT", N_("test result"), NULL },
	{ "note", "TEXT", N_("add an internal note as well"), NULL },
	{ "minutes", "N", N_("time worked, with the note"), NULL },
	{ "expect-version", "V", N_("refuse if the ticket changed since version V"), NULL },
	{ NULL, NULL, NULL, NULL },
};

static int run_change(struct cli_ctx *ctx, char **ids_s, int n, const struct ticket_change *c, int64_t expect)
{
	int64_t *ids = xcalloc((size_t)n, sizeof *ids);
	int ex = 0;
	for (int i = 0; i < n && !ex; i++)
		ex = cli_ticket_id(ids_s[i], &ids[i]);
	struct desk *d;
	if (!ex)
		ex = cli_desk(ctx, &d);
	if (!ex) {
		struct wb_err err = { 0 };
		if (desk_ticket_change(d, ids, (size_t)n, c, expect, &err))
			ex = cli_fail(&err);
	}
	free(ids);
	return ex;
}

static int ticket_set(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_cmd cmd = { "ticket set ID... [--status S] [--priority P] [...]",
			       N_("Change tickets; several ids change together in one transaction."), set_opts, 1, 10000 };
	char **args;
	int nargs, ex;
	if (cli_parse(&cmd, argc, argv, &args, &nargs, &ex))
		return ex;
	struct ticket_change c;
	ticket_change_init(&c);
	struct wb_err err = { 0 };
	int rc = WB_OK;
	if (cli_has(&cmd, "status")) {
		c.set_status = true;
		rc = ticket_status_parse(cli_get(&cmd, "status"), &c.status, &err);
	}
	if (rc == WB_OK && cli_has(&cmd, "priority"))
		rc = ticket_priority_parse(cli_get(&cmd, "priority"), &c.priority, &err);
	if (rc == WB_OK && cli_has(&cmd, "kind")) {
		enum ticket_kind k;
		rc = ticket_kind_parse(cli_get(&cmd, "kind"), &k, &err);
		c.kind = (int)k;
	}
	if (rc) {
		free(args);
		return cli_fail(&err);
	}
	c.queue = cli_get(&cmd, "queue");
	c.assignee = cli_get(&cmd, "assign");
	c.subject = cli_get(&cmd, "subject");
	c.system = cli_get(&cmd, "system");
	c.affected_version = cli_get(&cmd, "affected");
	c.fixed_version = cli_get(&cmd, "fixed");
	c.review_ref = cli_get(&cmd, "review");
	c.test_result = cli_get(&cmd, "test-result");
	c.note = cli_get(&cmd, "note");
	if ((ex = parse_minutes(cli_get(&cmd, "minutes"), &c.minutes))) {
		free(args);
		return ex;
	}
	int64_t expect = cli_has(&cmd, "expect-version") ? strtoll(cli_get(&cmd, "expect-version"), NULL, 10) : 0;
	ex = run_change(ctx, args, nargs, &c, expect);
	free(args);
	return ex;
}

static struct cli_opt none_opts[] = { { NULL, NULL, NULL, NULL } };

/* assign ID USER, take ID..., close ID..., reopen ID..., resolve ID... */
static int ticket_simple(struct cli_ctx *ctx, const char *verb, int argc, char **argv)
{
	bool assign = !strcmp(verb, "assign");
	char usage[64];
	snprintf(usage, sizeof usage, assign ? "ticket assign ID USER" : "ticket %s ID...", verb);
	struct cli_cmd cmd = { usage, NULL, none_opts, assign ? 2 : 1, assign ? 2 : 10000 };
	char **args;
	int nargs, ex;
	if (cli_parse(&cmd, argc, argv, &args, &nargs, &ex))
		return ex;
	struct ticket_change c;
	ticket_change_init(&c);
	if (assign) {
		c.assignee = args[1];
		nargs = 1;
	} else if (!strcmp(verb, "take")) {
		c.take = true;
	} else {
		c.set_status = true;
		c.status = !strcmp(verb, "close") ? STATUS_CLOSED : !strcmp(verb, "reopen") ? STATUS_REOPENED
											 : STATUS_RESOLVED;
	}
	ex = run_change(ctx, args, nargs, &c, 0);
	free(args);
	return ex;
}

/* ---- link, merge, search, rate ---- */

static int ticket_link(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_cmd cmd = { "ticket link ID duplicate_of|related|blocks OTHER",
			       N_("Link two tickets."), none_opts, 3, 3 };
	char **args;
	int nargs, ex;
	if (cli_parse(&cmd, argc, argv, &args, &nargs, &ex))
		return ex;
	int64_t a, b;
	enum link_kind k;
	struct wb_err err = { 0 };
	ex = cli_ticket_id(args[0], &a);
	if (!ex)
		ex = cli_ticket_id(args[2], &b);
	if (!ex && link_kind_parse(args[1], &k, &err))
		ex = cli_fail(&err);
	free(args);
	struct desk *d;
	if (!ex)
		ex = cli_desk(ctx, &d);
	if (!ex && desk_ticket_link(d, a, b, k, &err))
		ex = cli_fail(&err);
	return ex;
}

static int ticket_merge(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_cmd cmd = { "ticket merge DUPLICATE ORIGINAL",
			       N_("Move a duplicate's conversation into the original and close it."), none_opts, 2, 2 };
	char **args;
	int nargs, ex;
	if (cli_parse(&cmd, argc, argv, &args, &nargs, &ex))
		return ex;
	int64_t a, b;
	ex = cli_ticket_id(args[0], &a);
	if (!ex)
		ex = cli_ticket_id(args[1], &b);
	free(args);
	struct desk *d;
	struct wb_err err = { 0 };
	if (!ex)
		ex = cli_desk(ctx, &d);
	if (!ex && desk_ticket_merge(d, a, b, &err))
		ex = cli_fail(&err);
	return ex;
}

static struct cli_opt search_opts[] = {
	{ "limit", "N", N_("at most N results (default 50)"), NULL },
	{ "json", NULL, N_("print JSON"), NULL },
	{ "csv", NULL, N_("print CSV"), NULL },
	{ NULL, NULL, NULL, NULL },
};

static int ticket_search(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_cmd cmd = { "ticket search WORDS... [--json]",
			       N_("Find tickets by words in subjects and messages (Chinese substrings too)."),
			       search_opts, 1, 100 };
	char **args;
	int nargs, ex;
	if (cli_parse(&cmd, argc, argv, &args, &nargs, &ex))
		return ex;
	enum list_format fmt;
	if ((ex = parse_format(&cmd, &fmt))) {
		free(args);
		return ex;
	}
	struct strbuf q = STRBUF_INIT;
	for (int i = 0; i < nargs; i++) {
		if (i)
			strbuf_addc(&q, ' ');
		strbuf_adds(&q, args[i]);
	}
	free(args);
	long limit = cli_has(&cmd, "limit") ? strtol(cli_get(&cmd, "limit"), NULL, 10) : 50;
	if (limit <= 0)
		limit = 50;
	struct desk *d;
	if ((ex = cli_desk(ctx, &d))) {
		strbuf_free(&q);
		return ex;
	}
	struct wb_err err = { 0 };
	struct ticket_list l;
	int rc = desk_ticket_search(d, strbuf_str(&q), (size_t)limit, &l, &err);
	strbuf_free(&q);
	if (rc)
		return cli_fail(&err);
	wb_time now = clock_now();
	print_header(fmt);
	for (size_t i = 0; i < l.n; i++)
		print_row(d, &l.items[i], now, fmt, i == 0);
	print_footer(fmt, l.n > 0);
	ticket_list_free(&l);
	return 0;
}

static int ticket_rate(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_cmd cmd = { "ticket rate ID 1..5", N_("Record the customer's satisfaction rating."),
			       none_opts, 2, 2 };
	char **args;
	int nargs, ex;
	if (cli_parse(&cmd, argc, argv, &args, &nargs, &ex))
		return ex;
	int64_t id;
	ex = cli_ticket_id(args[0], &id);
	int score = atoi(args[1]);
	free(args);
	struct desk *d;
	struct wb_err err = { 0 };
	if (!ex)
		ex = cli_desk(ctx, &d);
	if (!ex && desk_rating_add(d, id, score, "operator", &err))
		ex = cli_fail(&err);
	return ex;
}

static const struct cli_sub ticket_subs[] = {
	{ "new", "new", N_("open a ticket"), ticket_new, NULL },
	{ "import", "import FILE", N_("open many tickets, one per line"), ticket_import, NULL },
	{ "list", "list", N_("list tickets"), ticket_list, NULL },
	{ "show", "show ID", N_("show a ticket and its conversation"), ticket_show, NULL },
	{ "reply", "reply ID", N_("reply to the requester (by email)"), NULL, ticket_message },
	{ "note", "note ID", N_("add an internal note"), NULL, ticket_message },
	{ "call", "call ID", N_("log a phone call"), NULL, ticket_message },
	{ "set", "set ID...", N_("change status, priority, queue, ..."), ticket_set, NULL },
	{ "assign", "assign ID USER", N_("assign to an operator"), NULL, ticket_simple },
	{ "take", "take ID...", N_("assign to me"), NULL, ticket_simple },
	{ "resolve", "resolve ID...", N_("mark resolved"), NULL, ticket_simple },
	{ "close", "close ID...", N_("close"), NULL, ticket_simple },
	{ "reopen", "reopen ID...", N_("reopen"), NULL, ticket_simple },
	{ "link", "link ID KIND OTHER", N_("link two tickets"), ticket_link, NULL },
	{ "merge", "merge DUP ORIG", N_("merge a duplicate"), ticket_merge, NULL },
	{ "search", "search WORDS", N_("full-text search"), ticket_search, NULL },
	{ "rate", "rate ID N", N_("record a satisfaction rating"), ticket_rate, NULL },
};

static const struct cli_group ticket_group = {
	N_("usage: weibao ticket COMMAND [options]   (weibao ticket COMMAND --help for more)"),
	N_("unknown command 'ticket %s' (see weibao ticket --help)"),
	ticket_subs, sizeof ticket_subs / sizeof ticket_subs[0], 20, NULL,
};

int cli_ticket(struct cli_ctx *ctx, int argc, char **argv)
{
	return cli_dispatch(ctx, &ticket_group, argc, argv);
}

/* cli_calendar.c — `weibao plan …`, `weibao calendar …`, `weibao window …`. */
#include "cli_calendar.h"

#include "i18n.h"
#include "outbox.h"
#include "recur.h"
#include "store_dir.h"
#include "strbuf.h"
#include "utf8.h"
#include "xmalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* ---- helpers ---- */

static const char *desk_zone(const struct desk *d)
{
	return d->cal.tz[0] ? d->cal.tz : NULL;
}

/* A time on the command line: "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM" (also with a space) is local to the
 * desk's zone; with a trailing Z, or a number of seconds, it is UTC. */
static int parse_when(const struct desk *d, const char *s, wb_time *out, struct wb_err *err)
{
	size_t n = strlen(s);
	if (n && (s[n - 1] == 'Z' || strspn(s, "0123456789") == n)) {
		if (clock_parse_iso(s, out) == WB_OK)
			return WB_OK;
		return wb_err_set(err, WB_EINVAL, _("'%s' is not a time (YYYY-MM-DD or YYYY-MM-DDTHH:MM)"), s);
	}
	char local[32];
	snprintf(local, sizeof local, "%s", s);
	if (strlen(local) > 10 && local[10] == ' ')
		local[10] = 'T';
	if (recur_local_to_utc(local, desk_zone(d), out, NULL) != WB_OK)
		return wb_err_set(err, WB_EINVAL, _("'%s' is not a time (YYYY-MM-DD or YYYY-MM-DDTHH:MM)"), s);
	return WB_OK;
}

static bool is_date(const char *s)
{
	return strlen(s) == 10 && s[4] == '-' && s[7] == '-';
}

/* "2026-11-25 14:00" in tz. */
static void local_str(wb_time t, const char *tz, char *buf, size_t n)
{
	if (recur_utc_to_local(t, tz, buf, n, NULL) != WB_OK)
		clock_format_iso(t, buf, n);
	else if (strlen(buf) > 10)
		buf[10] = ' ';
}

static void json_key_str(struct strbuf *b, const char *key, const char *v)
{
	strbuf_addf(b, ",\"%s\":", key);
	strbuf_add_json(b, v);
}

static void json_key_time(struct strbuf *b, const char *key, wb_time t)
{
	char iso[32];
	clock_format_iso(t, iso, sizeof iso);
	json_key_str(b, key, iso);
}

static void json_key_id(struct strbuf *b, const char *key, int64_t id)
{
	if (id)
		strbuf_addf(b, ",\"%s\":%lld", key, (long long)id);
	else
		strbuf_addf(b, ",\"%s\":null", key);
}

static void print_cells(const char *const *cells, const int *w, size_t n)
{
	struct strbuf b = STRBUF_INIT;
	for (size_t i = 0; i < n; i++) {
		char *p = utf8_pad(cells[i] ? cells[i] : "-", w[i]);
		strbuf_adds(&b, p);
		if (i + 1 < n)
			strbuf_addc(&b, ' ');
		free(p);
	}
	while (b.len && b.s[b.len - 1] == ' ')
		b.s[--b.len] = '\0';
	puts(strbuf_str(&b));
	strbuf_free(&b);
}

static int parse_int(const char *opt, const char *s, int lo, int hi, int *out)
{
	char *end;
	errno = 0;
	long v = s ? strtol(s, &end, 10) : 0;
	if (!s || !*s || *end || errno || v < lo || v > hi)
		return cli_usage_error(_("--%s wants a number from %d to %d, not '%s'"), opt, lo, hi, s ? s : "");
	*out = (int)v;
	return 0;
}

/* ---- plan add / set ---- */

static struct cli_opt plan_opts[] = {
	{ "name", "TEXT", N_("what the plan is called (required for add)"), NULL },
	{ "system", "S", N_("the system it maintains, by name or number (required for add)"), NULL },
	{ "kind", "KIND", N_("inspection (default), security_update, backup_check, upgrade, other"), NULL },
	{ "rule", "RRULE", N_("RFC 5545 rule, e.g. 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR' (required for add)"), NULL },
	{ "start", "LOCAL", N_("first start, local YYYY-MM-DDTHH:MM (required for add)"), NULL },
	{ "tz", "ZONE", N_("IANA time zone (default: the organisation's, else the desk's)"), NULL },
	{ "duration", "MIN", N_("length in minutes (default 60)"), NULL },
	{ "except", "DATES", N_("exception dates, comma-separated YYYY-MM-DD or YYYY-MM-DDTHH:MM"), NULL },
	{ "checklist", "ITEMS", N_("checklist items separated by '|'"), NULL },
	{ "checklist-file", "F", N_("checklist items, one per line, from file F (- = standard input)"), NULL },
	{ "owner", "USER", N_("operator the tasks are assigned to"), NULL },
	{ "lead", "HOURS", N_("notify this many hours ahead (default 24)"), NULL },
	{ "notify", "WHOM", N_("none (default) or contacts (the organisation's contacts)"), NULL },
	{ NULL, NULL, NULL, NULL },
};

/* Applies the options given to p (fields not given stay). Strings point into argv. */
static int apply_plan_opts(const struct cli_cmd *cmd, struct plan *p, char **checklist_text, struct wb_err *err)
{
	int ex;
	*checklist_text = NULL;
#define SET(opt, field) \
	if (cli_has(cmd, opt)) { \
		free(p->field); \
		p->field = xstrdup(cli_get(cmd, opt)); \
	}
	SET("name", name)
	SET("kind", kind)
	SET("rule", rrule)
	SET("start", dtstart)
	SET("tz", tz)
	SET("except", exdates)
	SET("owner", owner)
	SET("notify", notify)
#undef SET
	if (cli_has(cmd, "system")) {
		free(p->system);
		p->system = xstrdup(cli_get(cmd, "system"));
		p->system_id = 0;
	}
	if (cli_has(cmd, "owner"))
		p->owner_id = 0;
	if (cli_has(cmd, "duration") && (ex = parse_int("duration", cli_get(cmd, "duration"), 1, 527040, &p->duration_min)))
		return ex;
	if (cli_has(cmd, "lead") && (ex = parse_int("lead", cli_get(cmd, "lead"), 0, PLAN_LEAD_MAX_HOURS, &p->lead_hours)))
		return ex;
	if (cli_has(cmd, "checklist") && cli_has(cmd, "checklist-file"))
		return cli_usage_error(_("give either --checklist or --checklist-file, not both"));
	if (cli_has(cmd, "checklist-file")) {
		int rc = cli_read_body(cli_get(cmd, "checklist-file"), checklist_text, err);
		if (rc)
			return cli_fail(err);
		plan_set_checklist(p, *checklist_text);
	} else if (cli_has(cmd, "checklist")) {
		plan_set_checklist(p, cli_get(cmd, "checklist"));
	}
	return 0;
}

static int plan_add_cmd(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_cmd cmd = { "plan add --name TEXT --system S --rule RRULE --start LOCAL [options]",
			       N_("Add a maintenance plan and print its number."), plan_opts, 0, 0 };
	char **args;
	int nargs, ex;
	if (cli_parse(&cmd, argc, argv, &args, &nargs, &ex))
		return ex;
	free(args);
	const char *need[] = { "name", "system", "rule", "start" };
	for (size_t i = 0; i < 4; i++)
		if (!cli_has(&cmd, need[i]))
			return cli_usage_error(_("--%s is required"), need[i]);
	struct plan p = { 0 };
	p.kind = xstrdup("inspection");
	p.duration_min = 60;
	p.lead_hours = 24;
	p.notify = xstrdup("none");
	struct wb_err err = { 0 };
	char *text = NULL;
	if ((ex = apply_plan_opts(&cmd, &p, &text, &err))) {
		plan_clear(&p);
		return ex;
	}
	free(text);
	struct desk *d;
	int64_t id = 0;
	int rc = WB_OK;
	if ((ex = cli_desk(ctx, &d)) == 0)
		rc = plan_add(d, &p, &id, &err);
	plan_clear(&p);
	if (ex)
		return ex;
	if (rc)
		return cli_fail(&err);
	printf("%lld\n", (long long)id);
	return 0;
}

static int plan_set_cmd(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_cmd cmd = { "plan set ID [options]", N_("Change a plan; tasks already generated stay as they are."),
			       plan_opts, 1, 1 };
	int64_t id;
	struct desk *d;
	int ex;
	if (cli_parse_id(ctx, &cmd, argc, argv, _("plan"), &id, &d, &ex))
		return ex;
	struct wb_err err = { 0 };
	struct plan p;
	if (plan_get(d, id, &p, &err))
		return cli_fail(&err);
	char *text = NULL;
	if ((ex = apply_plan_opts(&cmd, &p, &text, &err))) {
		plan_clear(&p);
		return ex;
	}
	int rc = plan_update(d, &p, &err);
	free(text);
	plan_clear(&p);
	return rc ? cli_fail(&err) : 0;
}

/* ---- plan list / show / remove ---- */

static struct cli_opt list_opts[] = {
	{ "all", NULL, N_("also removed plans"), NULL },
	{ "json", NULL, N_("print JSON"), NULL },
	{ NULL, NULL, NULL, NULL },
};

static char *plan_describe(const struct plan *p)
{
	struct recur_spec spec;
	char **ex = NULL;
	plan_spec(p, &spec, &ex);
	char *s = recur_describe(&spec);
	plan_spec_free(&ex, spec.n_exdates);
	return s;
}

static void plan_json(const struct plan *p, struct strbuf *b)
{
	strbuf_addf(b, "{\"id\":%lld", (long long)p->id);
	json_key_str(b, "name", p->name);
	json_key_str(b, "kind", p->kind);
	json_key_str(b, "system", p->system);
	json_key_str(b, "organisation", p->org);
	json_key_str(b, "owner", p->owner);
	json_key_str(b, "rule", p->rrule);
	json_key_str(b, "start", p->dtstart);
	json_key_str(b, "tz", p->tz);
	strbuf_addf(b, ",\"duration_min\":%d,\"lead_hours\":%d", p->duration_min, p->lead_hours);
	json_key_str(b, "except", p->exdates);
	json_key_str(b, "notify", p->notify);
	strbuf_addf(b, ",\"active\":%s,\"checklist\":[", p->active ? "true" : "false");
	for (size_t i = 0; i < p->n_items; i++) {
		if (i)
			strbuf_addc(b, ',');
		strbuf_add_json(b, p->items[i]);
	}
	strbuf_adds(b, "]}");
}

static int plan_list_cmd(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_cmd cmd = { "plan list [--all] [--json]", N_("List the maintenance plans."), list_opts, 0, 0 };
	char **args;
	int nargs, ex;
	if (cli_parse(&cmd, argc, argv, &args, &nargs, &ex))
		return ex;
	free(args);
	struct desk *d;
	if ((ex = cli_desk(ctx, &d)))
		return ex;
	bool json = cli_has(&cmd, "json");
	static const int w[] = { 4, 24, 16, 12, 40 };
	if (!json) {
		const char *head[] = { _("ID"), _("NAME"), _("KIND"), _("SYSTEM"), _("SCHEDULE") };
		print_cells(head, w, 5);
	}
	struct wb_err err = { 0 };
	struct plan *v;
	size_t n;
	bool any = false;
	int rc = plan_list(d, cli_has(&cmd, "all"), &v, &n, &err);
	for (size_t i = 0; rc == WB_OK && i < n; i++) {
		if (json) {
			struct strbuf b = STRBUF_INIT;
			strbuf_adds(&b, any ? "," : "[");
			plan_json(&v[i], &b);
			puts(strbuf_str(&b));
			strbuf_free(&b);
		} else {
			char id[24];
			snprintf(id, sizeof id, "%lld", (long long)v[i].id);
			char *sched = plan_describe(&v[i]);
			const char *cells[] = { id, v[i].name, plan_kind_label_of(v[i].kind), v[i].system, sched };
			print_cells(cells, w, 5);
			free(sched);
		}
		any = true;
	}
	plans_free(&v, n);
	if (json)
		puts(any ? "]" : "[]");
	return rc ? cli_fail(&err) : 0;
}

static struct cli_opt show_opts[] = {
	{ "json", NULL, N_("print JSON"), NULL },
	{ NULL, NULL, NULL, NULL },
};

static int plan_show_cmd(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_cmd cmd = { "plan show ID [--json]", N_("Show a plan, its checklist and its next occurrences."),
			       show_opts, 1, 1 };
	int64_t id;
	struct desk *d;
	int ex;
	if (cli_parse_id(ctx, &cmd, argc, argv, _("plan"), &id, &d, &ex))
		return ex;
	struct wb_err err = { 0 };
	struct plan p;
	if (plan_get(d, id, &p, &err))
		return cli_fail(&err);
	if (cli_has(&cmd, "json")) {
		struct strbuf b = STRBUF_INIT;
		plan_json(&p, &b);
		puts(strbuf_str(&b));
		strbuf_free(&b);
		plan_clear(&p);
		return 0;
	}
	char *sched = plan_describe(&p);
	char dur[16], lead[16];
	snprintf(dur, sizeof dur, "%d", p.duration_min);
	snprintf(lead, sizeof lead, "%d", p.lead_hours);
	const char *keys[] = { _("name"), _("kind"), _("system"), _("organisation"), _("owner"), _("schedule"),
			       _("rule"), _("start"), _("time zone"), _("minutes"), _("except"), _("lead hours"),
			       _("notify"), _("status") };
	const char *vals[] = { p.name, plan_kind_label_of(p.kind), p.system, p.org, p.owner, sched, p.rrule,
			       p.dtstart, p.tz ? p.tz : "UTC", dur, p.exdates, lead, p.notify,
			       p.active ? _("active") : _("removed") };
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		char *k = utf8_pad(keys[i], 14);
		printf("%s %s\n", k, vals[i] ? vals[i] : "-");
		free(k);
	}
	free(sched);
	printf("%s\n", _("checklist:"));
	for (size_t i = 0; i < p.n_items; i++)
		printf("  %zu. %s\n", i + 1, p.items[i]);
	/* the next occurrences from today */
	wb_time from, end;
	plan_local_day(d, clock_now(), &from, &end);
	struct recur_spec spec;
	char **exd = NULL;
	plan_spec(&p, &spec, &exd);
	struct recur_occurrence *o = NULL;
	size_t n = 0;
	if (p.active && recur_expand(&spec, from, from + 400LL * 86400, 5, &o, &n, NULL) == WB_OK && n) {
		printf("%s\n", _("next:"));
		for (size_t i = 0; i < n; i++) {
			char buf[32];
			local_str(o[i].start, p.tz, buf, sizeof buf);
			printf("  %s\n", buf);
		}
	}
	free(o);
	plan_spec_free(&exd, spec.n_exdates);
	plan_clear(&p);
	return 0;
}

static struct cli_opt no_opts[] = { { NULL, NULL, NULL, NULL } };

static int plan_remove_cmd(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_cmd cmd = { "plan remove ID", N_("Stop a plan generating tasks (its history stays)."), no_opts, 1, 1 };
	int64_t id;
	struct desk *d;
	int ex;
	if (cli_parse_id(ctx, &cmd, argc, argv, _("plan"), &id, &d, &ex))
		return ex;
	struct wb_err err = { 0 };
	return plan_remove(d, id, &err) ? cli_fail(&err) : 0;
}

/* ---- plan done / checklist ---- */

static struct cli_opt done_opts[] = {
	{ "result", "R", N_("ok, failed or note (required)"), NULL },
	{ "note", "TEXT", N_("what was found (required with --result note)"), NULL },
	{ NULL, NULL, NULL, NULL },
};

static int plan_done_cmd(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_cmd cmd = { "plan done TICKET ITEM --result ok|failed|note [--note TEXT]",
			       N_("Tick checklist item ITEM (its number) of the maintenance task TICKET. When every item "
				  "is ticked and none failed, the task is resolved."), done_opts, 2, 2 };
	char **args;
	int nargs, ex;
	if (cli_parse(&cmd, argc, argv, &args, &nargs, &ex))
		return ex;
	int64_t id;
	int item = 0;
	ex = cli_ticket_id(args[0], &id);
	if (!ex)
		ex = parse_int("ITEM", args[1], 1, PLAN_ITEMS_MAX, &item);
	free(args);
	if (ex)
		return ex;
	if (!cli_has(&cmd, "result"))
		return cli_usage_error(_("--result is required (ok, failed or note)"));
	struct desk *d;
	if ((ex = cli_desk(ctx, &d)))
		return ex;
	struct wb_err err = { 0 };
	return plan_check(d, id, item, cli_get(&cmd, "result"), cli_get(&cmd, "note"), &err) ? cli_fail(&err) : 0;
}

static int plan_checklist_cmd(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_cmd cmd = { "plan checklist TICKET [--json]",
			       N_("Show the checklist of a maintenance task: who ticked each item, when, and the result."),
			       show_opts, 1, 1 };
	int64_t id;
	struct desk *d;
	int ex;
	if (cli_parse_id(ctx, &cmd, argc, argv, NULL, &id, &d, &ex))
		return ex;
	struct wb_err err = { 0 };
	struct plan_occ o;
	struct plan p;
	struct plan_result *r;
	size_t n;
	if (plan_task_checklist_occ(d, id, &o, &p, &r, &n, &err))
		return cli_fail(&err);
	bool json = cli_has(&cmd, "json");
	struct strbuf b = STRBUF_INIT;
	if (json)
		strbuf_addf(&b, "{\"ticket\":%lld,\"plan\":%lld,\"status\":\"%s\",\"items\":[", (long long)id,
			    (long long)o.plan_id, plan_status_name(plan_occ_status(&o, clock_now())));
	for (size_t i = 0; i < p.n_items; i++) {
		const struct plan_result *hit = NULL;
		for (size_t j = 0; j < n; j++)
			if (r[j].pos == (int)i + 1)
				hit = &r[j];
		if (json) {
			strbuf_addf(&b, "%s{\"item\":%zu", i ? "," : "", i + 1);
			json_key_str(&b, "text", p.items[i]);
			json_key_str(&b, "result", hit ? hit->result : NULL);
			json_key_str(&b, "note", hit ? hit->note : NULL);
			json_key_str(&b, "by", hit ? hit->user : NULL);
			if (hit)
				json_key_time(&b, "at", hit->at);
			else
				strbuf_adds(&b, ",\"at\":null");
			strbuf_addc(&b, '}');
		} else {
			char at[32] = "";
			if (hit)
				local_str(hit->at, desk_zone(d), at, sizeof at);
			strbuf_addf(&b, "%zu. [%s] %s", i + 1, hit ? hit->result : " ", p.items[i]);
			if (hit)
				strbuf_addf(&b, "  — %s %s%s%s", hit->user ? hit->user : "?", at, hit->note ? ": " : "",
					    hit->note ? hit->note : "");
			strbuf_addc(&b, '\n');
		}
	}
	if (json)
		strbuf_adds(&b, "]}\n");
	fputs(strbuf_str(&b), stdout);
	strbuf_free(&b);
	plan_results_free(&r, n);
	plan_occ_clear(&o);
	plan_clear(&p);
	return 0;
}

static const struct cli_sub plan_subs[] = {
	{ "add", "add", N_("add a maintenance plan"), plan_add_cmd, NULL },
	{ "list", "list", N_("list plans"), plan_list_cmd, NULL },
	{ "show", "show ID", N_("show a plan, its checklist and next dates"), plan_show_cmd, NULL },
	{ "set", "set ID", N_("change a plan"), plan_set_cmd, NULL },
	{ "remove", "remove ID", N_("stop a plan (history stays)"), plan_remove_cmd, NULL },
	{ "done", "done TICKET ITEM --result R", N_("tick a checklist item of a maintenance task (ok, failed, note)"),
	  plan_done_cmd, NULL },
	{ "check", NULL, NULL, plan_done_cmd, NULL },
	{ "checklist", "checklist TICKET", N_("show who ticked what on a maintenance task"), plan_checklist_cmd, NULL },
};

static const struct cli_group plan_group = {
	N_("usage: weibao plan COMMAND [options]   (weibao plan COMMAND --help for more)"),
	N_("unknown command 'plan %s' (see weibao plan --help)"),
	plan_subs, sizeof plan_subs / sizeof plan_subs[0], 30, NULL,
};

int cli_plan(struct cli_ctx *ctx, int argc, char **argv)
{
	return cli_dispatch(ctx, &plan_group, argc, argv);
}

/* ---- calendar ---- */

static struct cli_opt cal_opts[] = {
	{ "from", "DATE", N_("first day, YYYY-MM-DD in the desk's zone (default today)"), NULL },
	{ "to", "DATE", N_("last day, included (default: 7 days after --from)"), NULL },
	{ "json", NULL, N_("print JSON"), NULL },
	{ NULL, NULL, NULL, NULL },
};

/* --from/--to: a date's range is its whole local day; --to DATE includes that day. */
static int parse_range(struct desk *d, const struct cli_cmd *cmd, int default_days, wb_time *from, wb_time *to,
		       struct wb_err *err)
{
	wb_time end;
	plan_local_day(d, clock_now(), from, &end);
	int rc;
	if (cli_has(cmd, "from") && (rc = parse_when(d, cli_get(cmd, "from"), from, err)))
		return rc;
	*to = *from + (wb_time)default_days * 86400;
	if (cli_has(cmd, "to")) {
		const char *s = cli_get(cmd, "to");
		if ((rc = parse_when(d, s, to, err)))
			return rc;
		if (is_date(s)) {
			wb_time a, b;
			plan_local_day(d, *to + 3600, &a, &b);
			*to = b;
		}
	}
	if (*to <= *from)
		return wb_err_set(err, WB_EINVAL, _("--to must come after --from"));
	return WB_OK;
}

static int calendar_show(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_cmd cmd = { "calendar [--from DATE] [--to DATE] [--json]",
			       N_("The maintenance agenda: planned tasks with their status (planned, open, done, missed) "
				  "and maintenance windows."), cal_opts, 0, 0 };
	char **args;
	int nargs, ex;
	if (cli_parse(&cmd, argc, argv, &args, &nargs, &ex))
		return ex;
	free(args);
	struct desk *d;
	if ((ex = cli_desk(ctx, &d)))
		return ex;
	struct wb_err err = { 0 };
	wb_time from, to;
	if (parse_range(d, &cmd, 7, &from, &to, &err))
		return cli_fail(&err);
	struct plan_agenda a;
	if (plan_agenda(d, from, to, &a, &err))
		return cli_fail(&err);
	const char *tz = desk_zone(d);
	bool json = cli_has(&cmd, "json");
	static const int w[] = { 16, 11, 8, 16, 28, 12, 7 };
	if (json) {
		puts(a.n ? "[" : "[]");
	} else {
		const char *head[] = { _("START"), _("END"), _("STATUS"), _("KIND"), _("TITLE"), _("SYSTEM"), _("TICKET") };
		print_cells(head, w, 7);
	}
	for (size_t i = 0; i < a.n; i++) {
		const struct plan_agenda_item *it = &a.items[i];
		char start[32], end[32];
		local_str(it->start, tz, start, sizeof start);
		local_str(it->end, tz, end, sizeof end);
		if (json) {
			struct strbuf b = STRBUF_INIT;
			char date[11];
			snprintf(date, sizeof date, "%.10s", start);
			strbuf_addf(&b, "{\"date\":\"%s\"", date);
			json_key_time(&b, "start", it->start);
			json_key_time(&b, "end", it->end);
			json_key_str(&b, "status", plan_status_name(it->status));
			json_key_str(&b, "kind", it->kind);
			json_key_str(&b, "title", it->title);
			json_key_str(&b, "system", it->system);
			json_key_str(&b, "organisation", it->org);
			json_key_id(&b, "plan", it->plan_id);
			json_key_id(&b, "window", it->window_id);
			json_key_id(&b, "ticket", it->ticket_id);
			strbuf_addf(&b, "}%s", i + 1 < a.n ? "," : "");
			puts(strbuf_str(&b));
			strbuf_free(&b);
		} else {
			char ticket[24] = "";
			if (it->ticket_id)
				snprintf(ticket, sizeof ticket, "#%lld", (long long)it->ticket_id);
			/* the end's time only when it is the same day, else "MM-DD HH:MM" */
			const char *end_show = strncmp(start, end, 10) == 0 ? end + 11 : end + 5;
			const char *cells[] = { start, end_show, plan_status_label(it->status),
						it->is_window ? _("window") : plan_kind_label_of(it->kind), it->title,
						it->system ? it->system : it->org, ticket };
			print_cells(cells, w, 7);
		}
	}
	if (json && a.n)
		puts("]");
	if (a.truncated)
		fprintf(stderr, "weibao: %s\n", _("the range holds too many events; only the first ones are shown"));
	plan_agenda_free(&a);
	return 0;
}

static struct cli_opt gen_opts[] = {
	{ "days", "N", N_("how many days ahead, from today (default 14)"), NULL },
	{ NULL, NULL, NULL, NULL },
};

static int calendar_generate(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_cmd cmd = { "calendar generate [--days N]",
			       N_("Create the maintenance tasks of the coming days and send the notices that are due "
				  "(run it from cron; running it again creates nothing twice)."), gen_opts, 0, 0 };
	char **args;
	int nargs, ex;
	if (cli_parse(&cmd, argc, argv, &args, &nargs, &ex))
		return ex;
	free(args);
	int days = 14;
	if (cli_has(&cmd, "days") && (ex = parse_int("days", cli_get(&cmd, "days"), 1, 366, &days)))
		return ex;
	struct desk *d;
	if ((ex = cli_desk(ctx, &d)))
		return ex;
	struct wb_err err = { 0 };
	int created = 0, sent = 0;
	if (plan_generate_ahead(d, days, &created, &err))
		return cli_fail(&err);
	printf(ngettext("%d maintenance task created\n", "%d maintenance tasks created\n", (unsigned long)created),
	       created);
	if (plan_notify_due(d, outbox_plan_mail, NULL, &sent, &err))
		return cli_fail(&err);
	printf(ngettext("%d notice queued\n", "%d notices queued\n", (unsigned long)sent), sent);
	return 0;
}

static struct cli_opt export_opts[] = {
	{ "ics", "FILE", N_("the iCalendar file to write (- = standard output; required)"), NULL },
	{ "from", "DATE", N_("windows ending after DATE (default: 90 days ago)"), NULL },
	{ NULL, NULL, NULL, NULL },
};

static int calendar_export(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_cmd cmd = { "calendar export --ics FILE [--from DATE]",
			       N_("Write the plans (as recurring events) and the maintenance windows to an iCalendar file "
				  "that ordinary calendar programs open."), export_opts, 0, 0 };
	char **args;
	int nargs, ex;
	if (cli_parse(&cmd, argc, argv, &args, &nargs, &ex))
		return ex;
	free(args);
	const char *path = cli_get(&cmd, "ics");
	if (!path)
		return cli_usage_error(_("--ics FILE is required"));
	struct desk *d;
	if ((ex = cli_desk(ctx, &d)))
		return ex;
	struct wb_err err = { 0 };
	wb_time from = clock_now() - 90LL * 86400;
	if (cli_has(&cmd, "from") && parse_when(d, cli_get(&cmd, "from"), &from, &err))
		return cli_fail(&err);
	char *text = NULL;
	if (plan_export_ics(d, from, &text, &err))
		return cli_fail(&err);
	FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "wb");
	if (!f) {
		wb_err_set(&err, WB_EIO, _("cannot write %s: %s"), path, strerror(errno));
		free(text);
		return cli_fail(&err);
	}
	size_t len = strlen(text);
	bool ok = fwrite(text, 1, len, f) == len;
	if (f != stdout)
		ok = fclose(f) == 0 && ok;
	free(text);
	if (!ok) {
		wb_err_set(&err, WB_EIO, _("cannot write %s: %s"), path, strerror(errno));
		return cli_fail(&err);
	}
	return 0;
}

static struct cli_opt import_opts[] = {
	{ "ics", "FILE", N_("the iCalendar file to read (- = standard input; required)"), NULL },
	{ "system", "S", N_("the system the imported plans and windows belong to (required)"), NULL },
	{ NULL, NULL, NULL, NULL },
};

static int read_file(const char *path, char **out, struct wb_err *err)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!f)
		return wb_err_set(err, WB_EIO, _("cannot read %s: %s"), path, strerror(errno));
	struct strbuf b = STRBUF_INIT;
	int over = strbuf_read(&b, f, 16u * 1024 * 1024);
	if (f != stdin)
		fclose(f);
	if (over < 0) {
		strbuf_free(&b);
		return wb_err_set(err, WB_EIO, _("cannot read %s: %s"), path, strerror(EIO));
	}
	if (over > 0) {
		strbuf_free(&b);
		return wb_err_set(err, WB_EINVAL, _("%s is too large for a calendar file (more than 16 MB)"), path);
	}
	*out = strbuf_detach(&b);
	return WB_OK;
}

static int calendar_import(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_cmd cmd = { "calendar import --ics FILE --system S",
			       N_("Read an iCalendar file: recurring events become plans, single events maintenance "
				  "windows. Events imported before are skipped."), import_opts, 0, 0 };
	char **args;
	int nargs, ex;
	if (cli_parse(&cmd, argc, argv, &args, &nargs, &ex))
		return ex;
	free(args);
	if (!cli_has(&cmd, "ics") || !cli_has(&cmd, "system"))
		return cli_usage_error(_("--ics FILE and --system S are required"));
	struct wb_err err = { 0 };
	char *text = NULL;
	if (read_file(cli_get(&cmd, "ics"), &text, &err))
		return cli_fail(&err);
	struct desk *d;
	if ((ex = cli_desk(ctx, &d))) {
		free(text);
		return ex;
	}
	int plans = 0, windows = 0, skipped = 0;
	int rc = plan_import_ics(d, text, cli_get(&cmd, "system"), &plans, &windows, &skipped, &err);
	free(text);
	if (rc)
		return cli_fail(&err);
	printf(_("%d plans and %d windows imported, %d already there\n"), plans, windows, skipped);
	return 0;
}

static int calendar_today(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_cmd cmd = { "calendar today", N_("Count today's open maintenance tasks and the missed ones."),
			       no_opts, 0, 0 };
	char **args;
	int nargs, ex;
	if (cli_parse(&cmd, argc, argv, &args, &nargs, &ex))
		return ex;
	free(args);
	struct desk *d;
	if ((ex = cli_desk(ctx, &d)))
		return ex;
	struct wb_err err = { 0 };
	int open = 0, missed = 0;
	if (plan_today_counts(d, &open, &missed, &err))
		return cli_fail(&err);
	printf(_("open %d, missed %d\n"), open, missed);
	return 0;
}

static const struct cli_sub calendar_subs[] = {
	{ "generate", "weibao calendar generate [--days N]", N_("create the coming tasks (cron)"), calendar_generate,
	  NULL },
	{ "export", "weibao calendar export --ics FILE", N_("write an iCalendar file"), calendar_export, NULL },
	{ "import", "weibao calendar import --ics FILE --system S", N_("read an iCalendar file"), calendar_import,
	  NULL },
	{ "today", "weibao calendar today", N_("count today's open and missed tasks"), calendar_today, NULL },
};

/* No word or an option: the calendar itself; --help shows its options, then the other commands. */
static const struct cli_group calendar_group = {
	N_("also:"),
	N_("unknown command 'calendar %s' (see weibao calendar --help)"),
	calendar_subs, sizeof calendar_subs / sizeof calendar_subs[0], 44, calendar_show,
};

int cli_calendar(struct cli_ctx *ctx, int argc, char **argv)
{
	return cli_dispatch(ctx, &calendar_group, argc, argv);
}

/* ---- windows ---- */

static struct cli_opt win_opts[] = {
	{ "system", "S", N_("the affected system (or --org for all of an organisation's systems)"), NULL },
	{ "org", "ORG", N_("the affected organisation"), NULL },
	{ "start", "TIME", N_("start, local YYYY-MM-DDTHH:MM in the desk's zone, or UTC ending in Z (required)"), NULL },
	{ "end", "TIME", N_("end, the same way (required)"), NULL },
	{ "title", "TEXT", N_("what is done (required)"), NULL },
	{ "description", "TEXT", N_("more detail for the announcement"), NULL },
	{ "lead", "HOURS", N_("announce this many hours ahead (default 24)"), NULL },
	{ "announce", NULL, N_("email the organisation's contacts ahead and when it closes"), NULL },
	{ NULL, NULL, NULL, NULL },
};

static int window_add_cmd(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_cmd cmd = { "window add --system S --start TIME --end TIME --title TEXT [options]",
			       N_("Add a maintenance window and print its number. Tickets opened during it are marked."),
			       win_opts, 0, 0 };
	char **args;
	int nargs, ex;
	if (cli_parse(&cmd, argc, argv, &args, &nargs, &ex))
		return ex;
	free(args);
	if (!cli_has(&cmd, "start") || !cli_has(&cmd, "end") || !cli_has(&cmd, "title"))
		return cli_usage_error(_("--start, --end and --title are required"));
	if (!cli_has(&cmd, "system") && !cli_has(&cmd, "org"))
		return cli_usage_error(_("--system or --org is required"));
	struct maint_window w = { 0 };
	w.lead_hours = 24;
	if (cli_has(&cmd, "lead") && (ex = parse_int("lead", cli_get(&cmd, "lead"), 0, PLAN_LEAD_MAX_HOURS, &w.lead_hours)))
		return ex;
	struct desk *d;
	if ((ex = cli_desk(ctx, &d)))
		return ex;
	struct wb_err err = { 0 };
	if (parse_when(d, cli_get(&cmd, "start"), &w.start, &err) || parse_when(d, cli_get(&cmd, "end"), &w.end, &err))
		return cli_fail(&err);
	w.title = (char *)cli_get(&cmd, "title");
	w.description = (char *)cli_get(&cmd, "description");
	w.system = (char *)cli_get(&cmd, "system");
	w.org = (char *)cli_get(&cmd, "org");
	w.announce = cli_has(&cmd, "announce");
	int64_t id;
	if (plan_window_add(d, &w, &id, &err))
		return cli_fail(&err);
	printf("%lld\n", (long long)id);
	return 0;
}

static int window_list_cmd(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_cmd cmd = { "window list [--from DATE] [--to DATE] [--json]",
			       N_("List maintenance windows (default: from today, 90 days)."), cal_opts, 0, 0 };
	char **args;
	int nargs, ex;
	if (cli_parse(&cmd, argc, argv, &args, &nargs, &ex))
		return ex;
	free(args);
	struct desk *d;
	if ((ex = cli_desk(ctx, &d)))
		return ex;
	struct wb_err err = { 0 };
	wb_time from, to;
	if (parse_range(d, &cmd, 90, &from, &to, &err))
		return cli_fail(&err);
	bool json = cli_has(&cmd, "json"), any = false;
	const char *tz = desk_zone(d);
	static const int w[] = { 4, 16, 16, 28, 12, 12, 10 };
	if (!json) {
		const char *head[] = { _("ID"), _("START"), _("END"), _("TITLE"), _("ORGANISATION"), _("SYSTEM"),
				       _("ANNOUNCED") };
		print_cells(head, w, 7);
	}
	struct plan_key key;
	bool have = false;
	int rc;
	for (;;) {
		struct maint_window *v;
		size_t n;
		if ((rc = plan_window_page(d, from, to, have ? &key : NULL, 100, &v, &n, &err)))
			break;
		for (size_t i = 0; i < n; i++) {
			const struct maint_window *x = &v[i];
			char a[32], b[32], id[24];
			local_str(x->start, tz, a, sizeof a);
			local_str(x->end, tz, b, sizeof b);
			snprintf(id, sizeof id, "%lld", (long long)x->id);
			const char *ann = !x->announce ? _("no") : x->closed_sent_at ? _("closed") : x->ahead_sent_at
					  ? _("sent") : _("pending");
			if (json) {
				struct strbuf s = STRBUF_INIT;
				strbuf_addf(&s, "%s{\"id\":%lld", any ? "," : "[", (long long)x->id);
				json_key_str(&s, "title", x->title);
				json_key_time(&s, "start", x->start);
				json_key_time(&s, "end", x->end);
				json_key_str(&s, "organisation", x->org);
				json_key_str(&s, "system", x->system);
				strbuf_addf(&s, ",\"lead_hours\":%d,\"announce\":%s", x->lead_hours,
					    x->announce ? "true" : "false");
				json_key_str(&s, "description", x->description);
				strbuf_addc(&s, '}');
				puts(strbuf_str(&s));
				strbuf_free(&s);
			} else {
				const char *cells[] = { id, a, b, x->title, x->org, x->system, ann };
				print_cells(cells, w, 7);
			}
			any = true;
		}
		if (n) {
			key.start = v[n - 1].start;
			key.id = v[n - 1].id;
			have = true;
		}
		maint_windows_free(&v, n);
		if (n < 100)
			break;
	}
	if (json)
		puts(any ? "]" : "[]");
	return rc ? cli_fail(&err) : 0;
}

static int window_notify_cmd(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_cmd cmd = { "window notify", N_("Queue the announcements that are due now (calendar generate does "
						   "this too)."), no_opts, 0, 0 };
	char **args;
	int nargs, ex;
	if (cli_parse(&cmd, argc, argv, &args, &nargs, &ex))
		return ex;
	free(args);
	struct desk *d;
	if ((ex = cli_desk(ctx, &d)))
		return ex;
	struct wb_err err = { 0 };
	int sent = 0;
	if (plan_notify_due(d, outbox_plan_mail, NULL, &sent, &err))
		return cli_fail(&err);
	printf(ngettext("%d notice queued\n", "%d notices queued\n", (unsigned long)sent), sent);
	return 0;
}

static const struct cli_sub window_subs[] = {
	{ "add", "add", N_("add a maintenance window (--announce emails the affected contacts)"), window_add_cmd, NULL },
	{ "list", "list", N_("list maintenance windows"), window_list_cmd, NULL },
	{ "notify", "notify", N_("queue the announcements that are due"), window_notify_cmd, NULL },
};

static const struct cli_group window_group = {
	N_("usage: weibao window add|list|notify [options]   (each takes --help)"),
	N_("unknown command 'window %s' (see weibao window --help)"),
	window_subs, sizeof window_subs / sizeof window_subs[0], 8, NULL,
};

int cli_window(struct cli_ctx *ctx, int argc, char **argv)
{
	return cli_dispatch(ctx, &window_group, argc, argv);
}

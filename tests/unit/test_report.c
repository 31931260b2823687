/* The period report against the desk of report_fixture.h, whose every figure is worked out by hand
 * there (with the report it must give). */
#include "testutil.h"

#include "config.h"
#include "desk.h"
#include "directory.h"
#include "recur.h"
#include "report.h"
#include "report_render.h"
#include "store_dir.h"
#include "store_report.h"
#include "utf8.h"
#include "xmalloc.h"

#include <locale.h>

#include "report_fixture.h"

/* The due times the hand calculation rests on (a check of the fixture, not of the report). */
static void test_fixture_due_times(void **state)
{
	struct fx *f = *state;
	struct {
		int t;
		const char *resp, *res;
	} want[] = {
		{ 1, "2026-10-05T10:00", "2026-10-06T17:00" }, { 2, "2026-10-05T13:00", "2026-10-09T18:00" },
		{ 3, "2026-10-06T13:00", "2026-10-13T12:00" }, { 4, "2026-10-12T13:00", "2026-10-16T18:00" },
		{ 5, "2026-10-16T13:00", "2026-10-22T18:00" }, { 6, "2026-10-20T10:30", "2026-10-21T17:30" },
		{ 8, "2026-10-07T11:00", "2026-10-08T18:00" }, { 9, "2026-10-14T14:00", "2026-10-21T10:00" },
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		struct ticket *t = NULL;
		assert_int_equal(desk_ticket_get(f->d, f->t[want[i].t], &t, NULL), WB_OK);
		if (t->response_due != L(want[i].resp) || t->resolve_due != L(want[i].res))
			fail_msg("T%d: due %lld/%lld, want %s/%s", want[i].t, (long long)t->response_due,
				 (long long)t->resolve_due, want[i].resp, want[i].res);
		ticket_free(&t);
	}
}

static void test_month_figures(void **state)
{
	struct fx *f = *state;
	struct report r = build(f, "2026-10", NULL);
	const struct report_figures *g = &r.f;
	assert_string_equal(r.label, "2026-10");
	assert_int_equal(r.from, L("2026-10-01T00:00"));
	assert_int_equal(r.to, L("2026-11-01T00:00"));
	assert_string_equal(r.first_day, "2026-10-01");
	assert_string_equal(r.last_day, "2026-10-31");

	assert_int_equal(r.opened_total, 7);
	assert_int_equal(r.opened_by_kind[KIND_BUG], 2);
	assert_int_equal(r.opened_by_kind[KIND_SECURITY], 1);
	assert_int_equal(r.opened_by_kind[KIND_FEATURE], 0);
	assert_int_equal(r.opened_by_kind[KIND_QUESTION], 2);
	assert_int_equal(r.opened_by_kind[KIND_MAINTENANCE], 2);
	assert_int_equal(r.opened_by_channel[CHANNEL_EMAIL], 2);
	assert_int_equal(r.opened_by_channel[CHANNEL_PHONE], 2);
	assert_int_equal(r.opened_by_channel[CHANNEL_WEB], 1);
	assert_int_equal(r.opened_by_channel[CHANNEL_INTERNAL], 2);
	assert_int_equal(g->opened[KIND_BUG][CHANNEL_EMAIL], 2);
	assert_int_equal(g->opened[KIND_QUESTION][CHANNEL_PHONE], 2);

	assert_int_equal(r.closed_total, 5);
	assert_int_equal(r.closed_by_kind[KIND_BUG], 2);
	assert_int_equal(r.closed_by_kind[KIND_SECURITY], 1);
	assert_int_equal(r.closed_by_kind[KIND_QUESTION], 2);
	assert_int_equal(r.closed_by_kind[KIND_MAINTENANCE], 0);
	assert_int_equal(r.closed_by_channel[CHANNEL_EMAIL], 2);
	assert_int_equal(r.closed_by_channel[CHANNEL_PHONE], 2);
	assert_int_equal(r.closed_by_channel[CHANNEL_WEB], 1);

	assert_int_equal(g->n_days, 31);
	int64_t opened_days[31] = { 0 }, closed_days[31] = { 0 };
	opened_days[2] = opened_days[5] = opened_days[6] = opened_days[11] = opened_days[13] = opened_days[15] =
		opened_days[18] = 1;
	closed_days[5] = closed_days[6] = closed_days[12] = closed_days[13] = closed_days[14] = 1;
	for (int i = 0; i < 31; i++) {
		if (g->opened_daily[i] != opened_days[i] || g->closed_daily[i] != closed_days[i])
			fail_msg("day %d: opened %lld closed %lld", i + 1, (long long)g->opened_daily[i],
				 (long long)g->closed_daily[i]);
	}

	assert_int_equal(g->response.n, 5);
	assert_int_equal(g->response.median, 5400);
	assert_int_equal(g->response.p90, 405000);
	assert_int_equal(g->resolution.n, 4);
	assert_int_equal(g->resolution.median, 514800);
	assert_int_equal(g->resolution.p90, 1040400);

	assert_int_equal(g->response_due.met, 4);
	assert_int_equal(g->response_due.late, 1);
	assert_int_equal(g->response_due.overdue, 2);
	assert_int_equal(g->response_due.pending, 0);
	assert_true(r.response_compliance > 57.14 && r.response_compliance < 57.15);
	assert_int_equal(r.resolve_due_all.met, 4);
	assert_int_equal(r.resolve_due_all.late, 1);
	assert_int_equal(r.resolve_due_all.overdue, 1);
	assert_int_equal(r.resolve_due_all.pending, 2);
	assert_true(r.resolution_compliance > 66.66 && r.resolution_compliance < 66.67);
	assert_int_equal(g->resolve_due[KIND_SECURITY].met, 1);
	assert_int_equal(g->resolve_due[KIND_SECURITY].late + g->resolve_due[KIND_SECURITY].overdue +
			 g->resolve_due[KIND_SECURITY].pending, 0);
	assert_int_equal(g->resolve_due[KIND_MAINTENANCE].met, 0);
	assert_int_equal(g->resolve_due[KIND_MAINTENANCE].late, 0);
	assert_int_equal(g->resolve_due[KIND_MAINTENANCE].overdue, 1);
	assert_int_equal(g->resolve_due[KIND_MAINTENANCE].pending, 1);

	assert_int_equal(g->backlog, 4);
	int64_t ages[REPORT_AGE_BUCKETS] = { 1, 0, 1, 1, 1 };
	for (int i = 0; i < REPORT_AGE_BUCKETS; i++)
		assert_int_equal(g->backlog_age[i], ages[i]);

	assert_int_equal(g->reopened, 1);
	assert_true(r.reopen_rate > 19.99 && r.reopen_rate < 20.01);

	for (int s = 0; s < STATUS_COUNT; s++)
		assert_int_equal(g->bugs_by_status[s], s == STATUS_NEW ? 1 : s == STATUS_CLOSED ? 2 : 0);
	assert_int_equal(g->n_fixed, 2);
	assert_string_equal(g->fixed[0].version, "2.1.1");
	assert_int_equal(g->fixed[0].n, 1);
	assert_string_equal(g->fixed[1].version, "2.2.0");
	assert_int_equal(g->fixed[1].n, 1);

	assert_int_equal(g->n_worked, 3);
	assert_null(g->worked[0].org);
	assert_int_equal(g->worked[0].minutes, 60);
	assert_string_equal(g->worked[1].org, "华信银行");
	assert_int_equal(g->worked[1].minutes, 45);
	assert_string_equal(g->worked[2].org, "Acme <R&D>");
	assert_int_equal(g->worked[2].minutes, 30);
	assert_int_equal(r.minutes_total, 135);

	assert_int_equal(r.ratings_n, 3);
	int64_t dist[5] = { 0, 0, 1, 1, 1 };
	for (int i = 0; i < 5; i++)
		assert_int_equal(g->ratings[i], dist[i]);
	assert_true(r.rating_avg > 3.999 && r.rating_avg < 4.001);
	report_clear(&r);
}

static void test_org_filter(void **state)
{
	struct fx *f = *state;
	struct report r = build(f, "2026-10", "Acme <R&D>");
	assert_string_equal(r.org, "Acme <R&D>");
	assert_int_equal(r.opened_total, 1);
	assert_int_equal(r.opened_by_kind[KIND_BUG], 1);
	assert_int_equal(r.closed_total, 1);
	assert_int_equal(r.f.response.n, 1);
	assert_int_equal(r.f.response.median, 405000);
	assert_int_equal(r.f.response.p90, 405000);
	assert_int_equal(r.f.response_due.met, 1);
	assert_int_equal(r.f.response_due.overdue, 1);
	assert_int_equal(r.f.backlog, 1);
	assert_int_equal(r.f.backlog_age[0], 1);
	assert_int_equal(r.f.n_worked, 1);
	assert_int_equal(r.minutes_total, 30);
	assert_int_equal(r.ratings_n, 1);
	assert_int_equal(r.f.ratings[3], 1);
	assert_int_equal(r.f.reopened, 0);
	report_clear(&r);

	struct report_spec spec = { 0 };
	spec.org = "No Such Org";
	struct wb_err err = { 0 };
	assert_int_equal(report_build(f->d, &spec, &r, &err), WB_ENOTFOUND);
	assert_non_null(strstr(err.msg, "No Such Org"));
}

/* The backlog at the end of a finished period counts what was open then, not now: at the end of
 * September T1 (created 09-30 17:00) and T7 were open; T1's age 7h, T7's 20d 14h. */
static void test_backlog_of_past_period(void **state)
{
	struct fx *f = *state;
	struct report r = build(f, "2026-09", NULL);
	assert_int_equal(r.f.backlog, 2);
	assert_int_equal(r.f.backlog_age[0], 1);
	assert_int_equal(r.f.backlog_age[3], 1);
	assert_int_equal(r.opened_total, 2);
	assert_int_equal(r.closed_total, 0);
	assert_int_equal(r.minutes_total, 15);
	assert_int_equal(r.ratings_n, 1);
	assert_int_equal(r.f.ratings[1], 1);
	report_clear(&r);
}

static void test_periods(void **state)
{
	(void)state;
	wb_time from, to;
	char *label;
	struct {
		const char *in, *label, *from, *to;
	} ok[] = {
		{ "2026-10", "2026-10", "2026-10-01T00:00", "2026-11-01T00:00" },
		{ "2026Q4", "2026Q4", "2026-10-01T00:00", "2027-01-01T00:00" },
		{ "2026-q1", "2026Q1", "2026-01-01T00:00", "2026-04-01T00:00" },
		/* ISO weeks: 2026-01-04 is a Sunday, so week 1 starts Mon 2025-12-29 and week 47 on 11-16 */
		{ "2026-W47", "2026-W47", "2026-11-16T00:00", "2026-11-23T00:00" },
		{ "2026-W01", "2026-W01", "2025-12-29T00:00", "2026-01-05T00:00" },
		/* 2026 starts on a Thursday: it has a week 53, running into 2027 */
		{ "2026-W53", "2026-W53", "2026-12-28T00:00", "2027-01-04T00:00" },
		{ "2026", "2026", "2026-01-01T00:00", "2027-01-01T00:00" },
		{ "2026-10-08", "2026-10-08", "2026-10-08T00:00", "2026-10-09T00:00" },
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		struct wb_err err = { 0 };
		if (report_period_parse(ok[i].in, TZ, 0, &from, &to, &label, &err))
			fail_msg("%s: %s", ok[i].in, err.msg);
		assert_string_equal(label, ok[i].label);
		assert_int_equal(from, L(ok[i].from));
		assert_int_equal(to, L(ok[i].to));
		free(label);
	}
	const char *bad[] = { "2026-13", "2027-W53", "2026Q5", "26-10", "2026-10-32", "October", "2026-W00", "" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct wb_err err = { 0 };
		if (!*bad[i])
			continue;
		assert_int_equal(report_period_parse(bad[i], TZ, 0, &from, &to, &label, &err), WB_EINVAL);
		assert_non_null(strstr(err.msg, bad[i]));
	}
	/* no period: the current month in the zone (2026-10-31 20:00 UTC is already November in Shanghai) */
	assert_int_equal(report_period_parse(NULL, TZ, L("2026-11-01T04:00"), &from, &to, &label, NULL), WB_OK);
	assert_string_equal(label, "2026-11");
	free(label);
}

static void test_custom_range(void **state)
{
	struct fx *f = *state;
	struct report_spec spec = { 0 };
	spec.from = "2026-10-05";
	spec.to = "2026-10-07";
	struct report r;
	struct wb_err err = { 0 };
	assert_int_equal(report_build(f->d, &spec, &r, &err), WB_OK);
	/* created 10-05..10-07: T3 (10-06), T8 (10-07); done: T1 (10-06), T8 (10-07) */
	assert_string_equal(r.label, "2026-10-05..2026-10-07");
	assert_int_equal(r.opened_total, 2);
	assert_int_equal(r.closed_total, 2);
	assert_int_equal(r.f.n_days, 3);
	report_clear(&r);
	spec.to = "2026-10-01";
	assert_int_equal(report_build(f->d, &spec, &r, &err), WB_EINVAL);
	spec.period = "2026-10";
	assert_int_equal(report_build(f->d, &spec, &r, &err), WB_EINVAL);
}

/* Every main query reads through an index: no full scan of tickets, audit, messages or ratings,
 * and every index search on tickets (other than by id) is a range on a time column, never all of
 * one organisation's or queue's history. */
static void check_plans(const char *plans)
{
	char *copy = xstrdup(plans), *save = NULL;
	int lines = 0;
	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		lines++;
		const char *colon = strstr(line, ": ");
		assert_non_null(colon);
		const char *detail = colon + 2;
		bool ratings = !strncmp(line, "ratings:", 8);
		const char *full[] = { "SCAN t", "SCAN a", "SCAN m", "SCAN o", "SCAN r" };
		for (size_t i = 0; i < 5; i++) {
			size_t n = strlen(full[i]);
			if (i == 4 && !ratings)
				continue; /* elsewhere r is the percentile subquery */
			if (!strncmp(detail, full[i], n) && (detail[n] == '\0' || detail[n] == ' '))
				fail_msg("full scan: %s", line);
		}
		if (!strncmp(detail, "SEARCH t ", 9) && !strstr(detail, "PRIMARY KEY")) {
			if (!strstr(detail, ">?") && !strstr(detail, "<?"))
				fail_msg("not a range on the period: %s", line);
			/* the index holds every column: no lookups into the table per ticket */
			if (!strstr(detail, "COVERING INDEX"))
				fail_msg("not covering: %s", line);
		}
		/* counts by kind, channel and status come out of the index in order, unsorted */
		if ((!strncmp(line, "opened:", 7) || !strncmp(line, "closed:", 7) || !strncmp(line, "resolution_sla:", 15)) &&
		    strstr(detail, "TEMP B-TREE"))
			fail_msg("sorts: %s", line);
	}
	assert_true(lines >= 20);
	free(copy);
}

static void test_query_plans_use_indexes(void **state)
{
	struct fx *f = *state;
	struct store_report_filter flt = { L("2026-10-01T00:00"), L("2026-11-01T00:00"), clock_now(), 0, 0, 0 };
	char *plans = NULL;
	assert_int_equal(store_report_plans(f->d->store, &flt, &plans, NULL), WB_OK);
	assert_non_null(strstr(plans, "opened: SEARCH t USING"));
	check_plans(plans);
	free(plans);
	/* with every filter set */
	flt.org_id = 1;
	flt.system_id = 1;
	flt.queue_id = 1;
	assert_int_equal(store_report_plans(f->d->store, &flt, &plans, NULL), WB_OK);
	assert_non_null(strstr(plans, "opened: SEARCH t USING COVERING INDEX tickets_report_created"));
	check_plans(plans);
	free(plans);
}

/* A small well-formedness check: every element closed in order (void <meta> aside), every '&' an
 * entity, no script and no external reference. Returns NULL or what is wrong. */
static const char *html_problem(const char *h)
{
	static char why[128];
	char stack[64][16];
	int depth = 0;
	for (const char *p = h; *p; p++) {
		if (*p == '&') {
			const char *q = p + 1;
			while ((*q >= 'a' && *q <= 'z') || *q == '#' || (*q >= '0' && *q <= '9'))
				q++;
			if (*q != ';' || q == p + 1)
				return "a bare &";
			continue;
		}
		if (*p != '<')
			continue;
		const char *end = strchr(p, '>');
		if (!end)
			return "an unclosed tag";
		if (p[1] == '!') {
			p = end;
			continue;
		}
		bool closing = p[1] == '/';
		const char *name = p + 1 + closing;
		size_t n = strcspn(name, " />");
		char tag[16];
		snprintf(tag, sizeof tag, "%.*s", (int)(n < 15 ? n : 15), name);
		if (!strcmp(tag, "script"))
			return "a script";
		if (closing) {
			if (!depth || strcmp(stack[depth - 1], tag)) {
				snprintf(why, sizeof why, "</%s> closes <%s>", tag, depth ? stack[depth - 1] : "nothing");
				return why;
			}
			depth--;
		} else if (end[-1] != '/' && strcmp(tag, "meta")) {
			if (depth == 64)
				return "too deep";
			snprintf(stack[depth++], 16, "%s", tag);
		}
		p = end;
	}
	return depth ? "elements left open" : NULL;
}

static int count(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

static void test_render_html(void **state)
{
	struct fx *f = *state;
	struct report r = build(f, "2026-10", NULL);
	char *h = report_render(&r, REPORT_HTML);
	const char *why = html_problem(h);
	if (why)
		fail_msg("HTML not well-formed: %s", why);
	assert_int_equal(count(h, "<svg"), REPORT_HTML_CHARTS);
	assert_int_equal(count(h, "</svg>"), REPORT_HTML_CHARTS);
	/* each chart by its title */
	const char *charts[] = { "<title>Tickets by kind</title>", "<title>Tickets by channel</title>",
				 "<title>Opened per day</title>", "<title>Closed per day</title>",
				 "<title>SLA compliance</title>", "<title>Backlog at period end by age</title>",
				 "<title>Time worked by organisation</title>", "<title>Satisfaction ratings</title>" };
	for (size_t i = 0; i < sizeof charts / sizeof charts[0]; i++)
		if (!strstr(h, charts[i]))
			fail_msg("missing chart %s", charts[i]);
	/* self-contained and escaped */
	assert_null(strstr(h, "src="));
	assert_null(strstr(h, "href="));
	assert_null(strstr(h, "<R&D>"));
	assert_non_null(strstr(h, "Acme &lt;R&amp;D&gt;"));
	assert_non_null(strstr(h, "华信银行"));
	assert_non_null(strstr(h, "<td class=\"n\">57.1%</td>"));
	/* the opened-per-day sparkline has one point per day of October */
	const char *spark = strstr(h, "<title>Opened per day</title>");
	const char *points = strstr(spark, "points=\"");
	assert_non_null(points);
	int commas = 0;
	for (const char *p = points + 8; *p != '"'; p++)
		commas += *p == ',';
	assert_int_equal(commas, 31);
	free(h);
	report_clear(&r);
}

/* The line of a text table that starts (after the indent) with `first`. */
static const char *text_line(const char *text, const char *first, char *buf, size_t n)
{
	char key[64];
	snprintf(key, sizeof key, "\n  %s ", first);
	const char *p = strstr(text, key);
	if (!p)
		return NULL;
	p += 1;
	size_t len = strcspn(p, "\n");
	snprintf(buf, n, "%.*s", (int)len, p);
	return buf;
}

static void test_render_text_md_csv_json(void **state)
{
	struct fx *f = *state;
	struct report r = build(f, "2026-10", NULL);

	char *t = report_render(&r, REPORT_TEXT);
	char a[256], b[256], c[256];
	/* the minutes column ends in the same screen column whatever the width of the names */
	assert_non_null(text_line(t, "华信银行", a, sizeof a));
	assert_non_null(text_line(t, "Acme <R&D>", b, sizeof b));
	assert_non_null(text_line(t, "(no organisation)", c, sizeof c));
	assert_int_equal(utf8_width(a), utf8_width(b));
	assert_int_equal(utf8_width(a), utf8_width(c));
	assert_non_null(strstr(a, " 45 "));
	assert_non_null(strstr(t, "first response SLA met"));
	assert_non_null(strstr(t, "57.1%"));
	free(t);

	char *m = report_render(&r, REPORT_MD);
	assert_non_null(strstr(m, "# Maintenance report 2026-10\n"));
	assert_non_null(strstr(m, "| 华信银行 | 45 | 0h 45m |"));
	assert_non_null(strstr(m, "| Acme \\<R&D> | 30 | 0h 30m |"));
	free(m);

	char *v = report_render(&r, REPORT_CSV);
	const char *lines[] = {
		"section,row,column,value\n", "\nsummary,opened,value,7\n", "\nsummary,closed,value,5\n",
		"\nsummary,backlog,value,4\n", "\nsummary,reopen_rate,value,20.0\n",
		"\nsummary,response_compliance,value,57.1\n", "\nsummary,resolution_compliance,value,66.7\n",
		"\nsummary,minutes_worked,value,135\n", "\nsummary,satisfaction,value,4.00\n",
		"\nby_kind,bug,opened,2\n", "\nby_kind,maintenance,closed,0\n", "\nby_channel,phone,closed,2\n",
		"\ntimes,first_response,median_secs,5400\n", "\ntimes,resolution,p90_secs,1040400\n",
		"\nsla,first_response,overdue,2\n", "\nsla,resolution,pending,2\n",
		"\nplanned,security,on_time,1\n", "\nplanned,maintenance,overdue,1\n",
		"\nbacklog,ge30d,tickets,1\n", "\nbugs_by_status,closed,bugs,2\n", "\nbugs_fixed,2.2.0,bugs,1\n",
		"\nworked,华信银行,minutes,45\n", "\nworked,Acme <R&D>,minutes,30\n", "\nworked,,minutes,60\n",
		"\nsatisfaction,5,ratings,1\n",
	};
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
		if (!strstr(v, lines[i]))
			fail_msg("CSV lacks %s", lines[i] + 1);
	free(v);

	char *j = report_render(&r, REPORT_JSON);
	const char *keys[] = { "{\"period\":\"2026-10\"", "\"timezone\":\"Asia/Shanghai\"", "\"opened\":7,\"closed\":5",
			       "\"first_response\":{\"tickets\":5,\"median_secs\":5400,\"p90_secs\":405000}",
			       "\"security_updates\":{\"met\":1,\"late\":0,\"overdue\":0,\"pending\":0,\"compliance_pct\":100.0}",
			       "\"reopen_rate_pct\":20.0", "{\"organisation\":\"华信银行\",\"minutes\":45}",
			       "{\"organisation\":null,\"minutes\":60}", "\"average\":4.00" };
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (!strstr(j, keys[i]))
			fail_msg("JSON lacks %s", keys[i]);
	free(j);
	report_clear(&r);
}

/* Periods follow the zone's wall clock: October 2026 in Berlin starts at 00:00 CEST (UTC+2) and
 * ends at 00:00 CET (UTC+1), 31 days and one hour later; it still has 31 days. */
static void test_period_across_dst(void **state)
{
	(void)state;
	wb_time from, to;
	char *label;
	assert_int_equal(report_period_parse("2026-10", "Europe/Berlin", 0, &from, &to, &label, NULL), WB_OK);
	char a[32], b[32];
	clock_format_iso(from, a, sizeof a);
	clock_format_iso(to, b, sizeof b);
	assert_string_equal(a, "2026-09-30T22:00:00Z");
	assert_string_equal(b, "2026-10-31T23:00:00Z");
	free(label);
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fixture_due_times, setup, teardown),
		cmocka_unit_test_setup_teardown(test_month_figures, setup, teardown),
		cmocka_unit_test_setup_teardown(test_org_filter, setup, teardown),
		cmocka_unit_test_setup_teardown(test_backlog_of_past_period, setup, teardown),
		cmocka_unit_test(test_periods),
		cmocka_unit_test(test_period_across_dst),
		cmocka_unit_test_setup_teardown(test_custom_range, setup, teardown),
		cmocka_unit_test_setup_teardown(test_query_plans_use_indexes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_render_html, setup, teardown),
		cmocka_unit_test_setup_teardown(test_render_text_md_csv_json, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

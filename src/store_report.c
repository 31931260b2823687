#include "store_report.h"

#include "i18n.h"
#include "store_priv.h"
#include "strbuf.h"
#include "xmalloc.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* The filter's conditions replace {F} in each query; the named parameters :from :to :now :p
 * :org :sys :queue are bound when the query uses them. */

typedef void (*row_fn)(sqlite3_stmt *st, struct report_figures *out);

static int kind_of(sqlite3_stmt *st, int col)
{
	enum ticket_kind k;
	const char *s = (const char *)sqlite3_column_text(st, col);
	return s && ticket_kind_parse(s, &k, NULL) == WB_OK ? (int)k : -1;
}

static int channel_of(sqlite3_stmt *st, int col)
{
	enum ticket_channel c;
	const char *s = (const char *)sqlite3_column_text(st, col);
	return s && ticket_channel_parse(s, &c, NULL) == WB_OK ? (int)c : -1;
}

static int status_of(sqlite3_stmt *st, int col)
{
	enum ticket_status v;
	const char *s = (const char *)sqlite3_column_text(st, col);
	return s && ticket_status_parse(s, &v, NULL) == WB_OK ? (int)v : -1;
}

/* kind, channel, status, count: opened by kind and channel; bugs opened by status now */
static void row_opened(sqlite3_stmt *st, struct report_figures *out)
{
	int k = kind_of(st, 0), c = channel_of(st, 1), s = status_of(st, 2);
	int64_t n = sqlite3_column_int64(st, 3);
	if (k >= 0 && c >= 0)
		out->opened[k][c] += n;
	if (k == KIND_BUG && s >= 0)
		out->bugs_by_status[s] += n;
}

/* kind, channel, status, count, of which opened in the period: the bugs among them that were not
 * already counted as opened are added to the bugs by status */
static void row_closed(sqlite3_stmt *st, struct report_figures *out)
{
	int k = kind_of(st, 0), c = channel_of(st, 1), s = status_of(st, 2);
	int64_t n = sqlite3_column_int64(st, 3);
	if (k >= 0 && c >= 0)
		out->closed[k][c] += n;
	if (k == KIND_BUG && s >= 0)
		out->bugs_by_status[s] += n - sqlite3_column_int64(st, 4);
}

static void add_daily(int64_t *v, size_t n, sqlite3_stmt *st)
{
	int64_t day = sqlite3_column_int64(st, 0);
	if (day >= 0 && (size_t)day < n)
		v[day] += sqlite3_column_int64(st, 1);
}

static void row_opened_daily(sqlite3_stmt *st, struct report_figures *out)
{
	add_daily(out->opened_daily, out->n_days, st);
}

static void row_closed_daily(sqlite3_stmt *st, struct report_figures *out)
{
	add_daily(out->closed_daily, out->n_days, st);
}

static void row_response_n(sqlite3_stmt *st, struct report_figures *out)
{
	out->response.n = sqlite3_column_int64(st, 0);
}

static void row_response_median(sqlite3_stmt *st, struct report_figures *out)
{
	out->response.median = sqlite3_column_int64(st, 0);
}

static void row_response_p90(sqlite3_stmt *st, struct report_figures *out)
{
	out->response.p90 = sqlite3_column_int64(st, 0);
}

static void row_resolution_n(sqlite3_stmt *st, struct report_figures *out)
{
	out->resolution.n = sqlite3_column_int64(st, 0);
}

static void row_resolution_median(sqlite3_stmt *st, struct report_figures *out)
{
	out->resolution.median = sqlite3_column_int64(st, 0);
}

static void row_resolution_p90(sqlite3_stmt *st, struct report_figures *out)
{
	out->resolution.p90 = sqlite3_column_int64(st, 0);
}

static void due_of(sqlite3_stmt *st, int col, struct report_due *d)
{
	d->met += sqlite3_column_int64(st, col);
	d->late += sqlite3_column_int64(st, col + 1);
	d->overdue += sqlite3_column_int64(st, col + 2);
	d->pending += sqlite3_column_int64(st, col + 3);
}

static void row_response_due(sqlite3_stmt *st, struct report_figures *out)
{
	due_of(st, 0, &out->response_due);
}

static void row_resolve_due(sqlite3_stmt *st, struct report_figures *out)
{
	int k = kind_of(st, 0);
	if (k >= 0)
		due_of(st, 1, &out->resolve_due[k]);
}

static void row_backlog(sqlite3_stmt *st, struct report_figures *out)
{
	out->backlog = sqlite3_column_int64(st, 0);
	for (int i = 0; i < REPORT_AGE_BUCKETS; i++)
		out->backlog_age[i] = sqlite3_column_int64(st, 1 + i);
}

static void row_reopened(sqlite3_stmt *st, struct report_figures *out)
{
	out->reopened = sqlite3_column_int64(st, 0);
	out->reopened_open = sqlite3_column_int64(st, 1);
}

static void row_fixed(sqlite3_stmt *st, struct report_figures *out)
{
	out->fixed = xrealloc(out->fixed, (out->n_fixed + 1) * sizeof *out->fixed);
	struct report_version *v = &out->fixed[out->n_fixed++];
	v->version = sp_col_text(st, 0);
	if (!v->version)
		v->version = xstrdup("");
	v->n = sqlite3_column_int64(st, 1);
}

static void row_worked(sqlite3_stmt *st, struct report_figures *out)
{
	out->worked = xrealloc(out->worked, (out->n_worked + 1) * sizeof *out->worked);
	struct report_org_minutes *w = &out->worked[out->n_worked++];
	w->org_id = sqlite3_column_int64(st, 0);
	w->org = sp_col_text(st, 1);
	w->minutes = sqlite3_column_int64(st, 2);
}

static void row_ratings(sqlite3_stmt *st, struct report_figures *out)
{
	int score = sqlite3_column_int(st, 0);
	if (score >= 1 && score <= 5)
		out->ratings[score - 1] += sqlite3_column_int64(st, 1);
}

#define DONE "coalesce(t.resolved_at, t.closed_at)"
/* a target is missed once its due time has passed, unless the clock was paused (waiting on the
 * customer) before it: then the due time moves when the customer answers */
#define PASSED "(due < :now AND (paused IS NULL OR paused > due))"
/* the enumerations as IN lists ({K} kinds, {C} channels, {S} statuses): SQLite then seeks each
 * (kind, channel, status) range of the index in order, and groups without sorting */
#define KCS "t.kind IN {K} AND t.channel IN {C} AND t.status IN {S}"
#define RESPONSE_SET "FROM tickets t WHERE t.first_response_at >= :from AND t.first_response_at < :to{F}"
#define RESOLUTION_SET "FROM tickets t WHERE " DONE " >= :from AND " DONE " < :to AND t.resolved_at IS NOT NULL{F}"

/* Percentiles by nearest rank: position ceil(p n) of the sorted values (1-based). The median is
 * found from below, the 90th percentile from above, so SQLite's sorter keeps only what it must. */
enum offset { OFF_NONE, OFF_RESPONSE_MEDIAN, OFF_RESPONSE_P90, OFF_RESOLUTION_MEDIAN, OFF_RESOLUTION_P90 };

static const struct query {
	const char *name;
	const char *sql;
	row_fn row;
	enum offset offset;  /* binds :off from the count found before; skipped when that count is 0 */
} queries[] = {
	{ "opened", "SELECT t.kind, t.channel, t.status, count(*) FROM tickets t WHERE " KCS
		    " AND t.created_at >= :from AND t.created_at < :to{F} GROUP BY 1, 2, 3", row_opened, OFF_NONE },
	{ "closed", "SELECT t.kind, t.channel, t.status, count(*), sum(t.created_at >= :from) FROM tickets t WHERE " KCS
		    " AND " DONE " >= :from AND " DONE " < :to{F} GROUP BY 1, 2, 3", row_closed, OFF_NONE },
	{ "opened_daily", "SELECT (t.created_at - :from) / 86400, count(*) FROM tickets t "
			  "WHERE t.created_at >= :from AND t.created_at < :to{F} GROUP BY 1", row_opened_daily, OFF_NONE },
	{ "closed_daily", "SELECT (" DONE " - :from) / 86400, count(*) FROM tickets t "
			  "WHERE " DONE " >= :from AND " DONE " < :to{F} GROUP BY 1", row_closed_daily, OFF_NONE },
	{ "response_n", "SELECT count(*) " RESPONSE_SET, row_response_n, OFF_NONE },
	{ "response_median", "SELECT t.first_response_at - t.created_at " RESPONSE_SET " ORDER BY 1 LIMIT 1 OFFSET :off",
	  row_response_median, OFF_RESPONSE_MEDIAN },
	{ "response_p90", "SELECT t.first_response_at - t.created_at " RESPONSE_SET " ORDER BY 1 DESC LIMIT 1 OFFSET :off",
	  row_response_p90, OFF_RESPONSE_P90 },
	{ "resolution_n", "SELECT count(*) " RESOLUTION_SET, row_resolution_n, OFF_NONE },
	{ "resolution_median", "SELECT t.resolved_at - t.created_at " RESOLUTION_SET " ORDER BY 1 LIMIT 1 OFFSET :off",
	  row_resolution_median, OFF_RESOLUTION_MEDIAN },
	{ "resolution_p90", "SELECT t.resolved_at - t.created_at " RESOLUTION_SET
			    " ORDER BY 1 DESC LIMIT 1 OFFSET :off", row_resolution_p90, OFF_RESOLUTION_P90 },
	/* response targets: a ticket closed unanswered before its due time counts neither way */
	{ "response_sla", "SELECT sum(done <= due), sum(done > due), "
			  "sum(done IS NULL AND " PASSED " AND (fin IS NULL OR fin > due)), "
			  "sum(done IS NULL AND fin IS NULL AND NOT " PASSED ") FROM "
			  "(SELECT t.response_due AS due, t.first_response_at AS done, t.paused_at AS paused, "
			  DONE " AS fin FROM tickets t WHERE t.response_due >= :from AND t.response_due < :to{F})",
	  row_response_due, OFF_NONE },
	{ "resolution_sla", "SELECT t.kind, sum(" DONE " <= t.resolve_due), sum(" DONE " > t.resolve_due), "
			    "sum(" DONE " IS NULL AND t.resolve_due < :now AND (t.paused_at IS NULL OR t.paused_at > t.resolve_due)), "
			    "sum(" DONE " IS NULL AND NOT (t.resolve_due < :now AND (t.paused_at IS NULL OR t.paused_at > t.resolve_due))) "
			    "FROM tickets t WHERE t.kind IN {K} AND t.resolve_due >= :from AND t.resolve_due < :to{F} GROUP BY 1",
	  row_resolve_due, OFF_NONE },
	{ "backlog", "SELECT count(*), sum(a < 86400), sum(a >= 86400 AND a < 259200), "
		     "sum(a >= 259200 AND a < 604800), sum(a >= 604800 AND a < 2592000), sum(a >= 2592000) FROM "
		     "(SELECT :p - t.created_at AS a FROM tickets t "
		     "WHERE t.status NOT IN ('resolved','closed') AND t.created_at < :p{F} "
		     "UNION ALL SELECT :p - t.created_at FROM tickets t "
		     "WHERE " DONE " >= :p AND +t.created_at < :p{F})", row_backlog, OFF_NONE },
	{ "reopened", "SELECT count(DISTINCT a.ticket_id), count(DISTINCT CASE WHEN " KCS " AND " DONE " >= :from AND "
		      DONE " < :to THEN NULL ELSE a.ticket_id END) FROM audit a JOIN tickets t ON t.id = a.ticket_id "
		      "WHERE a.what = 'status' AND a.new_value = 'reopened' AND a.at >= :from AND a.at < :to{F}",
	  row_reopened, OFF_NONE },
	{ "fixed_versions", "SELECT coalesce(t.fixed_version, ''), count(*) FROM tickets t "
			    "WHERE t.kind = 'bug' AND t.channel IN {C} AND t.status IN {S} AND " DONE " >= :from "
			    "AND " DONE " < :to AND t.resolved_at IS NOT NULL{F} GROUP BY 1 ORDER BY 2 DESC, 1",
	  row_fixed, OFF_NONE },
	{ "worked", "SELECT coalesce(t.org_id, 0), o.name, sum(m.minutes) FROM messages m "
		    "JOIN tickets t ON t.id = m.ticket_id LEFT JOIN organisations o ON o.id = t.org_id "
		    "WHERE m.minutes > 0 AND m.created_at >= :from AND m.created_at < :to{F} "
		    "GROUP BY 1 ORDER BY 3 DESC, 2", row_worked, OFF_NONE },
	{ "ratings", "SELECT r.score, count(*) FROM ratings r JOIN tickets t ON t.id = r.ticket_id "
		     "WHERE r.created_at >= :from AND r.created_at < :to{F} GROUP BY 1", row_ratings, OFF_NONE },
};

#define N_QUERIES (sizeof queries / sizeof queries[0])

static void add_list(struct strbuf *b, const char *(*name)(int), int n)
{
	strbuf_addc(b, '(');
	for (int i = 0; i < n; i++)
		strbuf_addf(b, "%s'%s'", i ? "," : "", name(i));
	strbuf_addc(b, ')');
}

static const char *kind_name(int i) { return ticket_kind_name((enum ticket_kind)i); }
static const char *channel_name(int i) { return ticket_channel_name((enum ticket_channel)i); }
static const char *status_name(int i) { return ticket_status_name((enum ticket_status)i); }

static char *build_sql(const char *prefix, const char *tmpl, const struct store_report_filter *f)
{
	struct strbuf b = STRBUF_INIT;
	strbuf_adds(&b, prefix);
	for (const char *p = tmpl; *p; p++) {
		if (p[0] != '{' || !p[1] || p[2] != '}') {
			strbuf_addc(&b, *p);
			continue;
		}
		switch (p[1]) {
		case 'K': add_list(&b, kind_name, KIND_COUNT); break;
		case 'C': add_list(&b, channel_name, CHANNEL_COUNT); break;
		case 'S': add_list(&b, status_name, STATUS_COUNT); break;
		case 'F':
			/* "+" keeps SQLite on the period's range instead of reading all of an
			 * organisation's, system's or queue's history through another index */
			if (f->org_id)
				strbuf_adds(&b, " AND +t.org_id = :org");
			if (f->system_id)
				strbuf_adds(&b, " AND +t.system_id = :sys");
			if (f->queue_id)
				strbuf_adds(&b, " AND +t.queue_id = :queue");
			break;
		}
		p += 2;
	}
	return strbuf_detach(&b);
}

/* 0-based OFFSET of the nearest-rank percentile: ascending for the median (position
 * ceil(n/2)), descending for the 90th (position ceil(9n/10) from below = n - that from above). */
static int64_t offset_of(enum offset o, const struct report_figures *out)
{
	switch (o) {
	case OFF_RESPONSE_MEDIAN: return (out->response.n + 1) / 2 - 1;
	case OFF_RESPONSE_P90: return out->response.n - (9 * out->response.n + 9) / 10;
	case OFF_RESOLUTION_MEDIAN: return (out->resolution.n + 1) / 2 - 1;
	case OFF_RESOLUTION_P90: return out->resolution.n - (9 * out->resolution.n + 9) / 10;
	default: return 0;
	}
}

static bool offset_empty(enum offset o, const struct report_figures *out)
{
	if (o == OFF_RESPONSE_MEDIAN || o == OFF_RESPONSE_P90)
		return out->response.n == 0;
	if (o == OFF_RESOLUTION_MEDIAN || o == OFF_RESOLUTION_P90)
		return out->resolution.n == 0;
	return false;
}

static void bind(sqlite3_stmt *st, const char *name, int64_t v)
{
	int i = sqlite3_bind_parameter_index(st, name);
	if (i > 0)
		sqlite3_bind_int64(st, i, v);
}

static int prepare(struct store *s, const char *prefix, const struct query *q,
		   const struct store_report_filter *f, const struct report_figures *out, sqlite3_stmt **st,
		   struct wb_err *err)
{
	char *sql = build_sql(prefix, q->sql, f);
	int rc = sp_prepare(s, sql, st, err);
	free(sql);
	if (rc)
		return wb_err_prefix(err, rc, _("report query %s"), q->name);
	bind(*st, ":from", f->from);
	bind(*st, ":to", f->to);
	bind(*st, ":now", f->now);
	bind(*st, ":p", f->to < f->now ? f->to : f->now);
	bind(*st, ":org", f->org_id);
	bind(*st, ":sys", f->system_id);
	bind(*st, ":queue", f->queue_id);
	bind(*st, ":off", out ? offset_of(q->offset, out) : 0);
	return WB_OK;
}

int store_report_figures(struct store *s, const struct store_report_filter *f, struct report_figures *out,
			 struct wb_err *err)
{
	memset(out, 0, sizeof *out);
	if (f->to > f->from) {
		out->n_days = (size_t)((f->to - f->from + 43200) / 86400); /* a DST day is 23 or 25 hours */
		if (!out->n_days)
			out->n_days = 1;
		out->opened_daily = xcalloc(out->n_days, sizeof *out->opened_daily);
		out->closed_daily = xcalloc(out->n_days, sizeof *out->closed_daily);
	}
	int rc = store_begin_read(s, err);
	if (rc)
		return rc;
	for (size_t i = 0; i < N_QUERIES && rc == WB_OK; i++) {
		sqlite3_stmt *st;
		if (offset_empty(queries[i].offset, out))
			continue;
		if ((rc = prepare(s, "", &queries[i], f, out, &st, err)))
			break;
		int step;
		while ((step = sqlite3_step(st)) == SQLITE_ROW)
			queries[i].row(st, out);
		if (step != SQLITE_DONE)
			rc = sp_fail(s, step, err);
		sqlite3_finalize(st);
	}
	store_end_read(s);
	if (rc)
		report_figures_clear(out);
	return rc;
}

void report_figures_clear(struct report_figures *f)
{
	for (size_t i = 0; i < f->n_fixed; i++)
		free(f->fixed[i].version);
	for (size_t i = 0; i < f->n_worked; i++)
		free(f->worked[i].org);
	free(f->fixed);
	free(f->worked);
	free(f->opened_daily);
	free(f->closed_daily);
	memset(f, 0, sizeof *f);
}

int store_report_plans(struct store *s, const struct store_report_filter *f, char **out, struct wb_err *err)
{
	struct strbuf b = STRBUF_INIT;
	int rc = WB_OK;
	for (size_t i = 0; i < N_QUERIES && rc == WB_OK; i++) {
		sqlite3_stmt *st;
		if ((rc = prepare(s, "EXPLAIN QUERY PLAN ", &queries[i], f, NULL, &st, err)))
			break;
		int step;
		while ((step = sqlite3_step(st)) == SQLITE_ROW)
			strbuf_addf(&b, "%s: %s\n", queries[i].name, (const char *)sqlite3_column_text(st, 3));
		if (step != SQLITE_DONE)
			rc = sp_fail(s, step, err);
		sqlite3_finalize(st);
	}
	if (rc) {
		strbuf_free(&b);
		return rc;
	}
	*out = strbuf_detach(&b);
	return WB_OK;
}

#include "store_report.h"

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

static void row_opened(sqlite3_stmt *st, struct report_figures *out)
{
	int k = kind_of(st, 0), c = channel_of(st, 1);
	if (k >= 0 && c >= 0)
		out->opened[k][c] += sqlite3_column_int64(st, 2);
}

static void row_closed(sqlite3_stmt *st, struct report_figures *out)
{
	int k = kind_of(st, 0), c = channel_of(st, 1);
	if (k >= 0 && c >= 0)
		out->closed[k][c] += sqlite3_column_int64(st, 2);
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

static void times_of(sqlite3_stmt *st, struct report_times *t)
{
	t->n = sqlite3_column_int64(st, 0);
	t->median = sqlite3_column_int64(st, 1);
	t->p90 = sqlite3_column_int64(st, 2);
}

static void row_response(sqlite3_stmt *st, struct report_figures *out)
{
	times_of(st, &out->response);
}

static void row_resolution(sqlite3_stmt *st, struct report_figures *out)
{
	times_of(st, &out->resolution);
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
}

static void row_bugs(sqlite3_stmt *st, struct report_figures *out)
{
	enum ticket_status s;
	const char *name = (const char *)sqlite3_column_text(st, 0);
	if (name && ticket_status_parse(name, &s, NULL) == WB_OK)
		out->bugs_by_status[s] += sqlite3_column_int64(st, 1);
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
#define PERCENTILES \
	"r AS (SELECT x, row_number() OVER (ORDER BY x) AS i, count(*) OVER () AS n FROM v) " \
	"SELECT count(*), max(CASE WHEN i = (n + 1) / 2 THEN x END), " \
	"max(CASE WHEN i = (9 * n + 9) / 10 THEN x END) FROM r"

static const struct query {
	const char *name;
	const char *sql;
	row_fn row;
} queries[] = {
	{ "opened", "SELECT t.kind, t.channel, count(*) FROM tickets t "
		    "WHERE t.created_at >= :from AND t.created_at < :to{FO} GROUP BY 1, 2", row_opened },
	{ "closed", "SELECT t.kind, t.channel, count(*) FROM tickets t "
		    "WHERE " DONE " >= :from AND " DONE " < :to{F} GROUP BY 1, 2", row_closed },
	{ "opened_daily", "SELECT (t.created_at - :from) / 86400, count(*) FROM tickets t "
			  "WHERE t.created_at >= :from AND t.created_at < :to{FO} GROUP BY 1", row_opened_daily },
	{ "closed_daily", "SELECT (" DONE " - :from) / 86400, count(*) FROM tickets t "
			  "WHERE " DONE " >= :from AND " DONE " < :to{F} GROUP BY 1", row_closed_daily },
	{ "response_times", "WITH v AS (SELECT t.first_response_at - t.created_at AS x FROM tickets t "
			    "WHERE t.first_response_at >= :from AND t.first_response_at < :to{F}), " PERCENTILES,
	  row_response },
	{ "resolution_times", "WITH v AS (SELECT t.resolved_at - t.created_at AS x FROM tickets t "
			      "WHERE " DONE " >= :from AND " DONE " < :to AND t.resolved_at IS NOT NULL{F}), "
			      PERCENTILES, row_resolution },
	/* response targets: a ticket closed unanswered before its due time counts neither way */
	{ "response_sla", "SELECT sum(done <= due), sum(done > due), "
			  "sum(done IS NULL AND " PASSED " AND (fin IS NULL OR fin > due)), "
			  "sum(done IS NULL AND fin IS NULL AND NOT " PASSED ") FROM "
			  "(SELECT t.response_due AS due, t.first_response_at AS done, t.paused_at AS paused, "
			  DONE " AS fin FROM tickets t WHERE t.response_due >= :from AND t.response_due < :to{F})",
	  row_response_due },
	{ "resolution_sla", "SELECT kind, sum(done <= due), sum(done > due), sum(done IS NULL AND " PASSED "), "
			    "sum(done IS NULL AND NOT " PASSED ") FROM "
			    "(SELECT t.kind AS kind, t.resolve_due AS due, " DONE " AS done, t.paused_at AS paused "
			    "FROM tickets t WHERE t.resolve_due >= :from AND t.resolve_due < :to{F}) GROUP BY kind",
	  row_resolve_due },
	{ "backlog", "SELECT count(*), sum(a < 86400), sum(a >= 86400 AND a < 259200), "
		     "sum(a >= 259200 AND a < 604800), sum(a >= 604800 AND a < 2592000), sum(a >= 2592000) FROM "
		     "(SELECT :p - t.created_at AS a FROM tickets t "
		     "WHERE t.status NOT IN ('resolved','closed') AND t.created_at < :p{F} "
		     "UNION ALL SELECT :p - t.created_at FROM tickets t "
		     "WHERE " DONE " >= :p AND t.created_at < :p{F})", row_backlog },
	{ "reopened", "SELECT count(*) FROM audit a JOIN tickets t ON t.id = a.ticket_id "
		      "WHERE a.what = 'status' AND a.new_value = 'reopened' AND a.at >= :from AND a.at < :to{F}",
	  row_reopened },
	{ "bugs", "SELECT t.status, count(*) FROM tickets t WHERE t.kind = 'bug' AND "
		  "((t.created_at >= :from AND t.created_at < :to) OR (" DONE " >= :from AND " DONE " < :to)){F} "
		  "GROUP BY 1", row_bugs },
	{ "fixed_versions", "SELECT coalesce(t.fixed_version, ''), count(*) FROM tickets t "
			    "WHERE " DONE " >= :from AND " DONE " < :to AND t.kind = 'bug' "
			    "AND t.resolved_at IS NOT NULL{F} GROUP BY 1 ORDER BY 2 DESC, 1", row_fixed },
	{ "worked", "SELECT coalesce(t.org_id, 0), o.name, sum(m.minutes) FROM messages m "
		    "JOIN tickets t ON t.id = m.ticket_id LEFT JOIN organisations o ON o.id = t.org_id "
		    "WHERE m.minutes > 0 AND m.created_at >= :from AND m.created_at < :to{F} "
		    "GROUP BY 1 ORDER BY 3 DESC, 2", row_worked },
	{ "ratings", "SELECT r.score, count(*) FROM ratings r JOIN tickets t ON t.id = r.ticket_id "
		     "WHERE r.created_at >= :from AND r.created_at < :to{F} GROUP BY 1", row_ratings },
};

#define N_QUERIES (sizeof queries / sizeof queries[0])

static char *build_sql(const char *prefix, const char *tmpl, const struct store_report_filter *f)
{
	struct strbuf b = STRBUF_INIT;
	strbuf_adds(&b, prefix);
	const char *p = tmpl, *q;
	/* "+" keeps SQLite from reading a filter column's index (all of an organisation's or queue's
	 * history) instead of the period's range; {FO} lets the organisation use (org_id, created_at) */
	while ((q = strstr(p, "{F"))) {
		strbuf_add(&b, p, (size_t)(q - p));
		bool org_index = q[2] == 'O';
		if (f->org_id)
			strbuf_adds(&b, org_index ? " AND t.org_id = :org" : " AND +t.org_id = :org");
		if (f->system_id)
			strbuf_adds(&b, " AND +t.system_id = :sys");
		if (f->queue_id)
			strbuf_adds(&b, " AND +t.queue_id = :queue");
		p = q + (org_index ? 4 : 3);
	}
	strbuf_adds(&b, p);
	return strbuf_detach(&b);
}

static void bind(sqlite3_stmt *st, const char *name, int64_t v)
{
	int i = sqlite3_bind_parameter_index(st, name);
	if (i > 0)
		sqlite3_bind_int64(st, i, v);
}

static int prepare(struct store *s, const char *prefix, const struct query *q,
		   const struct store_report_filter *f, sqlite3_stmt **st, struct wb_err *err)
{
	char *sql = build_sql(prefix, q->sql, f);
	int rc = sp_prepare(s, sql, st, err);
	free(sql);
	if (rc)
		return wb_err_prefix(err, rc, "report query %s", q->name);
	bind(*st, ":from", f->from);
	bind(*st, ":to", f->to);
	bind(*st, ":now", f->now);
	bind(*st, ":p", f->to < f->now ? f->to : f->now);
	bind(*st, ":org", f->org_id);
	bind(*st, ":sys", f->system_id);
	bind(*st, ":queue", f->queue_id);
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
		if ((rc = prepare(s, "", &queries[i], f, &st, err)))
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
		if ((rc = prepare(s, "EXPLAIN QUERY PLAN ", &queries[i], f, &st, err)))
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

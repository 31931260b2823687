/* bench/queries.c — query figures: weibao's store calls against the same SQL run directly
 * through sqlite3 in the same process (the "raw twin": prepare, bind, step every row reading
 * every column, finalize — what any direct caller must do at least).
 *
 * usage: queries DB [RUNS]
 * The SQL the store runs is captured with sqlite3_trace_v2 during the first call, so the twin
 * runs exactly the statements the store ran (with the bound values written in). Each figure
 * is the median of RUNS timed runs (default 15) after one warm-up run. Prints one JSON object. */
#include "config.h"
#include "desk.h"
#include "report.h"
#include "store_priv.h"
#include "store_search.h"
#include "store_ticket.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PAGE_ROWS 28   /* 100x30 terminal: 30 lines minus the top bar and the status line */
#define MAX_RUNS 200
#define MAX_STMTS 8

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

struct capture {
	bool on;
	char *sql[MAX_STMTS];
	int n;
};

static int trace_cb(unsigned type, void *ctx, void *p, void *x)
{
	struct capture *c = ctx;
	/* only the store's own statements, not those FTS5 runs on its shadow tables inside them */
	if (type == SQLITE_TRACE_STMT && c->on && c->n < MAX_STMTS && !strstr((const char *)x, "'ticket_fts_") &&
	    strncmp((const char *)x, "--", 2) != 0 && strncmp((const char *)x, "BEGIN", 5) != 0 &&
	    strncmp((const char *)x, "COMMIT", 6) != 0) {
		char *e = sqlite3_expanded_sql((sqlite3_stmt *)p);
		if (e) {
			c->sql[c->n++] = xstrdup(e);
			sqlite3_free(e);
		}
	}
	return 0;
}

struct ctx {
	struct desk *d;
	sqlite3 *db;
	struct capture cap;
	/* the workload */
	struct ticket_filter f;
	struct ticket_key key;
	bool have_key;
	int64_t long_ticket;
	const char *term;
	size_t rows;        /* rows of the last store call (checks) */
};

typedef int (*store_fn)(struct ctx *c, struct wb_err *err);

static int q_page(struct ctx *c, struct wb_err *err)
{
	struct ticket_list l;
	int rc = desk_ticket_page(c->d, &c->f, SORT_DEFAULT, c->have_key ? &c->key : NULL, false, PAGE_ROWS, &l, err);
	if (rc == WB_OK) {
		c->rows = l.n;
		ticket_list_free(&l);
	}
	return rc;
}

static int q_counts(struct ctx *c, struct wb_err *err)
{
	struct ticket_counts n;
	int rc = desk_counts(c->d, &n, err);
	c->rows = rc == WB_OK && n.open > 0 ? 1 : 0;
	return rc;
}

static int q_version(struct ctx *c, struct wb_err *err)
{
	int64_t v;
	int rc = desk_data_version(c->d, &v, err);
	c->rows = 1;
	return rc;
}

static int q_open(struct ctx *c, struct wb_err *err)
{
	struct ticket *t;
	int rc = desk_ticket_get(c->d, c->long_ticket, &t, err);
	if (rc)
		return rc;
	struct message_list m;
	rc = desk_ticket_messages(c->d, c->long_ticket, &m, err);
	ticket_free(&t);
	if (rc == WB_OK) {
		c->rows = m.n;
		message_list_free(&m);
	}
	return rc;
}

static int q_search(struct ctx *c, struct wb_err *err)
{
	struct ticket_list l;
	int rc = desk_ticket_search(c->d, c->term, PAGE_ROWS, &l, err);
	if (rc == WB_OK) {
		c->rows = l.n;
		ticket_list_free(&l);
	}
	return rc;
}

/* Issue 9's figure: the evaluation report of one quarter, every figure computed in SQL. */
static int q_report(struct ctx *c, struct wb_err *err)
{
	struct report_spec spec = { 0 };
	spec.period = c->term;
	struct report r;
	int rc = report_build(c->d, &spec, &r, err);
	if (rc == WB_OK) {
		c->rows = 1;
		report_clear(&r);
	}
	return rc;
}

/* The twin: the captured statements, prepared and stepped directly. */
static int raw_run(struct ctx *c, size_t *rows)
{
	*rows = 0;
	for (int i = 0; i < c->cap.n; i++) {
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(c->db, c->cap.sql[i], -1, &st, NULL) != SQLITE_OK)
			return -1;
		int rc;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			int nc = sqlite3_column_count(st);
			for (int k = 0; k < nc; k++)
				if (sqlite3_column_type(st, k) == SQLITE_TEXT)
					(void)sqlite3_column_text(st, k);
				else
					(void)sqlite3_column_int64(st, k);
			if (i == c->cap.n - 1)
				(*rows)++;
		}
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return -1;
	}
	return 0;
}

struct stats {
	double med, min, max, p10, p90;
};

static struct stats summarise(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	struct stats s;
	s.min = v[0];
	s.max = v[n - 1];
	s.med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	s.p10 = v[n / 10];
	s.p90 = v[n - 1 - n / 10];
	return s;
}

static bool first_figure = true;

/* A JSON string: quotes, backslashes and controls escaped. */
static void print_json_str(const char *v)
{
	putchar('"');
	for (const unsigned char *p = (const unsigned char *)v; *p; p++)
		if (*p == '"' || *p == '\\')
			printf("\\%c", *p);
		else if (*p < 0x20)
			printf("\\u%04x", *p);
		else
			putchar(*p);
	putchar('"');
}

static void print_stats(const char *name, const struct stats *s)
{
	printf("\"%s\": {\"median\": %.4f, \"min\": %.4f, \"max\": %.4f, \"p10\": %.4f, \"p90\": %.4f}", name, s->med,
	       s->min, s->max, s->p10, s->p90);
}

/* Times fn and its raw twin; prints "name": {"store": ..., "raw": ..., "rows": n, ...}. */
static int figure(struct ctx *c, const char *name, store_fn fn, int runs, const char *note)
{
	struct wb_err err = { 0 };
	for (int i = 0; i < c->cap.n; i++)
		free(c->cap.sql[i]);
	c->cap.n = 0;
	c->cap.on = true;
	int rc = fn(c, &err); /* warm-up, and the SQL it runs */
	c->cap.on = false;
	if (rc) {
		fprintf(stderr, "queries: %s: %s\n", name, err.msg);
		return -1;
	}
	size_t store_rows = c->rows;
	double ts[MAX_RUNS], tr[MAX_RUNS];
	size_t raw_rows = 0;
	bool have_raw = c->cap.n > 0 && raw_run(c, &raw_rows) == 0;
	/* interleave store and raw runs so both see the same cache and machine load */
	for (int i = 0; i < runs; i++) {
		double t0 = now_ms();
		if (fn(c, &err)) {
			fprintf(stderr, "queries: %s: %s\n", name, err.msg);
			return -1;
		}
		ts[i] = now_ms() - t0;
		if (have_raw) {
			t0 = now_ms();
			raw_run(c, &raw_rows);
			tr[i] = now_ms() - t0;
		}
	}
	struct stats s = summarise(ts, runs);
	printf("%s\n  \"%s\": {", first_figure ? "" : ",", name);
	first_figure = false;
	print_stats("store_ms", &s);
	if (have_raw) {
		struct stats r = summarise(tr, runs);
		printf(", ");
		print_stats("raw_ms", &r);
		printf(", \"ratio\": %.3f", r.med > 0 ? s.med / r.med : 0);
	}
	printf(", \"rows\": %zu, \"raw_rows\": %zu, \"statements\": %d, \"runs\": %d", store_rows, raw_rows, c->cap.n,
	       runs);
	if (note)
		printf(", \"note\": \"%s\"", note);
	printf(", \"sql\": [");
	for (int i = 0; i < c->cap.n; i++) {
		printf("%s", i ? ", " : "");
		print_json_str(c->cap.sql[i]);
	}
	printf("]}");
	return 0;
}

/* A diagnosis figure without a store call: the median ms of one SQL statement with ?1 bound to text. */
static void raw_figure(struct ctx *c, const char *name, const char *sql, const char *arg, int runs)
{
	double t[MAX_RUNS];
	size_t rows = 0;
	for (int i = -1; i < runs; i++) {
		sqlite3_stmt *st;
		double t0 = now_ms();
		if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK)
			return;
		sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
		rows = 0;
		while (sqlite3_step(st) == SQLITE_ROW)
			rows++;
		sqlite3_finalize(st);
		if (i >= 0)
			t[i] = now_ms() - t0;
	}
	struct stats s = summarise(t, runs);
	printf(",\n  \"%s\": {", name);
	print_stats("raw_ms", &s);
	printf(", \"rows\": %zu, \"runs\": %d, \"sql\": [", rows, runs);
	print_json_str(sql);
	printf("], \"note\": ");
	print_json_str(arg);
	printf("}");
}

static long vm_hwm_kb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kb = -1;
	while (f && fgets(line, sizeof line, f))
		if (strncmp(line, "VmHWM:", 6) == 0)
			kb = atol(line + 6);
	if (f)
		fclose(f);
	return kb;
}

static int64_t setting_int(struct desk *d, const char *key)
{
	char *v = NULL;
	struct wb_err err = { 0 };
	store_setting_get(d->store, key, &v, &err);
	int64_t n = v ? atoll(v) : 0;
	free(v);
	return n;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: queries DB [RUNS]\n");
		return 2;
	}
	int runs = argc > 2 ? atoi(argv[2]) : 15;
	if (runs < 10)
		runs = 10;
	if (runs > MAX_RUNS)
		runs = MAX_RUNS;
	struct wb_config cfg;
	struct wb_err err = { 0 };
	if (config_load("/dev/null", &cfg, &err)) {
		fprintf(stderr, "queries: %s\n", err.msg);
		return 1;
	}
	struct ctx c;
	memset(&c, 0, sizeof c);
	double t0 = now_ms();
	if (desk_open(&cfg, argv[1], "bench", &c.d, &err)) {
		fprintf(stderr, "queries: %s\n", err.msg);
		return 1;
	}
	double open_ms = now_ms() - t0;
	c.db = c.d->store->db;
	sqlite3_trace_v2(c.db, SQLITE_TRACE_STMT, trace_cb, &c.cap);
	ticket_filter_init(&c.f);
	c.long_ticket = setting_int(c.d, "bench.long_ticket");
	int64_t n_tickets = setting_int(c.d, "bench.tickets");

	/* the key of the last row before page 10,000 (or of the last page on a small desk) */
	int64_t open_n = 0;
	sp_query_int(c.d->store, "SELECT count(*) FROM tickets WHERE status NOT IN ('resolved','closed')", &open_n,
		     &err);
	int64_t pages = (open_n + PAGE_ROWS - 1) / PAGE_ROWS;
	int64_t page = pages >= 10000 ? 10000 : pages;
	sqlite3_stmt *st;
	sqlite3_prepare_v2(c.db, "SELECT id, priority, updated_at FROM tickets WHERE status NOT IN ('resolved','closed')"
				 " ORDER BY priority, updated_at DESC, id DESC LIMIT 2 OFFSET ?", -1, &st, NULL);
	sqlite3_bind_int64(st, 1, (page - 1) * PAGE_ROWS - 1);
	int64_t expect_first = 0;
	if (page > 1 && sqlite3_step(st) == SQLITE_ROW) {
		c.key.id = sqlite3_column_int64(st, 0);
		c.key.priority = sqlite3_column_int(st, 1);
		c.key.value = sqlite3_column_int64(st, 2);
		c.have_key = true;
		if (sqlite3_step(st) == SQLITE_ROW)
			expect_first = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	/* the first ticket of the default view: the marker of the first queue screen */
	int64_t first_id = 0;
	struct ticket_list fl;
	if (desk_ticket_page(c.d, &c.f, SORT_DEFAULT, NULL, false, 1, &fl, &err) == WB_OK) {
		if (fl.n)
			first_id = fl.items[0].id;
		ticket_list_free(&fl);
	}
	/* the keyset page must start where OFFSET says it does */
	bool page_ok = true;
	if (c.have_key) {
		struct ticket_list l;
		if (desk_ticket_page(c.d, &c.f, SORT_DEFAULT, &c.key, false, PAGE_ROWS, &l, &err) == WB_OK) {
			page_ok = l.n > 0 && l.items[0].id == expect_first;
			ticket_list_free(&l);
		}
		c.have_key = false;
	}

	printf("{\"first_id\": %lld, \"tickets\": %lld, \"open_tickets\": %lld, \"page_rows\": %d, \"deep_page\": %lld,"
	       " \"deep_page_matches_offset\": %s, \"desk_open_ms\": %.3f, \"figures\": {",
	       (long long)first_id, (long long)n_tickets, (long long)open_n, PAGE_ROWS, (long long)page, page_ok ? "true" : "false", open_ms);
	int bad = 0;
	bad |= figure(&c, "first_page", q_page, runs, NULL);
	c.have_key = page > 1;
	bad |= figure(&c, "page_10000", q_page, runs, page == 10000 ? NULL : "fewer pages: the last page instead");
	c.have_key = false;
	bad |= figure(&c, "counts", q_counts, runs, "recounted by desk_counts");
	bad |= figure(&c, "counts_unchanged", q_version, runs, "PRAGMA data_version only (counts kept)");
	bad |= figure(&c, "open_ticket_50", q_open, runs, NULL);
	{
		/* the last whole quarter before now: the generator spreads tickets over three years up to now */
		time_t nowt = (time_t)clock_now();
		struct tm tm;
		localtime_r(&nowt, &tm);
		int q = tm.tm_mon / 3, y = tm.tm_year + 1900;
		if (q == 0) {
			q = 4;
			y--;
		}
		static char quarter[32];
		snprintf(quarter, sizeof quarter, "%dQ%d", y, q);
		c.term = quarter;
		bad |= figure(&c, "report_quarter", q_report, runs < 5 ? runs : 5, quarter);
	}
	static const struct {
		const char *name, *term;
	} searches[] = {
		{ "search_rare", "quasar" },
		{ "search_common", "please" },
		{ "search_zh3", "数据库" },
		{ "search_zh2", "维保" },
	};
	for (size_t i = 0; i < sizeof searches / sizeof searches[0]; i++) {
		c.term = searches[i].term;
		bad |= figure(&c, searches[i].name, q_search, runs, searches[i].term);
	}
	/* where the search time goes: newest matches only, and the 500 newest with their rank */
	char *fq = NULL;
	if (store_search_query("please", &fq, &err) == WB_OK) {
		raw_figure(&c, "diag_fts_common_newest_28",
			   "SELECT rowid FROM ticket_fts WHERE ticket_fts MATCH ?1 ORDER BY rowid DESC LIMIT 28", fq, runs);
		raw_figure(&c, "diag_fts_common_newest_500_rank",
			   "SELECT rowid, rank FROM ticket_fts WHERE ticket_fts MATCH ?1 ORDER BY rowid DESC LIMIT 500", fq,
			   runs);
		raw_figure(&c, "diag_fts_common_newest_500_norank",
			   "SELECT rowid FROM ticket_fts WHERE ticket_fts MATCH ?1 ORDER BY rowid DESC LIMIT 500", fq, runs);
	}
	free(fq);
	printf("\n}, \"peak_rss_kb\": %ld}\n", vm_hwm_kb());
	for (int i = 0; i < c.cap.n; i++)
		free(c.cap.sql[i]);
	desk_close(&c.d);
	config_clear(&cfg);
	return bad || !page_ok ? 1 : 0;
}

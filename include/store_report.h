/* store_report.h — the figures of a period report, each computed by SQL over an index.
 *
 * Nothing here loads every ticket: each figure is one aggregate query whose rows come from an
 * index range on the period (created_at, coalesce(resolved_at, closed_at), first_response_at,
 * response_due, resolve_due, the open-ticket index, audit status changes, ratings and worked
 * messages by date). The domain (report.c) turns names into ids and periods into instants. */
#ifndef WB_STORE_REPORT_H
#define WB_STORE_REPORT_H

#include "clock.h"
#include "err.h"
#include "store.h"
#include "ticket.h"

#include <stddef.h>
#include <stdint.h>

/* Which tickets: the period [from, to) and optional filters (0 = any). now bounds what can have
 * been missed (a target that falls due after now is still pending). */
struct store_report_filter {
	wb_time from, to, now;
	int64_t org_id, system_id, queue_id;
};

/* Durations in seconds (wall clock) over a set of tickets; percentiles by nearest rank:
 * the value at 1-based position ceil(p * n) of the sorted list. 0 when n == 0. */
struct report_times {
	int64_t n;
	int64_t median, p90;
};

/* Targets that fell due in the period: met (done by the due time), late (done after it),
 * overdue (not done, the due time has passed and the clock was not paused before it),
 * pending (not done yet and not yet late). */
struct report_due {
	int64_t met, late, overdue, pending;
};

struct report_version {
	char *version;   /* "" for bugs resolved without a fixed-in version */
	int64_t n;
};

struct report_org_minutes {
	int64_t org_id;  /* 0 = tickets without an organisation */
	char *org;       /* NULL when org_id == 0 */
	int64_t minutes;
};

/* Backlog age buckets at the period's end: < 1 day, 1-3, 3-7, 7-30, >= 30 days. */
#define REPORT_AGE_BUCKETS 5

struct report_figures {
	int64_t opened[KIND_COUNT][CHANNEL_COUNT];
	int64_t closed[KIND_COUNT][CHANNEL_COUNT];   /* resolved, or closed without resolution */
	size_t n_days;                               /* days of the period (to - from in days, rounded) */
	int64_t *opened_daily, *closed_daily;        /* n_days counts each (days from `from`) */
	struct report_times response;                /* first response in the period: first_response_at - created_at */
	struct report_times resolution;              /* resolved in the period: resolved_at - created_at */
	struct report_due response_due;              /* response targets due in the period */
	struct report_due resolve_due[KIND_COUNT];   /* resolution targets due in the period, by kind */
	int64_t backlog;                             /* open at min(to, now) */
	int64_t backlog_age[REPORT_AGE_BUCKETS];
	int64_t reopened;                            /* tickets reopened in the period (once each) */
	int64_t reopened_open;                       /* of those, not among the closed (reopened, still open) */
	int64_t bugs_by_status[STATUS_COUNT];        /* bugs opened or resolved/closed in the period, by status now */
	struct report_version *fixed;                /* bugs resolved in the period by fixed-in version, most first */
	size_t n_fixed;
	struct report_org_minutes *worked;           /* minutes recorded in the period, by organisation, most first */
	size_t n_worked;
	int64_t ratings[5];                          /* ratings given in the period: count of score 1..5 */
};

/* Fills *out (zeroed first; report_figures_clear frees it) in one read transaction. */
int store_report_figures(struct store *s, const struct store_report_filter *f, struct report_figures *out,
			 struct wb_err *err);
void report_figures_clear(struct report_figures *f);

/* For tests and `make bench`: EXPLAIN QUERY PLAN of every report query for this filter, one
 * line per plan step, "query-name: detail". *out caller frees. */
int store_report_plans(struct store *s, const struct store_report_filter *f, char **out, struct wb_err *err);

#endif

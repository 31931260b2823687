/* report.h — the maintenance-cycle evaluation: one period's figures for the whole desk or one
 * organisation, system or queue, ready to draw (report_render.h) or to time (`make bench`).
 *
 * Periods are local to the desk's SLA time zone: a month "2026-10", a quarter "2026Q4", an ISO
 * week "2026-W47", a year "2026", a day "2026-10-08", or a custom range of local dates (both
 * ends inclusive). Every figure comes from SQL over indexes (store_report.h); see there for
 * exactly which tickets each figure counts. Durations are wall-clock seconds; SLA compliance is
 * judged against the stored due times, which the desk computed in business time (weekends,
 * holidays, time waiting on the customer). */
#ifndef WB_REPORT_H
#define WB_REPORT_H

#include "desk.h"
#include "err.h"
#include "store_report.h"

#include <stddef.h>
#include <stdint.h>

struct report_spec {
	const char *period;            /* see above; NULL with from/to, or for the current month */
	const char *from, *to;         /* local "YYYY-MM-DD", inclusive; both or none, not with period */
	const char *org, *system, *queue; /* name or number; NULL = all */
};

struct report {
	char *label;                   /* "2026-10", "2026Q4", "2026-W47", "2026-10-01..2026-10-31" */
	char *first_day, *last_day;    /* local dates, inclusive */
	char *tz;                      /* the zone the period is local to ("" = UTC) */
	wb_time from, to;              /* [from, to) in UTC */
	wb_time generated_at;
	char *org, *system, *queue;    /* the filters' names, NULL = all */
	int64_t org_id, system_id, queue_id; /* and their ids, 0 = all */
	struct report_figures f;       /* the figures from the store */
	/* totals derived from f */
	int64_t opened_total, closed_total;
	int64_t opened_by_kind[KIND_COUNT], closed_by_kind[KIND_COUNT];
	int64_t opened_by_channel[CHANNEL_COUNT], closed_by_channel[CHANNEL_COUNT];
	struct report_due resolve_due_all;   /* the sum over kinds */
	double response_compliance;    /* percent met / (met + late + overdue); -1 when nothing fell due */
	double resolution_compliance;
	double reopen_rate;            /* percent reopened / (closed_total + reopened and still open);
					  -1 when nothing was resolved */
	int64_t ratings_n;
	double rating_avg;             /* 0 when there is no rating */
	int64_t minutes_total;
};

/* Parses a period into [from, to) local to tz and a label (*label caller frees). now picks the
 * current month when spec is NULL. WB_EINVAL names a bad period and the accepted forms. */
int report_period_parse(const char *spec, const char *tz, wb_time now, wb_time *from, wb_time *to,
			char **label, struct wb_err *err);

/* The local day "YYYY-MM-DD" in tz as [*start, *end) in UTC. WB_EINVAL naming the text when it is
 * not a date (what names the option, e.g. "--opened-from"). */
int report_day_range(const char *ymd, const char *tz, const char *what, wb_time *start, wb_time *end,
		     struct wb_err *err);
/* The local date "YYYY-MM-DD" of instant t in tz. */
void report_local_date(wb_time t, const char *tz, char buf[16]);

/* Builds the report (out owned by the caller: report_clear). Resolves the filter names
 * (WB_ENOTFOUND names an unknown one). Cost: a fixed number of indexed queries. */
int report_build(struct desk *d, const struct report_spec *spec, struct report *out, struct wb_err *err);
void report_clear(struct report *r);

/* Percent helpers used by every renderer: met / (met + late + overdue), -1 when 0/0. */
double report_due_percent(const struct report_due *d);


#endif

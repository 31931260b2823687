/* recur.h — a maintenance plan's schedule: RFC 5545 recurrence rules expanded in a time zone.
 *
 * Pure domain code (libical does the rule arithmetic and holds the IANA zone data); no SQL, no printing.
 *
 * Times. A plan's start is a local wall-clock time in an IANA zone ("Asia/Shanghai"); the rule is expanded
 * in that wall clock (so "every weekday at 02:00" stays at 02:00 across DST changes) and each occurrence is
 * then turned into UTC. Wall-clock times that do not exist or exist twice follow RFC 5545 section 3.3.5:
 *   - a time in the spring-forward gap (02:30 on 2026-03-29 in Europe/Berlin) is read with the offset in
 *     force before the gap: 02:30 CET = 01:30 UTC, which the clock on the wall shows as 03:30 CEST;
 *   - a time that happens twice (02:30 on 2026-10-25 in Europe/Berlin) is the first of the two: 02:30 CEST
 *     = 00:30 UTC.
 *
 * Rule subset. FREQ is one of HOURLY, DAILY, WEEKLY, MONTHLY, YEARLY (SECONDLY/MINUTELY are refused: a plan
 * that fires every minute is a mistake). All BY* parts, INTERVAL, COUNT, UNTIL and WKST are accepted. A start
 * that does not match the rule is not itself an occurrence ("monthly on the 2nd Tuesday" starting on
 * 2026-11-01 first happens on 2026-11-10). UNTIL may be a date (inclusive, local), a local date-time, or a
 * UTC date-time ending in Z. */
#ifndef WB_RECUR_H
#define WB_RECUR_H

#include "clock.h"
#include "err.h"

#include <stdbool.h>
#include <stddef.h>

/* A plan's schedule: RFC 5545 RRULE text, a local start (wall clock in tz), a duration, exception dates. */
struct recur_spec {
	const char *rrule;   /* "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "FREQ=MONTHLY;BYDAY=2TU" */
	const char *dtstart; /* local "YYYY-MM-DDTHH:MM" in tz */
	const char *tz;      /* IANA name; NULL, "" or "UTC" = UTC */
	int duration_min;    /* 0 .. 527040 (a leap year) */
	/* local "YYYY-MM-DD" (every occurrence that day is excluded) or "YYYY-MM-DDTHH:MM" (that one) */
	const char *const *exdates;
	size_t n_exdates;
};

struct recur_occurrence {
	wb_time start, end; /* UTC; end = start + duration */
	char date[11];      /* local YYYY-MM-DD of the start */
	char local[17];     /* local YYYY-MM-DDTHH:MM the rule produced (before gap/overlap resolution) */
};

/* Checks the rule, start, zone, duration and exception dates. WB_EINVAL names the bad part
 * ("FREQ=FORTNIGHTLY", "BYDAY=XX", "time zone Mars/Olympus"). */
int recur_validate(const struct recur_spec *s, struct wb_err *err);

/* Every occurrence whose start lies in [from, to), in order, at most max (protects against runaway rules;
 * *n == max means there may be more). *out is owned by the caller (free()); it is NULL when *n is 0. */
int recur_expand(const struct recur_spec *s, wb_time from, wb_time to, size_t max,
                 struct recur_occurrence **out, size_t *n, struct wb_err *err);

/* A human description for lists: "every weekday at 02:00", "monthly on the 2nd Tuesday at 22:00".
 * Rules it cannot put in words come back as "custom rule FREQ=...". Never NULL; the caller frees. */
char *recur_describe(const struct recur_spec *s);

/* Zone helpers for callers that move times between UTC and a plan's wall clock (the same rules as above).
 * tz NULL/""/"UTC" is UTC. WB_EINVAL for an unknown zone or a malformed time. */
int recur_tz_check(const char *tz, struct wb_err *err);
/* True for NULL, "", "UTC", "Etc/UTC" and "Z". */
bool recur_tz_is_utc(const char *tz);
/* local "YYYY-MM-DDTHH:MM" (or "YYYY-MM-DD" = midnight) in tz to UTC. */
int recur_local_to_utc(const char *local, const char *tz, wb_time *out, struct wb_err *err);
/* UTC to the local "YYYY-MM-DDTHH:MM" in tz; buf has at least 17 bytes. */
int recur_utc_to_local(wb_time t, const char *tz, char *buf, size_t n, struct wb_err *err);
/* The zone's UTC offset in seconds at instant t (east positive); 0 for UTC or an unknown zone. */
int recur_utc_offset(const char *tz, wb_time t);

#endif

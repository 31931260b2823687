/* sla.h — service-level time arithmetic: business calendars, due times, states.
 *
 * Pure functions on plain structs: no SQL, no curses, no printing, no change
 * to the process time zone. Working hours are wall-clock times in the desk's
 * IANA zone (converted with libical's zone data), so a DST switch inside the
 * working day makes that day an hour longer or shorter in real seconds.
 *
 * Business time: on a working weekday (or extra working day) that is not a
 * holiday, the seconds from day_start to day_end local time count; nothing else
 * does. Each end is the first instant the wall clock shows that time: hours that
 * start in a skipped hour begin when the clock jumps past it; in a repeated hour
 * the first pass counts and the working stretch runs on without a hole. An
 * `always` calendar (24x7) counts every second and ignores holidays. A calendar
 * without any working time (no workdays, or day_end <= day_start) counts as 24x7.
 *
 * Cost: one zone lookup per call plus a few cheap steps per calendar day spanned
 * (about 3 us for a few days, 70 us for a year). Not thread-safe (libical's zone
 * cache is not). */
#ifndef WB_SLA_H
#define WB_SLA_H

#include "clock.h" /* wb_time */
#include "err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sla_calendar {
	bool always;            /* 24x7: every second counts (holidays ignored) */
	unsigned workdays;      /* bit d set = weekday d is a working day (0 = Sunday .. 6 = Saturday) */
	int day_start, day_end; /* working hours as minutes after local midnight, e.g. 540 and 1080;
	                           day_end may be 1440 ("24:00") */
	char tz[64];            /* IANA zone name, e.g. "Asia/Shanghai"; "" means UTC */
	char **holidays;        /* local dates "YYYY-MM-DD" that do not count (owned; kept sorted by
	                           sla_calendar_set, which makes lookups faster) */
	size_t n_holidays;
	char **extra_workdays;  /* local dates that work although their weekday does not, e.g. the
	                           weekend make-up days (调休) around Chinese holidays (owned, sorted);
	                           a date that is also a holiday does not work */
	size_t n_extra_workdays;
};

/* Mon-Fri 09:00-18:00, tz as given (NULL = UTC), no holidays. The zone is not
 * checked here (an unknown one counts as UTC); sla_calendar_set checks it. */
void sla_calendar_init(struct sla_calendar *cal, const char *tz);
/* Parses the config strings: workdays "mon-fri" or "mon,tue,sat" or "1-5" (0 or 7 = Sunday;
 * names may be full or 3 letters, any case; a range may wrap: "fri-mon"); hours "09:00-18:00"
 * (end may be "24:00", must be after start); holidays "2026-10-01,2026-10-02 2026-10-03"
 * (comma or space separated; "" = none); tz an IANA name ("" or "UTC" = UTC; unknown zone ->
 * WB_EINVAL naming it). Any NULL argument keeps the current value. On error cal is unchanged. */
int sla_calendar_set(struct sla_calendar *cal, const char *workdays, const char *hours,
                     const char *tz, const char *holidays, struct wb_err *err);
/* Sets the extra working days from "2026-09-27,2026-10-10" (comma or space separated;
 * "" or NULL = none). A bad date -> WB_EINVAL naming it, cal unchanged. */
int sla_calendar_set_extra_workdays(struct sla_calendar *cal, const char *dates, struct wb_err *err);
/* Deep copy of src into dst (dst must not hold holidays of its own; clear it first). */
void sla_calendar_copy(struct sla_calendar *dst, const struct sla_calendar *src);
void sla_calendar_clear(struct sla_calendar *cal); /* frees holidays and extra working days */
/* True when the local date "YYYY-MM-DD" is one of cal's holidays. */
bool sla_calendar_is_holiday(const struct sla_calendar *cal, const char *ymd);
/* True when the instant t lies inside business time. */
bool sla_is_working(const struct sla_calendar *cal, wb_time t);

/* Times are taken as 1970..9999 (clamped) and amounts as at most 500 years. */

/* Business seconds between from and to (0 when to <= from). */
int64_t sla_elapsed(const struct sla_calendar *cal, wb_time from, wb_time to);
/* The instant when `secs` business seconds have passed after start. A start outside working
 * time begins counting at the next working moment. secs == 0 -> start moved to next working
 * moment. A target that ends exactly at day_end is due at day_end, not next morning.
 * secs < 0 counts as 0. */
wb_time sla_add(const struct sla_calendar *cal, wb_time start, int64_t secs);
/* While a ticket waits on the customer the clock pauses: given the due time and the pause
 * interval [paused_at, resumed_at), returns the new due time: the business time that was
 * left at paused_at is counted again from resumed_at (equivalently, the business time of
 * the pause is added to due). A pause that starts at or after the due, or that holds no
 * business time (a weekend, a night), changes nothing. */
wb_time sla_resume(const struct sla_calendar *cal, wb_time due, wb_time paused_at, wb_time resumed_at);

#define SLA_STATES(X) \
	X(SLA_NONE, "none") \
	X(SLA_OK, "ok") \
	X(SLA_AT_RISK, "at_risk") \
	X(SLA_BREACHED, "breached") \
	X(SLA_MET, "met") \
	X(SLA_MISSED, "missed")

#define SLA_STATE_ENUM(e, s) e,
enum sla_state { SLA_STATES(SLA_STATE_ENUM) };
#undef SLA_STATE_ENUM

/* start: when the clock started; due: target (0 = no target -> SLA_NONE); done: when met (0 = not yet);
 * paused_at: 0 or when the current pause began (time after it does not count); risk: fraction (0.75)
 * of the business time from start to due after which an open target is "at risk" (a value outside
 * (0, 1] means 0.75). Done before/at due -> MET, done after due -> MISSED; open past due -> BREACHED
 * (at due exactly it is still AT_RISK). A done or now after paused_at counts as paused_at.
 * start == 0 (unknown) gives OK until the due passes. */
enum sla_state sla_evaluate(const struct sla_calendar *cal, wb_time start, wb_time due, wb_time done,
                            wb_time now, wb_time paused_at, double risk);
/* "none", "ok", "at_risk", "breached", "met", "missed" (stable, for JSON; not translated). */
const char *sla_state_name(enum sla_state s);
/* The state named by sla_state_name; returns WB_EINVAL for an unknown name. */
int sla_state_from_name(const char *name, enum sla_state *out);
/* The state as a person reads it, in the message language ("at risk" / "即将超时"); static storage. */
const char *sla_state_label(enum sla_state s);

/* Per contract level and priority (1 = most urgent) targets, in minutes of business time of
 * the desk's calendar (or of wall time when `always`). A "business day" in the defaults is
 * 9 hours (540 minutes), the default calendar's day. */
struct sla_target {
	const char *level;
	int priority;
	int response_min;
	int resolve_min;
	bool always;
};
/* Built-in defaults for levels "basic", "standard", "premium" x priorities 1..4. Static
 * storage: the caller does not free it. *n (when n is not NULL) receives the count. */
const struct sla_target *sla_default_targets(size_t *n);
/* The built-in default for level and priority, or NULL when there is none. */
const struct sla_target *sla_default_target(const char *level, int priority);

#endif

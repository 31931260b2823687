/* ics.h — iCalendar (RFC 5545) export and import of maintenance events, for ordinary calendar programs.
 *
 * Pure domain code: strings in, strings out (no files, no printing). libical parses and supplies the zone
 * data; the writer is ours so that the output is exactly: CRLF line ends, lines folded at 75 octets without
 * splitting a UTF-8 character, TEXT values escaped (\\ \; \, \n).
 *
 * Times. start/end are UTC. When tz is an IANA zone, DTSTART/DTEND/EXDATE are written as local times with
 * TZID=<tz> and one VTIMEZONE per zone used (from libical's zone data, cut to the years the events need,
 * with TZID set to the plain IANA name); otherwise they are written in UTC ("...Z").
 *
 * Import: TZIDs that are IANA names (also behind a prefix such as /freeassociation.sourceforge.net/) keep
 * their zone; any other TZID (e.g. Outlook's "China Standard Time") is converted with the file's own
 * VTIMEZONE and the event comes back in UTC (tz NULL). Floating times (no Z, no TZID) are read as UTC.
 * All-day events (VALUE=DATE) come back with all_day set and start/end at 00:00 UTC of their dates. */
#ifndef WB_ICS_H
#define WB_ICS_H

#include "clock.h"
#include "err.h"

#include <stddef.h>

struct ics_event {
	char *uid;         /* required on export */
	char *summary;     /* UTF-8; may be NULL */
	char *description; /* may be NULL; newlines allowed */
	char *location;    /* may be NULL */
	wb_time start, end; /* UTC; end >= start */
	int all_day;       /* 1: DTSTART;VALUE=DATE — start/end are 00:00 UTC of the first day / the day after */
	char *rrule;       /* RRULE value ("FREQ=MONTHLY;BYDAY=2TU") or NULL */
	char *tz;          /* IANA zone for DTSTART/DTEND/EXDATE, NULL = UTC */
	/* local "YYYY-MM-DDTHH:MM" in tz (or "YYYY-MM-DD": on export every occurrence of that local day is
	 * excluded, written as date-times; on import only VALUE=DATE exceptions come back this way) */
	char **exdates;
	size_t n_exdates;
	char *categories; /* comma-separated: "维保,数据库" */
};

/* One VCALENDAR (PRODID -//weibao//EN, VERSION 2.0) with one VEVENT per event; DTSTAMP is clock_now().
 * The start of a recurring event should be its first occurrence (recur_expand gives it), as RFC 5545 asks.
 * A date-only UNTIL in rrule is written as the end of that local day in UTC, as RFC 5545 requires with TZID.
 * WB_EINVAL names the event (uid) and the bad field. Caller frees *out. */
int ics_export(const struct ics_event *ev, size_t n, char **out, struct wb_err *err);

/* Parses a calendar file (one or more VCALENDARs) into its VEVENTs, in file order; RRULE (as written),
 * EXDATE, TZID, CATEGORIES kept. Other components (VTODO, VALARM...) are skipped.
 * WB_EINVAL names the line and property that is wrong ("line 12: DTSTART: ..."). On success the caller
 * frees *out with ics_events_free; on failure *out is NULL and *n 0. */
int ics_import(const char *text, struct ics_event **out, size_t *n, struct wb_err *err);

/* Frees every field of n events and the array, and sets *ev to NULL. */
void ics_events_free(struct ics_event **ev, size_t n);

#endif

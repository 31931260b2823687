/* drill.h — from a report figure to the tickets behind it: the ticket_filter that selects exactly
 * the tickets the figure counts (store_report.h says how each is counted), and a short text
 * naming that narrowing for a list's title ("opened 2026-10-01–2026-10-31 · phone").
 *
 * Counted tickets and ratings: the reopen figure counts tickets reopened in the period (once each,
 * however often), as its list shows them; the rating figures count ratings, and their lists show
 * each rated ticket once. */
#ifndef WB_DRILL_H
#define WB_DRILL_H

#include "report.h"
#include "store_ticket.h"

#include <stdbool.h>

enum drill_figure {
	DRILL_OPENED,         /* opened in the period (kind, channel: -1 = any) */
	DRILL_CLOSED,         /* resolved, or closed without resolution, in the period (kind, channel) */
	DRILL_BACKLOG,        /* open at the period's end (or now) */
	DRILL_BACKLOG_AGE,    /* of those, age bucket `arg` (0..REPORT_AGE_BUCKETS-1) */
	DRILL_RESPONDED,      /* first answered in the period (the response times) */
	DRILL_RESOLVED,       /* resolved in the period (the resolution times) */
	DRILL_RESPONSE_DUE,   /* response target due in the period, outcomes `arg` (TICKET_DUE_*) */
	DRILL_RESOLVE_DUE,    /* resolution target due in the period (kind), outcomes `arg` */
	DRILL_REOPENED,       /* reopened in the period */
	DRILL_FIXED,          /* bugs resolved in the period (the fixed-in versions) */
	DRILL_WORKED,         /* time recorded in the period */
	DRILL_RATED,          /* rated in the period, score `arg` (0 = any) */
};

struct drill {
	enum drill_figure fig;
	int kind;             /* -1 = any */
	int channel;          /* -1 = any */
	int arg;
};

/* The filter for figure `what` of report r (its period and its organisation, system and queue). */
void drill_filter(const struct report *r, const struct drill *what, struct ticket_filter *out);

/* A one-line account of the narrowings set in f, with dates local to tz ("" = UTC); parts joined
 * by " · " (utf8) or " - ". Caller frees. "" when nothing is narrowed beyond the open tickets. */
char *drill_describe(const struct ticket_filter *f, const char *tz, bool utf8);

#endif

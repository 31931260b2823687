/* drill.c — report figures to ticket filters (see drill.h). */
#include "drill.h"

#include "i18n.h"
#include "recur.h"
#include "strbuf.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void drill_filter(const struct report *r, const struct drill *what, struct ticket_filter *f)
{
	ticket_filter_init(f);
	f->status_mask = (1u << STATUS_COUNT) - 1;
	f->org_id = r->org_id;
	f->system_id = r->system_id;
	f->queue_id = r->queue_id;
	f->kind = what->kind >= 0 && what->kind < KIND_COUNT ? what->kind : -1;
	f->channel = what->channel >= 0 && what->channel < CHANNEL_COUNT ? what->channel : -1;
	f->now = r->generated_at;
	/* the backlog's instant: the period's end, or now while the period runs */
	wb_time p = r->to < r->generated_at ? r->to : r->generated_at;
	switch (what->fig) {
	case DRILL_OPENED:
		f->created_from = r->from;
		f->created_to = r->to;
		break;
	case DRILL_CLOSED:
		f->resolved_from = r->from;
		f->resolved_to = r->to;
		break;
	case DRILL_BACKLOG_AGE: {
		/* age a = p - created_at in [lo, hi): created_at in (p - hi, p - lo] */
		static const int64_t edge[REPORT_AGE_BUCKETS + 1] = { 0, 86400, 259200, 604800, 2592000, 0 };
		int b = what->arg >= 0 && what->arg < REPORT_AGE_BUCKETS ? what->arg : 0;
		f->created_to = p - edge[b] + 1;
		if (b + 1 < REPORT_AGE_BUCKETS)
			f->created_from = p - edge[b + 1] + 1;
	}
		/* fall through */
	case DRILL_BACKLOG:
		f->open_at = p;
		break;
	case DRILL_RESPONDED:
		f->responded_from = r->from;
		f->responded_to = r->to;
		break;
	case DRILL_RESOLVED:
	case DRILL_FIXED:
		f->resolved_from = r->from;
		f->resolved_to = r->to;
		f->resolved_only = true;
		if (what->fig == DRILL_FIXED)
			f->kind = KIND_BUG;
		break;
	case DRILL_RESPONSE_DUE:
	case DRILL_RESOLVE_DUE:
		f->target = what->fig == DRILL_RESPONSE_DUE ? TICKET_TARGET_RESPONSE : TICKET_TARGET_RESOLVE;
		f->due_from = r->from;
		f->due_to = r->to;
		f->due_outcomes = (unsigned)what->arg;
		break;
	case DRILL_REOPENED:
		f->reopened_from = r->from;
		f->reopened_to = r->to;
		break;
	case DRILL_WORKED:
		f->worked_from = r->from;
		f->worked_to = r->to;
		break;
	case DRILL_RATED:
		f->rated_from = r->from;
		f->rated_to = r->to;
		f->rating = what->arg >= 1 && what->arg <= 5 ? what->arg : 0;
		break;
	}
}

/* "2026-10-01–2026-10-31", "from 2026-10-01", "until 2026-10-31" (the last day included). */
static char *range_text(wb_time from, wb_time to, const char *tz, bool utf8)
{
	char a[16], b[16];
	if (from)
		report_local_date(from, tz, a);
	if (to)
		report_local_date(to - 1, tz, b);
	if (from && to)
		return strcmp(a, b) ? xasprintf("%s%s%s", a, utf8 ? "–" : "..", b) : xstrdup(a);
	if (from)
		return xasprintf(_("from %s"), a);
	return xasprintf(_("until %s"), b);
}

static void part(struct strbuf *b, const char *sep, char *text)
{
	if (b->len)
		strbuf_adds(b, sep);
	strbuf_adds(b, text);
	free(text);
}

static void range_part(struct strbuf *b, const char *sep, const char *fmt, wb_time from, wb_time to,
		       const char *tz, bool utf8)
{
	if (!from && !to)
		return;
	char *r = range_text(from, to, tz, utf8);
	part(b, sep, xasprintf(fmt, r));
	free(r);
}

static char *outcome_text(unsigned m)
{
	static const char *const names[] = { N_("met"), N_("late"), N_("overdue"), N_("pending") };
	struct strbuf b = STRBUF_INIT;
	for (int i = 0; i < 4; i++)
		if (m & (1u << i)) {
			if (b.len)
				strbuf_adds(&b, "/");
			strbuf_adds(&b, _(names[i]));
		}
	return strbuf_detach(&b);
}

char *drill_describe(const struct ticket_filter *f, const char *tz, bool utf8)
{
	const char *sep = utf8 ? " · " : " - ";
	tz = tz ? tz : "";
	struct strbuf b = STRBUF_INIT;
	/* TRANSLATORS: the narrowings of a dashboard figure's list, joined by " · "; %s is a date range
	 * such as 2026-10-01–2026-10-31, "from 2026-10-01" or "until 2026-10-31" */
	range_part(&b, sep, _("opened %s"), f->created_from, f->created_to, tz, utf8);
	range_part(&b, sep, f->resolved_only ? _("resolved %s") : _("resolved or closed %s"), f->resolved_from,
		   f->resolved_to, tz, utf8);
	range_part(&b, sep, _("answered %s"), f->responded_from, f->responded_to, tz, utf8);
	if (f->target == TICKET_TARGET_RESPONSE || f->target == TICKET_TARGET_RESOLVE) {
		range_part(&b, sep, f->target == TICKET_TARGET_RESPONSE ? _("response due %s") : _("resolution due %s"),
			   f->due_from, f->due_to, tz, utf8);
		unsigned m = f->due_outcomes & 15u;
		if (m && m != 15u)
			part(&b, sep, outcome_text(m));
	}
	if (f->open_at) {
		char when[32];
		if (recur_utc_to_local(f->open_at, tz, when, sizeof when, NULL) != WB_OK)
			snprintf(when, sizeof when, "%lld", (long long)f->open_at);
		char *t = strchr(when, 'T');
		if (t)
			*t = ' ';
		part(&b, sep, xasprintf(_("open at %s"), when));
	}
	range_part(&b, sep, _("reopened %s"), f->reopened_from, f->reopened_to, tz, utf8);
	range_part(&b, sep, _("rated %s"), f->rated_from, f->rated_to, tz, utf8);
	if (f->rating)
		part(&b, sep, xasprintf(_("score %d"), f->rating));
	range_part(&b, sep, _("time recorded %s"), f->worked_from, f->worked_to, tz, utf8);
	if (f->kind >= 0 && f->kind < KIND_COUNT)
		part(&b, sep, xstrdup(ticket_kind_label((enum ticket_kind)f->kind)));
	if (f->channel >= 0 && f->channel < CHANNEL_COUNT)
		part(&b, sep, xstrdup(ticket_channel_label((enum ticket_channel)f->channel)));
	return strbuf_detach(&b);
}

/* ui_agenda.c — the calendar's agenda list: days with anything planned as headings, their tasks and
 * windows under them, read ahead from plan_agenda a chunk of days at a time as the operator scrolls. */
#include "ui_agenda.h"

#include "calmonth.h"
#include "fmt.h"
#include "i18n.h"
#include "recur.h"
#include "ui_term.h"
#include "utf8.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *zone(const struct ui_app *a)
{
	return a->desk->cal.tz[0] ? a->desk->cal.tz : NULL;
}

static void add_days(int *y, int *m, int *d, int delta)
{
	*d += delta;
	while (*d < 1) {
		calmonth_add_months(y, m, -1);
		*d += calmonth_days_in_month(*y, *m);
	}
	while (*d > calmonth_days_in_month(*y, *m)) {
		*d -= calmonth_days_in_month(*y, *m);
		calmonth_add_months(y, m, 1);
	}
}

/* The start (UTC) of local day y-m-d in the desk's zone. */
static int day_start(struct ui_app *a, int y, int m, int d, wb_time *out, struct wb_err *err)
{
	char date[16];
	snprintf(date, sizeof date, "%04d-%02d-%02d", y, m, d);
	wb_time t, end;
	int rc = recur_local_to_utc(date, zone(a), &t, err);
	if (rc)
		return rc;
	plan_local_day(a->desk, t + 3600, out, &end);
	return WB_OK;
}

static void push_row(struct ui_agenda *g, bool heading, size_t item, wb_time day)
{
	if (g->nrows == g->caprows) {
		g->caprows = g->caprows ? g->caprows * 2 : 64;
		g->rows = xrealloc(g->rows, g->caprows * sizeof *g->rows);
	}
	g->rows[g->nrows++] = (struct ui_agenda_row){ .heading = heading, .item = item, .day = day };
}

/* Appends one item (taking its strings), under a new heading when its day differs from the last. */
static void append(struct ui_app *a, struct ui_agenda *g, struct plan_agenda_item *it)
{
	if (g->items.n % 64 == 0)
		g->items.items = xrealloc(g->items.items, (g->items.n + 64) * sizeof *g->items.items);
	size_t idx = g->items.n++;
	g->items.items[idx] = *it;
	memset(it, 0, sizeof *it);
	/* a window that began before the first day is listed under the first day */
	wb_time day = g->items.items[idx].start > g->from ? g->items.items[idx].start : g->from;
	char local[20];
	if (recur_utc_to_local(day, zone(a), local, sizeof local, NULL) != WB_OK)
		snprintf(local, sizeof local, "?");
	local[10] = '\0';
	if (strcmp(local, g->last_day) != 0) {
		snprintf(g->last_day, sizeof g->last_day, "%s", local);
		push_row(g, true, idx, day);
	}
	push_row(g, false, idx, day);
}

/* Reads the next chunk of days. False on an error (in g->error). */
static bool read_chunk(struct ui_app *a, struct ui_agenda *g)
{
	struct wb_err err = { 0 };
	wb_time from, to;
	struct plan_agenda got;
	int days = UI_AGENDA_CHUNK_DAYS;
	int y, m, d;
	for (;;) {
		y = g->ny, m = g->nm, d = g->nd;
		add_days(&y, &m, &d, days);
		if (day_start(a, g->ny, g->nm, g->nd, &from, &err) || day_start(a, y, m, d, &to, &err) ||
		    plan_agenda(a->desk, from, to, &got, &err)) {
			snprintf(g->error, sizeof g->error, "%s", err.msg);
			return false;
		}
		/* a crowded fortnight: read fewer days at a time rather than lose items */
		if (!got.truncated || days == 1)
			break;
		plan_agenda_free(&got);
		days /= 2;
	}
	for (size_t i = 0; i < got.n; i++) {
		/* what began before this chunk (a window across its start) came with the one before */
		if (got.items[i].start < from && from != g->from)
			continue;
		append(a, g, &got.items[i]);
	}
	plan_agenda_free(&got);
	g->ny = y, g->nm = m, g->nd = d;
	g->chunks++;
	return true;
}

/* Reads chunks until there are want rows, at most budget chunks. */
static void read_ahead(struct ui_app *a, struct ui_agenda *g, size_t want, int budget)
{
	while (g->nrows < want && budget-- > 0 && !g->error[0])
		if (!read_chunk(a, g))
			break;
}

static int room_of(const struct ui_app *a)
{
	return a->rows > 4 ? a->rows - 2 : 2; /* the calendar's title and bottom line */
}

/* The first item line at or after row r (nrows when none). */
static size_t item_at_or_after(const struct ui_agenda *g, size_t r)
{
	while (r < g->nrows && g->rows[r].heading)
		r++;
	return r;
}

/* The last item line at or before row r (nrows when none). */
static size_t item_at_or_before(const struct ui_agenda *g, size_t r)
{
	for (size_t i = r + 1; i-- > 0;)
		if (i < g->nrows && !g->rows[i].heading)
			return i;
	return g->nrows;
}

/* Keeps the selection on screen, with its day's heading when that fits. */
static void show_selection(struct ui_agenda *g)
{
	size_t room = (size_t)(g->room > 1 ? g->room : 1);
	size_t want_top = g->sel > 0 && g->rows[g->sel - 1].heading ? g->sel - 1 : g->sel;
	if (want_top < g->top)
		g->top = want_top;
	if (g->sel >= g->top + room)
		g->top = g->sel - room + 1;
}

static void reset(struct ui_agenda *g)
{
	plan_agenda_free(&g->items);
	free(g->rows);
	g->rows = NULL;
	g->nrows = g->caprows = 0;
	g->chunks = 0;
	g->last_day[0] = '\0';
	g->sel = g->top = 0;
	g->error[0] = '\0';
	g->ny = g->y, g->nm = g->m, g->nd = g->d;
}

void ui_agenda_start(struct ui_app *a, struct ui_agenda *g, int y, int m, int d)
{
	memset(g, 0, sizeof *g);
	g->y = y, g->m = m, g->d = d;
	reset(g);
	struct wb_err err = { 0 };
	if (day_start(a, y, m, d, &g->from, &err)) {
		snprintf(g->error, sizeof g->error, "%s", err.msg);
		return;
	}
	g->room = room_of(a);
	read_ahead(a, g, 2 * (size_t)g->room, UI_AGENDA_CHUNKS_PER_STEP);
	g->sel = item_at_or_after(g, 0);
	if (g->sel == g->nrows)
		g->sel = 0;
}

static bool same_item(const struct plan_agenda_item *x, const struct plan_agenda_item *y)
{
	return x->is_window == y->is_window && x->window_id == y->window_id && x->occ_id == y->occ_id &&
	       x->plan_id == y->plan_id && x->start == y->start;
}

void ui_agenda_reload(struct ui_app *a, struct ui_agenda *g)
{
	struct plan_agenda_item was = { 0 };
	bool had = g->sel < g->nrows && !g->rows[g->sel].heading;
	if (had) {
		was = g->items.items[g->rows[g->sel].item];
		was.title = was.kind = was.system = was.org = NULL; /* only the identity is compared */
	}
	size_t old_sel = g->sel, old_top = g->top;
	int chunks = g->chunks;
	reset(g);
	while (g->chunks < chunks && !g->error[0])
		if (!read_chunk(a, g))
			break;
	g->sel = g->nrows;
	for (size_t r = 0; had && r < g->nrows; r++)
		if (!g->rows[r].heading && same_item(&g->items.items[g->rows[r].item], &was))
			g->sel = r;
	if (g->sel == g->nrows) {
		size_t r = old_sel < g->nrows ? old_sel : g->nrows ? g->nrows - 1 : 0;
		g->sel = item_at_or_before(g, r);
		if (g->sel == g->nrows)
			g->sel = item_at_or_after(g, 0);
		if (g->sel == g->nrows)
			g->sel = 0;
	}
	g->top = old_top < g->nrows ? old_top : 0;
	if (g->nrows)
		show_selection(g);
}

static enum ui_role status_role(enum plan_status s)
{
	/* as the day's list and the week view colour them */
	return s == PLAN_ST_MISSED ? ROLE_SLA_BREACHED
	     : s == PLAN_ST_OPEN ? ROLE_SLA_AT_RISK
	     : s == PLAN_ST_DONE ? ROLE_SLA_OK
	     : s == PLAN_ST_WINDOW ? ROLE_NOTE : ROLE_NORMAL;
}

static void draw_item(struct ui_app *a, const struct plan_agenda_item *it, bool sel, int row, int cols)
{
	char a1[20], a2[20], ticket[24] = "";
	recur_utc_to_local(it->start, zone(a), a1, sizeof a1, NULL);
	recur_utc_to_local(it->end, zone(a), a2, sizeof a2, NULL);
	if (it->ticket_id)
		snprintf(ticket, sizeof ticket, "  #%lld", (long long)it->ticket_id);
	/* columns by display width, so Chinese kinds and names line up too */
	char *kind = utf8_pad(it->is_window ? plan_status_label(PLAN_ST_WINDOW) : plan_kind_label_of(it->kind), 15);
	char *sys = utf8_pad(it->system ? it->system : it->org ? it->org : "", 10);
	/* "09:00-09:30", or "22:00-11-29 02:00" when it ends on another day */
	char end[16];
	if (strncmp(a1, a2, 10))
		snprintf(end, sizeof end, "%.5s %.5s", a2 + 5, a2 + 11);
	else
		snprintf(end, sizeof end, "%.5s", a2 + 11);
	char line[768];
	snprintf(line, sizeof line, "   %.5s-%s  %s  %s  %s%s", a1 + 11, end, kind, sys, it->title, ticket);
	free(kind);
	free(sys);
	enum ui_role role = sel ? ROLE_SELECTED : status_role(it->status);
	int status_w = cols >= 40 ? 10 : 0;
	ui_term_text(row, 0, cols - status_w, line, role, UI_TEXT_PAD | UI_TEXT_ELLIPSIS);
	if (status_w)
		ui_term_text(row, cols - status_w, status_w, it->is_window ? "" : plan_status_label(it->status), role,
			     UI_TEXT_PAD | UI_TEXT_ELLIPSIS);
}

void ui_agenda_draw(struct ui_app *a, struct ui_agenda *g, int top, int bottom)
{
	int cols = a->cols;
	g->room = bottom - top > 1 ? bottom - top : 1;
	if (g->nrows)
		show_selection(g);
	char today[20] = "";
	recur_utc_to_local(clock_now(), zone(a), today, sizeof today, NULL);
	int row = top;
	for (size_t r = g->top; r < g->nrows && row < bottom; r++, row++) {
		const struct ui_agenda_row *w = &g->rows[r];
		if (!w->heading) {
			draw_item(a, &g->items.items[w->item], r == g->sel, row, cols);
			continue;
		}
		char date[96], local[20] = "", head[160];
		fmt_long_date_in(w->day, zone(a), date, sizeof date);
		recur_utc_to_local(w->day, zone(a), local, sizeof local, NULL);
		bool is_today = today[0] && !strncmp(local, today, 10);
		snprintf(head, sizeof head, " %s%s%s", date, is_today ? "  " : "", is_today ? _("today") : "");
		ui_term_text(row, 0, cols, head, ROLE_HEADER, UI_TEXT_PAD | UI_TEXT_ELLIPSIS);
	}
	if (row < bottom) {
		/* where reading stopped: the day before the first day not read */
		int y = g->ny, m = g->nm, d = g->nd;
		add_days(&y, &m, &d, -1);
		char date[96] = "", text[160];
		wb_time t;
		if (day_start(a, y, m, d, &t, NULL) == WB_OK)
			fmt_long_date_in(t + 3600, zone(a), date, sizeof date);
		snprintf(text, sizeof text, g->nrows ? _("nothing more planned up to %s") : _("nothing planned up to %s"),
			 date);
		ui_term_text(row, 1, cols - 1, text, ROLE_DIM, UI_TEXT_ELLIPSIS);
	}
}

/* Moves the selection to item row r (reading ahead so that a screen follows it). */
static void select_row(struct ui_app *a, struct ui_agenda *g, size_t r)
{
	g->sel = r;
	read_ahead(a, g, g->sel + 2 * (size_t)g->room, 2);
	show_selection(g);
}

enum ui_agenda_result ui_agenda_key(struct ui_app *a, struct ui_agenda *g, enum ui_action act, int64_t *ticket_id)
{
	size_t room = (size_t)(g->room > 1 ? g->room : 1);
	switch (act) {
	case ACT_QUIT:
	case ACT_AGENDA:
		return UI_AGENDA_LEAVE;
	case ACT_WEEK_NEXT:
	case ACT_DOWN: {
		size_t r = item_at_or_after(g, g->sel + 1);
		if (r == g->nrows) {
			/* at the end of what was read: look further (about a year at most) */
			read_ahead(a, g, g->nrows + 1, UI_AGENDA_CHUNKS_PER_STEP);
			r = item_at_or_after(g, g->sel + 1);
		}
		if (r == g->nrows) {
			ui_term_beep();
			break;
		}
		select_row(a, g, r);
		break;
	}
	case ACT_WEEK_PREV:
	case ACT_UP: {
		size_t r = g->sel ? item_at_or_before(g, g->sel - 1) : g->nrows;
		if (r == g->nrows) {
			g->top = 0;
			break;
		}
		select_row(a, g, r);
		break;
	}
	case ACT_MONTH_NEXT:
	case ACT_PAGE_DOWN: {
		read_ahead(a, g, g->sel + 2 * room, 2);
		if (item_at_or_after(g, g->sel + 1) == g->nrows)
			read_ahead(a, g, g->nrows + 1, UI_AGENDA_CHUNKS_PER_STEP);
		size_t r = item_at_or_after(g, g->sel + room);
		if (r == g->nrows)
			r = item_at_or_before(g, g->nrows ? g->nrows - 1 : 0);
		if (r == g->nrows || r == g->sel) {
			ui_term_beep();
			break;
		}
		g->top += room;
		if (g->top > r)
			g->top = r;
		select_row(a, g, r);
		break;
	}
	case ACT_MONTH_PREV:
	case ACT_PAGE_UP: {
		size_t r = item_at_or_after(g, g->sel > room ? g->sel - room : 0);
		if (r >= g->sel) {
			g->top = 0;
			break;
		}
		g->top = g->top > room ? g->top - room : 0;
		select_row(a, g, r);
		break;
	}
	case ACT_TODAY:
	case ACT_TOP:
		g->top = 0;
		g->sel = item_at_or_after(g, 0);
		if (g->sel == g->nrows)
			g->sel = 0;
		break;
	case ACT_OPEN:
		if (g->sel < g->nrows && !g->rows[g->sel].heading) {
			const struct plan_agenda_item *it = &g->items.items[g->rows[g->sel].item];
			if (it->ticket_id) {
				*ticket_id = it->ticket_id;
				return UI_AGENDA_OPEN;
			}
			ui_app_message(a, ROLE_ERROR, "%s",
				       it->is_window ? _("a window has no task to open")
						     : _("no task yet: it is created when the calendar generates this day"));
			break;
		}
		ui_term_beep();
		break;
	default:
		break;
	}
	return UI_AGENDA_STAY;
}

int64_t ui_agenda_selected_plan(const struct ui_agenda *g)
{
	if (g->sel >= g->nrows || g->rows[g->sel].heading)
		return 0;
	const struct plan_agenda_item *it = &g->items.items[g->rows[g->sel].item];
	return it->is_window ? 0 : it->plan_id;
}

void ui_agenda_free(struct ui_agenda *g)
{
	plan_agenda_free(&g->items);
	free(g->rows);
	memset(g, 0, sizeof *g);
}

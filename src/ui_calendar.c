/* ui_calendar.c — the month grid (as calcurse draws it) with each day's maintenance tasks counted by
 * status in colour, and the selected day's windows and tasks listed below it; the week view; the
 * agenda (ui_agenda.c) in place of both. Data comes from plan.h (plan_month_summary, plan_agenda);
 * date arithmetic from calmonth.h; drawing via ui_term. */
#include "ui_calendar.h"

#include "calmonth.h"
#include "fmt.h"
#include "i18n.h"
#include "plan.h"
#include "recur.h"
#include "strbuf.h"
#include "ui_agenda.h"
#include "ui_plan.h"
#include "ui_term.h"
#include "utf8.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cal_view {
	int year, month, day;          /* the selected date */
	int ty, tm, td;                /* today */
	struct calmonth grid;
	struct plan_day_summary sum[31];
	struct plan_agenda day_items;  /* the selected day's */
	bool list_focus;
	size_t list_sel;
	bool week;                     /* the week view instead of the month grid */
	int wy, wm, wd;                /* the week's first day (Monday) */
	struct plan_agenda week_items;
	bool agenda;                   /* the agenda instead of the grid and the day's list */
	struct ui_agenda ag;
	char error[512];
};

static const char *zone(const struct ui_app *a)
{
	return a->desk->cal.tz[0] ? a->desk->cal.tz : NULL;
}

static void today(const struct ui_app *a, int *y, int *m, int *d)
{
	char local[20];
	*y = 2026, *m = 1, *d = 1;
	if (recur_utc_to_local(clock_now(), zone(a), local, sizeof local, NULL) == WB_OK)
		sscanf(local, "%4d-%2d-%2d", y, m, d);
}

/* Moves the selection by delta days (any size), across months. */
static void move_days(struct cal_view *v, int delta)
{
	v->day += delta;
	while (v->day < 1) {
		calmonth_add_months(&v->year, &v->month, -1);
		v->day += calmonth_days_in_month(v->year, v->month);
	}
	while (v->day > calmonth_days_in_month(v->year, v->month)) {
		v->day -= calmonth_days_in_month(v->year, v->month);
		calmonth_add_months(&v->year, &v->month, 1);
	}
}

static void load(struct ui_app *a, struct cal_view *v)
{
	struct wb_err err = { 0 };
	v->error[0] = '\0';
	calmonth_layout(v->year, v->month, 1, &v->grid, NULL);
	if (plan_month_summary(a->desk, v->year, v->month, v->sum, NULL, NULL, &err))
		snprintf(v->error, sizeof v->error, "%s", err.msg);
	plan_agenda_free(&v->day_items);
	char date[48];
	snprintf(date, sizeof date, "%04d-%02d-%02d", v->year, v->month, v->day);
	wb_time from, to;
	if (recur_local_to_utc(date, zone(a), &from, NULL) == WB_OK) {
		plan_local_day(a->desk, from + 3600, &from, &to);
		if (plan_agenda(a->desk, from, to, &v->day_items, &err))
			snprintf(v->error, sizeof v->error, "%s", err.msg);
	}
	if (v->list_sel >= v->day_items.n)
		v->list_sel = v->day_items.n ? v->day_items.n - 1 : 0;
	plan_agenda_free(&v->week_items);
	if (v->week) {
		/* Monday of the selected day's week, and the seven days from it */
		int back = (calmonth_weekday(v->year, v->month, v->day) + 6) % 7;
		struct cal_view w = *v;
		w.day -= back;
		while (w.day < 1) {
			calmonth_add_months(&w.year, &w.month, -1);
			w.day += calmonth_days_in_month(w.year, w.month);
		}
		v->wy = w.year, v->wm = w.month, v->wd = w.day;
		snprintf(date, sizeof date, "%04d-%02d-%02d", w.year, w.month, w.day);
		wb_time wfrom, wto, dummy;
		if (recur_local_to_utc(date, zone(a), &wfrom, NULL) == WB_OK) {
			plan_local_day(a->desk, wfrom + 3600, &wfrom, &dummy);
			wto = wfrom + 7 * 86400 + 7200; /* the items' local dates decide their column */
			if (plan_agenda(a->desk, wfrom, wto, &v->week_items, &err))
				snprintf(v->error, sizeof v->error, "%s", err.msg);
		}
	}
	if (v->agenda)
		ui_agenda_reload(a, &v->ag);
}

/* The week view: one column a day, Monday first, each listing the day's windows and tasks. */
static void draw_week(struct ui_app *a, struct cal_view *v, int top, int bottom)
{
	int cw = a->cols / 7;
	static const char *const wday[] = { N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"),
					    N_("Sun") };
	char dates[7][40];
	struct cal_view w = *v;
	w.year = v->wy, w.month = v->wm, w.day = v->wd;
	for (int c = 0; c < 7; c++) {
		snprintf(dates[c], sizeof dates[c], "%04d-%02d-%02d", w.year, w.month, w.day);
		char head[40];
		snprintf(head, sizeof head, "%s %02d-%02d", _(wday[c]), w.month, w.day);
		bool sel = w.year == v->year && w.month == v->month && w.day == v->day;
		ui_term_text(top, c * cw, cw - 1, head, sel ? ROLE_SELECTED : ROLE_HEADER, UI_TEXT_PAD);
		move_days(&w, 1);
	}
	int used[7] = { 0 };
	for (size_t i = 0; i < v->week_items.n; i++) {
		const struct plan_agenda_item *it = &v->week_items.items[i];
		char local[20];
		if (recur_utc_to_local(it->start, zone(a), local, sizeof local, NULL) != WB_OK)
			continue;
		for (int c = 0; c < 7; c++) {
			if (strncmp(local, dates[c], 10) != 0)
				continue;
			int row = top + 1 + used[c];
			if (row >= bottom)
				break;
			char line[256];
			snprintf(line, sizeof line, "%.5s %s", local + 11, it->title);
			enum ui_role role = it->status == PLAN_ST_MISSED ? ROLE_SLA_BREACHED
					  : it->status == PLAN_ST_OPEN ? ROLE_SLA_AT_RISK
					  : it->status == PLAN_ST_DONE ? ROLE_SLA_OK
					  : it->status == PLAN_ST_WINDOW ? ROLE_NOTE : ROLE_NORMAL;
			ui_term_text(row, c * cw, cw - 1, line, role, UI_TEXT_PAD | UI_TEXT_ELLIPSIS);
			used[c]++;
		}
	}
}

static void move_months(struct cal_view *v, int delta)
{
	calmonth_add_months(&v->year, &v->month, delta);
	int dim = calmonth_days_in_month(v->year, v->month);
	if (v->day > dim)
		v->day = dim;
}

/* "3!" in a role at (row, col); returns the cells used. */
static int count_text(int row, int col, int room, int n, const char *mark, enum ui_role role)
{
	if (n <= 0 || room <= 0)
		return 0;
	char buf[16];
	snprintf(buf, sizeof buf, "%d%s", n, mark);
	return ui_term_text(row, col, room, buf, role, 0) + (room > utf8_width(buf) ? 1 : 0);
}

static void draw_cell(const struct cal_view *v, int r, int c, int y, int x, int w, int h)
{
	const struct calmonth_day *cd = &v->grid.cell[r][c];
	bool sel = cd->in_month && cd->day == v->day && !v->list_focus;
	bool is_today = cd->year == v->ty && cd->month == v->tm && cd->day == v->td;
	enum ui_role base = sel ? ROLE_SELECTED : cd->in_month ? ROLE_NORMAL : ROLE_DIM;
	for (int i = 0; i < h; i++)
		ui_term_fill(y + i, x, w, base);
	char num[8];
	snprintf(num, sizeof num, "%2d", cd->day);
	ui_term_text(y, x, 3, num, sel ? ROLE_SELECTED : is_today ? ROLE_HEADER : base, 0);
	if (!cd->in_month)
		return;
	const struct plan_day_summary *s = &v->sum[cd->day - 1];
	int col = x + 3;
	if (s->windows)
		col += count_text(y, col, x + w - col, s->windows, "W", sel ? ROLE_SELECTED : ROLE_NOTE);
	if (h < 2)
		return;
	col = x + 1;
	int row = y + 1;
	col += count_text(row, col, x + w - col, s->missed, "!", sel ? ROLE_SELECTED : ROLE_SLA_BREACHED);
	col += count_text(row, col, x + w - col, s->open, "o", sel ? ROLE_SELECTED : ROLE_SLA_AT_RISK);
	col += count_text(row, col, x + w - col, s->done, "+", sel ? ROLE_SELECTED : ROLE_SLA_OK);
	count_text(row, col, x + w - col, s->planned, ".", sel ? ROLE_SELECTED : ROLE_NORMAL);
	if (h >= 3 && s->kinds) {
		/* the kinds of the day's tasks, as words while they fit */
		col = x + 1;
		for (int k = 0; k < PLAN_KIND_COUNT && col < x + w; k++) {
			if (!(s->kinds & (1u << k)))
				continue;
			col += ui_term_text(y + 2, col, x + w - col, plan_kind_label((enum plan_kind)k),
					    sel ? ROLE_SELECTED : ROLE_DIM, UI_TEXT_ELLIPSIS) + 1;
		}
	}
}

/* The first key bound to act in the calendar (else globally). */
static void key1(const struct ui_app *a, enum ui_action act, char *buf, size_t n)
{
	ui_keymap_keys_for(&a->keys, UI_CTX_CALENDAR, act, buf, n);
	if (!buf[0])
		ui_keymap_keys_for(&a->keys, UI_CTX_GLOBAL, act, buf, n);
	char *comma = strchr(buf, ',');
	if (comma)
		*comma = '\0';
	/* short forms for a line that is read at a glance (the help screen has the full names) */
	static const char *const brief[][2] = { { "Left", "←" }, { "Right", "→" }, { "Up", "↑" }, { "Down", "↓" },
						 { "PageUp", "PgUp" }, { "PageDown", "PgDn" } };
	for (size_t i = 0; i < sizeof brief / sizeof brief[0]; i++)
		if (!strcmp(buf, brief[i][0]))
			snprintf(buf, n, "%s", brief[i][1]);
}

enum hint_mode { HINTS_MONTH, HINTS_LIST, HINTS_AGENDA };

/* The bottom line's keys, from the key table. Caller frees. */
static char *key_hints(const struct ui_app *a, enum hint_mode mode)
{
	static const struct hint {
		enum ui_action act, pair;
		const char *label;
	} month[] = {
		{ ACT_DAY_PREV, ACT_DAY_NEXT, N_("day") },
		{ ACT_WEEK_PREV, ACT_WEEK_NEXT, N_("week") },
		{ ACT_MONTH_PREV, ACT_MONTH_NEXT, N_("month") },
		{ ACT_TODAY, ACT_NONE, N_("today") },
		{ ACT_ADD_PLAN, ACT_NONE, N_("add") },
		{ ACT_EDIT_PLAN, ACT_NONE, N_("edit") },
		{ ACT_PLANS, ACT_NONE, N_("plans") },
		{ ACT_HELP, ACT_NONE, N_("help") },
		{ ACT_OPEN, ACT_NONE, N_("the day") },
		{ ACT_WEEK_VIEW, ACT_NONE, N_("week/month") },
		{ ACT_AGENDA, ACT_NONE, N_("agenda") },
		{ ACT_QUIT, ACT_NONE, N_("leave") },
	}, focus[] = {
		{ ACT_WEEK_PREV, ACT_WEEK_NEXT, N_("choose") },
		{ ACT_OPEN, ACT_NONE, N_("open the task") },
		{ ACT_EDIT_PLAN, ACT_NONE, N_("edit its plan") },
		{ ACT_QUIT, ACT_NONE, N_("back to the month") },
	}, agenda[] = {
		{ ACT_WEEK_PREV, ACT_WEEK_NEXT, N_("choose") },
		{ ACT_MONTH_PREV, ACT_MONTH_NEXT, N_("screen") },
		{ ACT_OPEN, ACT_NONE, N_("open the task") },
		{ ACT_EDIT_PLAN, ACT_NONE, N_("edit its plan") },
		{ ACT_AGENDA, ACT_NONE, N_("back to the month") },
	};
	struct strbuf b = STRBUF_INIT;
	const struct hint *t = mode == HINTS_LIST ? focus : mode == HINTS_AGENDA ? agenda : month;
	size_t n = mode == HINTS_LIST ? sizeof focus / sizeof focus[0]
		 : mode == HINTS_AGENDA ? sizeof agenda / sizeof agenda[0] : sizeof month / sizeof month[0];
	for (size_t i = 0; i < n; i++) {
		enum ui_action act = t[i].act, pair = t[i].pair;
		char k1[48], k2[48] = "";
		key1(a, act, k1, sizeof k1);
		if (pair != ACT_NONE)
			key1(a, pair, k2, sizeof k2);
		if (!k1[0])
			continue;
		bool arrows = k2[0] && strstr("←↑", k1) && strstr("→↓", k2); /* "←→ day", not "←/→ day" */
		strbuf_addf(&b, "%s %s%s%s %s", b.len ? " " : "", k1, k2[0] && !arrows ? "/" : "", k2, _(t[i].label));
	}
	if (mode == HINTS_MONTH)
		strbuf_adds(&b, _("  ! missed  o open  + done  . planned  W window"));
	return strbuf_detach(&b);
}

/* The bottom line: an error, else the message, else the keys; then sends the screen. */
static void draw_bottom(struct ui_app *a, const char *error, enum hint_mode mode)
{
	char *keys = key_hints(a, mode);
	const char *help = error[0] ? error : a->msg[0] ? a->msg : keys;
	enum ui_role hrole = error[0] ? ROLE_ERROR : a->msg[0] ? a->msg_role : ROLE_STATUSBAR;
	ui_term_text(a->rows - 1, 0, a->cols, help, hrole, UI_TEXT_PAD | UI_TEXT_ELLIPSIS);
	free(keys);
	ui_term_flush();
}

static void draw(struct ui_app *a, struct cal_view *v)
{
	ui_term_clear();
	int rows = a->rows, cols = a->cols;
	int open = 0, missed = 0;
	struct wb_err err = { 0 };
	plan_today_counts(a->desk, &open, &missed, &err);
	char title[256];
	if (v->agenda) {
		char from[96];
		fmt_long_date_in(v->ag.from, zone(a), from, sizeof from);
		snprintf(title, sizeof title, _(" Maintenance calendar  agenda from %s    today: %d open, %d missed"),
			 from, open, missed);
	} else {
		snprintf(title, sizeof title, _(" Maintenance calendar  %04d-%02d    today: %d open, %d missed"),
			 v->year, v->month, open, missed);
	}
	ui_term_text(0, 0, cols, title, ROLE_TOPBAR, UI_TEXT_PAD | UI_TEXT_ELLIPSIS);
	if (v->agenda) {
		ui_agenda_draw(a, &v->ag, 1, rows - 1);
		draw_bottom(a, v->ag.error[0] ? v->ag.error : v->error, HINTS_AGENDA);
		return;
	}

	int cw = cols / 7;
	int avail = rows - 3;                 /* title, headings, bottom line */
	int ch = (avail * 3 / 5) / v->grid.rows_used;
	if (ch > 4)
		ch = 4;
	if (ch < 1)
		ch = 1;
	static const char *const wday[] = { N_("Sun"), N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"),
					    N_("Sat") };
	int top;
	if (v->week) {
		top = rows * 3 / 5;
		draw_week(a, v, 1, top);
	} else {
		for (int c = 0; c < 7; c++)
			ui_term_text(1, c * cw, cw, _(wday[v->grid.col_wday[c]]), ROLE_HEADER, UI_TEXT_PAD);
		for (int r = 0; r < v->grid.rows_used; r++)
			for (int c = 0; c < 7; c++)
				draw_cell(v, r, c, 2 + r * ch, c * cw, cw - 1, ch);
		top = 2 + v->grid.rows_used * ch;
	}

	/* the selected day's windows and tasks */
	char head[64];
	snprintf(head, sizeof head, " %04d-%02d-%02d", v->year, v->month, v->day);
	ui_term_text(top, 0, cols, head, ROLE_HEADER, UI_TEXT_PAD);
	int room = rows - 1 - (top + 1);
	size_t first = v->list_sel >= (size_t)(room > 0 ? room : 1) ? v->list_sel - (size_t)room + 1 : 0;
	if (!v->day_items.n && room > 0)
		ui_term_text(top + 1, 1, cols - 1, _("nothing planned"), ROLE_DIM, 0);
	for (int i = 0; i < room && first + (size_t)i < v->day_items.n; i++) {
		const struct plan_agenda_item *it = &v->day_items.items[first + (size_t)i];
		char a1[20], a2[20], line[512], ticket[24] = "";
		recur_utc_to_local(it->start, zone(a), a1, sizeof a1, NULL);
		recur_utc_to_local(it->end, zone(a), a2, sizeof a2, NULL);
		if (it->ticket_id)
			snprintf(ticket, sizeof ticket, "  #%lld", (long long)it->ticket_id);
		char *status = utf8_pad(plan_status_label(it->status), 8); /* by display width: Chinese labels too */
		char end[16]; /* "02:00", or "11-29 02:00" when it ends on another day */
		if (strncmp(a1, a2, 10))
			snprintf(end, sizeof end, "%.5s %.5s", a2 + 5, a2 + 11);
		else
			snprintf(end, sizeof end, "%.5s", a2 + 11);
		snprintf(line, sizeof line, " %.5s-%s  %s %s  %s%s", a1 + 11, end, status, it->title,
			 it->system ? it->system : it->org ? it->org : "", ticket);
		free(status);
		enum ui_role role = it->status == PLAN_ST_MISSED ? ROLE_SLA_BREACHED
				  : it->status == PLAN_ST_OPEN ? ROLE_SLA_AT_RISK
				  : it->status == PLAN_ST_DONE ? ROLE_SLA_OK
				  : it->status == PLAN_ST_WINDOW ? ROLE_NOTE : ROLE_NORMAL;
		if (v->list_focus && first + (size_t)i == v->list_sel)
			role = ROLE_SELECTED;
		ui_term_text(top + 1 + i, 0, cols, line, role, UI_TEXT_PAD | UI_TEXT_ELLIPSIS);
	}
	draw_bottom(a, v->error, v->list_focus ? HINTS_LIST : HINTS_MONTH);
}

/* The plan of the selected agenda line (the day's first plan in the month grid); 0 when none. */
static int64_t selected_plan(const struct cal_view *v)
{
	if (v->agenda)
		return ui_agenda_selected_plan(&v->ag);
	size_t from = v->list_focus ? v->list_sel : 0;
	for (size_t i = from; i < v->day_items.n; i++) {
		if (!v->day_items.items[i].is_window)
			return v->day_items.items[i].plan_id;
		if (v->list_focus)
			break;
	}
	return 0;
}

/* Leaves the calendar for the ticket view of task id. */
static void open_task(struct ui_app *a, struct cal_view *v, int64_t id)
{
	plan_agenda_free(&v->day_items);
	plan_agenda_free(&v->week_items);
	ui_agenda_free(&v->ag);
	ui_term_clear();
	a->dirty = UI_DIRTY_ALL;
	ui_app_open_ticket(a, id);
}

void ui_calendar_run(struct ui_app *a)
{
	struct cal_view v;
	memset(&v, 0, sizeof v);
	today(a, &v.ty, &v.tm, &v.td);
	v.year = v.ty, v.month = v.tm, v.day = v.td;
	a->msg[0] = '\0';
	load(a, &v);
	for (;;) {
		if (ui_term_too_small())
			ui_term_draw_too_small();
		else
			draw(a, &v);
		int key = ui_term_key(60000);
		if (key == UI_KEY_QUIT_SIGNAL) {
			a->quit = true;
			break;
		}
		if (key == UI_KEY_RESIZE || key == UI_KEY_REDRAW) {
			ui_term_size(&a->rows, &a->cols);
			continue;
		}
		if (key == UI_KEY_TIMEOUT) {
			load(a, &v); /* another operator may have ticked or generated meanwhile */
			continue;
		}
		a->msg[0] = '\0';
		enum ui_action act = ui_keymap_lookup(&a->keys, UI_CTX_CALENDAR, key);
		if (key == UI_KEY_CTRL('g'))
			act = ACT_QUIT;
		/* keys that work the same with the day's list chosen or not */
		bool reload = true;
		switch (act) {
		case ACT_HELP:
			ui_prompt_help_at(a, UI_CTX_CALENDAR);
			continue;
		case ACT_REDRAW:
			ui_term_invalidate();
			continue;
		case ACT_REFRESH:
			load(a, &v);
			continue;
		case ACT_PLANS:
			ui_plan_list(a);
			break;
		case ACT_EDIT_PLAN: {
			int64_t id = selected_plan(&v);
			if (!id) {
				ui_app_message(a, ROLE_ERROR, "%s", _("no plan on this day: choose a day with a task, or P for the list of plans"));
				reload = false;
				break;
			}
			ui_plan_edit(a, id);
			break;
		}
		default:
			reload = false;
			break;
		}
		if (a->quit)
			break;
		if (reload) {
			load(a, &v);
			continue;
		}
		if (act == ACT_EDIT_PLAN)
			continue;
		if (v.agenda) {
			int64_t id = 0;
			switch (ui_agenda_key(a, &v.ag, act, &id)) {
			case UI_AGENDA_OPEN:
				open_task(a, &v, id);
				return;
			case UI_AGENDA_LEAVE:
				v.agenda = false;
				ui_agenda_free(&v.ag);
				break;
			case UI_AGENDA_STAY:
				break;
			}
			continue;
		}
		if (v.list_focus) {
			if (act == ACT_QUIT)
				v.list_focus = false;
			else if ((act == ACT_WEEK_NEXT || act == ACT_DOWN) && v.list_sel + 1 < v.day_items.n)
				v.list_sel++;
			else if ((act == ACT_WEEK_PREV || act == ACT_UP) && v.list_sel > 0)
				v.list_sel--;
			else if (act == ACT_OPEN && v.list_sel < v.day_items.n) {
				int64_t id = v.day_items.items[v.list_sel].ticket_id;
				if (id) {
					open_task(a, &v, id);
					return;
				}
				ui_term_beep();
			}
			continue;
		}
		switch (act) {
		case ACT_QUIT:
			goto out;
		case ACT_DAY_PREV: move_days(&v, -1); break;
		case ACT_DAY_NEXT: move_days(&v, 1); break;
		case ACT_WEEK_PREV: move_days(&v, -7); break;
		case ACT_WEEK_NEXT: move_days(&v, 7); break;
		case ACT_MONTH_PREV: move_months(&v, -1); break;
		case ACT_MONTH_NEXT: move_months(&v, 1); break;
		case ACT_TODAY:
			today(a, &v.ty, &v.tm, &v.td);
			v.year = v.ty, v.month = v.tm, v.day = v.td;
			break;
		case ACT_WEEK_VIEW: v.week = !v.week; break;
		case ACT_AGENDA:
			v.agenda = true;
			ui_agenda_start(a, &v.ag, v.year, v.month, v.day);
			continue;
		case ACT_ADD_PLAN: {
			char date[16];
			snprintf(date, sizeof date, "%04d-%02d-%02d", v.year, v.month, v.day);
			ui_plan_add(a, date);
			if (a->quit)
				goto out;
			break;
		}
		case ACT_OPEN:
			if (v.day_items.n) {
				v.list_focus = true;
				v.list_sel = 0;
			}
			continue;
		default:
			continue;
		}
		v.list_sel = 0;
		load(a, &v);
	}
out:
	plan_agenda_free(&v.day_items);
	plan_agenda_free(&v.week_items);
	ui_agenda_free(&v.ag);
	ui_term_clear();
	ui_list_invalidate(a->list);
	a->dirty = UI_DIRTY_ALL;
}

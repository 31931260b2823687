/* ui_calendar.c — the month grid (as calcurse draws it) with each day's maintenance tasks counted by
 * status in colour, and the selected day's windows and tasks listed below it. Data comes from
 * plan.h (plan_month_summary, plan_agenda); date arithmetic from calmonth.h; drawing via ui_term. */
#include "ui_calendar.h"

#include "calmonth.h"
#include "i18n.h"
#include "plan.h"
#include "recur.h"
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

static void draw(struct ui_app *a, struct cal_view *v)
{
	ui_term_clear();
	int rows = a->rows, cols = a->cols;
	int open = 0, missed = 0;
	struct wb_err err = { 0 };
	plan_today_counts(a->desk, &open, &missed, &err);
	char title[160];
	snprintf(title, sizeof title, _(" Maintenance calendar  %04d-%02d    today: %d open, %d missed"), v->year,
		 v->month, open, missed);
	ui_term_text(0, 0, cols, title, ROLE_TOPBAR, UI_TEXT_PAD | UI_TEXT_ELLIPSIS);

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
		snprintf(line, sizeof line, " %.5s-%.11s  %s %s  %s%s", a1 + 11, strncmp(a1, a2, 10) ? a2 + 5 : a2 + 11,
			 status, it->title, it->system ? it->system : it->org ? it->org : "", ticket);
		free(status);
		enum ui_role role = it->status == PLAN_ST_MISSED ? ROLE_SLA_BREACHED
				  : it->status == PLAN_ST_OPEN ? ROLE_SLA_AT_RISK
				  : it->status == PLAN_ST_DONE ? ROLE_SLA_OK
				  : it->status == PLAN_ST_WINDOW ? ROLE_NOTE : ROLE_NORMAL;
		if (v->list_focus && first + (size_t)i == v->list_sel)
			role = ROLE_SELECTED;
		ui_term_text(top + 1 + i, 0, cols, line, role, UI_TEXT_PAD | UI_TEXT_ELLIPSIS);
	}
	const char *help = v->error[0] ? v->error
			 : v->list_focus ? _(" ↑↓ choose · Enter open the task · Esc back to the month")
					 : _(" ←→ day · ↑↓ week · PgUp/PgDn month · w week/month · a add a plan · t today · "
					     "Enter the day · q leave   ! missed  o open  + done  . planned  W window");
	ui_term_text(rows - 1, 0, cols, help, v->error[0] ? ROLE_ERROR : ROLE_STATUSBAR, UI_TEXT_PAD | UI_TEXT_ELLIPSIS);
	ui_term_flush();
}

/* A small form on the bottom line for a new plan on the selected day: name, system, how often,
 * start time, duration and checklist; then the coming two weeks' tasks are generated. */
static void add_plan_form(struct ui_app *a, struct cal_view *v)
{
	static const char *const rules[] = { "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "FREQ=DAILY", "FREQ=WEEKLY",
					     "FREQ=MONTHLY;BYDAY=2TU", "FREQ=MONTHLY" };
	const char *labels[] = { _("every workday"), _("every day"), _("weekly on this weekday"),
				 _("monthly on the second Tuesday"), _("monthly on this date") };
	char *name = NULL, *system = NULL, *at = NULL, *dur = NULL, *items = NULL;
	size_t choice;
	struct plan p = { 0 };
	struct wb_err err = { 0 };
	if (!ui_prompt_line(a, _("Plan name: "), "", NULL, 0, &name) || !*name)
		goto out;
	if (!ui_prompt_line(a, _("System: "), "", NULL, 0, &system) || !*system)
		goto out;
	if (!ui_prompt_menu(a, _("How often"), labels, sizeof labels / sizeof labels[0], &choice))
		goto out;
	if (!ui_prompt_line(a, _("Start time (HH:MM): "), "09:00", NULL, 0, &at))
		goto out;
	if (!ui_prompt_line(a, _("Duration in minutes: "), "30", NULL, 0, &dur))
		goto out;
	if (!ui_prompt_line(a, _("Checklist (items separated by |): "), "", NULL, 0, &items))
		goto out;
	p.name = xstrdup(name);
	p.kind = xstrdup("inspection");
	p.system = xstrdup(system);
	p.rrule = xstrdup(rules[choice]);
	p.dtstart = xasprintf("%04d-%02d-%02dT%.5s", v->year, v->month, v->day, at);
	p.tz = zone(a) ? xstrdup(zone(a)) : NULL;
	p.duration_min = atoi(dur);
	p.lead_hours = 24;
	p.notify = xstrdup("none");
	plan_set_checklist(&p, items);
	int64_t id;
	int created = 0;
	if (plan_add(a->desk, &p, &id, &err) != WB_OK || plan_generate_ahead(a->desk, 14, &created, &err) != WB_OK) {
		snprintf(v->error, sizeof v->error, "%s", err.msg);
		goto out;
	}
	ui_app_message(a, ROLE_MESSAGE, _("Plan #%lld added; %d tasks for the next two weeks"), (long long)id, created);
out:
	plan_clear(&p);
	free(name);
	free(system);
	free(at);
	free(dur);
	free(items);
}

void ui_calendar_run(struct ui_app *a)
{
	struct cal_view v;
	memset(&v, 0, sizeof v);
	today(a, &v.ty, &v.tm, &v.td);
	v.year = v.ty, v.month = v.tm, v.day = v.td;
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
		if (v.list_focus) {
			if (key == UI_KEY_ESC || key == 'q' || key == UI_KEY_CTRL('g'))
				v.list_focus = false;
			else if ((key == UI_KEY_DOWN || key == 'j') && v.list_sel + 1 < v.day_items.n)
				v.list_sel++;
			else if ((key == UI_KEY_UP || key == 'k') && v.list_sel > 0)
				v.list_sel--;
			else if (key == UI_KEY_ENTER && v.list_sel < v.day_items.n) {
				int64_t id = v.day_items.items[v.list_sel].ticket_id;
				if (id) {
					plan_agenda_free(&v.day_items);
					plan_agenda_free(&v.week_items);
					ui_term_clear();
					a->dirty = UI_DIRTY_ALL;
					ui_app_open_ticket(a, id);
					return;
				}
				ui_term_beep();
			}
			continue;
		}
		int y = v.year, m = v.month;
		if (key == UI_KEY_ESC || key == 'q' || key == UI_KEY_CTRL('g'))
			break;
		else if (key == UI_KEY_LEFT || key == 'h')
			move_days(&v, -1);
		else if (key == UI_KEY_RIGHT || key == 'l')
			move_days(&v, 1);
		else if (key == UI_KEY_UP || key == 'k')
			move_days(&v, -7);
		else if (key == UI_KEY_DOWN || key == 'j')
			move_days(&v, 7);
		else if (key == UI_KEY_PGUP || key == '<')
			move_months(&v, -1);
		else if (key == UI_KEY_PGDN || key == '>')
			move_months(&v, 1);
		else if (key == 't') {
			today(a, &v.ty, &v.tm, &v.td);
			v.year = v.ty, v.month = v.tm, v.day = v.td;
		} else if (key == 'w') {
			v.week = !v.week;
		} else if (key == 'a') {
			add_plan_form(a, &v);
			if (v.error[0]) {
				draw(a, &v);
				char keep[sizeof v.error];
				snprintf(keep, sizeof keep, "%s", v.error);
				load(a, &v);
				snprintf(v.error, sizeof v.error, "%s", keep);
				continue;
			}
		} else if (key == UI_KEY_ENTER) {
			if (v.day_items.n) {
				v.list_focus = true;
				v.list_sel = 0;
			}
			continue;
		} else {
			continue;
		}
		(void)y, (void)m;
		v.list_sel = 0;
		load(a, &v);
	}
	plan_agenda_free(&v.day_items);
	plan_agenda_free(&v.week_items);
	ui_term_clear();
	ui_list_invalidate(a->list);
	a->dirty = UI_DIRTY_ALL;
}

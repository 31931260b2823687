/* ui_dashboard.c — the evaluation dashboard screen (see ui_dashboard.h). */
#include "ui_dashboard.h"

#include "clock.h"
#include "drill.h"
#include "fmt.h"
#include "i18n.h"
#include "recur.h"
#include "report.h"
#include "strbuf.h"
#include "ui_chart.h"
#include "ui_term.h"
#include "utf8.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DASH_POLL_MS 500
#define DASH_TOP 2      /* first screen row of the blocks */
#define LABEL_W 16      /* cells of a figure's label */
#define VALUE_W 11      /* cells of a figure's value, right-aligned */

/* One line of a block: a section title or a figure. */
struct dash_item {
	int col, row;                /* column 0 (left) or 1 (right); row inside the column */
	bool head;                   /* a section title, not selectable */
	char *label, *value;
	int64_t bar, bar_max;        /* a bar when bar_max > 0 */
	enum ui_role bar_role;
	const int64_t *spark;        /* a sparkline of nspark values (borrowed from the report) */
	size_t nspark;
	bool drill;                  /* Enter shows the tickets of `filter` under `title` */
	struct ticket_filter filter;
	char *title;
	char *note;                  /* said after drilling down, or why this figure cannot be */
};

struct dash {
	struct ui_app *a;
	struct report r;
	bool have;                   /* r holds a report */
	char spec[64];               /* the period asked for; "" = this month */
	enum ui_period_kind kind;
	int64_t version;             /* the database's data_version when r was built */
	struct ticket_counts now;
	struct dash_item *items;
	size_t n, cap;
	int rows[2];                 /* rows used in each column */
	size_t sel;
	bool utf8;
};

/* ---------------------------------------------------------------- the figures */

static void items_clear(struct dash *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->items[i].label);
		free(d->items[i].value);
		free(d->items[i].title);
		free(d->items[i].note);
	}
	free(d->items);
	d->items = NULL;
	d->n = d->cap = 0;
	d->rows[0] = d->rows[1] = 0;
}

/* Adds a line to column col; value is taken over (may be NULL). */
static struct dash_item *add(struct dash *d, int col, bool head, const char *label, char *value)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 48;
		d->items = xrealloc(d->items, d->cap * sizeof d->items[0]);
	}
	struct dash_item *it = &d->items[d->n++];
	memset(it, 0, sizeof *it);
	it->col = col;
	it->row = d->rows[col]++;
	it->head = head;
	it->label = xstrdup(label);
	it->value = value ? value : xstrdup("");
	it->bar_role = ROLE_FIELD_VALUE;
	ticket_filter_init(&it->filter);
	return it;
}

static void set_drill(struct dash_item *it, const struct ticket_filter *f, char *title, char *note)
{
	it->drill = true;
	it->filter = *f;
	it->title = title;
	it->note = note;
}

static char *pct_text(double p)
{
	return p < 0 ? xstrdup("-") : xasprintf("%.0f%%", p);
}

static enum ui_role pct_role(double p)
{
	return p >= 90 ? ROLE_SLA_OK : p >= 75 ? ROLE_SLA_AT_RISK : ROLE_SLA_BREACHED;
}

static char *times_text(const struct report_times *t)
{
	if (!t->n)
		return xstrdup("-");
	char m[32], p[32];
	ui_chart_duration(t->median, m, sizeof m);
	ui_chart_duration(t->p90, p, sizeof p);
	return xasprintf(_("%s, p90 %s"), m, p);
}

/* The figure's tickets (drill.h), titled by their narrowing; note is copied (may be NULL). */
static void drill_item(struct dash *d, struct dash_item *it, enum drill_figure fig, int kind, int channel, int arg,
		       const char *note)
{
	struct drill what = { fig, kind, channel, arg };
	struct ticket_filter f;
	drill_filter(&d->r, &what, &f);
	set_drill(it, &f, drill_describe(&f, d->r.tz, d->utf8), note ? xstrdup(note) : NULL);
}

/* A compliance figure: Enter lists the targets missed (late or overdue). */
static void sla_figure(struct dash *d, const char *label, double pct, enum drill_figure fig,
		       const struct report_due *due)
{
	struct dash_item *it = add(d, 1, false, label, pct_text(pct));
	if (pct >= 0) {
		it->bar = (int64_t)(pct + 0.5);
		it->bar_max = 100;
		it->bar_role = pct_role(pct);
	}
	char *note = xasprintf(_("The targets missed: %lld of %lld due"), (long long)(due->late + due->overdue),
			       (long long)(due->met + due->late + due->overdue));
	drill_item(d, it, fig, -1, -1, (int)(TICKET_DUE_LATE | TICKET_DUE_OVERDUE), note);
	free(note);
}

static void build_items(struct dash *d)
{
	items_clear(d);
	const struct report *r = &d->r;
	const struct report_figures *f = &r->f;
	struct dash_item *it;

	/* left: tickets in and out */
	add(d, 0, true, _("Opened / closed"), NULL);
	int64_t max = 0;
	for (int k = 0; k < KIND_COUNT; k++)
		if (r->opened_by_kind[k] > max)
			max = r->opened_by_kind[k];
	for (int k = 0; k < KIND_COUNT; k++) {
		it = add(d, 0, false, ticket_kind_label((enum ticket_kind)k),
			 xasprintf("%lld / %lld", (long long)r->opened_by_kind[k], (long long)r->closed_by_kind[k]));
		it->bar = r->opened_by_kind[k];
		it->bar_max = max;
		drill_item(d, it, DRILL_OPENED, k, -1, 0, NULL);
	}
	add(d, 0, true, _("By channel"), NULL);
	max = 0;
	for (int c = 0; c < CHANNEL_COUNT; c++)
		if (r->opened_by_channel[c] > max)
			max = r->opened_by_channel[c];
	for (int c = 0; c < CHANNEL_COUNT; c++) {
		it = add(d, 0, false, ticket_channel_label((enum ticket_channel)c),
			 xasprintf("%lld / %lld", (long long)r->opened_by_channel[c], (long long)r->closed_by_channel[c]));
		it->bar = r->opened_by_channel[c];
		it->bar_max = max;
		drill_item(d, it, DRILL_OPENED, -1, c, 0, NULL);
	}
	add(d, 0, true, _("Day by day"), NULL);
	it = add(d, 0, false, _("opened"), NULL);
	it->spark = f->opened_daily;
	it->nspark = f->n_days;
	drill_item(d, it, DRILL_OPENED, -1, -1, 0, NULL);
	it = add(d, 0, false, _("closed"), NULL);
	it->spark = f->closed_daily;
	it->nspark = f->n_days;
	drill_item(d, it, DRILL_CLOSED, -1, -1, 0, NULL);
	it = add(d, 0, true, _("Backlog at the end"), NULL);
	it = add(d, 0, false, _("open tickets"), xasprintf("%lld", (long long)f->backlog));
	drill_item(d, it, DRILL_BACKLOG, -1, -1, 0, NULL);
	static const char *const ages[REPORT_AGE_BUCKETS] = {
		N_("under 1 day"), N_("1 to 3 days"), N_("3 to 7 days"), N_("7 to 30 days"), N_("30 days or more"),
	};
	max = 0;
	for (int i = 0; i < REPORT_AGE_BUCKETS; i++)
		if (f->backlog_age[i] > max)
			max = f->backlog_age[i];
	for (int i = 0; i < REPORT_AGE_BUCKETS; i++) {
		it = add(d, 0, false, _(ages[i]), xasprintf("%lld", (long long)f->backlog_age[i]));
		it->bar = f->backlog_age[i];
		it->bar_max = max;
		drill_item(d, it, DRILL_BACKLOG_AGE, -1, -1, i, NULL);
	}

	/* right: speed, work, satisfaction, now */
	add(d, 1, true, _("Response and resolution"), NULL);
	it = add(d, 1, false, _("first response"), times_text(&f->response));
	drill_item(d, it, DRILL_RESPONDED, -1, -1, 0, NULL);
	it = add(d, 1, false, _("resolution"), times_text(&f->resolution));
	drill_item(d, it, DRILL_RESOLVED, -1, -1, 0, NULL);
	sla_figure(d, _("response SLA"), r->response_compliance, DRILL_RESPONSE_DUE, &f->response_due);
	sla_figure(d, _("resolution SLA"), r->resolution_compliance, DRILL_RESOLVE_DUE, &r->resolve_due_all);

	add(d, 1, true, _("Work"), NULL);
	it = add(d, 1, false, _("reopen rate"), r->reopen_rate < 0 ? xstrdup("-")
		 : xasprintf("%.1f%% (%lld)", r->reopen_rate, (long long)f->reopened));
	drill_item(d, it, DRILL_REOPENED, -1, -1, 0, NULL);
	int64_t fixed = 0;
	for (size_t i = 0; i < f->n_fixed; i++)
		fixed += f->fixed[i].n;
	it = add(d, 1, false, _("bugs fixed"), xasprintf("%lld", (long long)fixed));
	drill_item(d, it, DRILL_FIXED, -1, -1, 0, NULL);
	const struct report_due *sec = &f->resolve_due[KIND_SECURITY];
	int64_t due = sec->met + sec->late + sec->overdue;
	it = add(d, 1, false, _("security on time"), xasprintf("%lld/%lld", (long long)sec->met, (long long)due));
	if (due) {
		double p = report_due_percent(sec);
		it->bar = sec->met;
		it->bar_max = due;
		it->bar_role = pct_role(p);
	}
	drill_item(d, it, DRILL_RESOLVE_DUE, KIND_SECURITY, -1,
		   (int)(TICKET_DUE_MET | TICKET_DUE_LATE | TICKET_DUE_OVERDUE), NULL);
	const struct report_due *mt = &f->resolve_due[KIND_MAINTENANCE];
	it = add(d, 1, false, _("maintenance done"),
		 xasprintf(_("%lld, missed %lld"), (long long)(mt->met + mt->late), (long long)mt->overdue));
	drill_item(d, it, DRILL_RESOLVE_DUE, KIND_MAINTENANCE, -1, (int)(TICKET_DUE_MET | TICKET_DUE_LATE), NULL);
	char mins[32];
	fmt_minutes((int)(r->minutes_total > 0x7fffffff ? 0x7fffffff : r->minutes_total), mins, sizeof mins);
	it = add(d, 1, false, _("time worked"), xstrdup(mins));
	drill_item(d, it, DRILL_WORKED, -1, -1, 0, _("The tickets time was recorded on in the period"));

	it = add(d, 1, true, _("Satisfaction"), NULL);
	it = add(d, 1, false, _("average"), r->ratings_n ? xasprintf(_("%.1f of %lld"), r->rating_avg,
								   (long long)r->ratings_n) : xstrdup("-"));
	drill_item(d, it, DRILL_RATED, -1, -1, 0, NULL);
	max = 0;
	for (int s = 0; s < 5; s++)
		if (f->ratings[s] > max)
			max = f->ratings[s];
	for (int s = 5; s >= 1; s--) {
		char *label = xasprintf(_("rated %d"), s);
		it = add(d, 1, false, label, xasprintf("%lld", (long long)f->ratings[s - 1]));
		free(label);
		it->bar = f->ratings[s - 1];
		it->bar_max = max;
		drill_item(d, it, DRILL_RATED, -1, -1, s, NULL);
	}
	/* the live counts: the list can show exactly these */
	add(d, 1, true, _("Now"), NULL);
	struct ticket_filter sf;
	ticket_filter_init(&sf);
	it = add(d, 1, false, _("at risk"), xasprintf("%lld", (long long)d->now.at_risk));
	sf.sla = 1;
	set_drill(it, &sf, xstrdup(_("At risk")), NULL);
	it = add(d, 1, false, _("breached"), xasprintf("%lld", (long long)d->now.breached));
	it->bar_role = ROLE_SLA_BREACHED;
	sf.sla = 2;
	set_drill(it, &sf, xstrdup(_("Breached")), NULL);

	if (d->sel >= d->n || d->items[d->sel].head) {
		d->sel = 0;
		while (d->sel < d->n && d->items[d->sel].head)
			d->sel++;
	}
}

/* Builds the report of spec ("" = this month). On failure the shown report stays and false is
 * returned with the error on the bottom line. */
static bool build(struct dash *d, const char *spec)
{
	struct ui_app *a = d->a;
	struct wb_err err = { 0 };
	int64_t v = 0;
	if (desk_data_version(a->desk, &v, &err) != WB_OK) {
		ui_app_error(a, &err);
		return false;
	}
	struct report_spec rs = { 0 };
	rs.period = spec && *spec ? spec : NULL;
	struct report r;
	if (report_build(a->desk, &rs, &r, &err) != WB_OK) {
		report_clear(&r);
		ui_app_error(a, &err);
		return false;
	}
	if (d->have)
		report_clear(&d->r);
	d->r = r;
	d->have = true;
	d->version = v;
	snprintf(d->spec, sizeof d->spec, "%s", spec ? spec : "");
	if (desk_counts(a->desk, &d->now, &err) != WB_OK)
		ui_app_error(a, &err);
	build_items(d);
	return true;
}

static void rebuild_if_changed(struct dash *d)
{
	struct wb_err err = { 0 };
	int64_t v = d->version;
	if (desk_data_version(d->a->desk, &v, &err) == WB_OK && v != d->version)
		build(d, d->spec);
}

static enum ui_period_kind kind_of(const char *spec)
{
	if (spec && strstr(spec, "-W"))
		return UI_PERIOD_WEEK;
	if (spec && strchr(spec, 'Q'))
		return UI_PERIOD_QUARTER;
	return UI_PERIOD_MONTH;
}

/* Shows the period of d->kind `step` periods from the one shown (0: the one holding today, or the
 * start of the one shown when that is not the current one). */
static void change_period(struct dash *d, int step)
{
	const struct report *r = &d->r;
	char day[32], spec[32];
	int delta = 0;
	if (step < 0) {
		snprintf(day, sizeof day, "%s", r->first_day);
		delta = -1;
	} else if (step > 0) {
		snprintf(day, sizeof day, "%s", r->last_day);
		delta = 1;
	} else {
		wb_time now = clock_now();
		struct wb_err err = { 0 };
		if (r->from <= now && now < r->to && recur_utc_to_local(now, r->tz, day, sizeof day, &err) == WB_OK)
			day[10] = '\0';
		else
			snprintf(day, sizeof day, "%s", r->first_day);
	}
	if (!ui_chart_period(d->kind, day, delta, spec, sizeof spec))
		return;
	build(d, spec);
}

/* ---------------------------------------------------------------- drawing */

static void col_place(const struct dash *d, int col, int *x, int *w)
{
	int cols = d->a->cols;
	int left = (cols - 1) / 2;
	*x = col ? left + 1 : 0;
	*w = col ? cols - left - 1 : left;
}

static void draw_item(const struct dash *d, const struct dash_item *it, bool sel)
{
	int x, w;
	col_place(d, it->col, &x, &w);
	int y = DASH_TOP + it->row;
	if (y >= d->a->rows - 1)
		return;
	if (it->head) {
		ui_term_text(y, x, w, it->label, ROLE_HEADER, UI_TEXT_PAD | UI_TEXT_ELLIPSIS);
		return;
	}
	enum ui_role base = sel ? ROLE_SELECTED : ROLE_NORMAL;
	ui_term_fill(y, x, w, base);
	ui_term_text(y, x + 1, LABEL_W, it->label, sel ? base : ROLE_FIELD_LABEL, UI_TEXT_PAD | UI_TEXT_ELLIPSIS);
	int rx = x + 1 + LABEL_W + 1, rw = w - LABEL_W - 2;
	if (rw <= 0)
		return;
	struct strbuf b = STRBUF_INIT;
	if (it->spark) {
		ui_chart_spark(&b, it->spark, it->nspark, rw, d->utf8);
		ui_term_text(y, rx, rw, strbuf_str(&b), sel ? base : ROLE_FIELD_VALUE, 0);
	} else {
		int vwidth = utf8_width(it->value);
		int vw = vwidth <= VALUE_W ? VALUE_W : rw;
		if (vw > rw)
			vw = rw;
		int vx = rx;
		if (vwidth > rw && it->bar_max <= 0) {
			/* a long value without a bar may use what the label leaves free */
			int lw = utf8_width(it->label);
			int free_x = x + 1 + (lw < LABEL_W ? lw : LABEL_W) + 1;
			vx = rx + rw - vwidth > free_x ? rx + rw - vwidth : free_x;
			vw = rx + rw - vx;
		}
		ui_term_text(y, vx, vw, it->value, sel ? base : ROLE_FIELD_VALUE, UI_TEXT_RIGHT | UI_TEXT_ELLIPSIS);
		int bw = rw - vw - 1;
		if (it->bar_max > 0 && bw > 0) {
			ui_chart_bar(&b, it->bar, it->bar_max, bw, d->utf8);
			ui_term_text(y, rx + vw + 1, bw, strbuf_str(&b), sel ? base : it->bar_role, 0);
		}
	}
	strbuf_free(&b);
}

static const char *kind_label(enum ui_period_kind k)
{
	switch (k) {
	case UI_PERIOD_WEEK: return _("week");
	case UI_PERIOD_QUARTER: return _("quarter");
	default: return _("month");
	}
}

static void draw_top(const struct dash *d)
{
	const struct report *r = &d->r;
	int cols = d->a->cols;
	/* separators in ASCII when the locale cannot show "·" */
	const char *dot = d->utf8 ? " · " : " - ";
	char *left = xasprintf(_(" Dashboard%s%s%s%s to %s"), dot, r->label, dot, r->first_day, r->last_day);
	char when[32];
	fmt_short(clock_now(), r->generated_at, when, sizeof when);
	char *right = xasprintf(_("%s%sas of %s "), kind_label(d->kind), dot, when);
	int rw = utf8_width(right);
	if (rw > cols / 2)
		rw = cols / 2;
	ui_term_text(0, 0, cols - rw, left, ROLE_TOPBAR, UI_TEXT_PAD | UI_TEXT_ELLIPSIS);
	ui_term_text(0, cols - rw, rw, right, ROLE_TOPBAR, UI_TEXT_RIGHT | UI_TEXT_ELLIPSIS);
	free(left);
	free(right);
}

static void draw_bottom(const struct dash *d)
{
	struct ui_app *a = d->a;
	int y = a->rows - 1;
	if (a->msg[0]) {
		ui_term_text(y, 0, a->cols, a->msg, a->msg_role, UI_TEXT_PAD | UI_TEXT_ELLIPSIS);
		return;
	}
	static const struct {
		enum ui_action act;
		const char *label;
	} hints[] = {
		{ ACT_OPEN, N_("show tickets") }, { ACT_PERIOD_PREV, N_("earlier") }, { ACT_PERIOD_NEXT, N_("later") },
		{ ACT_PERIOD_WEEK, N_("week") }, { ACT_PERIOD_MONTH, N_("month") },
		{ ACT_PERIOD_QUARTER, N_("quarter") }, { ACT_QUIT, N_("back") }, { ACT_HELP, N_("help") },
	};
	struct strbuf b = STRBUF_INIT;
	for (size_t i = 0; i < sizeof hints / sizeof hints[0]; i++) {
		char k[48];
		ui_keymap_keys_for(&a->keys, UI_CTX_DASHBOARD, hints[i].act, k, sizeof k);
		if (!k[0])
			ui_keymap_keys_for(&a->keys, UI_CTX_GLOBAL, hints[i].act, k, sizeof k);
		char *comma = strchr(k, ',');
		if (comma)
			*comma = '\0';
		if (k[0])
			strbuf_addf(&b, " %s:%s ", k, _(hints[i].label));
	}
	ui_term_text(y, 0, a->cols, strbuf_str(&b), ROLE_STATUSBAR, UI_TEXT_PAD | UI_TEXT_ELLIPSIS);
	strbuf_free(&b);
}

static void draw(struct dash *d)
{
	if (ui_term_too_small()) {
		ui_term_draw_too_small();
		ui_term_flush();
		return;
	}
	draw_top(d);
	for (int y = 1; y < d->a->rows - 1; y++)
		ui_term_clear_eol(y, 0, ROLE_NORMAL);
	for (size_t i = 0; i < d->n; i++)
		draw_item(d, &d->items[i], i == d->sel);
	draw_bottom(d);
	ui_term_flush();
}

/* ---------------------------------------------------------------- keys */

static void move_sel(struct dash *d, int dir)
{
	size_t i = d->sel;
	for (;;) {
		if ((dir < 0 && i == 0) || (dir > 0 && i + 1 >= d->n))
			return;
		i = dir < 0 ? i - 1 : i + 1;
		if (!d->items[i].head)
			break;
	}
	d->sel = i;
}

/* Enter on a figure: true when the ticket list now shows its tickets. */
static bool drill(struct dash *d)
{
	if (d->sel >= d->n)
		return false;
	const struct dash_item *it = &d->items[d->sel];
	if (!it->drill) {
		ui_app_message(d->a, ROLE_MESSAGE, "%s", it->note ? it->note : "");
		return false;
	}
	ui_app_show_filter(d->a, it->title, &it->filter);
	d->a->dash_back = true; /* the bottom line names the narrowing; Esc comes back here */
	if (it->note)
		ui_app_message(d->a, ROLE_MESSAGE, "%s", it->note);
	return true;
}

void ui_dashboard_run(struct ui_app *a, const char *period)
{
	struct dash d;
	memset(&d, 0, sizeof d);
	d.a = a;
	d.utf8 = ui_chart_utf8();
	if (!period || !*period)
		period = a->dash_period; /* back where the operator left it (after a drill-down) */
	d.kind = kind_of(period);
	a->msg[0] = '\0';
	a->dash_back = false;
	if (!build(&d, period) && !build(&d, NULL))
		return;
	ui_term_clear();
	ui_term_cursor(-1, 0);
	bool done = false;
	while (!done) {
		draw(&d);
		int key = ui_term_key(DASH_POLL_MS);
		if (key == UI_KEY_TIMEOUT) {
			rebuild_if_changed(&d);
			continue;
		}
		if (key == UI_KEY_QUIT_SIGNAL) {
			a->quit = true;
			break;
		}
		if (key == UI_KEY_RESIZE || key == UI_KEY_REDRAW) {
			ui_term_size(&a->rows, &a->cols);
			ui_term_clear();
			continue;
		}
		if (ui_term_too_small())
			continue;
		a->msg[0] = '\0';
		enum ui_action act = ui_keymap_lookup(&a->keys, UI_CTX_DASHBOARD, key);
		switch (act) {
		case ACT_QUIT:
		case ACT_DASHBOARD: done = true; break;
		case ACT_DOWN: move_sel(&d, 1); break;
		case ACT_UP: move_sel(&d, -1); break;
		case ACT_TOP:
			d.sel = 0;
			if (d.n && d.items[0].head)
				move_sel(&d, 1);
			break;
		case ACT_BOTTOM: d.sel = d.n ? d.n - 1 : 0; break;
		case ACT_OPEN: done = drill(&d); break;
		case ACT_PERIOD_PREV: change_period(&d, -1); break;
		case ACT_PERIOD_NEXT: change_period(&d, 1); break;
		case ACT_PERIOD_WEEK:
		case ACT_PERIOD_MONTH:
		case ACT_PERIOD_QUARTER:
			d.kind = act == ACT_PERIOD_WEEK ? UI_PERIOD_WEEK : act == ACT_PERIOD_MONTH ? UI_PERIOD_MONTH
				: UI_PERIOD_QUARTER;
			change_period(&d, 0);
			break;
		case ACT_REFRESH:
			if (build(&d, d.spec))
				ui_app_message(a, ROLE_MESSAGE, _("Reloaded"));
			break;
		case ACT_REDRAW:
			ui_term_invalidate();
			ui_term_clear();
			break;
		case ACT_HELP:
			ui_prompt_help(a);
			ui_term_clear();
			break;
		case ACT_CALL:
			ui_call_form(a, 0);
			ui_term_clear();
			rebuild_if_changed(&d);
			break;
		default: ui_term_beep(); break;
		}
		if (a->quit)
			break;
	}
	snprintf(a->dash_period, sizeof a->dash_period, "%s", d.spec);
	items_clear(&d);
	if (d.have)
		report_clear(&d.r);
}

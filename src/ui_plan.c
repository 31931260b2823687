/* ui_plan.c — maintenance plans in the console: the plan form, the list of plans and a maintenance
 * task's checklist. Data and every change go through plan.h; drawing through ui_term. */
#include "ui_plan.h"

#include "clock.h"
#include "i18n.h"
#include "plan.h"
#include "recur.h"
#include "strbuf.h"
#include "ticket.h"
#include "ui_edit.h"
#include "ui_term.h"
#include "utf8.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GENERATE_DAYS 14 /* tasks made at once after a plan is saved, as the calendar's add form did */

static const char *zone(const struct ui_app *a)
{
	return a->desk->cal.tz[0] ? a->desk->cal.tz : NULL;
}

/* "MM-DD HH:MM" of t in the desk's zone. */
static void short_time(const struct ui_app *a, wb_time t, char *buf, size_t n)
{
	char local[20];
	if (recur_utc_to_local(t, zone(a), local, sizeof local, NULL) != WB_OK) {
		snprintf(buf, n, "?");
		return;
	}
	snprintf(buf, n, "%.5s %.5s", local + 5, local + 11);
}

/* The first key bound to act in ctx (else globally), e.g. "e"; "" when none. */
static void key1(const struct ui_app *a, enum ui_ctx ctx, enum ui_action act, char *buf, size_t n)
{
	ui_keymap_keys_for(&a->keys, ctx, act, buf, n);
	if (!buf[0])
		ui_keymap_keys_for(&a->keys, UI_CTX_GLOBAL, act, buf, n);
	char *comma = strchr(buf, ',');
	if (comma)
		*comma = '\0';
}

/* The next key of a screen's loop. UI_KEY_QUIT_SIGNAL (a->quit set): the screen closes.
 * UI_KEY_TIMEOUT, also for a resize or a redraw (the size is read again): there is only to redraw.
 * Any other key comes back with the last message cleared. */
static int next_key(struct ui_app *a)
{
	int key = ui_term_key(-1);
	if (key == UI_KEY_QUIT_SIGNAL) {
		a->quit = true;
		return key;
	}
	if (key == UI_KEY_RESIZE || key == UI_KEY_REDRAW) {
		ui_term_size(&a->rows, &a->cols);
		ui_term_clear();
		return UI_KEY_TIMEOUT;
	}
	if (key != UI_KEY_TIMEOUT)
		a->msg[0] = '\0';
	return key;
}

static void bottom_line(struct ui_app *a, const char *help)
{
	if (a->msg[0])
		ui_term_text(a->rows - 1, 0, a->cols, a->msg, a->msg_role, UI_TEXT_PAD | UI_TEXT_ELLIPSIS);
	else
		ui_term_text(a->rows - 1, 0, a->cols, help, ROLE_STATUSBAR, UI_TEXT_PAD | UI_TEXT_ELLIPSIS);
}

/* ---------------------------------------------------------------- the plan form */

enum pf_field {
	PF_NAME, PF_KIND, PF_SYSTEM, PF_OWNER, PF_OFTEN, PF_RULE, PF_START, PF_DURATION, PF_TZ, PF_EXCEPT,
	PF_LEAD, PF_NOTIFY, PF_CHECKLIST, PF__COUNT
};

static const char *const presets[] = { "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "FREQ=DAILY", "FREQ=WEEKLY",
				       "FREQ=MONTHLY;BYDAY=2TU", "FREQ=MONTHLY" };
#define N_PRESETS (int)(sizeof presets / sizeof presets[0])

static const char *preset_label(int i)
{
	switch (i) {
	case 0: return _("every workday");
	case 1: return _("every day");
	case 2: return _("weekly on this weekday");
	case 3: return _("monthly on the second Tuesday");
	case 4: return _("monthly on this date");
	default: return _("another rule (type it below)");
	}
}

struct plan_form {
	struct plan p;                /* what is edited (id 0: a new plan); fields not on the form are kept */
	char *orig_system, *orig_owner;
	struct ui_line line[PF__COUNT]; /* the one-line fields */
	struct ui_text items;         /* the checklist, one item a line */
	int field;
	int kind, often;              /* often == N_PRESETS: a rule of its own */
	bool contacts;                /* notify the organisation's contacts */
};

static const char *field_label(int f)
{
	switch (f) {
	case PF_NAME: return _("Name");
	case PF_KIND: return _("Kind");
	case PF_SYSTEM: return _("System");
	case PF_OWNER: return _("Owner (login)");
	case PF_OFTEN: return _("How often");
	case PF_RULE: return _("Rule (RFC 5545)");
	case PF_START: return _("Start (YYYY-MM-DDTHH:MM)");
	case PF_DURATION: return _("Duration (minutes)");
	case PF_TZ: return _("Time zone");
	case PF_EXCEPT: return _("Except (dates, comma)");
	case PF_LEAD: return _("Notify hours ahead");
	case PF_NOTIFY: return _("Notify");
	default: return _("Checklist (an item a line)");
	}
}

static bool is_choice(int f)
{
	return f == PF_KIND || f == PF_OFTEN || f == PF_NOTIFY;
}

static void match_preset(struct plan_form *f)
{
	const char *rule = ui_line_text(&f->line[PF_RULE]);
	f->often = N_PRESETS;
	for (int i = 0; i < N_PRESETS; i++)
		if (!strcmp(rule, presets[i]))
			f->often = i;
}

static void form_init(struct plan_form *f, struct plan *p)
{
	memset(f, 0, sizeof *f);
	f->p = *p; /* the form owns it now */
	memset(p, 0, sizeof *p);
	f->orig_system = xstrdup(f->p.system ? f->p.system : "");
	f->orig_owner = xstrdup(f->p.owner ? f->p.owner : "");
	char dur[16], lead[16];
	snprintf(dur, sizeof dur, "%d", f->p.duration_min);
	snprintf(lead, sizeof lead, "%d", f->p.lead_hours);
	const char *text[PF__COUNT] = { 0 };
	text[PF_NAME] = f->p.name;
	text[PF_SYSTEM] = f->p.system;
	text[PF_OWNER] = f->p.owner;
	text[PF_RULE] = f->p.rrule;
	text[PF_START] = f->p.dtstart;
	text[PF_DURATION] = dur;
	text[PF_TZ] = f->p.tz;
	text[PF_EXCEPT] = f->p.exdates;
	text[PF_LEAD] = lead;
	for (int i = 0; i < PF__COUNT; i++)
		ui_line_init(&f->line[i], text[i] ? text[i] : "");
	struct strbuf b = STRBUF_INIT;
	for (size_t i = 0; i < f->p.n_items; i++)
		strbuf_addf(&b, "%s%s", i ? "\n" : "", f->p.items[i]);
	ui_text_init(&f->items, strbuf_str(&b));
	strbuf_free(&b);
	enum plan_kind k = PLAN_INSPECTION;
	if (f->p.kind)
		plan_kind_parse(f->p.kind, &k, NULL);
	f->kind = (int)k;
	f->contacts = f->p.notify && !strcmp(f->p.notify, "contacts");
	match_preset(f);
}

static void form_free(struct plan_form *f)
{
	for (int i = 0; i < PF__COUNT; i++)
		ui_line_free(&f->line[i]);
	ui_text_free(&f->items);
	plan_clear(&f->p);
	free(f->orig_system);
	free(f->orig_owner);
}

/* The field's text without spaces around it (newly allocated). */
static char *field_text(const struct plan_form *f, int i)
{
	const char *s = ui_line_text(&f->line[i]);
	while (*s == ' ')
		s++;
	size_t n = strlen(s);
	while (n && s[n - 1] == ' ')
		n--;
	return xstrndup(s, n);
}

static void set_str(char **dst, char *value, bool empty_is_null)
{
	free(*dst);
	if (empty_is_null && !*value) {
		free(value);
		value = NULL;
	}
	*dst = value;
}

static int field_int(struct plan_form *f, int i, int lo, int hi, int *out, struct wb_err *err)
{
	char *s = field_text(f, i), *end;
	long v = strtol(s, &end, 10);
	int rc = WB_OK;
	if (!*s || *end || v < lo || v > hi)
		rc = wb_err_set(err, WB_EINVAL, _("%s must be a number from %d to %d, not '%s'"), field_label(i), lo, hi, s);
	else
		*out = (int)v;
	free(s);
	if (rc)
		f->field = i;
	return rc;
}

/* The fields into f->p. */
static int form_apply(struct plan_form *f, struct wb_err *err)
{
	struct plan *p = &f->p;
	int rc;
	if ((rc = field_int(f, PF_DURATION, 1, 527040, &p->duration_min, err)) ||
	    (rc = field_int(f, PF_LEAD, 0, PLAN_LEAD_MAX_HOURS, &p->lead_hours, err)))
		return rc;
	set_str(&p->name, field_text(f, PF_NAME), false);
	set_str(&p->kind, xstrdup(plan_kind_name((enum plan_kind)f->kind)), false);
	char *system = field_text(f, PF_SYSTEM);
	if (strcmp(system, f->orig_system))
		p->system_id = 0; /* found again by name or number */
	set_str(&p->system, system, true);
	char *owner = field_text(f, PF_OWNER);
	if (strcmp(owner, f->orig_owner))
		p->owner_id = 0;
	set_str(&p->owner, owner, true);
	set_str(&p->rrule, field_text(f, PF_RULE), false);
	set_str(&p->dtstart, field_text(f, PF_START), false);
	set_str(&p->tz, field_text(f, PF_TZ), true);
	set_str(&p->exdates, field_text(f, PF_EXCEPT), true);
	set_str(&p->notify, xstrdup(f->contacts ? "contacts" : "none"), false);
	char *items = ui_text_join(&f->items);
	plan_set_checklist(p, items);
	free(items);
	return WB_OK;
}

static void draw_form(struct ui_app *a, struct plan_form *f)
{
	char *title = f->p.id ? xasprintf(_(" Edit maintenance plan #%lld"), (long long)f->p.id)
			      : xstrdup(_(" New maintenance plan"));
	ui_term_text(0, 0, a->cols, title, ROLE_TOPBAR, UI_TEXT_PAD | UI_TEXT_ELLIPSIS);
	free(title);
	ui_term_fill(1, 0, a->cols, ROLE_NORMAL);
	int lw = 26, x = lw + 1, w = a->cols - x - 1;
	int y = 2, cy = -1, cx = 0;
	for (int fl = 0; fl < PF__COUNT; fl++) {
		ui_term_text(y, 0, x, field_label(fl), fl == f->field ? ROLE_HEADER : ROLE_FIELD_LABEL,
			     UI_TEXT_PAD | UI_TEXT_ELLIPSIS);
		if (fl == PF_CHECKLIST) {
			int h = a->rows - 2 - y;
			if (h < 1)
				h = 1;
			for (int i = 1; i < h; i++)
				ui_term_fill(y + i, 0, x, ROLE_NORMAL);
			ui_text_draw(&f->items, y, x, h, w, ROLE_INPUT);
			if (fl == f->field) {
				struct ui_line *l = &f->items.lines[f->items.row];
				cy = y + (int)(f->items.row - f->items.top);
				cx = x + ui_line_cursor_cells(l) - l->scroll;
			}
			y += h;
			break;
		}
		if (is_choice(fl)) {
			const char *v = fl == PF_KIND ? plan_kind_label((enum plan_kind)f->kind)
				      : fl == PF_OFTEN ? preset_label(f->often)
				      : f->contacts ? _("the organisation's contacts") : _("nobody");
			char *s = xasprintf("◀ %s ▶", v);
			ui_term_text(y, x, w, s, fl == f->field ? ROLE_SELECTED : ROLE_FIELD_VALUE,
				     UI_TEXT_PAD | UI_TEXT_ELLIPSIS);
			free(s);
		} else {
			int c = ui_line_draw(&f->line[fl], y, x, w, ROLE_INPUT);
			if (fl == f->field)
				cy = y, cx = c;
		}
		y++;
		if (fl == PF_RULE) {
			/* the schedule in words, from what the fields say now */
			struct recur_spec spec = { ui_line_text(&f->line[PF_RULE]), ui_line_text(&f->line[PF_START]),
						   ui_line_text(&f->line[PF_TZ]), 0, NULL, 0 };
			char *words = recur_describe(&spec);
			char *s = xasprintf("= %s", words);
			ui_term_fill(y, 0, x, ROLE_NORMAL);
			ui_term_text(y, x, w, s, ROLE_DIM, UI_TEXT_PAD | UI_TEXT_ELLIPSIS);
			free(s);
			free(words);
			y++;
		}
	}
	for (; y < a->rows - 1; y++)
		ui_term_fill(y, 0, a->cols, ROLE_NORMAL);
	char save[48], cancel[48];
	key1(a, UI_CTX_FORM, ACT_SAVE, save, sizeof save);
	key1(a, UI_CTX_FORM, ACT_CANCEL, cancel, sizeof cancel);
	char *help = xasprintf(_(" Tab/↑↓ next field · ←→ change a choice · %s save · %s cancel"), save, cancel);
	bottom_line(a, help);
	free(help);
	ui_term_cursor(cy, cx);
	ui_term_flush();
}

static bool form_save(struct ui_app *a, struct plan_form *f)
{
	struct wb_err err = { 0 };
	int64_t id = f->p.id;
	int created = 0;
	int rc = form_apply(f, &err);
	if (rc == WB_OK)
		rc = id ? plan_update(a->desk, &f->p, &err) : plan_add(a->desk, &f->p, &id, &err);
	if (rc != WB_OK) {
		ui_app_error(a, &err);
		return false;
	}
	if (plan_generate_ahead(a->desk, GENERATE_DAYS, &created, &err) != WB_OK)
		ui_app_error(a, &err);
	else if (f->p.id)
		ui_app_message(a, ROLE_MESSAGE, _("Plan #%lld saved; %d new tasks for the next two weeks"), (long long)id,
			       created);
	else
		ui_app_message(a, ROLE_MESSAGE, _("Plan #%lld added; %d tasks for the next two weeks"), (long long)id,
			       created);
	return true;
}

static void form_step(struct plan_form *f, int dir)
{
	f->field = (f->field + dir + PF__COUNT) % PF__COUNT;
}

/* Runs the form on p (taken over). True when saved. */
static bool run_form(struct ui_app *a, struct plan *p)
{
	struct plan_form f;
	form_init(&f, p);
	bool saved = false;
	a->msg[0] = '\0';
	ui_term_clear();
	for (;;) {
		if (ui_term_too_small())
			ui_term_draw_too_small();
		else
			draw_form(a, &f);
		int key = next_key(a);
		if (key == UI_KEY_QUIT_SIGNAL)
			break;
		if (key == UI_KEY_TIMEOUT)
			continue;
		enum ui_action act = ui_keymap_lookup(&a->keys, UI_CTX_FORM, key);
		bool in_items = f.field == PF_CHECKLIST;
		if (in_items && ((key == UI_KEY_UP && f.items.row > 0) || (key == UI_KEY_DOWN && f.items.row + 1 < f.items.n)))
			act = ACT_NONE; /* moves between the checklist's lines */
		if (act == ACT_CANCEL)
			break;
		if (act == ACT_SAVE) {
			if ((saved = form_save(a, &f)))
				break;
			continue;
		}
		if (act == ACT_NEXT_FIELD || act == ACT_PREV_FIELD) {
			form_step(&f, act == ACT_NEXT_FIELD ? 1 : -1);
			continue;
		}
		if (in_items) {
			if (!ui_text_key(&f.items, key, 4))
				ui_term_beep();
			continue;
		}
		if (key == UI_KEY_ENTER) {
			form_step(&f, 1);
			continue;
		}
		if (is_choice(f.field)) {
			int dir = key == UI_KEY_LEFT ? -1 : key == UI_KEY_RIGHT || key == ' ' ? 1 : 0;
			if (!dir) {
				ui_term_beep();
			} else if (f.field == PF_KIND) {
				f.kind = (f.kind + dir + PLAN_KIND_COUNT) % PLAN_KIND_COUNT;
			} else if (f.field == PF_NOTIFY) {
				f.contacts = !f.contacts;
			} else {
				f.often = (f.often + dir + N_PRESETS + 1) % (N_PRESETS + 1);
				if (f.often < N_PRESETS)
					ui_line_set(&f.line[PF_RULE], presets[f.often]);
			}
			continue;
		}
		if (!ui_line_key(&f.line[f.field], key))
			ui_term_beep();
		else if (f.field == PF_RULE)
			match_preset(&f);
	}
	form_free(&f);
	ui_term_cursor(-1, 0);
	ui_term_clear();
	a->dirty = UI_DIRTY_ALL;
	return saved;
}

bool ui_plan_add(struct ui_app *a, const char *date)
{
	char today[20];
	if (!date) {
		if (recur_utc_to_local(clock_now(), zone(a), today, sizeof today, NULL) != WB_OK)
			snprintf(today, sizeof today, "2026-01-01");
		today[10] = '\0';
		date = today;
	}
	struct plan p = { 0 };
	p.kind = xstrdup("inspection");
	p.rrule = xstrdup(presets[0]);
	p.dtstart = xasprintf("%.10sT09:00", date);
	p.tz = zone(a) ? xstrdup(zone(a)) : NULL;
	p.duration_min = 30;
	p.lead_hours = 24;
	p.notify = xstrdup("none");
	return run_form(a, &p);
}

bool ui_plan_edit(struct ui_app *a, int64_t id)
{
	struct plan p;
	struct wb_err err = { 0 };
	if (plan_get(a->desk, id, &p, &err) != WB_OK) {
		ui_app_error(a, &err);
		return false;
	}
	return run_form(a, &p);
}

int64_t ui_plan_of_task(struct ui_app *a, int64_t ticket_id)
{
	struct plan p;
	struct plan_result *r = NULL;
	size_t n = 0;
	struct wb_err err = { 0 };
	int rc = plan_task_checklist(a->desk, ticket_id, &p, &r, &n, &err);
	if (rc == WB_ENOTFOUND) {
		ui_app_message(a, ROLE_ERROR, _("#%lld is not the task of a maintenance plan"), (long long)ticket_id);
		return 0;
	}
	if (rc) {
		ui_app_error(a, &err);
		return 0;
	}
	int64_t id = p.id;
	plan_clear(&p);
	plan_results_free(&r, n);
	return id;
}

/* ---------------------------------------------------------------- the list of plans */

struct plan_rows {
	struct plan *v;
	size_t n;
	char **sched, **next; /* per plan: the schedule in words, the next start ("MM-DD HH:MM" or "-") */
};

static void rows_free(struct plan_rows *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->sched[i]);
		free(r->next[i]);
	}
	free(r->sched);
	free(r->next);
	plans_free(&r->v, r->n);
	memset(r, 0, sizeof *r);
}

static void rows_load(struct ui_app *a, struct plan_rows *r)
{
	rows_free(r);
	struct wb_err err = { 0 };
	if (plan_list(a->desk, false, &r->v, &r->n, &err) != WB_OK) {
		ui_app_error(a, &err);
		return;
	}
	r->sched = xcalloc(r->n ? r->n : 1, sizeof *r->sched);
	r->next = xcalloc(r->n ? r->n : 1, sizeof *r->next);
	wb_time now = clock_now(), t;
	for (size_t i = 0; i < r->n; i++) {
		r->sched[i] = plan_schedule_text(&r->v[i]);
		char buf[24] = "-";
		if (plan_next_start(&r->v[i], now, &t))
			short_time(a, t, buf, sizeof buf);
		r->next[i] = xstrdup(buf);
	}
}

static char *cells(const char *const *v, const int *w, size_t n)
{
	struct strbuf b = STRBUF_INIT;
	for (size_t i = 0; i < n; i++) {
		char *c = utf8_pad(v[i] ? v[i] : "", w[i]);
		strbuf_addf(&b, " %s", c);
		free(c);
	}
	return strbuf_detach(&b);
}

static void draw_list(struct ui_app *a, const struct plan_rows *r, size_t sel, size_t *top)
{
	char *title = xasprintf(_(" Maintenance plans (%zu)"), r->n);
	ui_term_text(0, 0, a->cols, title, ROLE_TOPBAR, UI_TEXT_PAD | UI_TEXT_ELLIPSIS);
	free(title);
	int rest = a->cols - (5 + 19 + 11 + 16 + 12) - 1;
	if (rest < 8)
		rest = 8;
	const int w[] = { 4, 18, 10, 15, 11, rest };
	const char *head[] = { _("ID"), _("NAME"), _("SYSTEM"), _("KIND"), _("NEXT"), _("SCHEDULE") };
	char *h = cells(head, w, 6);
	ui_term_text(1, 0, a->cols, h, ROLE_HEADER, UI_TEXT_PAD | UI_TEXT_ELLIPSIS);
	free(h);
	int room = a->rows - 4; /* title, heading, detail line, bottom line */
	if (room < 1)
		room = 1;
	if (sel < *top)
		*top = sel;
	if (sel >= *top + (size_t)room)
		*top = sel - (size_t)room + 1;
	for (int i = 0; i < room; i++) {
		size_t k = *top + (size_t)i;
		if (k >= r->n) {
			ui_term_fill(2 + i, 0, a->cols, ROLE_NORMAL);
			continue;
		}
		char id[24];
		snprintf(id, sizeof id, "%lld", (long long)r->v[k].id);
		const char *v[] = { id, r->v[k].name, r->v[k].system, plan_kind_label_of(r->v[k].kind), r->next[k],
				    r->sched[k] };
		char *line = cells(v, w, 6);
		ui_term_text(2 + i, 0, a->cols, line, k == sel ? ROLE_SELECTED : ROLE_NORMAL, UI_TEXT_PAD | UI_TEXT_ELLIPSIS);
		free(line);
	}
	if (!r->n)
		ui_term_text(3, 2, a->cols - 2, _("No maintenance plans yet."), ROLE_DIM, 0);
	char *detail = NULL;
	if (sel < r->n) {
		const struct plan *p = &r->v[sel];
		detail = xasprintf(_(" %s · %s · %zu checklist items · owner %s"), r->sched[sel], p->rrule,
				   p->n_items, p->owner && *p->owner ? p->owner : _("nobody"));
	}
	ui_term_text(a->rows - 2, 0, a->cols, detail ? detail : "", ROLE_DIM, UI_TEXT_PAD | UI_TEXT_ELLIPSIS);
	free(detail);
	char ke[16], ka[16], kd[16], kq[16];
	key1(a, UI_CTX_PLANS, ACT_EDIT_PLAN, ke, sizeof ke);
	key1(a, UI_CTX_PLANS, ACT_ADD_PLAN, ka, sizeof ka);
	key1(a, UI_CTX_PLANS, ACT_REMOVE, kd, sizeof kd);
	key1(a, UI_CTX_PLANS, ACT_QUIT, kq, sizeof kq);
	char *help = xasprintf(_(" ↑↓ choose · %s edit · %s add · %s remove · %s back"), ke, ka, kd, kq);
	bottom_line(a, help);
	free(help);
	ui_term_flush();
}

void ui_plan_list(struct ui_app *a)
{
	struct plan_rows r = { 0 };
	size_t sel = 0, top = 0;
	rows_load(a, &r);
	ui_term_clear();
	for (;;) {
		if (ui_term_too_small())
			ui_term_draw_too_small();
		else
			draw_list(a, &r, sel, &top);
		int key = next_key(a);
		if (key == UI_KEY_QUIT_SIGNAL)
			break;
		if (key == UI_KEY_TIMEOUT)
			continue;
		enum ui_action act = ui_keymap_lookup(&a->keys, UI_CTX_PLANS, key);
		if (act == ACT_QUIT)
			break;
		switch (act) {
		case ACT_DOWN: if (sel + 1 < r.n) sel++; break;
		case ACT_UP: if (sel > 0) sel--; break;
		case ACT_TOP: sel = 0; break;
		case ACT_BOTTOM: sel = r.n ? r.n - 1 : 0; break;
		case ACT_HELP: ui_prompt_help_at(a, UI_CTX_PLANS); break;
		case ACT_REFRESH: rows_load(a, &r); break;
		case ACT_EDIT_PLAN:
			if (sel < r.n && ui_plan_edit(a, r.v[sel].id))
				rows_load(a, &r);
			break;
		case ACT_ADD_PLAN:
			if (ui_plan_add(a, NULL)) {
				rows_load(a, &r);
				sel = r.n ? r.n - 1 : 0; /* the newest plan comes last */
			}
			break;
		case ACT_REMOVE: {
			if (sel >= r.n)
				break;
			char *q = xasprintf(_("Remove plan #%lld '%s'? Untouched future tasks are cancelled (y/n) "),
					    (long long)r.v[sel].id, r.v[sel].name);
			bool yes = ui_prompt_yes(a, q);
			free(q);
			if (!yes)
				break;
			struct wb_err err = { 0 };
			int64_t id = r.v[sel].id;
			if (plan_remove(a->desk, id, &err) != WB_OK) {
				ui_app_error(a, &err);
				break;
			}
			rows_load(a, &r);
			if (sel >= r.n && sel)
				sel--;
			ui_app_message(a, ROLE_MESSAGE, _("Plan #%lld removed"), (long long)id);
			break;
		}
		default:
			if (a->quit)
				break;
			ui_term_beep();
			break;
		}
		if (a->quit)
			break;
	}
	rows_free(&r);
	ui_term_clear();
	a->dirty = UI_DIRTY_ALL;
}

/* ---------------------------------------------------------------- a task's checklist */

struct checklist {
	int64_t ticket_id;
	struct plan p;
	struct plan_result *r;
	size_t nr;
	struct ticket *t;
};

static const struct plan_result *result_of(const struct checklist *c, size_t item)
{
	for (size_t j = 0; j < c->nr; j++)
		if (c->r[j].pos == (int)item + 1)
			return &c->r[j];
	return NULL;
}

static void checklist_free(struct checklist *c)
{
	plan_clear(&c->p);
	plan_results_free(&c->r, c->nr);
	c->nr = 0;
	ticket_free(&c->t);
}

static int checklist_load(struct ui_app *a, struct checklist *c, struct wb_err *err)
{
	checklist_free(c);
	int rc = plan_task_checklist(a->desk, c->ticket_id, &c->p, &c->r, &c->nr, err);
	if (rc == WB_OK)
		rc = desk_ticket_get(a->desk, c->ticket_id, &c->t, err);
	return rc;
}

static const char *result_label(const char *r)
{
	return !strcmp(r, "ok") ? _("ok") : !strcmp(r, "failed") ? _("failed") : _("note");
}

static size_t ticked(const struct checklist *c)
{
	size_t n = 0;
	for (size_t i = 0; i < c->p.n_items; i++)
		n += result_of(c, i) != NULL;
	return n;
}

static void draw_checklist(struct ui_app *a, const struct checklist *c, size_t sel)
{
	char *title = xasprintf(_(" Checklist of #%lld  %s"), (long long)c->ticket_id, c->t->subject ? c->t->subject : "");
	ui_term_text(0, 0, a->cols, title, ROLE_TOPBAR, UI_TEXT_PAD | UI_TEXT_ELLIPSIS);
	free(title);
	char *head = xasprintf(_(" %s · %s · %zu of %zu ticked"), c->p.name, ticket_status_label(c->t->status),
			       ticked(c), c->p.n_items);
	ui_term_text(1, 0, a->cols, head, ROLE_HEADER, UI_TEXT_PAD | UI_TEXT_ELLIPSIS);
	free(head);
	int tw = a->cols - (1 + 3 + 5 + 7 + 11 + 12) - 18;
	if (tw < 12)
		tw = 12;
	int room = a->rows - 3;
	size_t first = sel >= (size_t)room ? sel - (size_t)room + 1 : 0;
	for (int i = 0; i < room; i++) {
		size_t k = first + (size_t)i;
		int y = 2 + i;
		if (k >= c->p.n_items) {
			ui_term_fill(y, 0, a->cols, ROLE_NORMAL);
			continue;
		}
		const struct plan_result *r = result_of(c, k);
		char *text = utf8_pad(c->p.items[k], tw);
		char when[24] = "";
		if (r)
			short_time(a, r->at, when, sizeof when);
		char *res = utf8_pad(r ? result_label(r->result) : "", 6);
		char *who = utf8_pad(r && r->user ? r->user : "", 10);
		char *line = xasprintf(" %s %2zu. %s  %s %s %s  %s", r ? "[x]" : "[ ]", k + 1, text, res, who, when,
				       r && r->note ? r->note : "");
		enum ui_role role = k == sel ? ROLE_SELECTED
				  : !r ? ROLE_NORMAL
				  : !strcmp(r->result, "failed") ? ROLE_SLA_BREACHED
				  : !strcmp(r->result, "note") ? ROLE_NOTE : ROLE_SLA_OK;
		ui_term_text(y, 0, a->cols, line, role, UI_TEXT_PAD | UI_TEXT_ELLIPSIS);
		free(line);
		free(text);
		free(res);
		free(who);
	}
	char ko[16], kf[16], kn[16], ke[16], kq[16];
	key1(a, UI_CTX_CHECKLIST, ACT_CHECK_OK, ko, sizeof ko);
	key1(a, UI_CTX_CHECKLIST, ACT_CHECK_FAILED, kf, sizeof kf);
	key1(a, UI_CTX_CHECKLIST, ACT_CHECK_NOTE, kn, sizeof kn);
	key1(a, UI_CTX_CHECKLIST, ACT_EDIT_PLAN, ke, sizeof ke);
	key1(a, UI_CTX_CHECKLIST, ACT_QUIT, kq, sizeof kq);
	char *help = xasprintf(_(" ↑↓ choose · %s ok · %s failed · %s note · %s edit the plan · %s back"), ko, kf, kn, ke,
			       kq);
	bottom_line(a, help);
	free(help);
	ui_term_flush();
}

/* Ticks item sel with result (asking for the note when needed); says what became of the task. */
static void tick(struct ui_app *a, struct checklist *c, size_t *sel, const char *result)
{
	char *note = NULL;
	if (!strcmp(result, "note") || !strcmp(result, "failed")) {
		const char *q = !strcmp(result, "note") ? _("Note: ") : _("What failed (optional): ");
		if (!ui_prompt_line(a, q, "", NULL, 0, &note))
			return;
		if (!strcmp(result, "note") && !*note) {
			free(note);
			ui_app_message(a, ROLE_ERROR, "%s", _("a note needs its text"));
			return;
		}
	}
	struct wb_err err = { 0 };
	int item = (int)*sel + 1;
	int rc = plan_check(a->desk, c->ticket_id, item, result, note && *note ? note : NULL, &err);
	free(note);
	if (rc == WB_OK)
		rc = checklist_load(a, c, &err);
	if (rc != WB_OK) {
		ui_app_error(a, &err);
		return;
	}
	size_t done = ticked(c);
	if (done == c->p.n_items) {
		if (c->t->status == STATUS_RESOLVED)
			ui_app_message(a, ROLE_MESSAGE, _("Every item ticked: task #%lld resolved"), (long long)c->ticket_id);
		else
			ui_app_message(a, ROLE_MESSAGE, _("Every item ticked; task #%lld stays %s (an item failed, or its status does not allow resolving)"),
				       (long long)c->ticket_id, ticket_status_label(c->t->status));
		return;
	}
	ui_app_message(a, ROLE_MESSAGE, _("Item %d ticked: %s (%zu of %zu)"), item, result_label(result), done,
		       c->p.n_items);
	/* on to the next item not ticked yet */
	for (size_t k = 1; k <= c->p.n_items; k++) {
		size_t i = (*sel + k) % c->p.n_items;
		if (!result_of(c, i)) {
			*sel = i;
			break;
		}
	}
}

void ui_plan_checklist(struct ui_app *a, int64_t ticket_id)
{
	struct checklist c = { 0 };
	c.ticket_id = ticket_id;
	struct wb_err err = { 0 };
	int rc = checklist_load(a, &c, &err);
	if (rc == WB_ENOTFOUND && !c.t) {
		ui_app_message(a, ROLE_ERROR, _("#%lld is not the task of a maintenance plan"), (long long)ticket_id);
		checklist_free(&c);
		return;
	}
	if (rc) {
		ui_app_error(a, &err);
		checklist_free(&c);
		return;
	}
	if (!c.p.n_items) {
		ui_app_message(a, ROLE_ERROR, _("plan '%s' has no checklist"), c.p.name);
		checklist_free(&c);
		return;
	}
	size_t sel = 0;
	while (sel + 1 < c.p.n_items && result_of(&c, sel))
		sel++; /* start at the first item not ticked */
	a->msg[0] = '\0';
	ui_term_clear();
	for (;;) {
		if (ui_term_too_small())
			ui_term_draw_too_small();
		else
			draw_checklist(a, &c, sel);
		int key = next_key(a);
		if (key == UI_KEY_QUIT_SIGNAL)
			break;
		if (key == UI_KEY_TIMEOUT)
			continue;
		enum ui_action act = ui_keymap_lookup(&a->keys, UI_CTX_CHECKLIST, key);
		if (act == ACT_QUIT)
			break;
		switch (act) {
		case ACT_DOWN: if (sel + 1 < c.p.n_items) sel++; break;
		case ACT_UP: if (sel > 0) sel--; break;
		case ACT_HELP: ui_prompt_help_at(a, UI_CTX_CHECKLIST); break;
		case ACT_CHECK_OK: tick(a, &c, &sel, "ok"); break;
		case ACT_CHECK_FAILED: tick(a, &c, &sel, "failed"); break;
		case ACT_CHECK_NOTE: tick(a, &c, &sel, "note"); break;
		case ACT_EDIT_PLAN:
			ui_plan_edit(a, c.p.id);
			if (checklist_load(a, &c, &err) != WB_OK || !c.p.n_items) {
				if (!c.p.n_items)
					ui_app_message(a, ROLE_ERROR, _("plan '%s' has no checklist"), c.p.name ? c.p.name : "");
				else
					ui_app_error(a, &err);
				goto out;
			}
			if (sel >= c.p.n_items)
				sel = c.p.n_items - 1;
			break;
		default:
			ui_term_beep();
			break;
		}
		if (a->quit)
			break;
		ui_term_clear(); /* the prompts drew over the list */
	}
out:
	checklist_free(&c);
	ui_term_clear();
	a->dirty = UI_DIRTY_ALL;
}

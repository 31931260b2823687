/* ui_call.c — logging a phone call: caller lookup as you type, a running timer, and saving as a new
 * phone ticket or onto one of the caller's open tickets. The common path is: c, the number, Tab, the
 * note, C-x. */
#include "ui_app.h"

#include "clock.h"
#include "desk_lookup.h"
#include "i18n.h"
#include "strbuf.h"
#include "ui_edit.h"
#include "ui_term.h"
#include "utf8.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum field { F_CALLER, F_NOTES, F_SUBJECT, F_KIND, F_SYSTEM, F_NAME, F_TICKET, F__COUNT };

#define MAX_MATCHES 3
#define NOTES_ROWS 4
#define POLL_FORM_MS 250

struct call_form {
	struct ui_line caller, subject, system, name;
	struct ui_text notes;
	int field;
	int kind;
	struct contact *matches;
	size_t nmatches;
	size_t hl;                 /* highlighted match; == nmatches means "a new caller" */
	int64_t contact_id;        /* the chosen caller, 0 = new */
	struct ticket_list open;   /* the chosen caller's open tickets */
	size_t target;             /* 0 = a new ticket, k = open.items[k-1] */
	int64_t from_ticket;
	wb_time started;
	char last_lookup[256];
};

static const char *field_label(int f)
{
	switch (f) {
	case F_CALLER: return _("Caller (phone, email or name)");
	case F_NOTES: return _("Notes");
	case F_SUBJECT: return _("Subject");
	case F_KIND: return _("Kind");
	case F_SYSTEM: return _("System");
	case F_NAME: return _("Name of a new caller");
	default: return _("Save to");
	}
}

static void choose_contact(struct ui_app *a, struct call_form *f)
{
	int64_t id = f->hl < f->nmatches ? f->matches[f->hl].id : 0;
	if (id == f->contact_id && (id || !f->open.n))
		return;
	f->contact_id = id;
	ticket_list_free(&f->open);
	f->target = 0;
	if (!id)
		return;
	struct wb_err err = { 0 };
	if (desk_lookup_open_tickets(a->desk, id, 9, &f->open, &err) != WB_OK) {
		ui_app_error(a, &err);
		return;
	}
	for (size_t i = 0; i < f->open.n; i++)
		if (f->open.items[i].id == f->from_ticket)
			f->target = i + 1; /* opened from this ticket: the call goes on it */
}

static void lookup(struct ui_app *a, struct call_form *f)
{
	const char *typed = ui_line_text(&f->caller);
	if (!strcmp(typed, f->last_lookup))
		return;
	snprintf(f->last_lookup, sizeof f->last_lookup, "%s", typed);
	desk_lookup_contacts_free(&f->matches, f->nmatches);
	f->nmatches = 0;
	struct wb_err err = { 0 };
	if (*typed && desk_lookup_contacts(a->desk, typed, MAX_MATCHES, &f->matches, &f->nmatches, &err) != WB_OK)
		ui_app_error(a, &err);
	f->hl = 0;
	choose_contact(a, f);
}

static void draw_form(struct ui_app *a, struct call_form *f)
{
	int secs = (int)(clock_now() - f->started);
	char *title = xasprintf(_(" Log a phone call    ⏱ %02d:%02d"), secs / 60, secs % 60);
	ui_term_text(0, 0, a->cols, title, ROLE_TOPBAR, UI_TEXT_PAD);
	free(title);
	int lw = 30, x = lw + 2, w = a->cols - x - 1;
	int y = 2;
	int cursor_y = -1, cursor_x = 0;
	for (int fl = 0; fl < F__COUNT; fl++) {
		enum ui_role lrole = fl == f->field ? ROLE_HEADER : ROLE_FIELD_LABEL;
		ui_term_text(y, 0, x, field_label(fl), lrole, UI_TEXT_PAD | UI_TEXT_ELLIPSIS);
		switch (fl) {
		case F_CALLER: {
			int cx = ui_line_draw(&f->caller, y, x, w, ROLE_INPUT);
			if (fl == f->field) {
				cursor_y = y;
				cursor_x = cx;
			}
			/* matches under the field */
			for (size_t i = 0; i <= MAX_MATCHES; i++) {
				int yy = y + 1 + (int)i;
				char *line = NULL;
				if (i < f->nmatches) {
					const struct contact *c = &f->matches[i];
					line = xasprintf("  %s  %s  %s  %s", c->name ? c->name : "", c->phone ? c->phone : "",
							 c->email ? c->email : "", c->org ? c->org : "");
				} else if (i == f->nmatches && *ui_line_text(&f->caller)) {
					line = xstrdup(_("  (a new caller)"));
				}
				ui_term_fill(yy, 0, x, ROLE_NORMAL);
				ui_term_text(yy, x, w, line ? line : "", line && i == f->hl ? ROLE_SELECTED : ROLE_NORMAL,
					     UI_TEXT_PAD | UI_TEXT_ELLIPSIS);
				free(line);
			}
			y += MAX_MATCHES + 2;
			continue;
		}
		case F_NOTES:
			ui_text_draw(&f->notes, y, x, NOTES_ROWS, w, ROLE_INPUT);
			for (int i = 1; i < NOTES_ROWS; i++)
				ui_term_fill(y + i, 0, x, ROLE_NORMAL);
			if (fl == f->field) {
				struct ui_line *l = &f->notes.lines[f->notes.row];
				cursor_y = y + (int)(f->notes.row - f->notes.top);
				cursor_x = x + ui_line_cursor_cells(l) - l->scroll;
			}
			y += NOTES_ROWS + 1;
			continue;
		case F_SUBJECT:
		case F_SYSTEM:
		case F_NAME: {
			struct ui_line *l = fl == F_SUBJECT ? &f->subject : fl == F_SYSTEM ? &f->system : &f->name;
			int cx = ui_line_draw(l, y, x, w, ROLE_INPUT);
			if (fl == f->field) {
				cursor_y = y;
				cursor_x = cx;
			}
			break;
		}
		case F_KIND: {
			char *v = xasprintf("◀ %s ▶", ticket_kind_label((enum ticket_kind)f->kind));
			ui_term_text(y, x, w, v, fl == f->field ? ROLE_SELECTED : ROLE_FIELD_VALUE, UI_TEXT_PAD);
			free(v);
			break;
		}
		case F_TICKET: {
			char *v;
			if (f->target == 0)
				v = xasprintf("◀ %s ▶", _("a new phone ticket"));
			else
				v = xasprintf("◀ #%lld %s ▶", (long long)f->open.items[f->target - 1].id,
					      f->open.items[f->target - 1].subject);
			ui_term_text(y, x, w, v, fl == f->field ? ROLE_SELECTED : ROLE_FIELD_VALUE,
				     UI_TEXT_PAD | UI_TEXT_ELLIPSIS);
			free(v);
			break;
		}
		}
		y += 1;
	}
	for (; y < a->rows - 1; y++)
		ui_term_fill(y, 0, a->cols, ROLE_NORMAL);
	char save[48], cancel[48];
	ui_keymap_keys_for(&a->keys, UI_CTX_FORM, ACT_SAVE, save, sizeof save);
	ui_keymap_keys_for(&a->keys, UI_CTX_FORM, ACT_CANCEL, cancel, sizeof cancel);
	if (a->msg[0]) {
		ui_term_text(a->rows - 1, 0, a->cols, a->msg, a->msg_role, UI_TEXT_PAD | UI_TEXT_ELLIPSIS);
	} else {
		char *help = xasprintf(_(" Tab next field · Up/Down pick the caller · Left/Right change a choice · %s save · %s cancel"),
				       save, cancel);
		ui_term_text(a->rows - 1, 0, a->cols, help, ROLE_STATUSBAR, UI_TEXT_PAD | UI_TEXT_ELLIPSIS);
		free(help);
	}
	ui_term_cursor(cursor_y, cursor_x);
	ui_term_flush();
}

static bool blank(const char *s)
{
	for (; s && *s; s++)
		if (*s != ' ' && *s != '\n' && *s != '\t')
			return false;
	return true;
}

static int save_call(struct ui_app *a, struct call_form *f, int64_t *ticket_id, bool *created, struct wb_err *err)
{
	int secs = (int)(clock_now() - f->started);
	int minutes = (secs + 59) / 60;
	if (minutes < 1)
		minutes = 1;
	char *notes = ui_text_join(&f->notes);
	const char *caller = ui_line_text(&f->caller);
	int rc;
	if (f->target) {
		int64_t id = f->open.items[f->target - 1].id;
		struct desk_message m = { 0 };
		m.kind = MSG_CALL;
		m.body = blank(notes) ? _("(phone call, no notes)") : notes;
		m.minutes = minutes;
		m.author_contact_id = f->contact_id;
		rc = desk_ticket_add_message(a->desk, id, &m, 0, NULL, err);
		*ticket_id = id;
		*created = false;
	} else {
		struct ticket_draft td;
		ticket_draft_init(&td);
		char *subject = NULL;
		if (!blank(ui_line_text(&f->subject))) {
			subject = xstrdup(ui_line_text(&f->subject));
		} else if (!blank(notes)) {
			/* the first line of the notes, cut to a readable length */
			size_t n = strcspn(notes, "\n");
			char *first = xstrndup(notes, n);
			size_t fit = utf8_fit(first, 60, NULL);
			subject = xstrndup(first, fit);
			free(first);
		} else {
			subject = xasprintf(_("Phone call from %s"), caller);
		}
		td.subject = subject;
		td.body = blank(notes) ? _("(phone call, no notes)") : notes;
		td.kind = (enum ticket_kind)f->kind;
		td.channel = CHANNEL_PHONE;
		td.system = blank(ui_line_text(&f->system)) ? NULL : ui_line_text(&f->system);
		td.first.kind = MSG_CALL;
		td.first.minutes = minutes;
		if (f->contact_id) {
			td.requester_id = f->contact_id;
			td.first.author_contact_id = f->contact_id;
		} else if (strchr(caller, '@')) {
			td.requester_email = caller;
		} else if (contact_looks_like_phone(caller)) {
			td.requester_phone = caller;
		}
		if (!blank(ui_line_text(&f->name)))
			td.requester_name = ui_line_text(&f->name);
		if (!td.requester_id && !td.requester_email && !td.requester_phone) {
			free(subject);
			free(notes);
			return wb_err_set(err, WB_EINVAL,
					  _("type the caller's phone number or email, or pick a known caller"));
		}
		rc = desk_ticket_create(a->desk, &td, ticket_id, err);
		*created = true;
		free(subject);
	}
	free(notes);
	return rc;
}

void ui_call_form(struct ui_app *a, int64_t from_ticket)
{
	struct call_form f;
	memset(&f, 0, sizeof f);
	ui_line_init(&f.caller, "");
	ui_line_init(&f.subject, "");
	ui_line_init(&f.system, "");
	ui_line_init(&f.name, "");
	ui_text_init(&f.notes, "");
	f.kind = KIND_QUESTION;
	f.from_ticket = from_ticket;
	f.started = clock_now();
	if (from_ticket && a->ticket && a->ticket->id == from_ticket) {
		/* calling about the open ticket: its requester is the caller, the call goes on it */
		const struct ticket *t = a->ticket;
		const char *who = t->requester_phone ? t->requester_phone : t->requester_email;
		if (who) {
			ui_line_set(&f.caller, who);
			lookup(a, &f);
			for (size_t i = 0; i < f.nmatches; i++)
				if (f.matches[i].id == t->requester_id) {
					f.hl = i;
					choose_contact(a, &f);
				}
			f.field = F_NOTES;
		}
		f.kind = t->kind;
	}
	a->msg[0] = '\0';
	ui_term_clear();
	int last_sec = -1;
	bool done = false;
	while (!done) {
		int sec = (int)(clock_now() - f.started);
		(void)last_sec;
		last_sec = sec;
		draw_form(a, &f);
		int key = ui_term_key(POLL_FORM_MS);
		if (key == UI_KEY_TIMEOUT)
			continue;
		if (key == UI_KEY_QUIT_SIGNAL) {
			a->quit = true;
			break;
		}
		if (key == UI_KEY_RESIZE || key == UI_KEY_REDRAW) {
			ui_term_size(&a->rows, &a->cols);
			ui_term_clear();
			continue;
		}
		a->msg[0] = '\0';
		enum ui_action act = ui_keymap_lookup(&a->keys, UI_CTX_FORM, key);
		/* keys a field uses itself come first */
		if (f.field == F_NOTES && (key == UI_KEY_ENTER || key == UI_KEY_UP || key == UI_KEY_DOWN)) {
			if (!(key == UI_KEY_UP && f.notes.row == 0) && !(key == UI_KEY_DOWN && f.notes.row + 1 >= f.notes.n)) {
				ui_text_key(&f.notes, key, NOTES_ROWS);
				continue;
			}
		}
		if (f.field == F_CALLER && (key == UI_KEY_UP || key == UI_KEY_DOWN) && f.nmatches) {
			if (key == UI_KEY_DOWN && f.hl < f.nmatches)
				f.hl++;
			else if (key == UI_KEY_UP && f.hl > 0)
				f.hl--;
			choose_contact(a, &f);
			continue;
		}
		if ((f.field == F_KIND || f.field == F_TICKET) &&
		    (key == UI_KEY_LEFT || key == UI_KEY_RIGHT || key == ' ')) {
			int dir = key == UI_KEY_LEFT ? -1 : 1;
			if (f.field == F_KIND)
				f.kind = (f.kind + KIND_COUNT + dir) % KIND_COUNT;
			else
				f.target = (f.target + f.open.n + 1 + (size_t)(dir > 0 ? 1 : f.open.n)) % (f.open.n + 1);
			continue;
		}
		if (act == ACT_CANCEL) {
			ui_app_message(a, ROLE_MESSAGE, _("Call not logged"));
			break;
		}
		if (act == ACT_SAVE) {
			int64_t id = 0;
			bool created = false;
			struct wb_err err = { 0 };
			if (save_call(a, &f, &id, &created, &err) != WB_OK) {
				ui_app_error(a, &err);
				continue;
			}
			if (created)
				ui_app_message(a, ROLE_MESSAGE, _("Call logged as new phone ticket #%lld"), (long long)id);
			else
				ui_app_message(a, ROLE_MESSAGE, _("Call logged on #%lld"), (long long)id);
			done = true;
			break;
		}
		if (act == ACT_NEXT_FIELD || (key == UI_KEY_ENTER && f.field != F_NOTES)) {
			f.field = (f.field + 1) % F__COUNT;
			continue;
		}
		if (act == ACT_PREV_FIELD) {
			f.field = (f.field + F__COUNT - 1) % F__COUNT;
			continue;
		}
		bool used = false;
		switch (f.field) {
		case F_CALLER:
			used = ui_line_key(&f.caller, key);
			if (used)
				lookup(a, &f);
			break;
		case F_NOTES: used = ui_text_key(&f.notes, key, NOTES_ROWS); break;
		case F_SUBJECT: used = ui_line_key(&f.subject, key); break;
		case F_SYSTEM: used = ui_line_key(&f.system, key); break;
		case F_NAME: used = ui_line_key(&f.name, key); break;
		default: break;
		}
		if (!used)
			ui_term_beep();
	}
	ui_line_free(&f.caller);
	ui_line_free(&f.subject);
	ui_line_free(&f.system);
	ui_line_free(&f.name);
	ui_text_free(&f.notes);
	desk_lookup_contacts_free(&f.matches, f.nmatches);
	ticket_list_free(&f.open);
	ui_term_cursor(-1, 0);
	ui_term_clear();
	ui_list_invalidate(a->list);
	a->dirty = UI_DIRTY_ALL;
	ui_app_refresh(a, true);
}

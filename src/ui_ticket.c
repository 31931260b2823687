/* ui_ticket.c — the ticket view: header fields, the conversation in order, attachments. */
#include "ui_app.h"

#include "clock.h"
#include "desk_lookup.h"
#include "fmt.h"
#include "i18n.h"
#include "plan.h"
#include "recur.h"
#include "strbuf.h"
#include "ui_plan.h"
#include "ui_term.h"
#include "utf8.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ui_doc_clear(struct ui_doc *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->v[i].text);
	free(d->v);
	memset(d, 0, sizeof *d);
}

static void doc_push(struct ui_doc *d, char *text, enum ui_role role, int indent)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 64;
		d->v = xrealloc(d->v, d->cap * sizeof d->v[0]);
	}
	d->v[d->n++] = (struct ui_doc_line){ text, role, indent };
}

void ui_doc_add_wrapped(struct ui_doc *d, const char *text, int width, int indent, enum ui_role role)
{
	int room = width - indent;
	if (room < 10)
		room = 10;
	const char *p = text ? text : "";
	for (;;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char *para = xstrndup(p, len);
		utf8_flatten(para); /* tabs and CRs become spaces */
		const char *q = para;
		if (!*q)
			doc_push(d, xstrdup(""), role, indent);
		while (*q) {
			int used;
			size_t fit = utf8_fit(q, room, &used);
			if (fit == 0)
				fit = 1; /* a character wider than the room: never loop forever */
			if (q[fit]) {
				/* break after the last space in the piece when there is one (CJK text has none:
				 * it is cut by width, which is right for it) */
				size_t brk = fit;
				while (brk > 0 && q[brk - 1] != ' ')
					brk--;
				if (brk > fit / 3)
					fit = brk;
			}
			char *piece = xstrndup(q, fit);
			size_t pl = strlen(piece);
			while (pl && piece[pl - 1] == ' ')
				piece[--pl] = '\0';
			doc_push(d, piece, role, indent);
			q += fit;
			while (*q == ' ')
				q++;
		}
		free(para);
		if (!nl)
			break;
		p = nl + 1;
	}
}

static enum ui_role kind_role(enum message_kind k)
{
	switch (k) {
	case MSG_REPLY: return ROLE_REPLY;
	case MSG_NOTE: return ROLE_NOTE;
	case MSG_CALL: return ROLE_CALL;
	case MSG_EVENT: return ROLE_EVENT;
	default: return ROLE_INCOMING;
	}
}

/* A maintenance task's checklist: each item with [ ]/[x], its result, who ticked it and when. */
static void add_checklist(struct ui_app *a, int width)
{
	struct plan p;
	struct plan_result *r = NULL;
	size_t n = 0;
	if (plan_task_checklist(a->desk, a->ticket->id, &p, &r, &n, NULL) != WB_OK)
		return; /* not a plan's task */
	struct ui_doc *d = &a->doc;
	if (p.n_items) {
		char *head = xasprintf(_("Checklist of plan #%lld %s (%zu of %zu ticked)"), (long long)p.id, p.name, n,
				       p.n_items);
		ui_doc_add_wrapped(d, head, width, 1, ROLE_HEADER);
		free(head);
	}
	const char *tz = a->desk->cal.tz[0] ? a->desk->cal.tz : NULL;
	for (size_t i = 0; i < p.n_items; i++) {
		const struct plan_result *hit = NULL;
		for (size_t j = 0; j < n; j++)
			if (r[j].pos == (int)i + 1)
				hit = &r[j];
		char *line;
		if (hit) {
			char at[20] = "?";
			recur_utc_to_local(hit->at, tz, at, sizeof at, NULL);
			if (at[10] == 'T')
				at[10] = ' ';
			line = xasprintf("[x] %zu. %s — %s · %s · %s%s%s", i + 1, p.items[i],
					 !strcmp(hit->result, "ok") ? _("ok") : !strcmp(hit->result, "failed") ? _("failed") : _("note"),
					 hit->user ? hit->user : "?", at, hit->note ? " · " : "", hit->note ? hit->note : "");
		} else {
			line = xasprintf("[ ] %zu. %s", i + 1, p.items[i]);
		}
		enum ui_role role = !hit ? ROLE_FIELD_VALUE : !strcmp(hit->result, "failed") ? ROLE_SLA_BREACHED
				  : !strcmp(hit->result, "note") ? ROLE_NOTE : ROLE_SLA_OK;
		ui_doc_add_wrapped(d, line, width, 2, role);
		free(line);
	}
	char kt[48] = "", ke[48] = "";
	ui_keymap_keys_for(&a->keys, UI_CTX_TICKET, ACT_CHECKLIST, kt, sizeof kt);
	ui_keymap_keys_for(&a->keys, UI_CTX_TICKET, ACT_EDIT_PLAN, ke, sizeof ke);
	if (kt[0] && ke[0]) {
		char *hint = p.n_items ? xasprintf(_("%s tick the items · %s edit the plan"), kt, ke)
				       : xasprintf(_("%s edit the plan (it has no checklist)"), ke);
		ui_doc_add_wrapped(d, hint, width, 2, ROLE_DIM);
		free(hint);
	}
	plan_results_free(&r, n);
	plan_clear(&p);
}

static void add_field_line(struct ui_doc *d, int width, const char *const *pairs, size_t n, enum ui_role role)
{
	struct strbuf b = STRBUF_INIT;
	for (size_t i = 0; i + 1 < n; i += 2) {
		if (!pairs[i + 1] || !*pairs[i + 1])
			continue;
		strbuf_addf(&b, "%s%s: %s", b.len ? "   " : "", pairs[i], pairs[i + 1]);
	}
	if (b.len)
		ui_doc_add_wrapped(d, strbuf_str(&b), width, 1, role);
	strbuf_free(&b);
}

void ui_ticket_build(struct ui_app *a, const struct message_list *msgs)
{
	struct ui_doc *d = &a->doc;
	ui_doc_clear(d);
	const struct ticket *t = a->ticket;
	int width = a->cols;
	a->doc_width = width;
	wb_time now = clock_now();
	char created[32], updated[32], due[48], pri[32];
	fmt_datetime(t->created_at, created, sizeof created);
	fmt_relative(now, t->updated_at, updated, sizeof updated);
	snprintf(pri, sizeof pri, "%s", ticket_priority_label(t->priority));
	char *requester = xasprintf("%s%s%s%s%s%s", t->requester_name ? t->requester_name : "",
				    t->requester_email ? " <" : "", t->requester_email ? t->requester_email : "",
				    t->requester_email ? ">" : "", t->requester_phone ? " " : "",
				    t->requester_phone ? t->requester_phone : "");
	const char *f1[] = { _("Status"), ticket_status_label(t->status), _("Priority"), pri,
			     _("Kind"), ticket_kind_label(t->kind), _("Queue"), t->queue };
	const char *f2[] = { _("Requester"), requester, _("Org"), t->org };
	const char *f3[] = { _("Assignee"), t->assignee && *t->assignee ? t->assignee : _("nobody"),
			     _("Channel"), ticket_channel_label(t->channel), _("System"), t->system };
	const char *f4[] = { _("Created"), created, _("Updated"), updated };
	add_field_line(d, width, f1, 8, ROLE_FIELD_VALUE);
	add_field_line(d, width, f2, 4, ROLE_FIELD_VALUE);
	add_field_line(d, width, f3, 6, ROLE_FIELD_VALUE);
	add_field_line(d, width, f4, 4, ROLE_FIELD_VALUE);
	free(requester);
	if (ticket_status_is_open(t->status) && t->sla_due) {
		enum sla_state st = desk_ticket_sla(a->desk, t, now);
		char rel[32];
		fmt_relative(now, t->sla_due, rel, sizeof rel);
		const char *state = st == SLA_BREACHED ? _("breached") : st == SLA_AT_RISK ? _("at risk") : _("on time");
		if (t->paused_at)
			snprintf(due, sizeof due, "%s", _("paused (waiting on customer)"));
		else
			snprintf(due, sizeof due, "%s (%s)", rel, state);
		const char *f5[] = { _("SLA due"), due };
		add_field_line(d, width, f5, 2,
			       t->paused_at ? ROLE_FIELD_VALUE : st == SLA_BREACHED ? ROLE_SLA_BREACHED
			       : st == SLA_AT_RISK ? ROLE_SLA_AT_RISK : ROLE_SLA_OK);
	}
	const char *f6[] = { _("Affected version"), t->affected_version, _("Fixed in"), t->fixed_version,
			     _("Review"), t->review_ref, _("Test"), t->test_result };
	add_field_line(d, width, f6, 8, ROLE_FIELD_VALUE);
	if (t->kind == KIND_MAINTENANCE)
		add_checklist(a, width);
	if (t->merged_into) {
		char *m = xasprintf(_("Merged into #%lld"), (long long)t->merged_into);
		ui_doc_add_wrapped(d, m, width, 1, ROLE_EVENT);
		free(m);
	}
	doc_push(d, xstrdup(""), ROLE_NORMAL, 0);

	for (size_t i = 0; i < msgs->n; i++) {
		const struct message *m = &msgs->items[i];
		char when[32];
		fmt_datetime(m->created_at, when, sizeof when);
		enum ui_role role = kind_role(m->kind);
		if (m->kind == MSG_EVENT) {
			char *line = xasprintf("· %s  %s  %s", when, m->author ? m->author : "", m->body ? m->body : "");
			ui_doc_add_wrapped(d, line, width, 1, ROLE_EVENT);
			free(line);
			continue;
		}
		struct strbuf h = STRBUF_INIT;
		strbuf_addf(&h, "── %s · %s · %s", message_kind_label(m->kind), m->author ? m->author : "?", when);
		if (m->minutes) {
			char mins[32];
			fmt_minutes(m->minutes, mins, sizeof mins);
			strbuf_addf(&h, " · %s", mins);
		}
		if (m->kind == MSG_REPLY && m->outbox_state)
			strbuf_addf(&h, " · %s", m->outbox_state);
		if (m->flagged)
			strbuf_addf(&h, " · %s", _("check: sender not on the ticket"));
		if (m->n_attachments)
			strbuf_addf(&h, " · %s %d", _("attachments:"), m->n_attachments);
		strbuf_adds(&h, " ");
		int hw = utf8_width(strbuf_str(&h));
		for (int k = hw; k < width - 2; k++)
			strbuf_adds(&h, "─");
		ui_doc_add_wrapped(d, strbuf_str(&h), width, 0, role);
		strbuf_free(&h);
		/* internal notes and calls are set apart: indented under a bar */
		bool apart = m->kind == MSG_NOTE || m->kind == MSG_CALL;
		struct ui_doc body = { 0 };
		ui_doc_add_wrapped(&body, m->body, width - (apart ? 4 : 0), 2, apart ? role : ROLE_NORMAL);
		for (size_t k = 0; k < body.n; k++) {
			char *line = apart ? xasprintf("│ %s", body.v[k].text) : xstrdup(body.v[k].text);
			doc_push(d, line, body.v[k].role, 2);
		}
		ui_doc_clear(&body);
		doc_push(d, xstrdup(""), ROLE_NORMAL, 0);
	}

	struct attachment_info *att = NULL;
	size_t na = 0;
	struct wb_err err = { 0 };
	if (desk_lookup_attachments(a->desk, t->id, &att, &na, &err) == WB_OK && na) {
		ui_doc_add_wrapped(d, _("Attachments"), width, 0, ROLE_HEADER);
		for (size_t i = 0; i < na; i++) {
			char *line = xasprintf(_("+ %s  (%s, %lld bytes)"), att[i].filename ? att[i].filename : "?",
					       att[i].content_type ? att[i].content_type : "?", (long long)att[i].size);
			ui_doc_add_wrapped(d, line, width, 2, ROLE_ATTACHMENT);
			free(line);
		}
	}
	desk_lookup_attachments_free(&att, na);
	int h = a->rows - 3;
	if (a->doc_top > (int)d->n - h)
		a->doc_top = (int)d->n - h;
	if (a->doc_top < 0)
		a->doc_top = 0;
}

void ui_ticket_draw(struct ui_app *a)
{
	const struct ticket *t = a->ticket;
	if (!t)
		return;
	char *head = xasprintf(" #%lld  %s", (long long)t->id, t->subject ? t->subject : "");
	ui_term_text(1, 0, a->cols, head, ROLE_HEADER, UI_TEXT_PAD | UI_TEXT_ELLIPSIS);
	free(head);
	int h = a->rows - 3;
	for (int i = 0; i < h; i++) {
		int k = a->doc_top + i;
		int y = 2 + i;
		if (k >= (int)a->doc.n) {
			ui_term_fill(y, 0, a->cols, ROLE_NORMAL);
			continue;
		}
		const struct ui_doc_line *l = &a->doc.v[k];
		ui_term_fill(y, 0, l->indent, ROLE_NORMAL);
		ui_term_text(y, l->indent, a->cols - l->indent, l->text, l->role, UI_TEXT_PAD);
	}
}

/* The checklist (T) or the plan's form (e) of a maintenance task; the view is rebuilt afterwards. */
static void plan_key(struct ui_app *a, enum ui_action act)
{
	int64_t id = a->ticket_id;
	if (act == ACT_CHECKLIST) {
		ui_plan_checklist(a, id);
	} else {
		int64_t plan = ui_plan_of_task(a, id);
		if (plan)
			ui_plan_edit(a, plan);
	}
	ui_term_clear();
	a->dirty = UI_DIRTY_ALL;
	if (!a->quit)
		ui_app_refresh(a, true);
}

void ui_ticket_key(struct ui_app *a, int key, enum ui_action act)
{
	int h = a->rows - 3;
	int max = (int)a->doc.n - h;
	if (max < 0)
		max = 0;
	int top = a->doc_top;
	if (key == UI_KEY_WHEEL_UP || key == UI_KEY_WHEEL_DOWN) {
		top += key == UI_KEY_WHEEL_UP ? -3 : 3;
	} else {
		switch (act) {
		case ACT_DOWN: top++; break;
		case ACT_UP: top--; break;
		case ACT_PAGE_DOWN: top += h - 1; break;
		case ACT_PAGE_UP: top -= h - 1; break;
		case ACT_TOP: top = 0; break;
		case ACT_BOTTOM: top = max; break;
		case ACT_CHECKLIST:
		case ACT_EDIT_PLAN:
			plan_key(a, act);
			return;
		default:
			if (!ui_app_ticket_action(a, act))
				ui_term_beep();
			return;
		}
	}
	if (top > max)
		top = max;
	if (top < 0)
		top = 0;
	if (top != a->doc_top) {
		a->doc_top = top;
		a->dirty |= UI_DIRTY_BODY;
	}
}

#include "automate.h"

#include "i18n.h"
#include "store_automate.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define A_NAME(e, name, label) name,
#define A_LABEL(e, name, label) label,
static const char *const action_names[] = { AUTOMATE_ACTIONS(A_NAME) };
static const char *const action_labels[] = { AUTOMATE_ACTIONS(A_LABEL) };
#undef A_NAME
#undef A_LABEL

const char *automate_action_name(enum automate_action a)
{
	return a < AUTO_COUNT ? action_names[a] : "?";
}

const char *automate_action_label(enum automate_action a)
{
	return a < AUTO_COUNT ? _(action_labels[a]) : "?";
}

void automate_opts_init(struct automate_opts *o, const struct wb_config *cfg)
{
	memset(o, 0, sizeof *o);
	o->remind_after_days = cfg ? cfg->remind_after_days : 3;
	o->autoclose_after_days = cfg ? cfg->autoclose_after_days : 7;
}

void automate_result_clear(struct automate_result *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->items[i].error);
	free(r->items);
	memset(r, 0, sizeof *r);
}

static struct automate_item *item_add(struct automate_result *r, int64_t id, enum automate_action a,
				      const char *target)
{
	r->items = xrealloc(r->items, (r->n + 1) * sizeof *r->items);
	struct automate_item *it = &r->items[r->n++];
	memset(it, 0, sizeof *it);
	it->ticket_id = id;
	it->action = a;
	it->target = target;
	return it;
}

static void item_fail(struct automate_result *r, struct automate_item *it, const struct wb_err *e)
{
	it->error = xstrdup(e->msg[0] ? e->msg : _("failed"));
	r->failed++;
}

/* The desk event that tells the mail layer about action a; -1 when there is none. */
static int desk_event_of(enum automate_action a)
{
	switch (a) {
	case AUTO_SLA_AT_RISK:
		return DESK_EV_SLA_AT_RISK;
	case AUTO_SLA_BREACHED:
		return DESK_EV_SLA_BREACHED;
	case AUTO_REMIND:
		return DESK_EV_REMIND;
	default:
		return -1;
	}
}

/* Writes the marker (audit) and the event on the conversation, then tells the notifier: all in
 * one transaction. updated_at and the ticket's version stay as they were. */
static int record(struct desk *d, const struct ticket *t, enum automate_action a, const char *what,
		  const char *marker, const char *target, const char *body, struct wb_err *err)
{
	int rc = store_begin(d->store, err);
	if (rc)
		return rc;
	rc = store_audit_add(d->store, d->me.id, t->id, what, NULL, marker, err);
	if (rc == WB_OK) {
		struct message_new m = { 0 };
		m.ticket_id = t->id;
		m.kind = MSG_EVENT;
		m.author_user_id = d->me.id;
		m.body = body;
		rc = store_message_add(d->store, &m, NULL, err);
	}
	if (rc == WB_OK && d->notify && desk_event_of(a) >= 0)
		rc = d->notify(d, (enum desk_event)desk_event_of(a), t, 0, target, d->notify_ctx, err);
	if (rc) {
		store_rollback(d->store);
		return rc;
	}
	return store_commit(d->store, err);
}

static void escalate(struct desk *d, const struct automate_opts *o, int64_t id, wb_time now,
		     struct automate_result *r)
{
	struct wb_err e = { 0 };
	struct ticket *t = NULL;
	if (desk_ticket_get(d, id, &t, &e)) {
		item_fail(r, item_add(r, id, AUTO_SLA_AT_RISK, NULL), &e);
		return;
	}
	enum sla_state st = desk_ticket_sla(d, t, now);
	if (st == SLA_AT_RISK || st == SLA_BREACHED) {
		const char *target = t->first_response_at ? "resolution" : "response";
		enum automate_action a = st == SLA_BREACHED ? AUTO_SLA_BREACHED : AUTO_SLA_AT_RISK;
		char marker[48];
		snprintf(marker, sizeof marker, "%s %s", target, sla_state_name(st));
		bool seen = false;
		int rc = store_audit_exists(d->store, id, "sla", marker, 0, &seen, &e);
		if (rc == WB_OK && !seen) {
			struct automate_item *it = item_add(r, id, a, target);
			if (!o->dry_run) {
				char *body = xasprintf("SLA: %s %s", target, sla_state_name(st));
				if (record(d, t, a, "sla", marker, target, body, &e))
					item_fail(r, it, &e);
				else
					it->done = true;
				free(body);
			}
		} else if (rc) {
			item_fail(r, item_add(r, id, a, target), &e);
		}
	}
	ticket_free(&t);
}

static void remind(struct desk *d, const struct automate_opts *o, int64_t id, struct automate_result *r)
{
	struct wb_err e = { 0 };
	struct ticket *t = NULL;
	if (desk_ticket_get(d, id, &t, &e)) {
		item_fail(r, item_add(r, id, AUTO_REMIND, NULL), &e);
		return;
	}
	/* one reminder per stretch of waiting: a marker written since the pause began */
	bool seen = false;
	if (store_audit_exists(d->store, id, "reminder", "sent", t->paused_at, &seen, &e)) {
		item_fail(r, item_add(r, id, AUTO_REMIND, NULL), &e);
	} else if (!seen) {
		struct automate_item *it = item_add(r, id, AUTO_REMIND, NULL);
		if (!d->notify) {
			it->note = "mail is not configured";
		} else if (!o->dry_run) {
			if (record(d, t, AUTO_REMIND, "reminder", "sent", NULL, "reminder: sent", &e))
				item_fail(r, it, &e);
			else
				it->done = true;
		}
	}
	ticket_free(&t);
}

static void autoclose(struct desk *d, const struct automate_opts *o, int64_t id, struct automate_result *r)
{
	struct automate_item *it = item_add(r, id, AUTO_CLOSE, NULL);
	if (o->dry_run)
		return;
	struct ticket_change c;
	ticket_change_init(&c);
	c.set_status = true;
	c.status = STATUS_CLOSED;
	char *note = xasprintf(_("Closed automatically %d days after it was resolved."), o->autoclose_after_days);
	c.note = note;
	struct wb_err e = { 0 };
	if (desk_ticket_change(d, &id, 1, &c, 0, &e))
		item_fail(r, it, &e);
	else
		it->done = true;
	free(note);
}

int automate_run(struct desk *d, const struct automate_opts *o, struct automate_result *out, struct wb_err *err)
{
	memset(out, 0, sizeof *out);
	wb_time now = clock_now();
	int64_t *ids = NULL;
	size_t n = 0;
	int rc = store_automate_sla_candidates(d->store, now, &ids, &n, err);
	if (rc)
		return rc;
	for (size_t i = 0; i < n; i++)
		escalate(d, o, ids[i], now, out);
	free(ids);
	if (o->remind_after_days > 0) {
		if ((rc = store_automate_waiting(d->store, now - (wb_time)o->remind_after_days * 86400, &ids, &n, err)))
			return rc;
		for (size_t i = 0; i < n; i++)
			remind(d, o, ids[i], out);
		free(ids);
	}
	if (o->autoclose_after_days > 0) {
		if ((rc = store_automate_resolved(d->store, now - (wb_time)o->autoclose_after_days * 86400, &ids, &n,
						  err)))
			return rc;
		for (size_t i = 0; i < n; i++)
			autoclose(d, o, ids[i], out);
		free(ids);
	}
	return WB_OK;
}

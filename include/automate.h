/* automate.h — time-based automation, run from cron (`weibao automate`) or the outbox daemon:
 *   - SLA escalation: an open ticket whose running target (first response, then resolution) is at
 *     risk or breached gets one event on its conversation and in the audit log per target and
 *     state ("response at_risk", "resolution breached"), and the notifier is told; nothing else
 *     on the ticket changes (not its version, not updated_at);
 *   - reminders: a ticket waiting on the customer for remind_after_days gets one reminder per
 *     waiting stretch, sent through the notifier (skipped while no notifier is wired);
 *   - auto-close: a ticket resolved for autoclose_after_days is closed through desk_ticket_change
 *     (workflow, audit log and conversation as for an operator).
 * Idempotent: each step first looks for its marker, so a second run does nothing new. Each ticket
 * is its own transaction; one failure does not stop the others. */
#ifndef WB_AUTOMATE_H
#define WB_AUTOMATE_H

#include "desk.h"
#include "err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AUTOMATE_ACTIONS(X) \
	X(AUTO_SLA_AT_RISK, "sla_at_risk", N_("SLA at risk")) \
	X(AUTO_SLA_BREACHED, "sla_breached", N_("SLA breached")) \
	X(AUTO_REMIND, "remind", N_("reminder to the customer")) \
	X(AUTO_CLOSE, "close", N_("closed automatically"))

#define AUTOMATE_ITEM(e, name, label) e,
enum automate_action { AUTOMATE_ACTIONS(AUTOMATE_ITEM) AUTO_COUNT };
#undef AUTOMATE_ITEM
const char *automate_action_name(enum automate_action a);
const char *automate_action_label(enum automate_action a);

/* Escalations and reminders reach the mail layer as desk events (d->notify: DESK_EV_SLA_AT_RISK,
 * DESK_EV_SLA_BREACHED, DESK_EV_REMIND) inside their transaction, so an error rolls them back and
 * the next run tries again. With no d->notify, escalations are still recorded and reminders wait. */

struct automate_opts {
	bool dry_run;               /* find and list, change nothing */
	int remind_after_days;      /* 0 = no reminders */
	int autoclose_after_days;   /* 0 = no auto-close */
};
/* Dry run off, the days from the configuration. */
void automate_opts_init(struct automate_opts *o, const struct wb_config *cfg);

struct automate_item {
	int64_t ticket_id;
	enum automate_action action;
	const char *target;         /* "response"/"resolution" for SLA actions, else NULL (static) */
	bool done;                  /* false: dry run, skipped (see note) or failed (see error) */
	const char *note;           /* static, untranslated key: NULL, "mail is not configured" */
	char *error;                /* the failure, or NULL */
};

struct automate_result {
	struct automate_item *items;
	size_t n;
	size_t failed;
};
void automate_result_clear(struct automate_result *r);

/* One pass at clock_now(). Returns WB_OK unless the pass itself could not run (the database);
 * per-ticket failures are in out->items[i].error and counted in out->failed. */
int automate_run(struct desk *d, const struct automate_opts *o, struct automate_result *out, struct wb_err *err);

#endif

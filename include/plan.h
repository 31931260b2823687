/* plan.h — the maintenance calendar: plans that recur (RFC 5545 rules, recur.h), the maintenance
 * tasks (tickets of kind maintenance) generated from them, checklists ticked item by item, missed
 * occurrences, maintenance windows and the notices that announce them, and iCalendar files.
 *
 * Domain code: plain C over the store (store_plan.h) and the desk (desk.h); no SQL, no terminal,
 * no printing. Changes run in one transaction each, check the operator's role and write the audit
 * log.
 *
 * Status of an occurrence (plan_agenda):
 *   done    its task is resolved or closed;
 *   missed  its end has passed and its task is not resolved or closed (also: never generated);
 *   open    its task exists and is not done, and its end has not passed;
 *   planned not generated yet, still in the future (calendar generate will create its task). */
#ifndef WB_PLAN_H
#define WB_PLAN_H

#include "clock.h"
#include "contact.h"
#include "desk.h"
#include "err.h"
#include "recur.h"
#include "store_plan.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PLAN_KINDS(X) \
	X(PLAN_INSPECTION, "inspection", N_("inspection")) \
	X(PLAN_SECURITY_UPDATE, "security_update", N_("security update")) \
	X(PLAN_BACKUP_CHECK, "backup_check", N_("backup check")) \
	X(PLAN_UPGRADE, "upgrade", N_("planned upgrade")) \
	X(PLAN_OTHER, "other", N_("other"))
#define WB_PLAN_KIND_ITEM(e, name, label) e,
enum plan_kind { PLAN_KINDS(WB_PLAN_KIND_ITEM) PLAN_KIND_COUNT };
#undef WB_PLAN_KIND_ITEM

const char *plan_kind_name(enum plan_kind k);
const char *plan_kind_label(enum plan_kind k);
/* Accepts the stable names ('-' for '_' too); WB_EINVAL lists the allowed ones. */
int plan_kind_parse(const char *s, enum plan_kind *out, struct wb_err *err);
/* The translated label of a stored kind name ("other" for an unknown one). */
const char *plan_kind_label_of(const char *name);

#define PLAN_LEAD_MAX_HOURS 744       /* 31 days */
#define PLAN_ITEMS_MAX 50

/* Checks a plan as given (pure): name, kind, rule/start/zone/duration/exceptions via recur_validate,
 * lead time 0..744 hours, notify "none"/"contacts", checklist items (one line each, at most 50).
 * WB_EINVAL names the bad value. */
int plan_validate(const struct plan *p, struct wb_err *err);
/* Splits "a|b|c" or lines into a checklist (empty items dropped) into p->items (replacing them). */
void plan_set_checklist(struct plan *p, const char *text);
/* The recurrence spec of a plan; exceptions point into *storage (free with plan_spec_free). */
void plan_spec(const struct plan *p, struct recur_spec *spec, char ***storage);
void plan_spec_free(char ***storage, size_t n);
/* The checklist as the task's body: "1. item\n2. item\n". Caller frees. */
char *plan_checklist_text(const struct plan *p);

/* Adds a plan. p->system is a system name or number (p->system_id wins when set), p->owner a login
 * (optional). Operators and above. */
int plan_add(struct desk *d, const struct plan *p, int64_t *id, struct wb_err *err);
/* Rewrites a plan (all fields of p, as plan_get returned and the caller changed them). When the
 * schedule changes (rule, start, zone, duration, exceptions, system), future tasks nobody has touched
 * (still new, nothing ticked) are cancelled: closed with a note, their occurrences forgotten; tasks
 * being worked on stay. The next generation follows the new schedule. */
int plan_update(struct desk *d, const struct plan *p, struct wb_err *err);
int plan_get(struct desk *d, int64_t id, struct plan *out, struct wb_err *err);
/* Stops a plan generating; its untouched future tasks are cancelled as above (history stays). */
int plan_remove(struct desk *d, int64_t id, struct wb_err *err);

/* Generates the tasks of every active plan for occurrences starting in [from, to): each becomes a
 * ticket of kind maintenance in the queue "Maintenance" (else the first queue), subject
 * "<plan name> <local date>", body the checklist, on the plan's system, assigned to its owner.
 * Idempotent: an occurrence already generated is skipped. Occurrences already over (or over before
 * the plan's schedule took its present form) get no task. *created (may be NULL) counts new tasks. */
int plan_generate(struct desk *d, wb_time from, wb_time to, int *created, struct wb_err *err);
/* The usual cron run: from the start of today (desk zone) to `days` days ahead. */
int plan_generate_ahead(struct desk *d, int days, int *created, struct wb_err *err);

/* Ticks checklist item `item` (1-based) of the task ticket_id with result "ok", "failed" or "note"
 * (note text optional, required for "note"). Records who and when, notes it on the ticket. The
 * first tick moves a new task to in progress; when every item is ticked and none failed, the
 * task is resolved. */
int plan_check(struct desk *d, int64_t ticket_id, int item, const char *result, const char *note,
	       struct wb_err *err);

/* The checklist of maintenance task ticket_id: its plan (items in their present order) and the items
 * ticked so far (matched to items by pos). WB_ENOTFOUND when the ticket is not a plan's task.
 * *plan: plan_clear; *results: plan_results_free. */
int plan_task_checklist(struct desk *d, int64_t ticket_id, struct plan *plan, struct plan_result **results,
			size_t *n, struct wb_err *err);
/* The same, also filling *occ with the occurrence the task was generated for (its status through
 * plan_occ_status), all from one snapshot. *occ: plan_occ_clear. */
int plan_task_checklist_occ(struct desk *d, int64_t ticket_id, struct plan_occ *occ, struct plan *plan,
			    struct plan_result **results, size_t *n, struct wb_err *err);

/* Every plan in number order (removed ones too when all). *out: plans_free. */
int plan_list(struct desk *d, bool all, struct plan **out, size_t *n, struct wb_err *err);
/* The schedule in words ("every weekday at 09:00", recur_describe). Caller frees. */
char *plan_schedule_text(const struct plan *p);
/* The start of p's first occurrence at or after from (within 400 days); false when none. */
bool plan_next_start(const struct plan *p, wb_time from, wb_time *start);

enum plan_status { PLAN_ST_PLANNED, PLAN_ST_OPEN, PLAN_ST_DONE, PLAN_ST_MISSED, PLAN_ST_WINDOW };
const char *plan_status_name(enum plan_status s);   /* planned, open, done, missed, window */
const char *plan_status_label(enum plan_status s);  /* translated */
/* The status of a generated occurrence at now. */
enum plan_status plan_occ_status(const struct plan_occ *o, wb_time now);

/* One line of the agenda: an occurrence of a plan, or a maintenance window. */
struct plan_agenda_item {
	bool is_window;
	int64_t plan_id, occ_id, window_id, ticket_id;
	char *title;      /* plan name or window title */
	char *kind;       /* plan kind name, or "window" */
	char *system;     /* may be NULL (a window for a whole organisation) */
	char *org;        /* the organisation */
	wb_time start, end;
	enum plan_status status;
};
struct plan_agenda {
	struct plan_agenda_item *items;
	size_t n;
	bool truncated;   /* more than PLAN_AGENDA_MAX items in the range */
};
#define PLAN_AGENDA_MAX 5000
/* Occurrences (generated ones with their status, and rule occurrences not generated yet) and windows
 * overlapping [from, to), ordered by start. Occurrences over before the plan's schedule took its
 * present form (struct plan's schedule_at) are left out. out: plan_agenda_free. */
int plan_agenda(struct desk *d, wb_time from, wb_time to, struct plan_agenda *out, struct wb_err *err);
void plan_agenda_free(struct plan_agenda *a);

/* One day of a month grid: how many events of each status, and which kinds (for colours). */
struct plan_day_summary {
	int planned, open, done, missed; /* plan occurrences starting that day */
	int windows;                     /* maintenance windows touching that day */
	unsigned kinds;                  /* bit (1u << enum plan_kind) for each kind of occurrence that day */
};
/* The month year-month in the desk's zone: day[0] is the 1st, day[days-1] the last (days set in *days).
 * truncated as in plan_agenda. */
int plan_month_summary(struct desk *d, int year, int month, struct plan_day_summary day[31], int *days,
		       bool *truncated, struct wb_err *err);

/* For the top bar: maintenance tasks starting today (desk zone) still open, and tasks whose end has
 * passed without being resolved or closed (on any day: missed and still outstanding). */
int plan_today_counts(struct desk *d, int *open, int *missed, struct wb_err *err);

/* Start and end (UTC) of the local day holding t in the desk's zone. */
void plan_local_day(const struct desk *d, wb_time t, wb_time *day_start, wb_time *day_end);

/* Maintenance windows. w->system (name or number) or w->org names what is affected; title and
 * start < end required; lead_hours 0..744. Operators and above. */
int plan_window_add(struct desk *d, const struct maint_window *w, int64_t *id, struct wb_err *err);
/* Windows overlapping [from, to) after key (NULL = from the start), in (start, id) order, at most
 * limit: page through with the last one's start and id. *out: maint_windows_free. */
int plan_window_page(struct desk *d, wb_time from, wb_time to, const struct plan_key *after, size_t limit,
		     struct maint_window **out, size_t *n, struct wb_err *err);

/* Notifications. A notice is data, not text: what happens, when, and in which zone the reader
 * wants the times. The mail layer words it in the contact's language (its templates) and queues
 * one email inside the caller's transaction, so a notice is recorded as sent if and only if it
 * was queued. */
enum plan_notice_kind {
	PLAN_NOTICE_WINDOW_AHEAD,  /* a window is coming (lead time reached) */
	PLAN_NOTICE_WINDOW_CLOSED, /* a window has ended */
	PLAN_NOTICE_OCC_AHEAD,     /* an occurrence of a plan that notifies contacts is coming */
};
struct plan_notice {
	enum plan_notice_kind kind;
	const char *title;       /* the window's title or the plan's name */
	const char *plan_kind;   /* the plan's kind (stable name), NULL for a window */
	const char *what;        /* the system affected, else the organisation ("" when neither) */
	const char *details;     /* the window's description, or NULL */
	wb_time start, end;      /* UTC */
	const char *tz;          /* the zone to show the times in, for this contact: the contact's, else its
				    organisation's, else the plan's, else the desk's (windows are entered in
				    the desk's zone); NULL = UTC. Always a zone recur_tz_check accepts. */
};
/* Queues one notice to one contact; *queued says whether a mail was queued (false: the contact has
 * no address mail can reach). The notice counts as given either way. */
typedef int (*plan_mail_fn)(struct desk *d, const struct contact *to, const struct plan_notice *n, void *ctx,
			    bool *queued, struct wb_err *err);

/* The zone times are shown in for a contact: the first of contact_tz, org_tz, plan_tz, desk_tz
 * that names a known zone; NULL (UTC) when none does. Returns one of the arguments. */
const char *plan_notice_zone(const char *contact_tz, const char *org_tz, const char *plan_tz, const char *desk_tz);

/* Sends what is due at now: for announced windows, the advance notice once the lead time is reached
 * and the closing notice once the window ended; for plans that notify contacts, an advance notice
 * of each generated occurrence at its lead time. Each (notice, contact) goes out once: reruns send
 * nothing again. mail NULL: nothing is sent or recorded. *sent (may be NULL) counts emails. */
int plan_notify_due(struct desk *d, plan_mail_fn mail, void *ctx, int *sent, struct wb_err *err);

/* iCalendar. Export: every active plan (a recurring event with its rule, zone and exceptions, the
 * checklist as description, the kind as category) and every window ending after `from`. Caller
 * frees *out. */
int plan_export_ics(struct desk *d, wb_time from, char **out, struct wb_err *err);
/* Import: recurring events become plans of `system`, single events windows of it. Events imported
 * before (same UID, also weibao's own exported UIDs) are skipped. Counts may be NULL. */
int plan_import_ics(struct desk *d, const char *text, const char *system, int *plans, int *windows,
		    int *skipped, struct wb_err *err);

#endif

/* store_plan.h — the maintenance calendar in the database: plans and their checklists, plan
 * occurrences (each tied to at most one maintenance ticket), checklist results, maintenance
 * windows and the notices already sent about them.
 *
 * Callers (the domain in plan.c) wrap changes in store_begin/store_commit. Range queries are
 * keyset pages ordered by (start, id): memory stays flat however long the calendar is.
 * Strings in the structs are owned by the struct: free them with the *_clear functions. */
#ifndef WB_STORE_PLAN_H
#define WB_STORE_PLAN_H

#include "clock.h"
#include "contact.h"
#include "err.h"
#include "store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A maintenance plan: a recurring piece of work on one system. */
struct plan {
	int64_t id;
	char *name;
	char *kind;                /* stable name: inspection, security_update, backup_check, upgrade, other */
	int64_t system_id;
	char *system;              /* joined in (plan_add also accepts a name or number here) */
	int64_t org_id;            /* the system's organisation (joined in) */
	char *org;
	int64_t owner_id;          /* 0 = nobody */
	char *owner;               /* login (joined in; plan_add also accepts a login here) */
	char *rrule;               /* RFC 5545 RRULE value */
	char *dtstart;             /* local "YYYY-MM-DDTHH:MM" in tz */
	char *tz;                  /* IANA zone or NULL = UTC */
	int duration_min;
	char *exdates;             /* comma-separated local dates / date-times, or NULL */
	int lead_hours;            /* notify this many hours ahead */
	char *notify;              /* "none" or "contacts" (the organisation's contacts) */
	char **items;              /* the checklist, in order */
	size_t n_items;
	char *ics_uid;             /* UID of the calendar event it was imported from, or NULL */
	bool active;               /* false once removed: generates nothing, history stays */
	wb_time created_at;
	wb_time schedule_at;       /* when the schedule took its present form (creation or last change):
				      occurrences over before then were never due */
};
void plan_clear(struct plan *p);
void plans_free(struct plan **p, size_t n);

/* One occurrence that was generated (has a row), with its ticket's state joined in. */
struct plan_occ {
	int64_t id, plan_id;
	char *plan_name, *kind;
	int64_t system_id, org_id;
	char *system, *org;
	wb_time start, end;
	char date[11];             /* local date of the start in the plan's zone */
	int64_t ticket_id;         /* 0 when no ticket */
	int ticket_status;         /* enum ticket_status, or -1 without a ticket */
	wb_time done_at;           /* resolved (else closed) time of the ticket, or 0 */
};
void plan_occ_clear(struct plan_occ *o);
void plan_occs_free(struct plan_occ **o, size_t n);

/* One ticked checklist item. */
struct plan_result {
	int pos;                   /* 1-based position in the checklist */
	char *item;                /* the item's text when it was ticked */
	char *result;              /* ok, failed, note */
	char *note;
	int64_t user_id;
	char *user;                /* login */
	wb_time at;
};
void plan_results_free(struct plan_result **r, size_t n);

/* A maintenance window: a stretch of time when a system (or a whole organisation) is worked on. */
struct maint_window {
	int64_t id;
	char *title, *description;
	int64_t org_id;
	char *org;
	int64_t system_id;         /* 0 = every system of the organisation */
	char *system;
	wb_time start, end;
	int lead_hours;
	bool announce;             /* notify the organisation's contacts */
	wb_time ahead_sent_at, closed_sent_at; /* when the notices went out (0 = not yet) */
	char *ics_uid;
	wb_time created_at;
};
void maint_window_clear(struct maint_window *w);
void maint_windows_free(struct maint_window **w, size_t n);

/* A position in a time-ordered page. */
struct plan_key {
	wb_time start;
	int64_t id;
};

/* Plans. store_plan_add/update write the checklist too; system_id must be set. */
int store_plan_add(struct store *s, const struct plan *p, int64_t *id, struct wb_err *err);
int store_plan_update(struct store *s, const struct plan *p, struct wb_err *err);
/* WB_ENOTFOUND naming the number. */
int store_plan_get(struct store *s, int64_t id, struct plan *out, struct wb_err *err);
/* The plan imported from an event with this UID; *id 0 when none. */
int store_plan_by_uid(struct store *s, const char *uid, int64_t *id, struct wb_err *err);
/* Plans with id > after_id in id order (active ones only unless all), at most limit, checklists
 * included. *out: plans_free. */
int store_plan_page(struct store *s, int64_t after_id, size_t limit, bool all, struct plan **out,
		    size_t *n, struct wb_err *err);

/* Occurrences. Inserts the occurrence unless (plan, start) is stored already: *created tells. */
int store_occ_insert(struct store *s, int64_t plan_id, wb_time start, wb_time end, const char *date,
		     int64_t *id, bool *created, struct wb_err *err);
int store_occ_set_ticket(struct store *s, int64_t occ_id, int64_t ticket_id, struct wb_err *err);
/* The stored occurrence of plan at start; *id 0 when none. */
int store_occ_find(struct store *s, int64_t plan_id, wb_time start, int64_t *id, struct wb_err *err);
/* The occurrence whose task is ticket_id; WB_ENOTFOUND when the ticket is not a plan's task. */
int store_occ_by_ticket(struct store *s, int64_t ticket_id, struct plan_occ *out, struct wb_err *err);
/* Occurrences starting in [from, to) after key (NULL = from the start), in (start, id) order. */
int store_occ_page(struct store *s, wb_time from, wb_time to, const struct plan_key *after, size_t limit,
		   struct plan_occ **out, size_t *n, struct wb_err *err);
/* Occurrences of one plan starting after `after`, in start order, at most limit. */
int store_occ_of_plan(struct store *s, int64_t plan_id, wb_time after, size_t limit, struct plan_occ **out,
		      size_t *n, struct wb_err *err);
/* Forgets an occurrence that has no checklist results (its ticket stays). */
int store_occ_delete(struct store *s, int64_t occ_id, struct wb_err *err);
/* Counts occurrences starting in [day_from, day_to) that are open (task not resolved/closed, end
 * not passed at now), and occurrences of any day whose end passed before now with the task
 * still not resolved or closed (missed and still outstanding). */
int store_occ_counts(struct store *s, wb_time day_from, wb_time day_to, wb_time now, int *open,
		     int *missed, struct wb_err *err);

/* Checklist results: one per item, ticking again replaces it. */
int store_result_set(struct store *s, int64_t occ_id, const struct plan_result *r, struct wb_err *err);
/* In checklist order. *out: plan_results_free. */
int store_result_list(struct store *s, int64_t occ_id, struct plan_result **out, size_t *n,
		      struct wb_err *err);

/* Windows. org_id must be set. */
int store_window_add(struct store *s, const struct maint_window *w, int64_t *id, struct wb_err *err);
int store_window_get(struct store *s, int64_t id, struct maint_window *out, struct wb_err *err);
int store_window_by_uid(struct store *s, const char *uid, int64_t *id, struct wb_err *err);
/* Windows overlapping [from, to) after key, in (start, id) order. */
int store_window_page(struct store *s, wb_time from, wb_time to, const struct plan_key *after, size_t limit,
		      struct maint_window **out, size_t *n, struct wb_err *err);
/* True when a window of org_id covers `at` and concerns system_id (or all the organisation's systems). */
int store_window_covering(struct store *s, int64_t org_id, int64_t system_id, wb_time at, bool *yes,
			  struct wb_err *err);
/* Announced windows with id > after_id that owe a notice at now: the lead time reached and the
 * advance notice not marked sent, or ended and the closing notice not marked sent. */
int store_window_due(struct store *s, wb_time now, int64_t after_id, size_t limit, struct maint_window **out,
		     size_t *n, struct wb_err *err);
/* Marks a window's notice stage ("ahead" or "closed") as done at `at`. */
int store_window_mark(struct store *s, int64_t id, const char *stage, wb_time at, struct wb_err *err);

/* Notices sent to one contact (what: "window" or "occurrence"; stage: "ahead" or "closed"). */
int store_notice_sent(struct store *s, const char *what, int64_t ref_id, int64_t contact_id, const char *stage,
		      bool *sent, struct wb_err *err);
int store_notice_add(struct store *s, const char *what, int64_t ref_id, int64_t contact_id, const char *stage,
		     wb_time at, struct wb_err *err);

/* The contacts of an organisation with an email address, id > after_id, in id order.
 * *out: store_contacts_free (store_dir.h). */
int store_org_contacts(struct store *s, int64_t org_id, int64_t after_id, size_t limit, struct contact **out,
		       size_t *n, struct wb_err *err);

#endif

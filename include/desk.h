/* desk.h — the support desk's domain operations: what the command line, the full-screen UI
 * and the mail gate all call. Each change is one transaction, checked against the operator's
 * role, and written to the audit log. No SQL and no terminal here (the store speaks SQL). */
#ifndef WB_DESK_H
#define WB_DESK_H

#include "config.h"
#include "contact.h"
#include "err.h"
#include "sla.h"
#include "store.h"
#include "store_ticket.h"
#include "ticket.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What the mail layer is told about, inside the transaction that caused it, so an email is
 * queued if and only if the change commits. */
enum desk_event {
	DESK_EV_CREATED,
	DESK_EV_REPLY,
	DESK_EV_RESOLVED,
	/* from `weibao automate` (body: "response" or "resolution" for the SLA ones, message_id 0) */
	DESK_EV_SLA_AT_RISK,
	DESK_EV_SLA_BREACHED,
	DESK_EV_REMIND,
};
struct desk;
typedef int (*desk_notify_fn)(struct desk *d, enum desk_event ev, const struct ticket *t,
			      int64_t message_id, const char *body, void *ctx, struct wb_err *err);

struct desk_policy {
	char level[16];
	int priority, resp, res;
	bool always, found;
};
struct desk_policy_cache {
	struct desk_policy p[32];
	size_t n;
	wb_time loaded_at;
};

struct desk {
	struct store *store;
	struct desk_policy_cache *policies; /* SLA targets, cached briefly (see desk.c) */
	desk_notify_fn notify;        /* NULL = no mail (set by the mail layer's wiring) */
	void *notify_ctx;
	const struct wb_config *cfg;  /* borrowed; outlives the desk */
	struct user me;               /* the operator running this process */
	struct sla_calendar cal;      /* business hours */
	struct sla_calendar always;   /* 24x7 */
	double risk;
};

/* Opens the database and identifies the operator: `login` (NULL = $WEIBAO_USER, else the Unix
 * login). The first user of a new database becomes its admin and the desk gets its default
 * queue and SLA policies; an unknown login is registered as a viewer. *out: desk_close(). */
int desk_open(const struct wb_config *cfg, const char *db_path, const char *login, struct desk **out,
	      struct wb_err *err);
void desk_close(struct desk **d);

/* WB_EREFUSED naming the role needed when the operator's role is below `need`. */
int desk_require(const struct desk *d, enum user_role need, struct wb_err *err);

/* An attachment handed in with a new message (data borrowed). */
struct desk_attachment {
	const char *filename, *content_type, *content_id;
	bool is_inline;
	const void *data;
	size_t size;
};

/* A new message on a ticket. */
struct desk_message {
	enum message_kind kind;        /* reply, note, call, inbound */
	const char *body;
	const char *quoted;            /* inbound: folded quoted history */
	int minutes;                   /* time worked */
	int64_t author_contact_id;     /* inbound/call: the customer (0 = the operator wrote it) */
	const char *email_message_id;  /* inbound mail's Message-ID (dedup) */
	bool flagged;
	const struct desk_attachment *att;
	size_t n_att;
	wb_time at;                    /* 0 = now (imports keep the mail's date) */
};

/* A new ticket. Requester by id, or by email/phone (found or created as a contact). */
struct ticket_draft {
	const char *subject;
	const char *body;              /* first message (inbound/call/note per channel), may be NULL */
	int64_t requester_id;
	const char *requester_email, *requester_name, *requester_phone;
	enum ticket_kind kind;
	int priority;                  /* 0 = P3 */
	enum ticket_channel channel;
	const char *queue;             /* NULL = the first queue */
	const char *system;            /* NULL = none */
	const char *assignee;          /* login, NULL = unassigned */
	const char *affected_version;
	bool no_ack;                   /* bulk mail: open the ticket but send no acknowledgement */
	struct desk_message first;     /* kind/body/minutes/etc. of the first message; body above wins */
};
void ticket_draft_init(struct ticket_draft *t);

int desk_ticket_create(struct desk *d, const struct ticket_draft *t, int64_t *id, struct wb_err *err);
/* *out: ticket_free(). */
int desk_ticket_get(struct desk *d, int64_t id, struct ticket **out, struct wb_err *err);
int desk_ticket_messages(struct desk *d, int64_t id, struct message_list *out, struct wb_err *err);
int desk_ticket_page(struct desk *d, const struct ticket_filter *f, enum ticket_sort sort,
		     const struct ticket_key *key, bool backward, size_t limit, struct ticket_list *out,
		     struct wb_err *err);
int desk_ticket_search(struct desk *d, const char *typed, size_t limit, struct ticket_list *out,
		       struct wb_err *err);
int desk_counts(struct desk *d, struct ticket_counts *c, struct wb_err *err);
/* Moves whenever any process commits a change: poll it to refresh screens. */
int desk_data_version(struct desk *d, int64_t *v, struct wb_err *err);
/* Caps the database page cache of this process at about `kib` KiB (a long-running process that reads
 * here and there across a big desk would otherwise fill SQLite's default 2 MB). */
int desk_set_cache_kib(struct desk *d, int kib, struct wb_err *err);

/* A ticket and its whole conversation, read from one snapshot. *t: ticket_free();
 * msgs: message_list_free(). When it fails there is nothing to free. */
int desk_ticket_read(struct desk *d, int64_t id, struct ticket **t, struct message_list *msgs,
		     struct wb_err *err);
/* Called for each ticket of desk_ticket_each (t borrowed for the call); non-zero stops the walk
 * and is returned. */
typedef int (*desk_ticket_fn)(const struct ticket *t, void *ctx);
/* Every ticket matching f in sort order, at most limit (0 = all), read page by page from one
 * snapshot: memory stays flat whatever the size of the desk. */
int desk_ticket_each(struct desk *d, const struct ticket_filter *f, enum ticket_sort sort, size_t limit,
		     desk_ticket_fn fn, void *ctx, struct wb_err *err);

/* Database upkeep. desk_check opens the existing file at db_path (nothing is created or migrated)
 * and runs SQLite's integrity and foreign key checks; *report (caller frees) is "ok" or the
 * problems found. desk_backup copies the live database to path while others keep working. */
int desk_check(const char *db_path, char **report, struct wb_err *err);
int desk_backup(struct desk *d, const char *path, struct wb_err *err);
int desk_schema_version(struct desk *d, int *version, struct wb_err *err);

/* Adds a message. expect_version (0 = don't check) detects an edit collision. A reply is the
 * first response when none was given yet; an inbound message on a ticket waiting on the
 * customer resumes it. *msg_id may be NULL. */
int desk_ticket_add_message(struct desk *d, int64_t id, const struct desk_message *m,
			    int64_t expect_version, int64_t *msg_id, struct wb_err *err);

/* What to change on one or many tickets. Unset fields stay. */
struct ticket_change {
	bool set_status;
	enum ticket_status status;
	int priority;                  /* 0 = keep */
	int kind;                      /* -1 = keep */
	const char *queue;             /* NULL = keep */
	const char *assignee;          /* NULL = keep, "" = unassign */
	bool take;                     /* assign to me */
	const char *subject;
	const char *system;
	const char *affected_version, *fixed_version, *review_ref, *test_result;
	const char *note;              /* an internal note added to each ticket */
	int minutes;                   /* with the note */
};
void ticket_change_init(struct ticket_change *c);
/* Applies the change to every ticket in ids in one transaction: all or nothing.
 * expect_version is checked when n == 1 and it is not 0. */
int desk_ticket_change(struct desk *d, const int64_t *ids, size_t n, const struct ticket_change *c,
		       int64_t expect_version, struct wb_err *err);

int desk_ticket_link(struct desk *d, int64_t from_id, int64_t to_id, enum link_kind kind, struct wb_err *err);
/* Moves the duplicate's conversation into the original and closes the duplicate with a pointer
 * to it. Supervisors and admins only. */
int desk_ticket_merge(struct desk *d, int64_t duplicate_id, int64_t original_id, struct wb_err *err);
/* A satisfaction rating 1..5 on a ticket (source: "email", "phone", "operator"). */
int desk_rating_add(struct desk *d, int64_t id, int score, const char *source, struct wb_err *err);

/* The SLA state of a ticket now (for lists and views). */
enum sla_state desk_ticket_sla(const struct desk *d, const struct ticket *t, wb_time now);

/* Saved searches: a named list filter (and subject text) kept per operator. */
struct saved_view {
	char *name;
	struct ticket_filter filter;  /* filter.text points into text */
	char *text;
};
int desk_view_save(struct desk *d, const char *name, const struct ticket_filter *f, struct wb_err *err);
int desk_view_delete(struct desk *d, const char *name, struct wb_err *err);
int desk_view_list(struct desk *d, struct saved_view **out, size_t *n, struct wb_err *err);
void desk_views_free(struct saved_view **v, size_t n);

/* Finds or creates the contact for an email address (name used when creating; unknown
 * senders' domains map to an organisation). Inside the caller's transaction. */
int desk_contact_for_email(struct desk *d, const char *email, const char *name, int64_t *id,
			   struct wb_err *err);
int desk_contact_for_phone(struct desk *d, const char *phone, const char *name, int64_t *id,
			   struct wb_err *err);

#endif

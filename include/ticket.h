/* ticket.h — the support-desk domain: kinds, channels, statuses, the workflow
 * table, and the plain structs the store fills and the UI and CLI show.
 * No SQL and no terminal here. */
#ifndef WB_TICKET_H
#define WB_TICKET_H

#include "clock.h"
#include "err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* X-macro lists: the enum and its stable names (stored in the database, used in JSON and
 * on the command line) and the translatable labels come from one place. */
#define TICKET_KINDS(X) \
	X(KIND_BUG, "bug", N_("bug")) \
	X(KIND_SECURITY, "security", N_("security update")) \
	X(KIND_FEATURE, "feature", N_("feature request")) \
	X(KIND_QUESTION, "question", N_("support question")) \
	X(KIND_MAINTENANCE, "maintenance", N_("maintenance task"))

#define TICKET_CHANNELS(X) \
	X(CHANNEL_EMAIL, "email", N_("email")) \
	X(CHANNEL_PHONE, "phone", N_("phone")) \
	X(CHANNEL_WEB, "web", N_("web")) \
	X(CHANNEL_INTERNAL, "internal", N_("internal"))

#define TICKET_STATUSES(X) \
	X(STATUS_NEW, "new", N_("new")) \
	X(STATUS_TRIAGED, "triaged", N_("triaged")) \
	X(STATUS_IN_PROGRESS, "in_progress", N_("in progress")) \
	X(STATUS_WAITING, "waiting", N_("waiting on customer")) \
	X(STATUS_IN_REVIEW, "in_review", N_("in review")) \
	X(STATUS_TESTING, "testing", N_("testing")) \
	X(STATUS_RESOLVED, "resolved", N_("resolved")) \
	X(STATUS_CLOSED, "closed", N_("closed")) \
	X(STATUS_REOPENED, "reopened", N_("reopened"))

#define MESSAGE_KINDS(X) \
	X(MSG_REPLY, "reply", N_("reply")) \
	X(MSG_NOTE, "note", N_("internal note")) \
	X(MSG_CALL, "call", N_("phone call")) \
	X(MSG_EVENT, "event", N_("event")) \
	X(MSG_INBOUND, "inbound", N_("customer message"))

#define LINK_KINDS(X) \
	X(LINK_DUPLICATE, "duplicate_of", N_("duplicate of")) \
	X(LINK_RELATED, "related", N_("related to")) \
	X(LINK_BLOCKS, "blocks", N_("blocks"))

#define ROLES(X) \
	X(ROLE_VIEWER, "viewer", N_("viewer")) \
	X(ROLE_OPERATOR, "operator", N_("operator")) \
	X(ROLE_SUPERVISOR, "supervisor", N_("supervisor")) \
	X(ROLE_ADMIN, "admin", N_("admin"))

#define WB_ENUM_ITEM(e, name, label) e,
enum ticket_kind { TICKET_KINDS(WB_ENUM_ITEM) KIND_COUNT };
enum ticket_channel { TICKET_CHANNELS(WB_ENUM_ITEM) CHANNEL_COUNT };
enum ticket_status { TICKET_STATUSES(WB_ENUM_ITEM) STATUS_COUNT };
enum message_kind { MESSAGE_KINDS(WB_ENUM_ITEM) MSG_COUNT };
enum link_kind { LINK_KINDS(WB_ENUM_ITEM) LINK_COUNT };
enum user_role { ROLES(WB_ENUM_ITEM) ROLE_COUNT };
#undef WB_ENUM_ITEM

#ifndef N_
#define N_(s) (s)
#endif

/* Stable names ("in_progress") and translated labels ("in progress"/"处理中"). */
const char *ticket_kind_name(enum ticket_kind k);
const char *ticket_kind_label(enum ticket_kind k);
const char *ticket_channel_name(enum ticket_channel c);
const char *ticket_channel_label(enum ticket_channel c);
const char *ticket_status_name(enum ticket_status s);
const char *ticket_status_label(enum ticket_status s);
const char *message_kind_name(enum message_kind k);
const char *message_kind_label(enum message_kind k);
const char *link_kind_name(enum link_kind k);
const char *link_kind_label(enum link_kind k);
const char *user_role_name(enum user_role r);
const char *user_role_label(enum user_role r);

/* Parse a stable name (also accepts '-' for '_'); WB_EINVAL naming the value and the allowed ones. */
int ticket_kind_parse(const char *s, enum ticket_kind *out, struct wb_err *err);
int ticket_channel_parse(const char *s, enum ticket_channel *out, struct wb_err *err);
int ticket_status_parse(const char *s, enum ticket_status *out, struct wb_err *err);
int message_kind_parse(const char *s, enum message_kind *out, struct wb_err *err);
int link_kind_parse(const char *s, enum link_kind *out, struct wb_err *err);
int user_role_parse(const char *s, enum user_role *out, struct wb_err *err);
/* "P1".."P4" or "1".."4" (also "critical", "high", "normal", "low"). */
int ticket_priority_parse(const char *s, int *out, struct wb_err *err);
const char *ticket_priority_label(int p); /* "P1 critical" … translated */

/* The workflow. */
bool ticket_status_is_open(enum ticket_status s);       /* not resolved, not closed */
bool ticket_transition_allowed(enum ticket_status from, enum ticket_status to);
/* The statuses reachable from `from`, in table order; returns the count (<= STATUS_COUNT). */
size_t ticket_transitions(enum ticket_status from, enum ticket_status out[STATUS_COUNT]);
/* WB_OK, or WB_EREFUSED with "cannot go from X to Y; allowed: a, b". */
int ticket_transition_check(enum ticket_status from, enum ticket_status to, struct wb_err *err);

/* Subjects: one line of valid UTF-8, 1..300 characters after trimming. */
int ticket_subject_check(const char *subject, struct wb_err *err);
#define TICKET_BODY_MAX (1024 * 1024) /* bytes of one message body */
int ticket_body_check(const char *body, struct wb_err *err);

/* A ticket as lists and views show it: ids plus the names joined in by the store. */
struct ticket {
	int64_t id;
	char *subject;
	enum ticket_kind kind;
	enum ticket_status status;
	int priority;                  /* 1 (critical) .. 4 (low) */
	enum ticket_channel channel;
	int64_t queue_id;
	char *queue;
	int64_t requester_id;
	char *requester_name, *requester_email, *requester_phone;
	int64_t org_id;
	char *org;
	char *sla_level;               /* the organisation's contract level, "standard" without one */
	int64_t system_id;
	char *system;
	int64_t assignee_id;           /* 0 = unassigned */
	char *assignee;                /* login */
	wb_time created_at, updated_at;
	wb_time first_response_at, resolved_at, closed_at;
	wb_time response_due, resolve_due;
	wb_time sla_due, sla_risk_at;  /* the running target (response, then resolution) and 75% mark */
	wb_time paused_at;             /* waiting on customer since, or 0 */
	int64_t paused_secs;           /* business seconds spent waiting so far: extends the targets */
	char *affected_version, *fixed_version, *review_ref, *test_result;
	int64_t merged_into;           /* 0 or the ticket this one was merged into */
	int minutes_worked;
	int64_t version;               /* bumps on every change: edit-conflict detection */
	bool in_window;                /* opened during a maintenance window */
};
void ticket_free(struct ticket **t);
void ticket_clear(struct ticket *t); /* frees the strings inside a struct held by value */

/* One entry of the conversation. */
struct message {
	int64_t id;
	int64_t ticket_id;
	enum message_kind kind;
	char *author;                  /* operator login or contact name */
	char *author_email;
	char *body;
	int minutes;                   /* time worked recorded with it */
	wb_time created_at;
	char *email_message_id;        /* Message-ID for email traffic */
	char *outbox_state;            /* for replies that send mail: queued/sending/sent/retrying/failed */
	bool flagged;                  /* e.g. an inbound reply from someone not on the ticket */
	int n_attachments;
};
void message_clear(struct message *m);

struct ticket_list {
	struct ticket *items;
	size_t n;
};
void ticket_list_free(struct ticket_list *l);

struct message_list {
	struct message *items;
	size_t n;
};
void message_list_free(struct message_list *l);

#endif

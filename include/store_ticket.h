/* store_ticket.h — tickets, their conversation, links, search and counts in the database.
 * Callers (the domain in desk.c) wrap each change in store_begin/store_commit. */
#ifndef WB_STORE_TICKET_H
#define WB_STORE_TICKET_H

#include "err.h"
#include "store.h"
#include "ticket.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Which tickets a list shows. After ticket_filter_init = every open ticket. */
struct ticket_filter {
	unsigned status_mask;    /* bit (1u << status); 0 = the open statuses */
	int64_t queue_id;        /* 0 = any */
	int64_t assignee_id;     /* 0 = any */
	bool unassigned;
	int kind;                /* -1 or 0..KIND_COUNT-1; use ticket_filter_init for "any" */
	int64_t requester_id;
	int64_t org_id;
	int sla;                 /* 0 any, 1 at risk, 2 breached (open tickets, clock running) */
	wb_time now;             /* for sla */
	const char *text;        /* subject contains (the '/' narrowing), NULL = any */
	/* The narrowings of a report figure (the dashboard's drill-down, `ticket list --opened-from`).
	 * Each applies only when set, so the default views keep their SQL and indexes. Times are UTC;
	 * ranges are half-open [from, to) and 0 leaves that end open. Give status_mask all statuses
	 * to see closed tickets as well. */
	int channel;             /* -1 or 0..CHANNEL_COUNT-1; ticket_filter_init sets -1 */
	int64_t system_id;       /* 0 = any */
	wb_time created_from, created_to;
	wb_time resolved_from, resolved_to;   /* done: coalesce(resolved_at, closed_at) */
	bool resolved_only;      /* resolved_at set: not closed without a resolution */
	wb_time responded_from, responded_to; /* first_response_at */
	/* SLA targets that fell due in [due_from, due_to): TICKET_TARGET_RESPONSE or _RESOLVE, and
	 * which outcomes (TICKET_DUE_* bits, 0 = any), judged at `now` as the report does */
	int target;
	wb_time due_from, due_to;
	unsigned due_outcomes;
	wb_time open_at;         /* open at that instant: created before it, not done before it */
	wb_time reopened_from, reopened_to;   /* set to "reopened" in the range (audit) */
	wb_time rated_from, rated_to;         /* rated in the range */
	int rating;              /* with rated_*: only this score 1..5, 0 = any */
	wb_time worked_from, worked_to;       /* time recorded on a message in the range */
};
enum { TICKET_TARGET_NONE, TICKET_TARGET_RESPONSE, TICKET_TARGET_RESOLVE };
#define TICKET_DUE_MET 1u       /* done by the due time */
#define TICKET_DUE_LATE 2u      /* done after it */
#define TICKET_DUE_OVERDUE 4u   /* not done, passed (the clock was not paused before it) */
#define TICKET_DUE_PENDING 8u   /* not done, not yet late */
void ticket_filter_init(struct ticket_filter *f);

#define TICKET_SORTS(X) \
	X(SORT_DEFAULT, "priority") \
	X(SORT_UPDATED, "updated") \
	X(SORT_CREATED, "created") \
	X(SORT_ID, "id") \
	X(SORT_DUE, "due")
#define WB_SORT_ITEM(e, name) e,
enum ticket_sort { TICKET_SORTS(WB_SORT_ITEM) SORT_COUNT };
#undef WB_SORT_ITEM
const char *ticket_sort_name(enum ticket_sort s);
int ticket_sort_parse(const char *s, enum ticket_sort *out, struct wb_err *err);

/* A position in a sorted list: the sort columns of one row (keyset paging). */
struct ticket_key {
	int priority;
	int64_t value;   /* updated_at, created_at or sla_due, per sort */
	int64_t id;
};
void ticket_key_of(const struct ticket *t, enum ticket_sort sort, struct ticket_key *key);

int store_ticket_insert(struct store *s, const struct ticket *t, int64_t *id, struct wb_err *err);
/* WB_ENOTFOUND naming the id when there is no such ticket. */
int store_ticket_get(struct store *s, int64_t id, struct ticket *out, struct wb_err *err);
/* Writes every changeable column of t and bumps its version. When expect_version is not 0
 * and the stored version differs, nothing is written and WB_ECONFLICT is returned. */
int store_ticket_update(struct store *s, const struct ticket *t, int64_t expect_version,
			struct wb_err *err);

/* One page of `limit` tickets after (or, backward, before) `key` in `sort` order; key NULL =
 * the first (backward: the last) page. Rows always come in list order. out is filled
 * (ticket_list_free). Cost does not grow with the page number. */
int store_ticket_page(struct store *s, const struct ticket_filter *f, enum ticket_sort sort,
		      const struct ticket_key *key, bool backward, size_t limit,
		      struct ticket_list *out, struct wb_err *err);
/* For tests: EXPLAIN QUERY PLAN of the id query of a page (first page, or one after a key), one
 * line per step. *out caller frees. */
int store_ticket_page_plan(struct store *s, const struct ticket_filter *f, enum ticket_sort sort, bool have_key,
			   char **out, struct wb_err *err);
/* Tickets matching an FTS5 query (see store_search_query), at most limit: ranked by relevance
 * when there are at most 200 matches, else the newest first (ranking a common word would walk
 * its whole index list). */
int store_ticket_search(struct store *s, const char *fts_query, size_t limit,
			struct ticket_list *out, struct wb_err *err);

/* Top-bar counts stop at TICKET_COUNT_CAP ("999+"): each costs at most that many index entries,
 * whatever the size of the desk. Exact numbers come from ticket list. */
#define TICKET_COUNT_CAP 1000
struct ticket_counts {
	int64_t mine, unassigned, at_risk, breached, open;
};
int store_ticket_counts(struct store *s, int64_t user_id, wb_time now, struct ticket_counts *c,
			struct wb_err *err);

/* The open tickets of one requester, newest first (phone calls add to one of them). */
int store_ticket_open_of(struct store *s, int64_t requester_id, size_t limit, struct ticket_list *out,
			 struct wb_err *err);

/* Conversation. author_user_id / author_contact_id: 0 for none. The body is also indexed for search
 * (events are not). */
struct message_new {
	int64_t ticket_id;
	enum message_kind kind;
	int64_t author_user_id, author_contact_id;
	const char *body;
	const char *quoted;              /* folded quoted history of an inbound mail */
	int minutes;
	const char *email_message_id;
	bool flagged;
	wb_time created_at;              /* 0 = now */
};
/* WB_EREFUSED when email_message_id is already stored (the same mail twice). */
int store_message_add(struct store *s, const struct message_new *m, int64_t *id, struct wb_err *err);
int store_message_list(struct store *s, int64_t ticket_id, struct message_list *out, struct wb_err *err);
/* The ticket a stored email Message-ID belongs to (messages and outbox); *ticket_id 0 when none. */
int store_message_ticket_by_email_id(struct store *s, const char *email_message_id, int64_t *ticket_id,
				     struct wb_err *err);
int store_attachment_add(struct store *s, int64_t message_id, const char *filename,
			 const char *content_type, const char *content_id, bool is_inline,
			 const void *data, size_t size, struct wb_err *err);

struct attachment_info {
	int64_t id, message_id;
	char *filename, *content_type;
	int64_t size;
	bool is_inline;
};
int store_attachment_list(struct store *s, int64_t ticket_id, struct attachment_info **out, size_t *n,
			  struct wb_err *err);
void store_attachments_free(struct attachment_info **a, size_t n);

/* Links and merging. */
int store_link_add(struct store *s, int64_t from_id, int64_t to_id, enum link_kind kind, struct wb_err *err);
struct ticket_link {
	int64_t other_id;
	enum link_kind kind;
	bool outgoing;   /* this ticket -> other */
};
int store_link_list(struct store *s, int64_t ticket_id, struct ticket_link **out, size_t *n,
		    struct wb_err *err);
/* Moves every message (and its attachments and search text) of `from` to `to`. */
int store_ticket_move_messages(struct store *s, int64_t from_id, int64_t to_id, struct wb_err *err);

/* Satisfaction ratings (1..5) on a ticket. */
int store_rating_add(struct store *s, int64_t ticket_id, int score, const char *source, const char *comment,
		     struct wb_err *err);

#endif

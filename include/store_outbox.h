/* store_outbox.h — the durable outbox in the database: outgoing mail and its recipients.
 *
 * A message is stored rendered (raw, CRLF) with its Message-ID, so a resend is byte for byte
 * the same mail. Life of a row:
 *
 *   queued --claim--> sending --finish--> sent | retrying | failed
 *   retrying --claim (when due)--> sending ...
 *   sending --lease expired (a killed sender)--> claimed again: one resend, same Message-ID
 *   queued | retrying | failed --cancel--> cancelled;  failed | retrying | cancelled --retry--> queued
 *
 * A claim is a short write transaction of its own; the SMTP session runs outside any
 * transaction. Recipients already marked sent are never handed out again. Enqueueing runs
 * inside the caller's transaction (the reply that causes the mail). */
#ifndef WB_STORE_OUTBOX_H
#define WB_STORE_OUTBOX_H

#include "clock.h"
#include "err.h"
#include "store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OUTBOX_STATES(X) \
	X(OUTBOX_QUEUED, "queued") \
	X(OUTBOX_SENDING, "sending") \
	X(OUTBOX_SENT, "sent") \
	X(OUTBOX_RETRYING, "retrying") \
	X(OUTBOX_FAILED, "failed") \
	X(OUTBOX_CANCELLED, "cancelled")

enum outbox_state {
#define OUTBOX_STATE_ENUM(id, name) id,
	OUTBOX_STATES(OUTBOX_STATE_ENUM)
#undef OUTBOX_STATE_ENUM
	OUTBOX_STATE_COUNT
};
/* Stable names as stored ("queued" ...). */
const char *outbox_state_name(enum outbox_state s);
/* WB_EINVAL naming the value and the allowed ones. */
int outbox_state_parse(const char *s, enum outbox_state *out, struct wb_err *err);

/* Recipient states are queued, sent, retrying, failed (the same names). */
struct outbox_rcpt {
	char *addr;
	enum outbox_state state;
	int code;          /* the server's last reply code for it (0: none yet) */
	char *reply;       /* its text, or NULL */
};

struct outbox_item {
	int64_t id;
	int64_t ticket_id;       /* 0 for none */
	int64_t message_id;      /* the reply it carries, 0 for notifications */
	char *email_message_id;  /* without <> */
	char *envelope_from;
	char *raw;               /* filled by claim and find only (NULL in lists) */
	enum outbox_state state;
	int attempts;            /* claims so far; also the claim's token for finish/unclaim */
	wb_time next_attempt_at; /* due time; while sending: when the lease runs out */
	char *last_error;
	wb_time created_at, sent_at;
	struct outbox_rcpt *rcpt; /* claim: only those still to send; find/list: all */
	size_t n_rcpt;
};
void outbox_item_clear(struct outbox_item *it);
/* Clears n items and frees the array; *items becomes NULL. */
void outbox_items_free(struct outbox_item **items, size_t n);

struct outbox_new {
	int64_t ticket_id, message_id;   /* 0 = none */
	const char *email_message_id;    /* without <> */
	const char *envelope_from;
	const char *raw;
	const char *const *rcpts;        /* bare addresses; duplicates (any case) are stored once */
	size_t n_rcpts;                  /* at least 1 */
	wb_time at;                      /* queued at and first due; 0 = now */
};
/* Stores a message with its recipients (state queued). Call inside the transaction of the
 * change that causes it. WB_ECONFLICT when the Message-ID is already in the outbox. */
int store_outbox_enqueue(struct store *s, const struct outbox_new *o, int64_t *id, struct wb_err *err);

/* Claims at most `limit` messages due at `now` (queued or retrying with next_attempt_at <= now,
 * and sending whose lease ran out) in one short transaction: state sending, attempts + 1,
 * next_attempt_at = now + lease. Oldest due first. *out (outbox_items_free) holds the raw
 * message and the recipients not yet sent or failed; *n may be 0. */
int store_outbox_claim(struct store *s, wb_time now, wb_time lease, size_t limit, struct outbox_item **out,
		       size_t *n, struct wb_err *err);

/* Records one recipient's outcome (state sent, retrying or failed) of the claim `attempts`.
 * A recipient already sent stays sent. Call between store_begin and store_commit together with
 * store_outbox_finish, so a message and its recipients change together. */
int store_outbox_rcpt_set(struct store *s, int64_t id, const char *addr, enum outbox_state state, int code,
			  const char *reply, struct wb_err *err);
/* Ends the claim `attempts` of message id: state sent, retrying or failed, the next due time
 * (retrying), the last error (NULL to keep none) and sent_at (sent). WB_ECONFLICT when the
 * message is no longer in this claim (its lease ran out and another sender took it, or it
 * was cancelled): then nothing is changed and the caller should roll back. */
int store_outbox_finish(struct store *s, int64_t id, int attempts, enum outbox_state state, wb_time next_at,
			const char *last_error, wb_time sent_at, struct wb_err *err);
/* Gives a claim back untried (a settings problem, or the server was found down before this
 * message's turn): attempts - 1, state back to queued (never tried) or retrying, due at
 * next_at, last_error kept. WB_ECONFLICT as for finish. */
int store_outbox_unclaim(struct store *s, int64_t id, int attempts, wb_time next_at, const char *last_error,
			 struct wb_err *err);

/* Renews the claim `attempts` of message id while a sender is still busy with it: the lease
 * runs out at `until` instead. WB_ECONFLICT as for finish. */
int store_outbox_extend(struct store *s, int64_t id, int attempts, wb_time until, struct wb_err *err);

/* Newest first, keyset paging: messages with id < before_id (0 = from the newest), at most
 * limit; only state `state` when filter_state is true. Recipients included, raw not. */
int store_outbox_list(struct store *s, bool filter_state, enum outbox_state state, int64_t before_id,
		      size_t limit, struct outbox_item **out, size_t *n, struct wb_err *err);
/* By outbox id, with raw and every recipient. WB_ENOTFOUND naming the id. */
int store_outbox_get(struct store *s, int64_t id, struct outbox_item *out, struct wb_err *err);
/* By email Message-ID (without <>), with raw and every recipient. WB_ENOTFOUND naming it. */
int store_outbox_find(struct store *s, const char *email_message_id, struct outbox_item *out,
		      struct wb_err *err);

/* Sends again: a failed, retrying or cancelled message (or a queued one, to make it due now)
 * becomes queued and due at now with attempts 0; its failed and retrying recipients become
 * queued, sent ones stay sent. WB_EREFUSED for a message that was sent or is being sent. */
int store_outbox_retry(struct store *s, int64_t id, wb_time now, struct wb_err *err);
/* Cancels a queued, retrying or failed message. WB_EREFUSED for sent, sending, cancelled. */
int store_outbox_cancel(struct store *s, int64_t id, struct wb_err *err);

struct outbox_counts {
	int64_t n[OUTBOX_STATE_COUNT]; /* indexed by enum outbox_state */
};
int store_outbox_counts(struct store *s, struct outbox_counts *c, struct wb_err *err);
/* The earliest next_attempt_at over queued, retrying and sending messages; 0 when none. */
int store_outbox_next_due(struct store *s, wb_time *at, struct wb_err *err);

/* The email Message-IDs of a ticket's conversation so far (inbound mail and the outbox),
 * oldest first, at most `limit` of the newest. *ids (each and the array) caller frees. */
int store_outbox_thread(struct store *s, int64_t ticket_id, size_t limit, char ***ids, size_t *n,
			struct wb_err *err);

/* The files attached to a conversation message, to go out with the mail that carries it. */
struct outbox_attachment {
	char *filename, *content_type;
	unsigned char *data;
	size_t size;
};
int store_outbox_attachments(struct store *s, int64_t message_id, struct outbox_attachment **out, size_t *n,
			     struct wb_err *err);
void outbox_attachments_free(struct outbox_attachment **a, size_t n);

#endif

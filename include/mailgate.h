/* mailgate.h — one inbound email onto the right ticket: threading by Message-ID, then by the
 * ticket tag in the subject, else a new ticket; safety rules for automatic mail, floods and
 * loops; anything that cannot be filed is kept whole in the quarantine. */
#ifndef WB_MAILGATE_H
#define WB_MAILGATE_H

#include "desk.h"
#include "store_mail.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum mailgate_outcome {
	GATE_CREATED,      /* a new ticket */
	GATE_APPENDED,     /* added to an existing ticket */
	GATE_DUPLICATE,    /* the same Message-ID was stored before: nothing new */
	GATE_HELD,         /* kept in the quarantine by policy (flood, automatic mail, own address) */
	GATE_QUARANTINED,  /* could not be understood: kept in the quarantine */
};

struct mailgate_opts {
	const char *queue;   /* queue for new tickets, NULL = the first */
	bool keep_date;      /* imports: the message's Date becomes the ticket's time */
};

struct mailgate_result {
	enum mailgate_outcome outcome;
	int64_t ticket_id;
	int64_t quarantine_id;
	bool reopened, rated;
	char reason[256];
};

/* Stores one raw message. WB_OK when it is stored somewhere (see result); WB_EBUSY when the
 * database is busy (the mail server should retry); another error only when even the
 * quarantine could not be written. */
int mailgate_deliver(struct desk *d, const char *raw, size_t len, const struct mailgate_opts *o,
		     struct mailgate_result *r, struct wb_err *err);
/* Imports: mailgate_deliver for many messages, MAILGATE_BATCH of them to a transaction (inside it
 * a message that fails undoes only itself), so that history comes in fast. Start from
 * struct mailgate_batch b = { .d = d }; mailgate_batch_end commits the open batch (commit)
 * or rolls it back, and must be called once at the end either way. The batches are one bulk load:
 * tickets they create get their search entries once, in mailgate_batch_end, even after a failure. */
#define MAILGATE_BATCH 250
struct mailgate_batch {
	struct desk *d;
	size_t n;       /* messages handed in so far */
	bool open;      /* a batch transaction is open */
	bool bulk;      /* a bulk load is on (store_bulk.h): new tickets become searchable at the end */
};
int mailgate_batch_deliver(struct mailgate_batch *b, const char *raw, size_t len, const struct mailgate_opts *o,
			   struct mailgate_result *r, struct wb_err *err);
int mailgate_batch_end(struct mailgate_batch *b, bool commit, struct wb_err *err);

/* The quarantine (struct quarantined, store_mail.h). Newest first after before_id (0 = from the
 * newest), at most limit, held ones only unless all. *out: store_quarantine_list_free. */
int mailgate_quarantine_list(struct desk *d, int64_t before_id, size_t limit, bool all, struct quarantined **out,
			     size_t *n, struct wb_err *err);
/* One quarantined message with its raw bytes. WB_ENOTFOUND names the number. *out: quarantined_clear. */
int mailgate_quarantine_get(struct desk *d, int64_t id, struct quarantined *out, struct wb_err *err);
/* Marks a quarantined message dropped (it stays stored). Operators and above. */
int mailgate_quarantine_drop(struct desk *d, int64_t id, struct wb_err *err);
/* Sends a quarantined message through the gate again, as an operator decided. Filed (created, appended or a duplicate): marked retried, *r says on which
 * ticket. Otherwise WB_EREFUSED "still cannot be filed: <reason>". Operators and above. */
int mailgate_quarantine_retry(struct desk *d, int64_t id, struct mailgate_result *r, struct wb_err *err);

/* sysexits status for the mail server: 0 stored, 65 quarantined as not understood, 75 retry later. */
int mailgate_exit_status(int rc, const struct mailgate_result *r);
const char *mailgate_outcome_name(enum mailgate_outcome o);

#endif

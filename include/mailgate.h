/* mailgate.h — one inbound email onto the right ticket: threading by Message-ID, then by the
 * ticket tag in the subject, else a new ticket; safety rules for automatic mail, floods and
 * loops; anything that cannot be filed is kept whole in the quarantine. */
#ifndef WB_MAILGATE_H
#define WB_MAILGATE_H

#include "desk.h"

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
/* sysexits status for the mail server: 0 stored, 65 quarantined as not understood, 75 retry later. */
int mailgate_exit_status(int rc, const struct mailgate_result *r);
const char *mailgate_outcome_name(enum mailgate_outcome o);

#endif

/* store_mail.h — inbound mail that could not be filed: the quarantine, kept whole so that
 * nothing a mail server hands over is ever dropped; and the sender rate check. */
#ifndef WB_STORE_MAIL_H
#define WB_STORE_MAIL_H

#include "clock.h"
#include "err.h"
#include "store.h"

#include <stddef.h>
#include <stdint.h>

struct quarantined {
	int64_t id;
	wb_time received_at;
	char *reason;
	char *sender, *subject;
	int64_t size;
	char *state;          /* held, retried, dropped */
	unsigned char *raw;   /* only filled by store_quarantine_get */
};
void quarantined_clear(struct quarantined *q);

int store_quarantine_add(struct store *s, const char *reason, const char *sender, const char *subject,
			 const void *raw, size_t size, int64_t *id, struct wb_err *err);
/* Newest first, keyset after before_id (0 = from the newest), held ones only unless all. */
int store_quarantine_list(struct store *s, int64_t before_id, size_t limit, bool all,
			  struct quarantined **out, size_t *n, struct wb_err *err);
void store_quarantine_list_free(struct quarantined **q, size_t n);
int store_quarantine_get(struct store *s, int64_t id, struct quarantined *out, struct wb_err *err);
int store_quarantine_set_state(struct store *s, int64_t id, const char *state, struct wb_err *err);
/* New tickets opened by this contact by email since `since`. */
int store_mail_recent_tickets(struct store *s, int64_t contact_id, wb_time since, int64_t *n,
			      struct wb_err *err);
/* True when the Message-ID is already stored (message, quarantine not counted). */
int store_mail_seen(struct store *s, const char *message_id, bool *seen, struct wb_err *err);

#endif

/* store_automate.h — the queries behind `weibao automate`: which tickets need a look, and whether
 * a marker (an audit entry) was already written, so every run after the first finds nothing new. */
#ifndef WB_STORE_AUTOMATE_H
#define WB_STORE_AUTOMATE_H

#include "clock.h"
#include "err.h"
#include "store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Ticket ids in id order; *ids caller frees (NULL when *n is 0). Each uses an index. */
/* Open tickets with a running clock past their at-risk mark (sla_risk_at <= now). */
int store_automate_sla_candidates(struct store *s, wb_time now, int64_t **ids, size_t *n, struct wb_err *err);
/* Tickets waiting on the customer since at or before `before`. */
int store_automate_waiting(struct store *s, wb_time before, int64_t **ids, size_t *n, struct wb_err *err);
/* Resolved (not closed) tickets resolved at or before `before`. */
int store_automate_resolved(struct store *s, wb_time before, int64_t **ids, size_t *n, struct wb_err *err);
/* True when the audit log holds (ticket, what, new_value) written at or after `since`. */
int store_audit_exists(struct store *s, int64_t ticket_id, const char *what, const char *value, wb_time since,
		       bool *found, struct wb_err *err);

#endif

#include "store_automate.h"

#include "store_priv.h"
#include "xmalloc.h"

#include <stdlib.h>

static int ids_query(struct store *s, const char *sql, wb_time t, int64_t **ids, size_t *n, struct wb_err *err)
{
	*ids = NULL;
	*n = 0;
	sqlite3_stmt *st;
	int rc = sp_prepare(s, sql, &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, t);
	size_t cap = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*ids = xrealloc(*ids, cap * sizeof **ids);
		}
		(*ids)[(*n)++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(*ids);
		*ids = NULL;
		*n = 0;
		return sp_fail(s, rc, err);
	}
	return WB_OK;
}

int store_automate_sla_candidates(struct store *s, wb_time now, int64_t **ids, size_t *n, struct wb_err *err)
{
	return ids_query(s, "SELECT id FROM tickets WHERE sla_risk_at <= ? "
			    "AND status NOT IN ('resolved','closed','waiting') ORDER BY id", now, ids, n, err);
}

int store_automate_waiting(struct store *s, wb_time before, int64_t **ids, size_t *n, struct wb_err *err)
{
	return ids_query(s, "SELECT id FROM tickets WHERE status = 'waiting' AND paused_at <= ? ORDER BY id",
			 before, ids, n, err);
}

int store_automate_resolved(struct store *s, wb_time before, int64_t **ids, size_t *n, struct wb_err *err)
{
	return ids_query(s, "SELECT id FROM tickets WHERE status = 'resolved' AND resolved_at <= ? ORDER BY id",
			 before, ids, n, err);
}

int store_audit_exists(struct store *s, int64_t ticket_id, const char *what, const char *value, wb_time since,
		       bool *found, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "SELECT 1 FROM audit WHERE ticket_id = ? AND what = ? AND new_value = ? AND at >= ? "
			       "LIMIT 1", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, ticket_id);
	sqlite3_bind_text(st, 2, what, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, value, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, since);
	rc = sqlite3_step(st);
	*found = rc == SQLITE_ROW;
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? WB_OK : sp_fail(s, rc, err);
	sqlite3_finalize(st);
	return rc;
}

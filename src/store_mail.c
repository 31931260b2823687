#include "store_mail.h"

#include "i18n.h"
#include "store_priv.h"
#include "xmalloc.h"

#include <stdlib.h>
#include <string.h>

void quarantined_clear(struct quarantined *q)
{
	xfree_str(&q->reason);
	xfree_str(&q->sender);
	xfree_str(&q->subject);
	xfree_str(&q->state);
	free(q->raw);
	q->raw = NULL;
}

int store_quarantine_add(struct store *s, const char *reason, const char *sender, const char *subject,
			 const void *raw, size_t size, int64_t *id, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "INSERT INTO quarantine(received_at, reason, sender, subject, size, raw)"
			       " VALUES (?, ?, ?, ?, ?, ?)", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, clock_now());
	sqlite3_bind_text(st, 2, reason, -1, SQLITE_STATIC);
	sp_bind_text(st, 3, sender);
	sp_bind_text(st, 4, subject);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)size);
	sqlite3_bind_blob64(st, 6, raw ? raw : "", size, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return sp_fail(s, rc, err);
	if (id)
		*id = sqlite3_last_insert_rowid(s->db);
	return WB_OK;
}

static void read_q(sqlite3_stmt *st, struct quarantined *q)
{
	memset(q, 0, sizeof *q);
	q->id = sqlite3_column_int64(st, 0);
	q->received_at = sqlite3_column_int64(st, 1);
	q->reason = sp_col_text(st, 2);
	q->sender = sp_col_text(st, 3);
	q->subject = sp_col_text(st, 4);
	q->size = sqlite3_column_int64(st, 5);
	q->state = sp_col_text(st, 6);
}

int store_quarantine_list(struct store *s, int64_t before_id, size_t limit, bool all,
			  struct quarantined **out, size_t *n, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "SELECT id, received_at, reason, sender, subject, size, state FROM quarantine"
			       " WHERE (?1 = 0 OR id < ?1) AND (?2 OR state = 'held') ORDER BY id DESC LIMIT ?3",
			    &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, before_id);
	sqlite3_bind_int(st, 2, all);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)limit);
	struct quarantined *v = NULL;
	size_t cnt = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = xrealloc(v, (cnt + 1) * sizeof *v);
		read_q(st, &v[cnt++]);
	}
	sqlite3_finalize(st);
	*out = v;
	*n = cnt;
	return rc == SQLITE_DONE ? WB_OK : sp_fail(s, rc, err);
}

void store_quarantine_list_free(struct quarantined **q, size_t n)
{
	if (!q || !*q)
		return;
	for (size_t i = 0; i < n; i++)
		quarantined_clear(&(*q)[i]);
	free(*q);
	*q = NULL;
}

int store_quarantine_get(struct store *s, int64_t id, struct quarantined *out, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "SELECT id, received_at, reason, sender, subject, size, state, raw FROM quarantine"
			       " WHERE id = ?", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		read_q(st, out);
		size_t len = (size_t)sqlite3_column_bytes(st, 7);
		out->raw = xmalloc(len + 1);
		if (len)
			memcpy(out->raw, sqlite3_column_blob(st, 7), len);
		out->raw[len] = '\0';
		out->size = (int64_t)len;
		rc = WB_OK;
	} else if (rc == SQLITE_DONE) {
		rc = wb_err_set(err, WB_ENOTFOUND, _("no quarantined message #%lld"), (long long)id);
	} else {
		rc = sp_fail(s, rc, err);
	}
	sqlite3_finalize(st);
	return rc;
}

int store_quarantine_set_state(struct store *s, int64_t id, const char *state, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "UPDATE quarantine SET state = ? WHERE id = ?", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, state, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, id);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return sp_fail(s, rc, err);
	if (sqlite3_changes(s->db) == 0)
		return wb_err_set(err, WB_ENOTFOUND, _("no quarantined message #%lld"), (long long)id);
	return WB_OK;
}

int store_mail_recent_tickets(struct store *s, int64_t contact_id, wb_time since, int64_t *n,
			      struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "SELECT count(*) FROM tickets WHERE requester_id = ? AND channel = 'email'"
			       " AND created_at >= ?", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, contact_id);
	sqlite3_bind_int64(st, 2, since);
	rc = sqlite3_step(st);
	*n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? WB_OK : sp_fail(s, rc, err);
}

int store_mail_seen(struct store *s, const char *message_id, bool *seen, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "SELECT 1 FROM messages WHERE email_message_id = ?", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, message_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	*seen = rc == SQLITE_ROW;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? WB_OK : sp_fail(s, rc, err);
}

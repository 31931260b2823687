/* store_outbox.c — the outbox tables (outbox, outbox_rcpt). See store_outbox.h. */
#include "store_outbox.h"

#include "i18n.h"
#include "store_priv.h"
#include "strbuf.h"
#include "xmalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const state_names[] = {
#define OUTBOX_STATE_NAME(id, name) name,
	OUTBOX_STATES(OUTBOX_STATE_NAME)
#undef OUTBOX_STATE_NAME
};

const char *outbox_state_name(enum outbox_state s)
{
	return (unsigned)s < OUTBOX_STATE_COUNT ? state_names[s] : "?";
}

int outbox_state_parse(const char *s, enum outbox_state *out, struct wb_err *err)
{
	for (int i = 0; i < OUTBOX_STATE_COUNT; i++)
		if (s && !strcmp(s, state_names[i])) {
			*out = (enum outbox_state)i;
			return WB_OK;
		}
	return wb_err_set(err, WB_EINVAL,
			  _("unknown outbox state '%s' (allowed: queued, sending, sent, retrying, failed, cancelled)"),
			  s ? s : "");
}

static enum outbox_state col_state(sqlite3_stmt *st, int i)
{
	enum outbox_state s = OUTBOX_QUEUED;
	outbox_state_parse((const char *)sqlite3_column_text(st, i), &s, NULL);
	return s;
}

void outbox_item_clear(struct outbox_item *it)
{
	if (!it)
		return;
	free(it->email_message_id);
	free(it->envelope_from);
	free(it->raw);
	free(it->last_error);
	for (size_t i = 0; i < it->n_rcpt; i++) {
		free(it->rcpt[i].addr);
		free(it->rcpt[i].reply);
	}
	free(it->rcpt);
	memset(it, 0, sizeof *it);
}

void outbox_items_free(struct outbox_item **items, size_t n)
{
	if (!items || !*items)
		return;
	for (size_t i = 0; i < n; i++)
		outbox_item_clear(&(*items)[i]);
	free(*items);
	*items = NULL;
}

/* ---- enqueue ---- */

int store_outbox_enqueue(struct store *s, const struct outbox_new *o, int64_t *id, struct wb_err *err)
{
	if (!o->n_rcpts)
		return wb_err_set(err, WB_EINVAL, _("an outgoing mail needs at least one recipient"));
	wb_time at = o->at ? o->at : clock_now();
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "INSERT INTO outbox(ticket_id, message_id, email_message_id, envelope_from,"
			       " state, attempts, next_attempt_at, created_at) VALUES (?,?,?,?,'queued',0,?5,?5)",
			    &st, err);
	if (rc)
		return rc;
	sp_bind_id(st, 1, o->ticket_id);
	sp_bind_id(st, 2, o->message_id);
	sqlite3_bind_text(st, 3, o->email_message_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, o->envelope_from, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, at);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_CONSTRAINT)
		return wb_err_set(err, WB_ECONFLICT, _("mail <%s> is already in the outbox"), o->email_message_id);
	if (rc != SQLITE_DONE)
		return sp_fail(s, rc, err);
	int64_t oid = sqlite3_last_insert_rowid(s->db);
	if ((rc = sp_prepare(s, "INSERT INTO outbox_body(outbox_id, raw) VALUES (?, ?)", &st, err)))
		return rc;
	sqlite3_bind_int64(st, 1, oid);
	sqlite3_bind_text(st, 2, o->raw, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return sp_fail(s, rc, err);
	/* the same address twice (in any case) is one recipient */
	rc = sp_prepare(s, "INSERT INTO outbox_rcpt(outbox_id, addr, state) SELECT ?1, ?2, 'queued'"
			   " WHERE NOT EXISTS (SELECT 1 FROM outbox_rcpt WHERE outbox_id = ?1 AND lower(addr) = lower(?2))",
			&st, err);
	if (rc)
		return rc;
	for (size_t i = 0; i < o->n_rcpts; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, oid);
		sqlite3_bind_text(st, 2, o->rcpts[i], -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		if (rc != SQLITE_DONE) {
			rc = sp_fail(s, rc, err);
			sqlite3_finalize(st);
			return rc;
		}
	}
	sqlite3_finalize(st);
	if (id)
		*id = oid;
	return WB_OK;
}

/* ---- reading rows ---- */

#define ITEM_COLS "id, ticket_id, message_id, email_message_id, envelope_from, state, attempts," \
		  " next_attempt_at, last_error, created_at, sent_at"

static void read_item(sqlite3_stmt *st, struct outbox_item *it)
{
	memset(it, 0, sizeof *it);
	it->id = sqlite3_column_int64(st, 0);
	it->ticket_id = sqlite3_column_int64(st, 1);
	it->message_id = sqlite3_column_int64(st, 2);
	it->email_message_id = sp_col_text(st, 3);
	it->envelope_from = sp_col_text(st, 4);
	it->state = col_state(st, 5);
	it->attempts = sqlite3_column_int(st, 6);
	it->next_attempt_at = sqlite3_column_int64(st, 7);
	it->last_error = sp_col_text(st, 8);
	it->created_at = sqlite3_column_int64(st, 9);
	it->sent_at = sqlite3_column_int64(st, 10);
}

/* Fills it->rcpt: every recipient, or (pending) only those still to send. */
static int load_rcpts(struct store *s, struct outbox_item *it, bool pending, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, pending ? "SELECT addr, state, code, reply FROM outbox_rcpt WHERE outbox_id = ?"
					 " AND state IN ('queued','retrying') ORDER BY rowid"
				       : "SELECT addr, state, code, reply FROM outbox_rcpt WHERE outbox_id = ? ORDER BY rowid",
			    &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, it->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		it->rcpt = xrealloc(it->rcpt, (it->n_rcpt + 1) * sizeof *it->rcpt);
		struct outbox_rcpt *r = &it->rcpt[it->n_rcpt++];
		r->addr = sp_col_text(st, 0);
		r->state = col_state(st, 1);
		r->code = sqlite3_column_int(st, 2);
		r->reply = sp_col_text(st, 3);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? WB_OK : sp_fail(s, rc, err);
}

static int load_raw(struct store *s, struct outbox_item *it, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "SELECT raw FROM outbox_body WHERE outbox_id = ?", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, it->id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		it->raw = sp_col_text(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? WB_OK : sp_fail(s, rc, err);
}

/* Runs a prepared query of ITEM_COLS rows into an array, loading recipients (and raw). */
static int collect(struct store *s, sqlite3_stmt *st, bool with_raw, bool pending, struct outbox_item **out,
		   size_t *n, struct wb_err *err)
{
	struct outbox_item *v = NULL;
	size_t cnt = 0, cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (cnt == cap) {
			cap = cap ? cap * 2 : 16;
			v = xrealloc(v, cap * sizeof *v);
		}
		read_item(st, &v[cnt++]);
	}
	rc = rc == SQLITE_DONE ? WB_OK : sp_fail(s, rc, err);
	for (size_t i = 0; i < cnt && rc == WB_OK; i++) {
		rc = load_rcpts(s, &v[i], pending, err);
		if (rc == WB_OK && with_raw)
			rc = load_raw(s, &v[i], err);
	}
	if (rc) {
		outbox_items_free(&v, cnt);
		cnt = 0;
	}
	*out = v;
	*n = cnt;
	return rc;
}

/* ---- claiming and results ---- */

int store_outbox_claim(struct store *s, wb_time now, wb_time lease, size_t limit, struct outbox_item **out,
		       size_t *n, struct wb_err *err)
{
	*out = NULL;
	*n = 0;
	int rc = store_begin(s, err);
	if (rc)
		return rc;
	sqlite3_stmt *st;
	/* both halves use a partial index on next_attempt_at */
	rc = sp_prepare(s, "SELECT " ITEM_COLS " FROM ("
			   " SELECT " ITEM_COLS " FROM outbox WHERE state IN ('queued','retrying') AND next_attempt_at <= ?1"
			   " UNION ALL SELECT " ITEM_COLS " FROM outbox WHERE state = 'sending' AND next_attempt_at <= ?1)"
			   " ORDER BY next_attempt_at, id LIMIT ?2", &st, err);
	if (rc == WB_OK) {
		sqlite3_bind_int64(st, 1, now);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)limit);
		rc = collect(s, st, true, true, out, n, err);
		sqlite3_finalize(st);
	}
	if (rc == WB_OK)
		rc = sp_prepare(s, "UPDATE outbox SET state = 'sending', attempts = attempts + 1,"
				   " next_attempt_at = ? WHERE id = ?", &st, err);
	if (rc == WB_OK) {
		for (size_t i = 0; i < *n && rc == WB_OK; i++) {
			struct outbox_item *it = &(*out)[i];
			sqlite3_reset(st);
			sqlite3_bind_int64(st, 1, now + lease);
			sqlite3_bind_int64(st, 2, it->id);
			rc = sqlite3_step(st);
			rc = rc == SQLITE_DONE ? WB_OK : sp_fail(s, rc, err);
			it->state = OUTBOX_SENDING;
			it->attempts++;
			it->next_attempt_at = now + lease;
		}
		sqlite3_finalize(st);
	}
	if (rc == WB_OK)
		rc = store_commit(s, err);
	else
		store_rollback(s);
	if (rc) {
		outbox_items_free(out, *n);
		*n = 0;
	}
	return rc;
}

int store_outbox_rcpt_set(struct store *s, int64_t id, const char *addr, enum outbox_state state, int code,
			  const char *reply, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "UPDATE outbox_rcpt SET state = ?3, code = ?4, reply = ?5"
			       " WHERE outbox_id = ?1 AND addr = ?2 AND state <> 'sent'", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, addr, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, outbox_state_name(state), -1, SQLITE_STATIC);
	if (code)
		sqlite3_bind_int(st, 4, code);
	else
		sqlite3_bind_null(st, 4);
	sp_bind_text(st, 5, reply);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? WB_OK : sp_fail(s, rc, err);
}

static int lost_claim(struct store *s, int64_t id, struct wb_err *err)
{
	(void)s;
	return wb_err_set(err, WB_ECONFLICT,
			  _("outbox message %lld was taken over by another sender or cancelled meanwhile"),
			  (long long)id);
}

int store_outbox_finish(struct store *s, int64_t id, int attempts, enum outbox_state state, wb_time next_at,
			const char *last_error, wb_time sent_at, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "UPDATE outbox SET state = ?3, next_attempt_at = ?4, last_error = ?5,"
			       " sent_at = ?6 WHERE id = ?1 AND attempts = ?2 AND state = 'sending'", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, attempts);
	sqlite3_bind_text(st, 3, outbox_state_name(state), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, next_at);
	sp_bind_text(st, 5, last_error);
	sp_bind_id(st, 6, sent_at);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return sp_fail(s, rc, err);
	return sqlite3_changes(s->db) == 1 ? WB_OK : lost_claim(s, id, err);
}

int store_outbox_unclaim(struct store *s, int64_t id, int attempts, wb_time next_at, const char *last_error,
			 struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "UPDATE outbox SET attempts = attempts - 1,"
			       " state = CASE WHEN attempts <= 1 THEN 'queued' ELSE 'retrying' END,"
			       " next_attempt_at = ?3, last_error = ?4"
			       " WHERE id = ?1 AND attempts = ?2 AND state = 'sending'", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, attempts);
	sqlite3_bind_int64(st, 3, next_at);
	sp_bind_text(st, 4, last_error);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return sp_fail(s, rc, err);
	return sqlite3_changes(s->db) == 1 ? WB_OK : lost_claim(s, id, err);
}

int store_outbox_extend(struct store *s, int64_t id, int attempts, wb_time until, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "UPDATE outbox SET next_attempt_at = ?3"
			       " WHERE id = ?1 AND attempts = ?2 AND state = 'sending'", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, attempts);
	sqlite3_bind_int64(st, 3, until);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return sp_fail(s, rc, err);
	return sqlite3_changes(s->db) == 1 ? WB_OK : lost_claim(s, id, err);
}

/* ---- lists and lookups ---- */

int store_outbox_list(struct store *s, bool filter_state, enum outbox_state state, int64_t before_id,
		      size_t limit, struct outbox_item **out, size_t *n, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "SELECT " ITEM_COLS " FROM outbox WHERE id < ?1 AND (?2 IS NULL OR state = ?2)"
			       " ORDER BY id DESC LIMIT ?3", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, before_id > 0 ? before_id : INT64_MAX);
	if (filter_state)
		sqlite3_bind_text(st, 2, outbox_state_name(state), -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 2);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)limit);
	rc = collect(s, st, false, false, out, n, err);
	sqlite3_finalize(st);
	return rc;
}

static int get_one(struct store *s, const char *sql, int64_t id, const char *text, struct outbox_item *out,
		   struct wb_err *err)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st;
	int rc = sp_prepare(s, sql, &st, err);
	if (rc)
		return rc;
	if (text)
		sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(st, 1, id);
	struct outbox_item *v;
	size_t n;
	rc = collect(s, st, true, false, &v, &n, err);
	sqlite3_finalize(st);
	if (rc)
		return rc;
	if (n == 0) {
		if (text)
			return wb_err_set(err, WB_ENOTFOUND, _("no mail <%s> in the outbox"), text);
		return wb_err_set(err, WB_ENOTFOUND, _("no outbox message %lld (see weibao outbox list)"),
				  (long long)id);
	}
	*out = v[0];
	free(v);
	return WB_OK;
}

int store_outbox_get(struct store *s, int64_t id, struct outbox_item *out, struct wb_err *err)
{
	return get_one(s, "SELECT " ITEM_COLS " FROM outbox WHERE id = ?", id, NULL, out, err);
}

int store_outbox_find(struct store *s, const char *email_message_id, struct outbox_item *out,
		      struct wb_err *err)
{
	return get_one(s, "SELECT " ITEM_COLS " FROM outbox WHERE email_message_id = ?", 0, email_message_id,
		       out, err);
}

/* ---- retry and cancel ---- */

static int current_state(struct store *s, int64_t id, enum outbox_state *state, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "SELECT state FROM outbox WHERE id = ?", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*state = col_state(st, 0);
		rc = WB_OK;
	} else if (rc == SQLITE_DONE) {
		rc = wb_err_set(err, WB_ENOTFOUND, _("no outbox message %lld (see weibao outbox list)"), (long long)id);
	} else {
		rc = sp_fail(s, rc, err);
	}
	sqlite3_finalize(st);
	return rc;
}

static int exec_id(struct store *s, const char *sql, int64_t id, wb_time t, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, sql, &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_bind_parameter_count(st) >= 2)
		sqlite3_bind_int64(st, 2, t);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? WB_OK : sp_fail(s, rc, err);
}

int store_outbox_retry(struct store *s, int64_t id, wb_time now, struct wb_err *err)
{
	int rc = store_begin(s, err);
	if (rc)
		return rc;
	enum outbox_state st;
	rc = current_state(s, id, &st, err);
	if (rc == WB_OK && st == OUTBOX_SENT)
		rc = wb_err_set(err, WB_EREFUSED, _("outbox message %lld was already sent"), (long long)id);
	else if (rc == WB_OK && st == OUTBOX_SENDING)
		rc = wb_err_set(err, WB_EREFUSED, _("outbox message %lld is being sent right now"), (long long)id);
	if (rc == WB_OK)
		rc = exec_id(s, "UPDATE outbox SET state = 'queued', attempts = 0, next_attempt_at = ?2 WHERE id = ?1",
			     id, now, err);
	if (rc == WB_OK)
		rc = exec_id(s, "UPDATE outbox_rcpt SET state = 'queued' WHERE outbox_id = ?1 AND state <> 'sent'",
			     id, 0, err);
	if (rc) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, err);
}

int store_outbox_cancel(struct store *s, int64_t id, struct wb_err *err)
{
	int rc = store_begin(s, err);
	if (rc)
		return rc;
	enum outbox_state st;
	rc = current_state(s, id, &st, err);
	if (rc == WB_OK && (st == OUTBOX_SENT || st == OUTBOX_SENDING || st == OUTBOX_CANCELLED))
		rc = wb_err_set(err, WB_EREFUSED, _("outbox message %lld cannot be cancelled: it is %s"),
				(long long)id, outbox_state_name(st));
	if (rc == WB_OK)
		rc = exec_id(s, "UPDATE outbox SET state = 'cancelled' WHERE id = ?1", id, 0, err);
	if (rc) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, err);
}

/* ---- counts, due time, threading ---- */

int store_outbox_counts(struct store *s, struct outbox_counts *c, struct wb_err *err)
{
	memset(c, 0, sizeof *c);
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "SELECT state, count(*) FROM outbox GROUP BY state", &st, err);
	if (rc)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		c->n[col_state(st, 0)] = sqlite3_column_int64(st, 1);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? WB_OK : sp_fail(s, rc, err);
}

int store_outbox_next_due(struct store *s, wb_time *at, struct wb_err *err)
{
	int64_t v = 0;
	int rc = sp_query_int(s, "SELECT min(t) FROM ("
				 " SELECT min(next_attempt_at) AS t FROM outbox WHERE state IN ('queued','retrying')"
				 " UNION ALL SELECT min(next_attempt_at) FROM outbox WHERE state = 'sending')", &v, err);
	if (rc == WB_OK)
		*at = v;
	return rc;
}

int store_outbox_thread(struct store *s, int64_t ticket_id, size_t limit, char ***ids, size_t *n,
			struct wb_err *err)
{
	*ids = NULL;
	*n = 0;
	sqlite3_stmt *st;
	/* newest first here; reversed below. Inbound mail sorts before our own at the same second. */
	int rc = sp_prepare(s, "SELECT mid FROM ("
			       " SELECT email_message_id AS mid, created_at AS t, 0 AS k, id FROM messages"
			       "  WHERE ticket_id = ?1 AND email_message_id IS NOT NULL"
			       " UNION ALL SELECT email_message_id, created_at, 1, id FROM outbox WHERE ticket_id = ?1)"
			       " ORDER BY t DESC, k DESC, id DESC LIMIT ?2", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, ticket_id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)limit);
	char **v = NULL;
	size_t cnt = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = xrealloc(v, (cnt + 1) * sizeof *v);
		v[cnt++] = sp_col_text(st, 0);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		for (size_t i = 0; i < cnt; i++)
			free(v[i]);
		free(v);
		return sp_fail(s, rc, err);
	}
	for (size_t i = 0; i < cnt / 2; i++) {
		char *t = v[i];
		v[i] = v[cnt - 1 - i];
		v[cnt - 1 - i] = t;
	}
	*ids = v;
	*n = cnt;
	return WB_OK;
}

int store_outbox_attachments(struct store *s, int64_t message_id, struct outbox_attachment **out, size_t *n,
			     struct wb_err *err)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "SELECT filename, content_type, data FROM attachments WHERE message_id = ? ORDER BY id",
			    &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, message_id);
	struct outbox_attachment *v = NULL;
	size_t cnt = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = xrealloc(v, (cnt + 1) * sizeof *v);
		struct outbox_attachment *a = &v[cnt++];
		a->filename = sp_col_text(st, 0);
		a->content_type = sp_col_text(st, 1);
		a->size = (size_t)sqlite3_column_bytes(st, 2);
		a->data = xmalloc(a->size + 1);
		if (a->size)
			memcpy(a->data, sqlite3_column_blob(st, 2), a->size);
	}
	sqlite3_finalize(st);
	*out = v;
	*n = cnt;
	if (rc != SQLITE_DONE) {
		outbox_attachments_free(out, cnt);
		*n = 0;
		return sp_fail(s, rc, err);
	}
	return WB_OK;
}

void outbox_attachments_free(struct outbox_attachment **a, size_t n)
{
	if (!a || !*a)
		return;
	for (size_t i = 0; i < n; i++) {
		free((*a)[i].filename);
		free((*a)[i].content_type);
		free((*a)[i].data);
	}
	free(*a);
	*a = NULL;
}

#include "store_bulk.h"

#include "i18n.h"
#include "store_priv.h"
#include "strbuf.h"
#include "ticket.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PENDING_KEY "search.pending_from"
#define INDEXES_KEY "bulk.indexes" /* the CREATE INDEX statements a load left out, to run at its end */
/* Tickets indexed per transaction by store_bulk_end: a second or two of write lock on a desk in use;
 * ten times as many on one that was empty (fewer, larger pieces of search index to merge). */
#define CHUNK 10000
#define CHUNK_EMPTY_DESK 100000
/* FTS5's buffer of new index entries ("hashsize", 1 MB by default) while store_bulk_end writes: larger
 * pieces, less merging (about a sixth less work at 200,000 tickets). Set back afterwards. */
#define BULK_HASH_BYTES (64 * 1024 * 1024)
#define FTS_HASH_DEFAULT (1024 * 1024)
#define BULK_CACHE_KB 262144   /* page cache of a connection during a bulk load */

bool store_bulk_active(const struct store *s)
{
	return s->bulk;
}

void sp_bulk_mark(struct store *s, int64_t id)
{
	if (!s->bulk || id < s->own_from)
		return;
	size_t byte = (size_t)((id - s->own_from) / 8);
	if (byte >= s->own_bytes) {
		size_t n = s->own_bytes ? s->own_bytes : 4096;
		while (n <= byte)
			n *= 2;
		s->own = xrealloc(s->own, n);
		memset(s->own + s->own_bytes, 0, n - s->own_bytes);
		s->own_bytes = n;
	}
	s->own[byte] |= (unsigned char)(1u << ((id - s->own_from) % 8));
}

bool sp_bulk_own(const struct store *s, int64_t id)
{
	if (!s->bulk || id < s->own_from)
		return false;
	size_t byte = (size_t)((id - s->own_from) / 8);
	return byte < s->own_bytes && (s->own[byte] >> ((id - s->own_from) % 8) & 1);
}

static int pending_from(struct store *s, int64_t *from, struct wb_err *err)
{
	char *v = NULL;
	int rc = store_setting_get(s, PENDING_KEY, &v, err);
	*from = rc == WB_OK && v ? strtoll(v, NULL, 10) : 0;
	free(v);
	return rc;
}

/* Drops the indexes of tickets and messages (not those behind UNIQUE constraints), keeping their
 * statements in the settings, in the current transaction. */
static int drop_indexes(struct store *s, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
			       " AND tbl_name IN ('tickets', 'messages') ORDER BY name", &st, err);
	if (rc)
		return rc;
	struct strbuf create = STRBUF_INIT, drop = STRBUF_INIT;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		strbuf_addf(&create, "%s;\n", (const char *)sqlite3_column_text(st, 1));
		strbuf_addf(&drop, "DROP INDEX \"%s\";", (const char *)sqlite3_column_text(st, 0));
	}
	rc = rc == SQLITE_DONE ? WB_OK : sp_fail(s, rc, err);
	sqlite3_finalize(st);
	if (rc == WB_OK && create.len)
		rc = store_setting_set(s, INDEXES_KEY, strbuf_str(&create), err);
	if (rc == WB_OK && drop.len)
		rc = sp_exec(s, strbuf_str(&drop), err);
	strbuf_free(&create);
	strbuf_free(&drop);
	return rc;
}

/* Builds the indexes a load left out (also those of a load that was interrupted); *restored tells
 * whether there were any. */
static int restore_indexes(struct store *s, bool *restored, struct wb_err *err)
{
	char *sql = NULL;
	*restored = false;
	int rc = store_setting_get(s, INDEXES_KEY, &sql, err);
	if (rc || !sql)
		return rc;
	*restored = true;
	/* SQLite may sort in a second thread while it builds each index */
	int64_t threads = 0;
	sp_query_int(s, "PRAGMA threads", &threads, NULL);
	sp_exec(s, "PRAGMA threads = 2", NULL);
	rc = store_begin(s, err);
	if (rc == WB_OK)
		rc = sp_exec(s, sql, err);
	if (rc == WB_OK)
		rc = store_setting_set(s, INDEXES_KEY, NULL, err);
	if (rc == WB_OK)
		rc = store_commit(s, err);
	else
		store_rollback(s);
	char pragma[48];
	snprintf(pragma, sizeof pragma, "PRAGMA threads = %lld", (long long)threads);
	sp_exec(s, pragma, NULL);
	free(sql);
	return rc;
}

int store_bulk_begin(struct store *s, unsigned flags, struct wb_err *err)
{
	if (s->bulk)
		return WB_OK;
	if (s->tx_depth > 0)
		return wb_err_set(err, WB_EINVAL, _("a bulk load cannot start inside a transaction"));
	int rc = store_begin(s, err);
	if (rc)
		return rc;
	int64_t from = 0, next = 0;
	rc = pending_from(s, &from, err);
	if (rc == WB_OK)
		rc = sp_query_int(s, "SELECT coalesce(max(id), 0) + 1 FROM tickets", &next, err);
	if (rc == WB_OK && (from <= 0 || from > next)) {
		/* no earlier load left unfinished: this one starts with the next ticket */
		char buf[32];
		snprintf(buf, sizeof buf, "%lld", (long long)next);
		from = next;
		rc = store_setting_set(s, PENDING_KEY, buf, err);
	}
	if (rc == WB_OK && (flags & STORE_BULK_DEFER_INDEXES) && next == 1)
		rc = drop_indexes(s, err);
	if (rc == WB_OK)
		rc = store_commit(s, err);
	else
		store_rollback(s);
	if (rc)
		return rc;
	s->bulk = true;
	s->own_from = next;
	if (sp_query_int(s, "PRAGMA cache_size", &s->cache_before_bulk, NULL) != WB_OK)
		s->cache_before_bulk = -2000;
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA cache_size = -%d", BULK_CACHE_KB);
	sp_exec(s, sql, NULL);
	return WB_OK;
}

/* Ticket ids from `from` below `to` that already have a search entry (written by other processes
 * meanwhile, which index their tickets as usual): a sorted array, caller frees. */
static int indexed_ids(struct store *s, int64_t from, int64_t to, int64_t **ids, size_t *n, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "SELECT rowid FROM ticket_fts WHERE rowid >= ?1 AND rowid < ?2 ORDER BY rowid", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	*ids = NULL;
	*n = 0;
	size_t cap = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? 2 * cap : 64;
			*ids = xrealloc(*ids, cap * sizeof **ids);
		}
		(*ids)[(*n)++] = sqlite3_column_int64(st, 0);
	}
	rc = rc == SQLITE_DONE ? WB_OK : sp_fail(s, rc, err);
	sqlite3_finalize(st);
	return rc;
}

static int put_entry(struct store *s, int64_t id, const char *subject, const struct strbuf *body, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare_cached(s, "INSERT INTO ticket_fts(rowid, subject, body) VALUES (?, ?, ?)", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, subject, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, strbuf_str(body), (int)body->len, SQLITE_STATIC);
	rc = sqlite3_step(st);
	rc = rc == SQLITE_DONE ? WB_OK : sp_fail(s, rc, err);
	sp_release(s, st);
	return rc;
}

/* Writes the search entries of tickets from `from` below `to` that have none, in the current
 * transaction: the subject, and for body every message's text (events and empty bodies left out)
 * each after a line feed, in the order they were added — what store_ticket_insert and
 * store_message_add build one step at a time. */
static int index_range(struct store *s, int64_t from, int64_t to, int64_t *count, struct wb_err *err)
{
	int64_t *have;
	size_t n_have;
	int rc = indexed_ids(s, from, to, &have, &n_have, err);
	if (rc)
		return rc;
	sqlite3_stmt *st;
	rc = sp_prepare(s,
		"SELECT t.id, t.subject, m.body FROM tickets t"
		" LEFT JOIN messages m ON m.ticket_id = t.id AND m.kind <> ?3 AND m.body <> ''"
		" WHERE t.id >= ?1 AND t.id < ?2 ORDER BY t.id, m.id", &st, err);
	if (rc) {
		free(have);
		return rc;
	}
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	sqlite3_bind_text(st, 3, message_kind_name(MSG_EVENT), -1, SQLITE_STATIC);
	struct strbuf body = STRBUF_INIT;
	char *subject = NULL;
	int64_t cur = 0;
	size_t h = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		if (id != cur) {
			if (cur && subject) {
				rc = put_entry(s, cur, subject, &body, err);
				if (rc)
					break;
				(*count)++;
			}
			free(subject);
			subject = NULL;
			strbuf_reset(&body);
			cur = id;
			while (h < n_have && have[h] < id)
				h++;
			if (h < n_have && have[h] == id)
				continue; /* indexed already: its messages were appended as they came */
			subject = sp_col_text(st, 1);
			if (!subject)
				subject = xstrdup("");
		}
		if (subject && sqlite3_column_type(st, 2) != SQLITE_NULL) {
			strbuf_addc(&body, '\n');
			strbuf_add(&body, (const char *)sqlite3_column_text(st, 2), (size_t)sqlite3_column_bytes(st, 2));
		}
	}
	if (rc == SQLITE_DONE) {
		rc = WB_OK;
		if (cur && subject) {
			rc = put_entry(s, cur, subject, &body, err);
			if (rc == WB_OK)
				(*count)++;
		}
	} else if (rc > 0) {
		rc = sp_fail(s, rc, err);
	} /* else put_entry failed and filled err */
	sqlite3_finalize(st);
	free(subject);
	strbuf_free(&body);
	free(have);
	return rc;
}

int sp_messages_text(struct store *s, int64_t ticket_id, char **text, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "SELECT body FROM messages WHERE ticket_id = ?1 AND kind <> ?2 AND body <> ''"
			       " ORDER BY id", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, ticket_id);
	sqlite3_bind_text(st, 2, message_kind_name(MSG_EVENT), -1, SQLITE_STATIC);
	struct strbuf b = STRBUF_INIT;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		strbuf_addc(&b, '\n');
		strbuf_add(&b, (const char *)sqlite3_column_text(st, 0), (size_t)sqlite3_column_bytes(st, 0));
	}
	rc = rc == SQLITE_DONE ? WB_OK : sp_fail(s, rc, err);
	sqlite3_finalize(st);
	if (rc == WB_OK)
		*text = strbuf_detach(&b);
	strbuf_free(&b);
	return rc;
}

static void set_hash_size(struct store *s, int64_t bytes)
{
	char sql[96];
	snprintf(sql, sizeof sql, "INSERT INTO ticket_fts(ticket_fts, rank) VALUES ('hashsize', %lld)", (long long)bytes);
	sp_exec(s, sql, NULL);
}

int store_bulk_end(struct store *s, int64_t *indexed, struct wb_err *err)
{
	int64_t count = 0;
	if (indexed)
		*indexed = 0;
	if (s->tx_depth > 0)
		return wb_err_set(err, WB_EINVAL, _("a bulk load cannot end inside a transaction"));
	int64_t from = 0, last = 0;
	/* the search entries are read through the message index: build it first */
	bool empty_desk;
	int rc = restore_indexes(s, &empty_desk, err);
	int64_t chunk = empty_desk ? CHUNK_EMPTY_DESK : CHUNK, hash = 0;
	bool hash_set = false;
	if (rc == WB_OK)
		rc = pending_from(s, &from, err);
	if (rc == WB_OK && from > 0)
		rc = sp_query_int(s, "SELECT coalesce(max(id), 0) FROM tickets", &last, err);
	if (rc == WB_OK && from > 0 && last >= from) {
		if (sp_query_int(s, "SELECT v FROM ticket_fts_config WHERE k = 'hashsize'", &hash, NULL) != WB_OK)
			hash = 0;
		hash_set = true;
		set_hash_size(s, BULK_HASH_BYTES);
	}
	for (int64_t a = from; rc == WB_OK && from > 0; a += chunk) {
		rc = store_begin(s, err);
		if (rc)
			break;
		bool done = a + chunk > last;
		rc = index_range(s, a, a + chunk, &count, err);
		if (rc == WB_OK) {
			/* the mark moves with the work, in the same transaction */
			char buf[32];
			snprintf(buf, sizeof buf, "%lld", (long long)(a + chunk));
			rc = store_setting_set(s, PENDING_KEY, done ? NULL : buf, err);
		}
		if (rc == WB_OK)
			rc = store_commit(s, err);
		else
			store_rollback(s);
		if (done)
			break;
	}
	if (hash_set) {
		set_hash_size(s, hash ? hash : FTS_HASH_DEFAULT);
		/* and no trace of it when it was the default: the table as a desk written ticket by ticket has it */
		if (!hash)
			sp_exec(s, "DELETE FROM ticket_fts_config WHERE k = 'hashsize'", NULL);
	}
	if (rc)
		return rc;
	if (s->bulk) {
		char sql[64];
		snprintf(sql, sizeof sql, "PRAGMA cache_size = %lld", (long long)s->cache_before_bulk);
		sp_exec(s, sql, NULL);
		s->bulk = false;
		free(s->own);
		s->own = NULL;
		s->own_bytes = 0;
	}
	if (indexed)
		*indexed = count;
	return rc;
}

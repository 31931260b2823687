#include "store.h"

#include "i18n.h"
#include "clock.h"
#include "store_priv.h"
#include "xmalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Registers the FTS5 tokenizer that indexes Chinese as overlapping bigrams (store_search.c). */
int store_search_register(sqlite3 *db, struct wb_err *err);

/* Each migration moves the schema from version i to i+1; never edit one that has shipped.
 * To change the schema, append a new string at the end. */
static const char *const migrations[] = {
	/* 0 -> 1: the desk */
	"CREATE TABLE users ("
	"  id INTEGER PRIMARY KEY,"
	"  login TEXT NOT NULL UNIQUE,"
	"  name TEXT NOT NULL,"
	"  email TEXT COLLATE NOCASE,"
	"  role TEXT NOT NULL CHECK (role IN ('viewer','operator','supervisor','admin')),"
	"  language TEXT,"
	"  created_at INTEGER NOT NULL);"
	"CREATE TABLE organisations ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE COLLATE NOCASE,"
	"  domain TEXT COLLATE NOCASE,"
	"  sla_level TEXT NOT NULL DEFAULT 'standard',"
	"  contract_start TEXT, contract_end TEXT, timezone TEXT,"
	"  created_at INTEGER NOT NULL);"
	"CREATE INDEX organisations_domain ON organisations(domain);"
	"CREATE TABLE contacts ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL,"
	"  email TEXT UNIQUE COLLATE NOCASE,"
	"  phone TEXT UNIQUE,"
	"  org_id INTEGER REFERENCES organisations(id),"
	"  language TEXT, timezone TEXT,"
	"  created_at INTEGER NOT NULL);"
	"CREATE INDEX contacts_name ON contacts(name);"
	"CREATE INDEX contacts_org ON contacts(org_id);"
	"CREATE TABLE systems ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL,"
	"  org_id INTEGER NOT NULL REFERENCES organisations(id),"
	"  version TEXT, description TEXT,"
	"  UNIQUE (org_id, name));"
	"CREATE TABLE queues ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE COLLATE NOCASE,"
	"  from_addr TEXT, description TEXT);"
	"CREATE TABLE sla_policies ("
	"  level TEXT NOT NULL, priority INTEGER NOT NULL,"
	"  response_min INTEGER NOT NULL, resolve_min INTEGER NOT NULL,"
	"  always INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (level, priority));"
	"CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"CREATE TABLE tickets ("
	"  id INTEGER PRIMARY KEY,"
	"  subject TEXT NOT NULL,"
	"  kind TEXT NOT NULL, status TEXT NOT NULL,"
	"  priority INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 4),"
	"  channel TEXT NOT NULL,"
	"  queue_id INTEGER NOT NULL REFERENCES queues(id),"
	"  requester_id INTEGER REFERENCES contacts(id),"
	"  org_id INTEGER REFERENCES organisations(id),"
	"  system_id INTEGER REFERENCES systems(id),"
	"  assignee_id INTEGER REFERENCES users(id),"
	"  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
	"  first_response_at INTEGER, resolved_at INTEGER, closed_at INTEGER,"
	"  response_due INTEGER, resolve_due INTEGER,"
	"  sla_due INTEGER, sla_risk_at INTEGER,"
	"  paused_at INTEGER, paused_secs INTEGER NOT NULL DEFAULT 0,"
	"  affected_version TEXT, fixed_version TEXT, review_ref TEXT, test_result TEXT,"
	"  merged_into INTEGER REFERENCES tickets(id),"
	"  minutes_worked INTEGER NOT NULL DEFAULT 0,"
	"  in_window INTEGER NOT NULL DEFAULT 0,"
	"  version INTEGER NOT NULL DEFAULT 1);"
	/* the default views: open tickets by priority, newest change first (keyset pages) */
	"CREATE INDEX tickets_open ON tickets(priority, updated_at DESC, id DESC)"
	"  WHERE status NOT IN ('resolved','closed');"
	"CREATE INDEX tickets_open_queue ON tickets(queue_id, priority, updated_at DESC, id DESC)"
	"  WHERE status NOT IN ('resolved','closed');"
	"CREATE INDEX tickets_open_assignee ON tickets(assignee_id, priority, updated_at DESC, id DESC)"
	"  WHERE status NOT IN ('resolved','closed');"
	"CREATE INDEX tickets_status ON tickets(status, priority, updated_at DESC, id DESC);"
	"CREATE INDEX tickets_queue_status ON tickets(queue_id, status, priority, updated_at DESC, id DESC);"
	"CREATE INDEX tickets_updated ON tickets(updated_at DESC, id DESC);"
	"CREATE INDEX tickets_requester ON tickets(requester_id, status);"
	"CREATE INDEX tickets_sla ON tickets(sla_due) WHERE status NOT IN ('resolved','closed','waiting');"
	"CREATE INDEX tickets_risk ON tickets(sla_risk_at) WHERE status NOT IN ('resolved','closed','waiting');"
	"CREATE INDEX tickets_created ON tickets(created_at);"
	"CREATE TABLE messages ("
	"  id INTEGER PRIMARY KEY,"
	"  ticket_id INTEGER NOT NULL REFERENCES tickets(id),"
	"  kind TEXT NOT NULL,"
	"  author_user_id INTEGER REFERENCES users(id),"
	"  author_contact_id INTEGER REFERENCES contacts(id),"
	"  body TEXT NOT NULL DEFAULT '',"
	"  quoted TEXT,"
	"  minutes INTEGER NOT NULL DEFAULT 0,"
	"  created_at INTEGER NOT NULL,"
	"  email_message_id TEXT UNIQUE,"
	"  flagged INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX messages_ticket ON messages(ticket_id, id);"
	"CREATE TABLE attachments ("
	"  id INTEGER PRIMARY KEY,"
	"  message_id INTEGER NOT NULL REFERENCES messages(id),"
	"  filename TEXT NOT NULL, content_type TEXT, content_id TEXT,"
	"  is_inline INTEGER NOT NULL DEFAULT 0,"
	"  size INTEGER NOT NULL, data BLOB);"
	"CREATE INDEX attachments_message ON attachments(message_id);"
	"CREATE TABLE ticket_links ("
	"  from_id INTEGER NOT NULL REFERENCES tickets(id),"
	"  to_id INTEGER NOT NULL REFERENCES tickets(id),"
	"  kind TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  PRIMARY KEY (from_id, to_id, kind));"
	"CREATE INDEX ticket_links_to ON ticket_links(to_id);"
	"CREATE TABLE audit ("
	"  id INTEGER PRIMARY KEY,"
	"  at INTEGER NOT NULL,"
	"  user_id INTEGER REFERENCES users(id),"
	"  ticket_id INTEGER,"
	"  what TEXT NOT NULL, old_value TEXT, new_value TEXT);"
	"CREATE INDEX audit_ticket ON audit(ticket_id) WHERE ticket_id IS NOT NULL;"
	"CREATE TRIGGER audit_append_only_u BEFORE UPDATE ON audit"
	"  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
	"CREATE TRIGGER audit_append_only_d BEFORE DELETE ON audit"
	"  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
	/* full-text search: one document per ticket (subject, then every message body) */
	"CREATE VIRTUAL TABLE ticket_fts USING fts5(subject, body, tokenize = 'wbcjk');"
	/* outgoing mail: stored in the same transaction as the reply that caused it */
	"CREATE TABLE outbox ("
	"  id INTEGER PRIMARY KEY,"
	"  ticket_id INTEGER REFERENCES tickets(id),"
	"  message_id INTEGER REFERENCES messages(id),"
	"  email_message_id TEXT NOT NULL UNIQUE,"
	"  envelope_from TEXT NOT NULL,"
	"  raw TEXT NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'queued'"
	"    CHECK (state IN ('queued','sending','sent','retrying','failed','cancelled')),"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_attempt_at INTEGER NOT NULL,"
	"  last_error TEXT,"
	"  created_at INTEGER NOT NULL, sent_at INTEGER);"
	"CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE state IN ('queued','retrying');"
	"CREATE INDEX outbox_message ON outbox(message_id);"
	"CREATE TABLE outbox_rcpt ("
	"  outbox_id INTEGER NOT NULL REFERENCES outbox(id),"
	"  addr TEXT NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued','sent','retrying','failed')),"
	"  code INTEGER, reply TEXT,"
	"  PRIMARY KEY (outbox_id, addr));"
	/* inbound mail that could not be understood: kept whole, never dropped */
	"CREATE TABLE quarantine ("
	"  id INTEGER PRIMARY KEY,"
	"  received_at INTEGER NOT NULL,"
	"  reason TEXT NOT NULL,"
	"  sender TEXT, subject TEXT,"
	"  size INTEGER NOT NULL,"
	"  raw BLOB NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'held' CHECK (state IN ('held','retried','dropped')));"
	"CREATE TABLE ratings ("
	"  id INTEGER PRIMARY KEY,"
	"  ticket_id INTEGER NOT NULL REFERENCES tickets(id),"
	"  score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),"
	"  source TEXT NOT NULL,"
	"  comment TEXT,"
	"  created_at INTEGER NOT NULL);"
	"CREATE INDEX ratings_ticket ON ratings(ticket_id);",
	/* 1 -> 2: period reports (store_report.c). Each figure reads one range of one index that holds
	 * every column the query needs (no table lookups); kind/channel/status lead where the query
	 * groups by them, so SQLite walks each group's range in order instead of sorting. */
	"CREATE INDEX tickets_report_created ON tickets(kind, channel, status, created_at, org_id, system_id, queue_id);"
	"CREATE INDEX tickets_report_done ON tickets(kind, channel, status, coalesce(resolved_at, closed_at),"
	"  created_at, resolved_at, closed_at, fixed_version, org_id, system_id, queue_id);"
	"CREATE INDEX tickets_report_day ON tickets(created_at, org_id, system_id, queue_id);"
	"CREATE INDEX tickets_report_finished ON tickets(coalesce(resolved_at, closed_at), created_at, resolved_at,"
	"  closed_at, org_id, system_id, queue_id);"
	"CREATE INDEX tickets_report_response ON tickets(first_response_at, created_at, org_id, system_id, queue_id);"
	"CREATE INDEX tickets_report_response_due ON tickets(response_due, first_response_at, paused_at, resolved_at,"
	"  closed_at, org_id, system_id, queue_id);"
	"CREATE INDEX tickets_report_resolve_due ON tickets(kind, resolve_due, resolved_at, closed_at, paused_at,"
	"  org_id, system_id, queue_id);"
	"CREATE INDEX tickets_report_open ON tickets(created_at, status, org_id, system_id, queue_id)"
	"  WHERE status NOT IN ('resolved','closed');"
	"CREATE INDEX audit_status ON audit(new_value, at, ticket_id) WHERE what = 'status';"
	"CREATE INDEX messages_worked ON messages(created_at, ticket_id, minutes) WHERE minutes > 0;"
	"CREATE INDEX ratings_created ON ratings(created_at, score, ticket_id);",
	/* 2 -> 3: "at risk" counts walk the running tickets whose target is still ahead (few),
	 * not every ticket whose 75% mark has passed (on an old desk, nearly all of them) */
	"DROP INDEX tickets_risk;"
	"CREATE INDEX tickets_running_due ON tickets(sla_due, sla_risk_at)"
	"  WHERE status NOT IN ('resolved','closed','waiting');",
	/* 3 -> 4: the outbox finds expired sending leases and a ticket's mail thread by index */
	"CREATE INDEX outbox_lease ON outbox(next_attempt_at) WHERE state = 'sending';"
	"CREATE INDEX outbox_ticket ON outbox(ticket_id, created_at);",
	/* 4 -> 5: the maintenance calendar: plans with checklists, their occurrences (each becomes a
	 * maintenance ticket, at most once), checklist results, maintenance windows, sent notices */
	"CREATE TABLE plans ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL,"
	"  kind TEXT NOT NULL CHECK (kind IN ('inspection','security_update','backup_check','upgrade','other')),"
	"  system_id INTEGER NOT NULL REFERENCES systems(id),"
	"  owner_id INTEGER REFERENCES users(id),"
	"  rrule TEXT NOT NULL,"
	"  dtstart TEXT NOT NULL,"
	"  tz TEXT,"
	"  duration_min INTEGER NOT NULL CHECK (duration_min > 0),"
	"  exdates TEXT,"
	"  lead_hours INTEGER NOT NULL DEFAULT 24 CHECK (lead_hours >= 0),"
	"  notify TEXT NOT NULL DEFAULT 'none' CHECK (notify IN ('none','contacts')),"
	"  ics_uid TEXT UNIQUE,"
	"  active INTEGER NOT NULL DEFAULT 1,"
	"  created_at INTEGER NOT NULL,"
	"  schedule_at INTEGER NOT NULL);"
	"CREATE INDEX plans_system ON plans(system_id);"
	"CREATE TABLE plan_items ("
	"  plan_id INTEGER NOT NULL REFERENCES plans(id),"
	"  pos INTEGER NOT NULL,"
	"  text TEXT NOT NULL,"
	"  PRIMARY KEY (plan_id, pos));"
	"CREATE TABLE plan_occurrences ("
	"  id INTEGER PRIMARY KEY,"
	"  plan_id INTEGER NOT NULL REFERENCES plans(id),"
	"  starts_at INTEGER NOT NULL,"
	"  ends_at INTEGER NOT NULL,"
	"  local_date TEXT NOT NULL,"
	"  ticket_id INTEGER REFERENCES tickets(id),"
	"  created_at INTEGER NOT NULL,"
	"  UNIQUE (plan_id, starts_at));"
	"CREATE INDEX plan_occurrences_start ON plan_occurrences(starts_at, id);"
	"CREATE INDEX plan_occurrences_ends ON plan_occurrences(ends_at);"
	"CREATE UNIQUE INDEX plan_occurrences_ticket ON plan_occurrences(ticket_id) WHERE ticket_id IS NOT NULL;"
	"CREATE TABLE plan_results ("
	"  occurrence_id INTEGER NOT NULL REFERENCES plan_occurrences(id),"
	"  pos INTEGER NOT NULL,"
	"  item TEXT NOT NULL,"
	"  result TEXT NOT NULL CHECK (result IN ('ok','failed','note')),"
	"  note TEXT,"
	"  user_id INTEGER REFERENCES users(id),"
	"  at INTEGER NOT NULL,"
	"  PRIMARY KEY (occurrence_id, pos));"
	"CREATE TABLE maint_windows ("
	"  id INTEGER PRIMARY KEY,"
	"  title TEXT NOT NULL,"
	"  description TEXT,"
	"  org_id INTEGER NOT NULL REFERENCES organisations(id),"
	"  system_id INTEGER REFERENCES systems(id),"
	"  starts_at INTEGER NOT NULL,"
	"  ends_at INTEGER NOT NULL CHECK (ends_at > starts_at),"
	"  lead_hours INTEGER NOT NULL DEFAULT 24 CHECK (lead_hours >= 0),"
	"  announce INTEGER NOT NULL DEFAULT 0,"
	"  ahead_sent_at INTEGER,"
	"  closed_sent_at INTEGER,"
	"  ics_uid TEXT UNIQUE,"
	"  created_by INTEGER REFERENCES users(id),"
	"  created_at INTEGER NOT NULL);"
	"CREATE INDEX maint_windows_start ON maint_windows(starts_at, id);"
	"CREATE INDEX maint_windows_org ON maint_windows(org_id, ends_at);"
	"CREATE TABLE notices ("
	"  what TEXT NOT NULL CHECK (what IN ('window','occurrence')),"
	"  ref_id INTEGER NOT NULL,"
	"  contact_id INTEGER NOT NULL REFERENCES contacts(id),"
	"  stage TEXT NOT NULL CHECK (stage IN ('ahead','closed')),"
	"  sent_at INTEGER NOT NULL,"
	"  PRIMARY KEY (what, ref_id, contact_id, stage));",
	/* 5 -> 6: a mail's bytes live apart from its sending state. SQLite writes a whole row again
	 * on every UPDATE, overflow pages included, so with the bytes in the outbox row each claim
	 * and each recorded outcome copied the whole mail into the WAL again. */
	"CREATE TABLE outbox_body ("
	"  outbox_id INTEGER PRIMARY KEY REFERENCES outbox(id),"
	"  raw TEXT NOT NULL);"
	"INSERT INTO outbox_body(outbox_id, raw) SELECT id, raw FROM outbox;"
	"ALTER TABLE outbox DROP COLUMN raw;",
};

#define N_MIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

int sp_fail(struct store *s, int rc, struct wb_err *err)
{
	int code = (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) ? WB_EBUSY : WB_EDB;
	const char *msg = s && s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc);
	if (code == WB_EBUSY)
		return wb_err_set(err, code, _("the database is busy (locked by another process); try again"));
	return wb_err_set(err, code, _("database error: %s"), msg);
}

int sp_prepare(struct store *s, const char *sql, sqlite3_stmt **st, struct wb_err *err)
{
	int rc = sqlite3_prepare_v2(s->db, sql, -1, st, NULL);
	if (rc != SQLITE_OK)
		return sp_fail(s, rc, err);
	return WB_OK;
}

int sp_prepare_cached(struct store *s, const char *sql, sqlite3_stmt **st, struct wb_err *err)
{
	struct sp_cached *slot = &s->cache[0];
	s->cache_clock++;
	for (int i = 0; i < SP_CACHE_SIZE; i++) {
		struct sp_cached *c = &s->cache[i];
		if (c->sql && !strcmp(c->sql, sql) && !sqlite3_stmt_busy(c->st)) {
			c->used = s->cache_clock;
			*st = c->st;
			return WB_OK;
		}
		if (c->used < slot->used)
			slot = c;
	}
	int rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL);
	if (rc != SQLITE_OK)
		return sp_fail(s, rc, err);
	if (slot->sql && sqlite3_stmt_busy(slot->st))
		return WB_OK; /* the oldest is still being stepped: this one stays uncached, sp_release ends it */
	sqlite3_finalize(slot->st);
	free(slot->sql);
	slot->sql = xstrdup(sql);
	slot->st = *st;
	slot->used = s->cache_clock;
	return WB_OK;
}

void sp_release(struct store *s, sqlite3_stmt *st)
{
	if (!st)
		return;
	for (int i = 0; i < SP_CACHE_SIZE; i++)
		if (s->cache[i].st == st) {
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			return;
		}
	sqlite3_finalize(st);
}

int sp_exec(struct store *s, const char *sql, struct wb_err *err)
{
	char *msg = NULL;
	int rc = sqlite3_exec(s->db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		int code = (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) ? WB_EBUSY : WB_EDB;
		if (code == WB_EBUSY)
			wb_err_set(err, code, _("the database is busy (locked by another process); try again"));
		else
			wb_err_set(err, code, _("database error: %s"), msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return code;
	}
	return WB_OK;
}

void sp_bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v && *v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

void sp_bind_id(sqlite3_stmt *st, int i, int64_t v)
{
	if (v)
		sqlite3_bind_int64(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

char *sp_col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? xstrdup((const char *)t) : NULL;
}

int sp_collect(struct store *s, sqlite3_stmt *st, size_t size, sp_row_reader read, void **out, size_t *n,
	       struct wb_err *err)
{
	char *v = NULL;
	size_t cnt = 0, cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (cnt == cap) {
			cap = cap ? cap * 2 : 8;
			v = xrealloc(v, cap * size);
		}
		memset(v + cnt * size, 0, size);
		read(st, v + cnt * size);
		cnt++;
	}
	sqlite3_finalize(st);
	*out = v;
	*n = cnt;
	return rc == SQLITE_DONE ? WB_OK : sp_fail(s, rc, err);
}

void sp_free_rows(void **items, size_t n, size_t size, sp_item_clear clear)
{
	if (!items || !*items)
		return;
	for (size_t i = 0; i < n; i++)
		clear((char *)*items + i * size);
	free(*items);
	*items = NULL;
}

int sp_query_int(struct store *s, const char *sql, int64_t *out, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, sql, &st, err);
	if (rc)
		return rc;
	*out = 0;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	else if (rc != SQLITE_DONE) {
		rc = sp_fail(s, rc, err);
		sqlite3_finalize(st);
		return rc;
	}
	sqlite3_finalize(st);
	return WB_OK;
}

/* Creates the folder (0700) and an empty file (0600) so the database is private from the start. */
static int prepare_path(const char *path, struct wb_err *err)
{
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		for (char *p = dir + 1; *p; p++) {
			if (*p != '/')
				continue;
			*p = '\0';
			mkdir(dir, 0700);
			*p = '/';
		}
		if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
			wb_err_set(err, WB_EIO, _("cannot create folder %s: %s"), dir, strerror(errno));
			free(dir);
			return WB_EIO;
		}
	}
	free(dir);
	int fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0)
		return wb_err_set(err, WB_EIO, _("cannot open database %s: %s"), path, strerror(errno));
	close(fd);
	return WB_OK;
}

/* Waits in short steps (SQLite's own handler sleeps up to 100 ms at a time, which makes
 * short transactions from several processes queue far longer than they run); gives up
 * after about ten seconds so a stuck lock is reported as busy. */
static int busy_wait(void *ctx, int count)
{
	const struct store *s = ctx;
	if (count >= s->busy_steps)
		return 0;
	struct timespec ts = { 0, (count < 50 ? 500 : 2000) * 1000L };
	nanosleep(&ts, NULL);
	return 1;
}

static int open_db(const char *path, int flags, struct store **out, struct wb_err *err)
{
	struct store *s = xcalloc(1, sizeof *s);
	s->path = xstrdup(path);
	int rc = sqlite3_open_v2(path, &s->db, flags, NULL);
	if (rc != SQLITE_OK) {
		wb_err_set(err, rc == SQLITE_CANTOPEN ? WB_ENOTFOUND : WB_EDB,
			   _("cannot open database %s: %s"), path,
			   s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
		store_close(&s);
		return err ? err->code : WB_EDB;
	}
	/* several operators' processes write at once: wait for the lock rather than fail */
	/* WEIBAO_BUSY_MS shortens the wait (tests; a mail server that prefers to retry sooner) */
	const char *busy = getenv("WEIBAO_BUSY_MS");
	long ms = busy && *busy ? strtol(busy, NULL, 10) : 10000;
	s->busy_steps = ms <= 25 ? (int)(ms * 2) : 50 + (int)((ms - 25) / 2);
	sqlite3_busy_handler(s->db, busy_wait, s);
	sqlite3_extended_result_codes(s->db, 0);
	if ((rc = store_search_register(s->db, err)) != WB_OK ||
	    (rc = sp_exec(s, "PRAGMA foreign_keys = ON;", err)) != WB_OK) {
		store_close(&s);
		return rc;
	}
	if (flags & SQLITE_OPEN_READWRITE) {
		rc = sp_exec(s, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;", err);
		if (rc) {
			store_close(&s);
			return rc;
		}
	}
	*out = s;
	return WB_OK;
}

int store_open(const char *path, struct store **out, struct wb_err *err)
{
	int rc = prepare_path(path, err);
	if (rc)
		return rc;
	struct store *s;
	rc = open_db(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &s, err);
	if (rc)
		return rc;
	rc = store_migrate(s, -1, err);
	if (rc) {
		store_close(&s);
		return rc;
	}
	*out = s;
	return WB_OK;
}

int store_open_existing(const char *path, struct store **out, struct wb_err *err)
{
	if (access(path, F_OK) != 0)
		return wb_err_set(err, WB_ENOTFOUND, _("no database at %s"), path);
	return open_db(path, SQLITE_OPEN_READWRITE, out, err);
}

void store_close(struct store **s)
{
	if (!s || !*s)
		return;
	for (int i = 0; i < SP_CACHE_SIZE; i++) {
		sqlite3_finalize((*s)->cache[i].st);
		free((*s)->cache[i].sql);
	}
	if ((*s)->db) {
		/* leave an empty write-ahead log behind, so the next short-lived process does not
		 * have to read it all back; never wait for other operators to do so */
		sqlite3_busy_timeout((*s)->db, 0);
		sqlite3_exec((*s)->db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
		sqlite3_close_v2((*s)->db);
	}
	free((*s)->path);
	free((*s)->own);
	free(*s);
	*s = NULL;
}

/* Nested transactions are savepoints: an inner failure undoes only its own part, so a batch
 * (an import) keeps what succeeded. */
int store_begin(struct store *s, struct wb_err *err)
{
	if (s->tx_depth > 0) {
		char sql[48];
		snprintf(sql, sizeof sql, "SAVEPOINT wb%d", s->tx_depth);
		int rc = sp_exec(s, sql, err);
		if (rc == WB_OK)
			s->tx_depth++;
		return rc;
	}
	int rc = sp_exec(s, "BEGIN IMMEDIATE", err);
	if (rc == WB_OK)
		s->tx_depth = 1;
	return rc;
}

int store_commit(struct store *s, struct wb_err *err)
{
	if (s->tx_depth <= 0)
		return WB_OK;
	if (s->tx_depth > 1) {
		char sql[48];
		snprintf(sql, sizeof sql, "RELEASE wb%d", --s->tx_depth);
		return sp_exec(s, sql, err);
	}
	int rc = sp_exec(s, "COMMIT", err);
	if (rc)
		sp_exec(s, "ROLLBACK", NULL);
	s->tx_depth = 0;
	return rc;
}

void store_rollback(struct store *s)
{
	if (s->tx_depth <= 0)
		return;
	if (s->tx_depth > 1) {
		char sql[64];
		--s->tx_depth;
		snprintf(sql, sizeof sql, "ROLLBACK TO wb%d; RELEASE wb%d", s->tx_depth, s->tx_depth);
		sp_exec(s, sql, NULL);
		return;
	}
	sp_exec(s, "ROLLBACK", NULL);
	s->tx_depth = 0;
}

int store_begin_read(struct store *s, struct wb_err *err)
{
	if (s->tx_depth++ > 0)
		return WB_OK; /* already inside a transaction: it is the snapshot */
	int rc = sp_exec(s, "BEGIN DEFERRED", err);
	if (rc)
		s->tx_depth = 0;
	return rc;
}

void store_end_read(struct store *s)
{
	if (s->tx_depth > 0 && --s->tx_depth == 0)
		sp_exec(s, "COMMIT", NULL);
}

int store_data_version(struct store *s, int64_t *version, struct wb_err *err)
{
	/* asked after every key the console reads: kept prepared */
	sqlite3_stmt *st;
	int rc = sp_prepare_cached(s, "PRAGMA data_version", &st, err);
	if (rc)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*version = sqlite3_column_int64(st, 0);
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? WB_OK : sp_fail(s, rc, err);
	sp_release(s, st);
	return rc;
}

int store_set_cache_kib(struct store *s, int kib, struct wb_err *err)
{
	char sql[48];
	snprintf(sql, sizeof sql, "PRAGMA cache_size = %d", kib > 0 ? -kib : -1);
	return sp_exec(s, sql, err);
}

int store_schema_version(struct store *s, int *version, struct wb_err *err)
{
	int64_t v;
	int rc = sp_query_int(s, "PRAGMA user_version", &v, err);
	if (rc == WB_OK)
		*version = (int)v;
	return rc;
}

int store_migrate(struct store *s, int target, struct wb_err *err)
{
	int rc = store_begin(s, err);
	if (rc)
		return rc;
	int version;
	rc = store_schema_version(s, &version, err);
	if (rc)
		goto fail;
	if (version > N_MIGRATIONS) {
		rc = wb_err_set(err, WB_EREFUSED,
				_("database %s has schema version %d, newer than this weibao knows (%d); upgrade weibao"),
				s->path, version, N_MIGRATIONS);
		goto fail;
	}
	if (target < 0 || target > N_MIGRATIONS)
		target = N_MIGRATIONS;
	for (int v = version; v < target; v++) {
		rc = sp_exec(s, migrations[v], err);
		if (rc) {
			wb_err_prefix(err, rc, _("migration to schema version %d failed"), v + 1);
			goto fail;
		}
		char sql[64];
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v + 1);
		if ((rc = sp_exec(s, sql, err)) != WB_OK)
			goto fail;
	}
	return store_commit(s, err);
fail:
	store_rollback(s);
	return rc;
}

int store_check(struct store *s, char **report, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "PRAGMA integrity_check", &st, err);
	if (rc)
		return rc;
	char *res = NULL;
	size_t len = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *line = (const char *)sqlite3_column_text(st, 0);
		size_t l = strlen(line);
		res = xrealloc(res, len + l + 2);
		memcpy(res + len, line, l);
		len += l;
		res[len++] = '\n';
		res[len] = '\0';
	}
	sqlite3_finalize(st);
	int64_t fk_problems = 0;
	rc = sp_query_int(s, "SELECT count(*) FROM pragma_foreign_key_check", &fk_problems, err);
	if (rc) {
		free(res);
		return rc;
	}
	if (res && len && res[len - 1] == '\n')
		res[len - 1] = '\0';
	if (fk_problems) {
		char *both = xasprintf("%s\n%lld foreign key problems", res ? res : "", (long long)fk_problems);
		free(res);
		res = both;
	}
	*report = res ? res : xstrdup("ok");
	return WB_OK;
}

int store_backup(struct store *s, const char *path, struct wb_err *err)
{
	sqlite3 *dst;
	int rc = sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		wb_err_set(err, WB_EIO, _("cannot create backup %s: %s"), path, sqlite3_errmsg(dst));
		sqlite3_close(dst);
		return WB_EIO;
	}
	chmod(path, 0600);
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", s->db, "main");
	if (!b) {
		wb_err_set(err, WB_EIO, _("cannot back up to %s: %s"), path, sqlite3_errmsg(dst));
		sqlite3_close(dst);
		return WB_EIO;
	}
	/* copy in steps so other operators' writes are not held up for the whole copy */
	do {
		rc = sqlite3_backup_step(b, 256);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(20);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		wb_err_set(err, WB_EIO, _("backup to %s failed: %s"), path, sqlite3_errstr(rc));
		sqlite3_close(dst);
		return WB_EIO;
	}
	sqlite3_close(dst);
	return WB_OK;
}

int store_is_empty(struct store *s, bool *empty, struct wb_err *err)
{
	int64_t n;
	int rc = sp_query_int(s, "SELECT count(*) FROM users WHERE login NOT LIKE '@%'", &n, err);
	if (rc == WB_OK)
		*empty = n == 0;
	return rc;
}

int store_setting_get(struct store *s, const char *key, char **value, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "SELECT value FROM settings WHERE key = ?", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	*value = NULL;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*value = sp_col_text(st, 0);
	rc = (rc == SQLITE_ROW || rc == SQLITE_DONE) ? WB_OK : sp_fail(s, rc, err);
	sqlite3_finalize(st);
	return rc;
}

int store_setting_set(struct store *s, const char *key, const char *value, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, value ? "INSERT INTO settings(key, value) VALUES (?, ?) "
				       "ON CONFLICT(key) DO UPDATE SET value = excluded.value"
				     : "DELETE FROM settings WHERE key = ?", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (value)
		sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	rc = rc == SQLITE_DONE ? WB_OK : sp_fail(s, rc, err);
	sqlite3_finalize(st);
	return rc;
}

int store_setting_list(struct store *s, const char *prefix, char ***keys, char ***values, size_t *n,
		       struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "SELECT key, value FROM settings WHERE key >= ?1 AND key < ?1 || x'ff'"
			       " ORDER BY key", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, prefix, -1, SQLITE_STATIC);
	char **k = NULL, **v = NULL;
	size_t cnt = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		k = xrealloc(k, (cnt + 1) * sizeof *k);
		v = xrealloc(v, (cnt + 1) * sizeof *v);
		k[cnt] = sp_col_text(st, 0);
		v[cnt] = sp_col_text(st, 1);
		cnt++;
	}
	sqlite3_finalize(st);
	*keys = k;
	*values = v;
	*n = cnt;
	return rc == SQLITE_DONE ? WB_OK : sp_fail(s, rc, err);
}

int store_audit_add(struct store *s, int64_t user_id, int64_t ticket_id, const char *what,
		    const char *old_value, const char *new_value, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "INSERT INTO audit(at, user_id, ticket_id, what, old_value, new_value) "
			       "VALUES (?, ?, ?, ?, ?, ?)", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, clock_now());
	sp_bind_id(st, 2, user_id);
	sp_bind_id(st, 3, ticket_id);
	sqlite3_bind_text(st, 4, what, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, old_value, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, new_value, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	rc = rc == SQLITE_DONE ? WB_OK : sp_fail(s, rc, err);
	sqlite3_finalize(st);
	return rc;
}

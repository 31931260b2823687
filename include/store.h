/* store.h — the SQLite database: opening, schema migrations, transactions.
 *
 * The store layer (src/store*.c) is the only code that speaks SQL. One database file is
 * shared by every operator's process on the host: WAL mode, a busy timeout, and writes
 * in BEGIN IMMEDIATE transactions so concurrent writers queue instead of failing. */
#ifndef WB_STORE_H
#define WB_STORE_H

#include "err.h"

#include <stdbool.h>
#include <stdint.h>

struct store;

/* Opens (creating when missing: the file 0600 in a 0700 folder) and migrates the database.
 * *out owned by the caller: store_close(). */
int store_open(const char *path, struct store **out, struct wb_err *err);
/* Opens without migrating or creating (for `db check` on a file that must exist). */
int store_open_existing(const char *path, struct store **out, struct wb_err *err);
void store_close(struct store **s);

/* Write transactions: store_begin takes the write lock at once (BEGIN IMMEDIATE). Nested
 * calls are savepoints: an inner rollback undoes only the inner part. */
int store_begin(struct store *s, struct wb_err *err);
int store_commit(struct store *s, struct wb_err *err);
void store_rollback(struct store *s);
/* Read transactions give a consistent snapshot across several queries. */
int store_begin_read(struct store *s, struct wb_err *err);
void store_end_read(struct store *s);

/* Changes whenever another connection commits (PRAGMA data_version). */
int store_data_version(struct store *s, int64_t *version, struct wb_err *err);
/* Caps this connection's page cache at about `kib` KiB (PRAGMA cache_size = -kib). */
int store_set_cache_kib(struct store *s, int kib, struct wb_err *err);
int store_schema_version(struct store *s, int *version, struct wb_err *err);
/* Runs the forward migrations up to `target` (-1 = the newest) in one transaction. */
int store_migrate(struct store *s, int target, struct wb_err *err);
/* PRAGMA integrity_check and foreign_key_check; *report (caller frees) is "ok" or the problems. */
int store_check(struct store *s, char **report, struct wb_err *err);
/* Copies the live database to `path` with SQLite's online backup API while others keep working. */
int store_backup(struct store *s, const char *path, struct wb_err *err);
/* True when the database holds no people yet (the first to initialise it becomes admin);
 * the program's own agents ("@mailgate") do not count. */
int store_is_empty(struct store *s, bool *empty, struct wb_err *err);

/* Key/value settings shared by the desk (SLA calendar, ...). *value NULL when unset; caller frees. */
int store_setting_get(struct store *s, const char *key, char **value, struct wb_err *err);
int store_setting_set(struct store *s, const char *key, const char *value, struct wb_err *err);

/* Every setting whose key starts with prefix, in key order: keys[i]/values[i], caller frees
 * each string and both arrays. */
int store_setting_list(struct store *s, const char *prefix, char ***keys, char ***values, size_t *n,
		       struct wb_err *err);

/* Append-only audit log: who (user id), which ticket (0 for none), what, old and new value. */
int store_audit_add(struct store *s, int64_t user_id, int64_t ticket_id, const char *what,
		    const char *old_value, const char *new_value, struct wb_err *err);

#endif

/* store_priv.h — shared by the store layer's own files (src/store*.c) only. */
#ifndef WB_STORE_PRIV_H
#define WB_STORE_PRIV_H

#include "store.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#define SP_CACHE_MAX 16

struct store {
	sqlite3 *db;
	char *path;
	int tx_depth;
	int busy_steps;      /* how many short waits before a lock counts as busy */
	/* statements kept prepared for the hot paths (sp_cached), keyed by their SQL literal's address */
	struct {
		const char *sql;
		sqlite3_stmt *st;
	} cache[SP_CACHE_MAX];
	int n_cache;
	/* in a bulk load (store_bulk.c): new tickets get their search entry at its end */
	bool bulk;
	int64_t cache_before_bulk; /* PRAGMA cache_size to restore */
	int64_t own_from;          /* own[] has a bit for each ticket id from here on: created by this load */
	unsigned char *own;
	size_t own_bytes;
};

/* Prepares sql; on failure fills err with sqlite's message. */
int sp_prepare(struct store *s, const char *sql, sqlite3_stmt **st, struct wb_err *err);
/* Turns a failed sqlite3 result code into a wb error (busy/locked -> WB_EBUSY). */
int sp_fail(struct store *s, int rc, struct wb_err *err);
/* Like sp_prepare, for statements run very often (a bulk load runs them millions of times): the
 * statement is prepared once per store and kept. sql must be a string literal (the cache keys on its
 * address). Give it back with sp_done(), never sqlite3_finalize(); do not run the same one twice at once. */
int sp_cached(struct store *s, const char *sql, sqlite3_stmt **st, struct wb_err *err);
/* Resets a statement from sp_cached (finalizes one that did not fit in the cache). */
void sp_done(struct store *s, sqlite3_stmt *st);
/* The text a ticket's search entry holds for its messages (store_bulk.c): each message's body
 * after a line feed, in the order they were added, events and empty bodies left out. *text is
 * owned by the caller. */
int sp_messages_text(struct store *s, int64_t ticket_id, char **text, struct wb_err *err);
/* In a bulk load: notes that ticket `id` was created by it / tells whether it was (store_bulk.c). */
void sp_bulk_mark(struct store *s, int64_t id);
bool sp_bulk_own(const struct store *s, int64_t id);
/* Executes a statement that returns no rows. */
int sp_exec(struct store *s, const char *sql, struct wb_err *err);
/* Binds text, or NULL when v is NULL or empty. */
void sp_bind_text(sqlite3_stmt *st, int i, const char *v);
/* Binds an id, or NULL when it is 0. */
void sp_bind_id(sqlite3_stmt *st, int i, int64_t v);
/* Copies a text column (NULL stays NULL). */
char *sp_col_text(sqlite3_stmt *st, int i);
/* Reads every row of a prepared statement into a new array of `size`-byte items, each zeroed
 * and then filled by read(); finalizes the statement. *out is owned by the caller. */
typedef void (*sp_row_reader)(sqlite3_stmt *st, void *item);
int sp_collect(struct store *s, sqlite3_stmt *st, size_t size, sp_row_reader read, void **out, size_t *n,
	       struct wb_err *err);
/* Runs a query returning one integer (0 when no row). */
int sp_query_int(struct store *s, const char *sql, int64_t *out, struct wb_err *err);

#endif

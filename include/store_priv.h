/* store_priv.h — shared by the store layer's own files (src/store*.c) only. */
#ifndef WB_STORE_PRIV_H
#define WB_STORE_PRIV_H

#include "store.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#define SP_CACHE_SIZE 16

struct store {
	sqlite3 *db;
	char *path;
	int tx_depth;
	int busy_steps;      /* how many short waits before a lock counts as busy */
	/* statements kept prepared between calls (sp_prepare_cached), least recently used replaced */
	struct sp_cached {
		char *sql;
		sqlite3_stmt *st;
		uint64_t used;
	} cache[SP_CACHE_SIZE];
	uint64_t cache_clock;
	/* in a bulk load (store_bulk.c): new tickets get their search entry at its end */
	bool bulk;
	int64_t cache_before_bulk; /* PRAGMA cache_size to restore */
	int64_t own_from;          /* own[] has a bit for each ticket id from here on: created by this load */
	unsigned char *own;
	size_t own_bytes;
};

/* Prepares sql; on failure fills err with sqlite's message. */
int sp_prepare(struct store *s, const char *sql, sqlite3_stmt **st, struct wb_err *err);
/* Like sp_prepare, but keeps the statement for the next call with the same SQL text: for queries the
 * console runs on every key (a page of the queue, the data version), where compiling the SQL cost
 * more than running it, and for the statements a bulk load runs millions of times. Give the statement back with sp_release(), never finalize it; one user at a
 * time (do not hold two of the same SQL). store_close() finalizes them. */
int sp_prepare_cached(struct store *s, const char *sql, sqlite3_stmt **st, struct wb_err *err);
/* Gives back a statement from sp_prepare_cached: reset with its bindings cleared for the next call
 * (or finalized when it could not be kept). */
void sp_release(struct store *s, sqlite3_stmt *st);
/* Turns a failed sqlite3 result code into a wb error (busy/locked -> WB_EBUSY). */
int sp_fail(struct store *s, int rc, struct wb_err *err);
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
/* Clears each of the n `size`-byte items of *items with clear, frees the array and NULLs *items
 * (nothing when items or *items is NULL): the one body of the store's foos_free functions. */
typedef void (*sp_item_clear)(void *item);
void sp_free_rows(void **items, size_t n, size_t size, sp_item_clear clear);
/* Runs a query returning one integer (0 when no row). */
int sp_query_int(struct store *s, const char *sql, int64_t *out, struct wb_err *err);

#endif

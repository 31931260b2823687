/* store_priv.h — shared by the store layer's own files (src/store*.c) only. */
#ifndef WB_STORE_PRIV_H
#define WB_STORE_PRIV_H

#include "store.h"

#include <sqlite3.h>

struct store {
	sqlite3 *db;
	char *path;
	int tx_depth;
	int busy_steps;      /* how many short waits before a lock counts as busy */
};

/* Prepares sql; on failure fills err with sqlite's message. */
int sp_prepare(struct store *s, const char *sql, sqlite3_stmt **st, struct wb_err *err);
/* Turns a failed sqlite3 result code into a wb error (busy/locked -> WB_EBUSY). */
int sp_fail(struct store *s, int rc, struct wb_err *err);
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

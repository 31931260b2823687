/* ui_list.h — a virtual list: pages of rows fetched on demand, never the whole table.
 *
 * The list asks a data source for pages by keyset ("up to N rows after this row") and keeps only about
 * four screens of rows around what is shown, so a queue of a million tickets scrolls like one of a
 * hundred. Marks are kept by row id, so they survive paging and reloads. Drawing remembers what each
 * screen row shows and repaints only rows that changed: a one-line move repaints two rows, and a
 * scroll of a full-width list moves the rows with the terminal's scroll region. */
#ifndef WB_UI_LIST_H
#define WB_UI_LIST_H

#include "err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	UI_LIST_SELECTED = 1u << 0,
	UI_LIST_MARKED = 1u << 1,
	UI_LIST_FOCUSED = 1u << 2, /* the list has the keyboard focus */
};

struct ui_list_source {
	void *ctx;
	/* Writes up to n rows into rows[0..n) in display order: the rows strictly after `anchor`
	 * (dir > 0) or strictly before it (dir < 0). anchor NULL means from the first row (dir > 0) or
	 * the last n rows (dir < 0). The anchor is a row the source returned earlier (it may have been
	 * deleted since; compare by its sort keys). Returns the count (>= 0), fewer than n only at the
	 * end of the data, or a negative WB_E* code with err set. The list owns the rows returned. */
	int (*fetch)(void *ctx, const void *anchor, int dir, int n, void **rows, struct wb_err *err);
	int64_t (*row_id)(void *ctx, const void *row);
	void (*row_free)(void *ctx, void *row);
	/* Draws row at screen row y, columns x .. x+width-1, with UI_LIST_* flags. May be NULL in tests. */
	void (*draw)(void *ctx, const void *row, int y, int x, int width, unsigned flags);
};

struct ui_list;

/* A new empty list; call ui_list_place and ui_list_load before use. */
struct ui_list *ui_list_new(const struct ui_list_source *src);
void ui_list_free(struct ui_list **l);

/* Where the list draws. A new height keeps the selection visible. */
void ui_list_place(struct ui_list *l, int y, int x, int height, int width);
void ui_list_set_focus(struct ui_list *l, bool focused);

/* Loads the first page (after a new filter or sort). */
int ui_list_load(struct ui_list *l);
/* Fetches the rows around the ones shown again (after the database changed), keeping the selection
 * on the same row id when it still exists. */
int ui_list_reload(struct ui_list *l);

/* Movement; each fetches what it needs. Return WB_OK or the source's error. */
int ui_list_move(struct ui_list *l, int delta);
int ui_list_page(struct ui_list *l, int pages);
int ui_list_first(struct ui_list *l);
/* Fetches the screen of rows after the one shown and the screen before it when they are not held yet,
 * so that the next PgDn, PgUp or scroll past the edge needs no query. Call it when the screen is up to
 * date and the program waits for a key: the time goes where nobody waits. WB_OK or the source's error. */
int ui_list_prefetch(struct ui_list *l);
int ui_list_last(struct ui_list *l);
/* Selects the row shown at screen row y (a mouse click); false when no row is there. */
bool ui_list_click(struct ui_list *l, int y);

/* The selected row (owned by the list, valid until the next call that moves or loads) or NULL. */
const void *ui_list_selected(const struct ui_list *l);
/* Rows currently held (at most about four screens). */
size_t ui_list_held(const struct ui_list *l);
/* Rows fetched from the source since creation (to prove nothing loads everything). */
uint64_t ui_list_rows_fetched(const struct ui_list *l);
/* True when the list holds no row at all (an empty queue). */
bool ui_list_empty(const struct ui_list *l);
/* 0-based position of the selection from the top of the data when known (the buffer starts at the first
 * row), else -1. */
long ui_list_position(const struct ui_list *l);

/* Marks, by row id. */
bool ui_list_toggle_mark(struct ui_list *l); /* on the selection; returns the new state */
bool ui_list_is_marked(const struct ui_list *l, int64_t id);
void ui_list_set_mark(struct ui_list *l, int64_t id, bool on);
void ui_list_clear_marks(struct ui_list *l);
/* The marked ids in ascending order (owned by the list) and their count. */
const int64_t *ui_list_marks(const struct ui_list *l, size_t *n);

/* The message of the source's last error ("" when none). */
const char *ui_list_error(const struct ui_list *l);

/* Draws what changed since the last draw. */
void ui_list_draw(struct ui_list *l);
/* Next draw repaints every row (after a clear or a theme change). */
void ui_list_invalidate(struct ui_list *l);
/* Rows drawn by the last ui_list_draw and whether it scrolled (for tests). */
int ui_list_last_drawn(const struct ui_list *l, int *scrolled);

#endif

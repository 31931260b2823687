/* ui_term.h — the terminal: the only module that talks to curses.
 *
 * Other ui_* files draw through this small API: text cut to a number of cells in a colour role, fills,
 * scrolling a band of rows, the cursor, and keys. Coordinates are 0-based (row, column) cells.
 *
 * The caller runs setlocale(LC_ALL, "") first. ui_term_init installs handlers for SIGTERM, SIGINT and
 * SIGHUP (they only set a flag: ui_term_key() then returns UI_KEY_QUIT_SIGNAL), SIGTSTP (Ctrl-Z: the
 * screen is put away, the process stops, and on `fg` ui_term_key() returns UI_KEY_REDRAW), and
 * SIGSEGV/SIGBUS/SIGFPE/SIGABRT (the terminal modes are restored without curses, then the signal is
 * delivered again). All drawing functions do nothing when the terminal is not active, so pure logic
 * that draws (ui_list) can be unit-tested without a terminal. */
#ifndef WB_UI_TERM_H
#define WB_UI_TERM_H

#include "err.h"
#include "ui_keys.h"
#include "ui_theme.h"

#include <stdbool.h>

/* Smallest size the screens are laid out for. */
#define UI_MIN_COLS 80
#define UI_MIN_ROWS 24

struct ui_term_options {
	const struct ui_theme *theme; /* NULL: the built-in default */
	bool no_color;                /* also forced by a non-empty NO_COLOR environment variable */
	bool no_mouse;
};

/* Starts full-screen mode. WB_EIO with a message when the terminal cannot be used. */
int ui_term_init(const struct ui_term_options *opt, struct wb_err *err);
/* Leaves full-screen mode and restores the terminal and signal handlers. Safe to call twice. */
void ui_term_end(void);
bool ui_term_active(void);
/* Switches the theme while running (repaint afterwards). */
void ui_term_set_theme(const struct ui_theme *theme);
/* True when colours are in use (false under NO_COLOR or on a monochrome terminal). */
bool ui_term_has_color(void);

void ui_term_size(int *rows, int *cols);
/* True when the terminal is smaller than UI_MIN_COLS x UI_MIN_ROWS. */
bool ui_term_too_small(void);
/* Clears the screen and says it is too small, centred. */
void ui_term_draw_too_small(void);

/* Waits up to timeout_ms (negative: forever) for a key. Returns a code point, a UI_KEY_* value, or
 * UI_KEY_TIMEOUT. Handles Ctrl-Z itself; resizes come back as UI_KEY_RESIZE. */
int ui_term_key(int timeout_ms);
/* Position of the last UI_KEY_MOUSE click. */
void ui_term_mouse(int *row, int *col);

enum {
	UI_TEXT_PAD = 1u << 0,      /* fill the rest of the cells with spaces in the same role */
	UI_TEXT_ELLIPSIS = 1u << 1, /* end a cut text with "…" */
	UI_TEXT_RIGHT = 1u << 2,    /* align to the right edge of the cells (implies padding on the left) */
};

/* Draws UTF-8 text at (row, col) in at most `cells` cells, cut by display width (a Chinese
 * character takes two cells and is never split). Control characters show as spaces and invalid bytes
 * as '?', so what is drawn always takes exactly the width utf8_width() reports. Returns the cells
 * drawn (== cells when padded). */
int ui_term_text(int row, int col, int cells, const char *s, enum ui_role role, unsigned flags);
/* Fills cells with spaces in a role. */
void ui_term_fill(int row, int col, int cells, enum ui_role role);
/* Fills from (row, col) to the end of the row. */
void ui_term_clear_eol(int row, int col, enum ui_role role);
/* Changes the role of cells already drawn (keeps the text). */
void ui_term_recolor(int row, int col, int cells, enum ui_role role);
/* Clears the whole screen (normal role). */
void ui_term_clear(void);
/* Scrolls rows top..bottom (inclusive) by n lines (n > 0: content moves up) using the terminal's
 * scroll region, so a one-line scroll costs a few bytes; the rows uncovered are blank. */
void ui_term_scroll(int top, int bottom, int n);
/* Places the cursor (shown) or hides it (row < 0). */
void ui_term_cursor(int row, int col);
/* Sends what changed to the terminal. */
void ui_term_flush(void);
/* Next flush repaints every cell (Ctrl-L). */
void ui_term_invalidate(void);
void ui_term_beep(void);

/* Puts the screen away for a child program (an editor) and brings it back. */
void ui_term_suspend(void);
void ui_term_resume(void);

/* The signal that asked us to quit (SIGTERM, SIGINT, SIGHUP) or 0. */
int ui_term_quit_signal(void);

#endif

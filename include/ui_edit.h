/* ui_edit.h — text input: a one-line field, a small multi-line editor, and the user's own editor.
 *
 * ui_line and ui_text hold UTF-8 text and a cursor and take keys (UI_KEY_* or code points); their
 * editing is pure and unit-tested, drawing goes through ui_term. ui_edit_external runs $VISUAL or
 * $EDITOR on a temporary file the way mutt does (the screen is put away while it runs). */
#ifndef WB_UI_EDIT_H
#define WB_UI_EDIT_H

#include "err.h"
#include "ui_keys.h"
#include "ui_theme.h"

#include <stdbool.h>
#include <stddef.h>

/* One line of text; cur is a byte offset on a character boundary. */
struct ui_line {
	char *s;      /* always NUL-terminated after ui_line_init */
	size_t len, cap;
	size_t cur;
	int scroll;   /* first cell shown when the text is wider than its field */
};

void ui_line_init(struct ui_line *l, const char *text);
void ui_line_set(struct ui_line *l, const char *text); /* cursor at the end */
void ui_line_free(struct ui_line *l);
const char *ui_line_text(const struct ui_line *l);
/* Applies an editing key: a character inserts; Left, Right, Home/C-a, End/C-e, Backspace, Delete/C-d,
 * C-k (to end), C-u (to start), C-w (word before). Returns true when the key was used. */
bool ui_line_key(struct ui_line *l, int key);
/* Cells from the start of the text to the cursor. */
int ui_line_cursor_cells(const struct ui_line *l);
/* Draws the line in `cells` cells (scrolling sideways to keep the cursor in view); returns the column
 * of the cursor. */
int ui_line_draw(struct ui_line *l, int row, int col, int cells, enum ui_role role);

/* Several lines. */
struct ui_text {
	struct ui_line *lines;
	size_t n, cap;
	size_t row;   /* the line with the cursor */
	size_t top;   /* first line shown */
};

void ui_text_init(struct ui_text *t, const char *text);
void ui_text_free(struct ui_text *t);
/* Enter splits the line, Backspace at the start joins with the line above, Delete at the end joins
 * the next, Up/Down keep the cursor's column in cells, PageUp/PageDown move by `page` lines;
 * everything else as ui_line_key. */
bool ui_text_key(struct ui_text *t, int key, int page);
/* The text, lines joined with "\n" (newly allocated; caller frees). */
char *ui_text_join(const struct ui_text *t);
/* Draws lines in the box and places the cursor. */
void ui_text_draw(struct ui_text *t, int y, int x, int h, int w, enum ui_role role);

/* Runs $VISUAL (else $EDITOR) on a temporary file holding text. WB_OK: *out is the file's text
 * afterwards (caller frees). WB_ENOTFOUND when neither variable is set; WB_EIO when the editor could
 * not run or exited with an error (the message says which). */
int ui_edit_external(const char *text, char **out, struct wb_err *err);

/* The built-in full-screen editor: a title, the text, a help line. km's form bindings give save and
 * cancel (C-x, Esc). WB_OK with *out set when saved, WB_OK with *out NULL when cancelled, WB_ETEMP
 * with *out holding the text so far when a quit signal (hang-up) arrived — keep it as a draft. */
int ui_edit_builtin(const char *title, const char *text, const struct ui_keymap *km, char **out,
		    struct wb_err *err);

/* $VISUAL/$EDITOR when set, else the built-in editor; same results as ui_edit_builtin. */
int ui_edit_compose(const char *title, const char *text, const struct ui_keymap *km, char **out,
		    struct wb_err *err);

#endif

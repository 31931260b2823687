/* ui_keys.h — keys, actions and the key table as data (pure: no curses here).
 *
 * A key is an int: a Unicode code point for a typed character (Ctrl-A..Ctrl-Z are 1..26), or one of
 * the UI_KEY_* values above the Unicode range. The key table binds (context, key) to an action; the
 * built-in table is text in the same syntax a user file uses, read by the same parser:
 *
 *     # comment
 *     bind list   j     down
 *     bind global C-l   redraw
 *     unbind list t
 *
 * Lookup tries the screen's own context first, then `global`. The `?` help screen is generated from
 * the table (ui_keymap_help). */
#ifndef WB_UI_KEYS_H
#define WB_UI_KEYS_H

#include "err.h"

#include <stddef.h>

enum {
	UI_KEY_TIMEOUT = -1, /* nothing arrived before the timeout */
	UI_KEY_BASE = 0x110000,
	UI_KEY_UP = UI_KEY_BASE,
	UI_KEY_DOWN,
	UI_KEY_LEFT,
	UI_KEY_RIGHT,
	UI_KEY_PGUP,
	UI_KEY_PGDN,
	UI_KEY_HOME,
	UI_KEY_END,
	UI_KEY_ENTER,
	UI_KEY_TAB,
	UI_KEY_BTAB,
	UI_KEY_BACKSPACE,
	UI_KEY_DELETE,
	UI_KEY_INSERT,
	UI_KEY_ESC,
	UI_KEY_F1,
	UI_KEY_F12 = UI_KEY_F1 + 11,
	UI_KEY_RESIZE,     /* the terminal changed size */
	UI_KEY_MOUSE,      /* a click; see ui_term_mouse() */
	UI_KEY_WHEEL_UP,
	UI_KEY_WHEEL_DOWN,
	UI_KEY_REDRAW,     /* back from Ctrl-Z: repaint everything */
	UI_KEY_QUIT_SIGNAL,/* SIGTERM, SIGINT or SIGHUP arrived: save what matters and leave */
	UI_KEY__END
};

#define UI_KEY_CTRL(c) ((c) & 0x1f)

/* X(ID, name in key files, help text) */
#define UI_ACTIONS(X)                                                            \
	X(NONE, "none", "")                                                      \
	X(QUIT, "quit", N_("Go back; quit at the top"))                          \
	X(HELP, "help", N_("Show this help"))                                    \
	X(REFRESH, "refresh", N_("Reload from the database"))                    \
	X(REDRAW, "redraw", N_("Repaint the screen"))                            \
	X(COMMAND, "command", N_("Command line"))                                \
	X(CALL, "call", N_("Log a phone call"))                                  \
	X(CALENDAR, "calendar", N_("Maintenance calendar"))                      \
	X(DOWN, "down", N_("Next line"))                                         \
	X(UP, "up", N_("Previous line"))                                         \
	X(PAGE_DOWN, "page-down", N_("Next page"))                               \
	X(PAGE_UP, "page-up", N_("Previous page"))                               \
	X(TOP, "top", N_("First line"))                                          \
	X(BOTTOM, "bottom", N_("Last line"))                                     \
	X(OPEN, "open", N_("Open the selected ticket or view"))                  \
	X(MARK, "mark", N_("Mark or unmark for bulk actions"))                   \
	X(UNMARK_ALL, "unmark-all", N_("Clear all marks"))                       \
	X(FILTER, "filter", N_("Narrow the list as you type"))                   \
	X(SORT, "sort", N_("Sort by another column"))                            \
	X(FOCUS, "focus", N_("Switch between views and the list"))               \
	X(NEXT_VIEW, "next-view", N_("Next view"))                               \
	X(PREV_VIEW, "prev-view", N_("Previous view"))                           \
	X(REPLY, "reply", N_("Reply to the requester by email"))                 \
	X(NOTE, "note", N_("Add an internal note"))                              \
	X(STATUS, "status", N_("Change status"))                                 \
	X(TAKE, "take", N_("Assign to me"))                                      \
	X(ASSIGN, "assign", N_("Assign to someone"))                             \
	X(PRIORITY, "priority", N_("Change priority"))                           \
	X(KIND, "kind", N_("Change kind"))                                       \
	X(QUEUE, "queue", N_("Move to another queue"))                           \
	X(LINK, "link", N_("Link to another ticket"))                            \
	X(MERGE, "merge", N_("Merge into another ticket"))                       \
	X(CLOSE, "close", N_("Close"))                                           \
	X(NEXT_FIELD, "next-field", N_("Next field"))                            \
	X(PREV_FIELD, "prev-field", N_("Previous field"))                        \
	X(SAVE, "save", N_("Save"))                                              \
	X(CANCEL, "cancel", N_("Cancel"))                                        \
	X(DASHBOARD, "dashboard", N_("Evaluation dashboard (figures of a period)")) \
	X(PERIOD_PREV, "period-prev", N_("Previous period"))                     \
	X(PERIOD_NEXT, "period-next", N_("Next period"))                         \
	X(PERIOD_WEEK, "period-week", N_("Show a week"))                         \
	X(PERIOD_MONTH, "period-month", N_("Show a month"))                      \
	X(PERIOD_QUARTER, "period-quarter", N_("Show a quarter"))                \
	X(DAY_PREV, "day-prev", N_("Previous day"))                              \
	X(DAY_NEXT, "day-next", N_("Next day"))                                  \
	X(WEEK_PREV, "week-prev", N_("Previous week (previous task in a day's list or the agenda)")) \
	X(WEEK_NEXT, "week-next", N_("Next week (next task in a day's list or the agenda)")) \
	X(MONTH_PREV, "month-prev", N_("Previous month (previous screen in the agenda)")) \
	X(MONTH_NEXT, "month-next", N_("Next month (next screen in the agenda)")) \
	X(TODAY, "today", N_("Jump to today"))                                   \
	X(WEEK_VIEW, "week-view", N_("Switch between the month grid and the week view")) \
	X(AGENDA, "agenda", N_("Switch between the month grid and the agenda (what is coming, day by day)")) \
	X(ADD_PLAN, "add-plan", N_("Add a maintenance plan"))                    \
	X(EDIT_PLAN, "edit-plan", N_("Edit the maintenance plan (name, schedule, checklist)")) \
	X(PLANS, "plans", N_("List the maintenance plans"))                      \
	X(REMOVE, "remove", N_("Remove (asks first)"))                           \
	X(CHECKLIST, "checklist", N_("Tick the checklist of a maintenance task")) \
	X(CHECK_OK, "check-ok", N_("Tick the item: ok"))                         \
	X(CHECK_FAILED, "check-failed", N_("Tick the item: failed"))             \
	X(CHECK_NOTE, "check-note", N_("Tick the item with a short note"))

enum ui_action {
#define UI_ACTION_ENUM(id, name, help) ACT_##id,
	UI_ACTIONS(UI_ACTION_ENUM)
#undef UI_ACTION_ENUM
	ACT__COUNT
};

/* X(ID, name in key files, title on the help screen) */
#define UI_CONTEXTS(X)                               \
	X(GLOBAL, "global", N_("Everywhere"))        \
	X(LIST, "list", N_("Ticket lists"))          \
	X(TICKET, "ticket", N_("Ticket view"))       \
	X(CALENDAR, "calendar", N_("Maintenance calendar")) \
	X(PLANS, "plans", N_("Maintenance plans"))   \
	X(CHECKLIST, "checklist", N_("Checklist of a maintenance task")) \
	X(FORM, "form", N_("Forms and editors"))     \
	X(DASHBOARD, "dashboard", N_("Dashboard"))

enum ui_ctx {
#define UI_CTX_ENUM(id, name, title) UI_CTX_##id,
	UI_CONTEXTS(UI_CTX_ENUM)
#undef UI_CTX_ENUM
	UI_CTX__COUNT
};

const char *ui_action_name(enum ui_action a);
/* Untranslated help text (wrapped in N_); show it with _(). */
const char *ui_action_help(enum ui_action a);
int ui_action_from_name(const char *name); /* -1 when unknown */
const char *ui_ctx_name(enum ui_ctx c);
const char *ui_ctx_title(enum ui_ctx c);   /* untranslated; show with _() */
int ui_ctx_from_name(const char *name);    /* -1 when unknown */

/* Parses a key name: a character ("j", "?", "维"), "Space", "C-x", "Up", "Down", "Left", "Right",
 * "PageUp", "PageDown", "Home", "End", "Enter", "Tab", "BTab", "Backspace", "Delete", "Insert",
 * "Esc", "F1".."F12". Returns 0 or -1. */
int ui_key_parse(const char *name, int *key);
/* Writes the display name of key into buf (as ui_key_parse reads it). */
void ui_key_name(int key, char *buf, size_t n);

struct ui_binding {
	int key;
	enum ui_ctx ctx;
	enum ui_action action;
};

struct ui_keymap {
	struct ui_binding *v;
	size_t n, cap;
};

/* The text of the built-in key table (static). */
const char *ui_keymap_builtin_text(void);
/* Fills an empty keymap with the built-in table. */
void ui_keymap_default(struct ui_keymap *km);
/* Applies `bind CONTEXT KEY ACTION` / `unbind CONTEXT KEY` lines; a later bind replaces an earlier
 * one for the same context and key. Errors name file, line and the bad word. */
int ui_keymap_parse(struct ui_keymap *km, const char *text, const char *file, struct wb_err *err);
/* Reads a key file on top of km. */
int ui_keymap_load_file(struct ui_keymap *km, const char *path, struct wb_err *err);
/* The action for key in ctx, falling back to global; ACT_NONE when unbound. */
enum ui_action ui_keymap_lookup(const struct ui_keymap *km, enum ui_ctx ctx, int key);
/* Writes the keys bound to action in ctx ("j, Down") into buf; "" when none. */
void ui_keymap_keys_for(const struct ui_keymap *km, enum ui_ctx ctx, enum ui_action a, char *buf, size_t n);
void ui_keymap_free(struct ui_keymap *km);

/* One line of the help screen. */
struct ui_help_line {
	enum ui_ctx ctx;       /* section */
	enum ui_action action; /* ACT_NONE for a section title line */
	char keys[48];         /* "j, Down" */
};
/* Help lines for every context, grouped by section in table order, each action once with all its
 * keys. Returns the count; *out is newly allocated (free with free()). */
size_t ui_keymap_help(const struct ui_keymap *km, struct ui_help_line **out);

#endif

/* ui_theme.h — colour roles and themes (pure: no curses here).
 *
 * Screens ask for a role (ROLE_SLA_BREACHED), never for a raw colour. A theme maps each role to a
 * foreground, a background and attributes. Theme files use one line per role:
 *
 *     # comment
 *     color sla_breached red default bold
 *     color selected    color231 color24        (256-colour values fall back on 8/16-colour terminals)
 *     mono  selected    reverse bold            (used when colour is off: NO_COLOR or a mono terminal)
 *
 * The built-in default theme is the text of themes/default.theme, read by the same parser. */
#ifndef WB_UI_THEME_H
#define WB_UI_THEME_H

#include "err.h"

#include <stdbool.h>
#include <stddef.h>

/* X(ID, name used in theme files) */
#define UI_ROLES(X)                         \
	X(NORMAL, "normal")                 \
	X(TOPBAR, "topbar")                 \
	X(TOPBAR_COUNT, "topbar_count")     \
	X(STATUSBAR, "statusbar")           \
	X(STATUSBAR_KEY, "statusbar_key")   \
	X(MESSAGE, "message")               \
	X(ERROR, "error")                   \
	X(HEADER, "header")                 \
	X(SELECTED, "selected")             \
	X(MARKED, "marked")                 \
	X(SIDEBAR, "sidebar")               \
	X(SIDEBAR_SEL, "sidebar_sel")       \
	X(SIDEBAR_TITLE, "sidebar_title")   \
	X(P1, "p1")                         \
	X(P2, "p2")                         \
	X(P3, "p3")                         \
	X(P4, "p4")                         \
	X(SLA_OK, "sla_ok")                 \
	X(SLA_AT_RISK, "sla_at_risk")       \
	X(SLA_BREACHED, "sla_breached")     \
	X(FIELD_LABEL, "field_label")       \
	X(FIELD_VALUE, "field_value")       \
	X(INPUT, "input")                   \
	X(REPLY, "reply")                   \
	X(INCOMING, "incoming")             \
	X(NOTE, "note")                     \
	X(CALL, "call")                     \
	X(EVENT, "event")                   \
	X(ATTACHMENT, "attachment")         \
	X(QUOTE, "quote")                   \
	X(HELP_KEY, "help_key")             \
	X(DIM, "dim")

enum ui_role {
#define UI_ROLE_ENUM(id, name) ROLE_##id,
	UI_ROLES(UI_ROLE_ENUM)
#undef UI_ROLE_ENUM
	ROLE__COUNT
};

/* Colour values: UI_COLOR_DEFAULT (the terminal's own), 0..255 (0-7 basic, 8-15 bright, 16-255 xterm). */
#define UI_COLOR_DEFAULT (-1)

enum {
	UI_ATTR_BOLD      = 1u << 0,
	UI_ATTR_DIM       = 1u << 1,
	UI_ATTR_UNDERLINE = 1u << 2,
	UI_ATTR_REVERSE   = 1u << 3,
	UI_ATTR_ITALIC    = 1u << 4,
	UI_ATTR_BLINK     = 1u << 5,
	UI_ATTR_STANDOUT  = 1u << 6,
};

struct ui_style {
	int fg, bg;          /* UI_COLOR_DEFAULT or 0..255 */
	unsigned attrs;      /* UI_ATTR_* with colour */
	unsigned mono;       /* UI_ATTR_* without colour */
	bool has_mono;       /* a `mono` line was given; else derived from attrs and bg */
};

struct ui_theme {
	struct ui_style style[ROLE__COUNT];
};

const char *ui_role_name(enum ui_role role);
/* Role for a theme-file name, or -1. */
int ui_role_from_name(const char *name);

/* The text of the built-in default theme (static; same syntax as a file). */
const char *ui_theme_builtin_text(void);
/* Fills t with the built-in default theme. */
void ui_theme_default(struct ui_theme *t);

/* Applies the lines of `text` on top of t. `file` names the source in error messages
 * ("themes/dark.theme:12: unknown colour 'purpel'"). Returns WB_OK or WB_EINVAL; on error t may
 * hold the lines before the bad one. */
int ui_theme_parse(struct ui_theme *t, const char *text, const char *file, struct wb_err *err);
/* Reads a theme file on top of t. WB_EIO when it cannot be read. */
int ui_theme_load_file(struct ui_theme *t, const char *path, struct wb_err *err);
/* Loads theme NAME (a path when it holds a '/', else NAME.theme searched in $WEIBAO_THEMES,
 * ~/.config/weibao/themes, ./themes and WB_DATADIR/themes) on top of the default theme. */
int ui_theme_load_named(struct ui_theme *t, const char *name, struct wb_err *err);

/* Colour `c` for a terminal with `ncolors` colours: 256-colour values go to the nearest of the 16
 * basic ones, bright colours lose brightness on 8-colour terminals (*bright tells the caller it may
 * use bold instead; may be NULL). UI_COLOR_DEFAULT stays. */
int ui_color_fallback(int c, int ncolors, bool *bright);

/* Attributes to use for a role when colour is off: its `mono` line, else its attributes plus reverse
 * video when its background differs from the normal one. */
unsigned ui_theme_mono_attrs(const struct ui_theme *t, enum ui_role role);

#endif

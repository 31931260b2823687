/* ui_app.h — the console's screen context, shared by the ui_* screens (not used outside ui_*). */
#ifndef WB_UI_APP_H
#define WB_UI_APP_H

#include "desk.h"
#include "ui_keys.h"
#include "ui_list.h"
#include "ui_theme.h"

#include <stdbool.h>
#include <stddef.h>

/* A view in the side list: a title and the filter it applies. */
struct ui_view {
	char *title;
	struct ticket_filter filter;
	char *text;         /* a saved search's subject text, or NULL */
	bool section;       /* a heading line ("Queues"), not selectable */
};

/* One line of the ticket view's document. */
struct ui_doc_line {
	char *text;
	enum ui_role role;
	int indent;
};

struct ui_doc {
	struct ui_doc_line *v;
	size_t n, cap;
};

enum ui_screen { UI_SCREEN_QUEUE, UI_SCREEN_TICKET };

enum {
	UI_DIRTY_TOP = 1u << 0,
	UI_DIRTY_SIDE = 1u << 1,
	UI_DIRTY_HEAD = 1u << 2,
	UI_DIRTY_BOTTOM = 1u << 3,
	UI_DIRTY_BODY = 1u << 4,
	UI_DIRTY_ALL = 0xff,
};

/* The one screen context (the only global of the console, in ui_app.c). */
struct ui_app {
	struct desk *desk;
	const char *db_path, *config_path; /* borrowed from ui_options */
	struct ui_keymap keys;
	struct ui_theme theme;
	int rows, cols;
	bool quit;
	unsigned dirty;
	enum ui_screen screen;

	/* the queue screen */
	struct ui_view *views;
	size_t nviews, view;
	bool side_focus;
	int side_width;          /* 0 when the side list is hidden (narrow terminals) */
	enum ticket_sort sort;
	struct ticket_filter filter;
	char *filter_text;       /* the '/' narrowing, or NULL */
	struct ui_list *list;
	struct ticket_counts counts;
	int maint_open, maint_missed;   /* today's maintenance tasks (plan_today_counts) */
	bool counts_stale;       /* the data moved: count again, at most once a second */
	long long counts_ms;     /* when the counts were last read (monotonic ms) */
	/* what the benchmark checks (WEIBAO_UI_STATS): the counts are read at start, once a clock
	 * minute and after another process's change, never because a key was pressed */
	struct {
		unsigned long keys, recounts, minute_ticks, change_recounts;
	} stats;
	int64_t data_version;
	int clock_minute;

	/* the ticket screen */
	int64_t ticket_id;
	struct ticket *ticket;
	struct ui_doc doc;
	int doc_top;
	int doc_width;

	/* the dashboard (ui_dashboard.c): the period it showed last ("" = this month) */
	char dash_period[64];
	bool dash_back;          /* the list shows a figure's tickets: Esc and quit go back to the dashboard */

	/* the bottom line */
	char msg[512];
	enum ui_role msg_role;
};

/* ui_app.c */
void ui_app_message(struct ui_app *a, enum ui_role role, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void ui_app_error(struct ui_app *a, const struct wb_err *err);
/* Re-reads counts, the list and the open ticket when the database changed (force: always). */
void ui_app_refresh(struct ui_app *a, bool force);
/* Opens ticket id in the ticket view. */
int ui_app_open_ticket(struct ui_app *a, int64_t id);
/* The ids an action applies to: the marked tickets, else the selected/open one. *ids is newly
 * allocated (caller frees). Returns the count (0 when none). */
size_t ui_app_targets(struct ui_app *a, int64_t **ids);
/* Draws the bottom line (message or the keys that work here). */
void ui_app_draw_bottom(struct ui_app *a, enum ui_ctx ctx);
/* Shows the ticket list with filter f under title (a drill-down from the dashboard; no '/' narrowing).
 * The view joins the side list once and is reused by title. */
void ui_app_show_filter(struct ui_app *a, const char *title, const struct ticket_filter *f);
/* Runs one action that works on tickets (take, status, assign, reply, note, ...) for the current
 * screen. Returns true when the action was handled. */
bool ui_app_ticket_action(struct ui_app *a, enum ui_action act);

/* ui_ticket.c: the ticket view */
void ui_ticket_build(struct ui_app *a, const struct message_list *msgs);
void ui_ticket_draw(struct ui_app *a);
void ui_ticket_key(struct ui_app *a, int key, enum ui_action act);
void ui_doc_clear(struct ui_doc *d);
/* Appends text wrapped to width cells (by display width; words kept whole where possible). */
void ui_doc_add_wrapped(struct ui_doc *d, const char *text, int width, int indent, enum ui_role role);

/* ui_prompt.c: small modal dialogs. Each returns false when cancelled (Esc, C-g) or on a quit signal. */
/* A menu of n labels; *choice gets the index. */
bool ui_prompt_menu(struct ui_app *a, const char *title, const char *const *labels, size_t n, size_t *choice);
/* A one-line answer on the bottom line, with Tab completion from `words` (may be NULL). *out newly
 * allocated. */
bool ui_prompt_line(struct ui_app *a, const char *question, const char *initial, const char *const *words,
		    size_t nwords, char **out);
/* y/n on the bottom line. */
bool ui_prompt_yes(struct ui_app *a, const char *question);
/* The help screen, generated from the key table. */
void ui_prompt_help(struct ui_app *a);
/* The same, opened at the section of ctx (a screen's own keys first). */
void ui_prompt_help_at(struct ui_app *a, enum ui_ctx ctx);

/* ui_call.c: the phone-call form; from_ticket is the open ticket (0 = none). */
void ui_call_form(struct ui_app *a, int64_t from_ticket);

/* Drafts kept when a reply or note could not be sent (hang-up, error): one file per ticket and kind. */
char *ui_draft_load(int64_t ticket_id, const char *kind);
void ui_draft_save(int64_t ticket_id, const char *kind, const char *text);
void ui_draft_remove(int64_t ticket_id, const char *kind);

#endif

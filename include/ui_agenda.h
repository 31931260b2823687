/* ui_agenda.h — the calendar's agenda: what is coming from a day onward, one heading line per day
 * that has anything ("Thu 26 Nov 2026") and one line per task or window under it. The list is read
 * ahead in chunks of UI_AGENDA_CHUNK_DAYS through plan_agenda as the operator scrolls; the whole
 * calendar is never loaded. Drawn inside the calendar screen (ui_calendar.c), which owns the title
 * and the bottom line. */
#ifndef WB_UI_AGENDA_H
#define WB_UI_AGENDA_H

#include "plan.h"
#include "ui_app.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UI_AGENDA_CHUNK_DAYS 14
/* Chunks read at most for one scroll step when nothing is planned (about a year). */
#define UI_AGENDA_CHUNKS_PER_STEP 27

struct ui_agenda_row {
	bool heading;      /* a day's heading; otherwise an item line */
	size_t item;       /* index into items (the first item of the day for a heading) */
	wb_time day;       /* a moment of the row's local day (for the heading's date) */
};

struct ui_agenda {
	struct plan_agenda items;     /* every item read so far, in order (owned) */
	struct ui_agenda_row *rows;   /* owned */
	size_t nrows, caprows;
	int y, m, d;                  /* the first day */
	wb_time from;                 /* its start (UTC) */
	int ny, nm, nd;               /* the first day not read yet */
	int chunks;                   /* chunks read so far */
	char last_day[20];            /* local date (YYYY-MM-DD) of the last heading */
	size_t sel, top;              /* selected row (an item line), first row shown */
	int room;                     /* rows the list had when last drawn */
	char error[512];
};

enum ui_agenda_result { UI_AGENDA_STAY, UI_AGENDA_LEAVE, UI_AGENDA_OPEN };

/* Starts the agenda at local day y-m-d (the desk's zone) and reads ahead a screen's worth. */
void ui_agenda_start(struct ui_app *a, struct ui_agenda *g, int y, int m, int d);
/* Reads the same days again (another operator may have changed them), keeping the selection. */
void ui_agenda_reload(struct ui_app *a, struct ui_agenda *g);
/* Draws the list in rows top..bottom-1. */
void ui_agenda_draw(struct ui_app *a, struct ui_agenda *g, int top, int bottom);
/* Handles one calendar action: j/k (week-next/-prev, down/up) move over the item lines, PgDn/PgUp
 * (month-next/-prev, page-down/-up) by a screen, t/Home back to the first line, Enter (open) on a
 * task gives UI_AGENDA_OPEN with *ticket_id, quit and agenda give UI_AGENDA_LEAVE. */
enum ui_agenda_result ui_agenda_key(struct ui_app *a, struct ui_agenda *g, enum ui_action act, int64_t *ticket_id);
/* The plan of the selected line; 0 for a window or an empty list. */
int64_t ui_agenda_selected_plan(const struct ui_agenda *g);
void ui_agenda_free(struct ui_agenda *g);

#endif

/* ui_calendar.h — the maintenance calendar's month view in the console (calcurse-like grid). */
#ifndef WB_UI_CALENDAR_H
#define WB_UI_CALENDAR_H

#include "ui_app.h"

/* Runs the month view until the operator leaves it (q, Esc) or opens a task (Enter on it: the
 * ticket view is then open in a). Arrows/h j k l move by day and week, PgUp/PgDn or < > by month,
 * t jumps to today, Enter on a day lists its windows and tasks. */
void ui_calendar_run(struct ui_app *a);

#endif

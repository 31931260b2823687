/* ui_calendar.h — the maintenance calendar's month view in the console (calcurse-like grid). */
#ifndef WB_UI_CALENDAR_H
#define WB_UI_CALENDAR_H

#include "ui_app.h"

/* Runs the month view until the operator leaves it (q, Esc) or opens a task (Enter on it: the
 * ticket view is then open in a). Keys come from the key table's `calendar` context: arrows/h j k l
 * move by day and week, PgUp/PgDn or < > by month, t jumps to today, w the week view, Enter on a day
 * lists its windows and tasks, a adds a plan, e edits the selected task's plan, P lists the plans,
 * A shows the agenda from the selected day onward (ui_agenda.h; A or Esc back to the grid). */
void ui_calendar_run(struct ui_app *a);

#endif

/* ui_dashboard.h — the evaluation dashboard of the console: one period's report (report.h) as aligned
 * blocks with bar charts and sparklines, keys to switch the period, and drill-down from a figure to the
 * ticket list where the list filter can express the tickets behind it. */
#ifndef WB_UI_DASHBOARD_H
#define WB_UI_DASHBOARD_H

#include "ui_app.h"

/* Runs the dashboard until the operator goes back (Esc), drills down into a figure (the queue screen
 * then shows the tickets; see ui_app_show_filter) or a quit signal arrives (a->quit set). period: a
 * report period ("2026-10", "2026Q4", "2026-W47"); NULL or "" = the period shown last (a->dash_period),
 * at first this month. The report is built when the
 * period changes or the database's data_version moves, never per key. The caller lays the screen out
 * again afterwards. */
void ui_dashboard_run(struct ui_app *a, const char *period);

#endif

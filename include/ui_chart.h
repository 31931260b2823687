/* ui_chart.h — text charts for the console (pure: no curses): bars and sparklines in Unicode block
 * characters with an ASCII fallback, compact durations, and the period arithmetic of the dashboard. */
#ifndef WB_UI_CHART_H
#define WB_UI_CHART_H

#include "strbuf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True when the locale's character set is UTF-8 (nl_langinfo(CODESET), MB_CUR_MAX > 1). */
bool ui_chart_utf8(void);

/* Appends a horizontal bar for value out of max that fills at most `cells` cells: full blocks and one
 * eighth-step block (ASCII: '#'). A value above 0 always shows at least a sliver. Nothing when
 * max <= 0 or value <= 0. Returns the cells appended. */
int ui_chart_bar(struct strbuf *out, int64_t value, int64_t max, int cells, bool utf8);

/* Appends a sparkline of v[0..n) in at most `cells` cells: when n > cells, consecutive values are
 * summed so that ceil(n / group) <= cells. Levels ▁▂▃▄▅▆▇█ (ASCII "_.-:=+*#"), 0 always the lowest.
 * Returns the cells appended. */
int ui_chart_spark(struct strbuf *out, const int64_t *v, size_t n, int cells, bool utf8);

/* A duration in seconds as "45m", "5h 20m", "6d 4h" (translated units) into buf. */
void ui_chart_duration(int64_t seconds, char *buf, size_t n);

enum ui_period_kind { UI_PERIOD_WEEK, UI_PERIOD_MONTH, UI_PERIOD_QUARTER };

/* The report period spec (report.h) of `kind` that holds the local date day ("YYYY-MM-DD") moved by
 * delta_days: "2026-W47", "2026-11" or "2026Q4". Returns false when day is not a date. */
bool ui_chart_period(enum ui_period_kind kind, const char *day, int delta_days, char *buf, size_t n);

#endif

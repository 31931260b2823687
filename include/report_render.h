/* report_render.h — a report as text (aligned by display width), Markdown, CSV, JSON or one
 * self-contained HTML file with inline SVG charts (no scripts, no external files; every text
 * escaped). Pure functions: strings out, no files, no printing. */
#ifndef WB_REPORT_RENDER_H
#define WB_REPORT_RENDER_H

#include "err.h"
#include "report.h"

#define REPORT_FORMATS(X) \
	X(REPORT_TEXT, "text", "text/plain") \
	X(REPORT_MD, "md", "text/markdown") \
	X(REPORT_CSV, "csv", "text/csv") \
	X(REPORT_JSON, "json", "application/json") \
	X(REPORT_HTML, "html", "text/html")

#define REPORT_FORMAT_ITEM(e, name, mime) e,
enum report_format { REPORT_FORMATS(REPORT_FORMAT_ITEM) REPORT_FORMAT_COUNT };
#undef REPORT_FORMAT_ITEM

/* "text", "md", "csv", "json", "html"; WB_EINVAL names the value and the allowed ones. */
int report_format_parse(const char *s, enum report_format *out, struct wb_err *err);
const char *report_format_name(enum report_format f);  /* also the file extension */
const char *report_format_mime(enum report_format f);  /* with "; charset=utf-8" for text types */

/* The whole document, UTF-8, ending in a newline. Caller frees. The HTML holds one <svg> per
 * chart: opened and closed by kind, opened per day, closed per day, backlog by age, SLA
 * compliance, time worked by organisation, satisfaction. */
char *report_render(const struct report *r, enum report_format f);

/* The number of charts the HTML holds (for tests and callers that check it). */
#define REPORT_HTML_CHARTS 8

#endif

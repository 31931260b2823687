#include "ui_chart.h"

#include "i18n.h"
#include "xmalloc.h"

#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

bool ui_chart_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);
	return MB_CUR_MAX > 1 && cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

/* left blocks by eighths: one eighth (U+258F) .. full (U+2588) */
static const char *const eighths[8] = { "▏", "▎", "▍", "▌", "▋", "▊", "▉", "█" };
static const char *const levels[8] = { "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };
static const char ascii_levels[] = "_.-:=+*#";

int ui_chart_bar(struct strbuf *out, int64_t value, int64_t max, int cells, bool utf8)
{
	if (max <= 0 || value <= 0 || cells <= 0)
		return 0;
	if (value > max)
		value = max;
	int unit = utf8 ? 8 : 1;
	int64_t parts = (value * cells * unit + max / 2) / max;
	if (parts < 1)
		parts = 1;
	int full = (int)(parts / unit), rest = (int)(parts % unit);
	for (int i = 0; i < full; i++)
		strbuf_adds(out, utf8 ? eighths[7] : "#");
	if (rest)
		strbuf_adds(out, eighths[rest - 1]);
	return full + (rest ? 1 : 0);
}

int ui_chart_spark(struct strbuf *out, const int64_t *v, size_t n, int cells, bool utf8)
{
	if (!n || cells <= 0)
		return 0;
	size_t group = (n + (size_t)cells - 1) / (size_t)cells;
	size_t m = (n + group - 1) / group;
	int64_t *sum = xcalloc(m, sizeof *sum);
	int64_t max = 0;
	for (size_t i = 0; i < n; i++)
		sum[i / group] += v[i];
	for (size_t i = 0; i < m; i++)
		if (sum[i] > max)
			max = sum[i];
	for (size_t i = 0; i < m; i++) {
		/* 0 is the lowest level; any count above 0 at least the second */
		int lv = sum[i] <= 0 || max <= 0 ? 0 : 1 + (int)((sum[i] - 1) * 7 / max);
		if (lv > 7)
			lv = 7;
		if (utf8)
			strbuf_adds(out, levels[lv]);
		else
			strbuf_addc(out, ascii_levels[lv]);
	}
	free(sum);
	return (int)m;
}

void ui_chart_duration(int64_t s, char *buf, size_t n)
{
	if (s < 0)
		s = 0;
	int64_t m = (s + 30) / 60;
	if (m < 60)
		snprintf(buf, n, _("%lldm"), (long long)m);
	else if (m < 24 * 60)
		snprintf(buf, n, _("%lldh %lldm"), (long long)(m / 60), (long long)(m % 60));
	else
		snprintf(buf, n, _("%lldd %lldh"), (long long)(m / 1440), (long long)(m % 1440 / 60));
}

bool ui_chart_period(enum ui_period_kind kind, const char *day, int delta_days, char *buf, size_t n)
{
	int y, mo, d;
	char tail;
	if (!day || sscanf(day, "%4d-%2d-%2d%c", &y, &mo, &d, &tail) != 3 || mo < 1 || mo > 12 || d < 1 || d > 31)
		return false;
	struct tm tm = { 0 };
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d + delta_days;
	tm.tm_hour = 12;
	time_t t = timegm(&tm); /* normalises the date and fills the weekday */
	struct tm out;
	gmtime_r(&t, &out);
	switch (kind) {
	case UI_PERIOD_WEEK:
		strftime(buf, n, "%G-W%V", &out);
		break;
	case UI_PERIOD_MONTH:
		snprintf(buf, n, "%04d-%02d", out.tm_year + 1900, out.tm_mon + 1);
		break;
	case UI_PERIOD_QUARTER:
		snprintf(buf, n, "%04dQ%d", out.tm_year + 1900, out.tm_mon / 3 + 1);
		break;
	}
	return true;
}

#include "fmt.h"

#include "i18n.h"
#include "recur.h"

#include <stdio.h>
#include <time.h>

static void span(int64_t secs, char *buf, size_t n)
{
	if (secs < 60)
		snprintf(buf, n, _("%llds"), (long long)secs);
	else if (secs < 3600)
		snprintf(buf, n, _("%lldm"), (long long)(secs / 60));
	else if (secs < 86400)
		snprintf(buf, n, _("%lldh %lldm"), (long long)(secs / 3600), (long long)(secs % 3600 / 60));
	else
		snprintf(buf, n, _("%lldd %lldh"), (long long)(secs / 86400), (long long)(secs % 86400 / 3600));
}

void fmt_relative(wb_time now, wb_time t, char *buf, size_t n)
{
	if (!t) {
		snprintf(buf, n, "-");
		return;
	}
	char s[32];
	int64_t d = t - now;
	if (d >= -30 && d <= 30) {
		snprintf(buf, n, "%s", _("now"));
	} else if (d > 0) {
		span(d, s, sizeof s);
		snprintf(buf, n, _("in %s"), s);
	} else {
		span(-d, s, sizeof s);
		snprintf(buf, n, _("%s ago"), s);
	}
}

void fmt_short(wb_time now, wb_time t, char *buf, size_t n)
{
	if (!t) {
		snprintf(buf, n, "-");
		return;
	}
	time_t a = (time_t)t, b = (time_t)now;
	struct tm tm, tn;
	localtime_r(&a, &tm);
	localtime_r(&b, &tn);
	if (tm.tm_year == tn.tm_year)
		strftime(buf, n, "%m-%d %H:%M", &tm);
	else
		strftime(buf, n, "%Y-%m-%d", &tm);
}

void fmt_datetime(wb_time t, char *buf, size_t n)
{
	if (!t) {
		snprintf(buf, n, "-");
		return;
	}
	time_t a = (time_t)t;
	struct tm tm;
	localtime_r(&a, &tm);
	strftime(buf, n, "%Y-%m-%d %H:%M", &tm);
}

void fmt_minutes(int minutes, char *buf, size_t n)
{
	if (minutes < 60)
		snprintf(buf, n, _("%dm"), minutes);
	else
		snprintf(buf, n, _("%dh %dm"), minutes / 60, minutes % 60);
}

/* "Wed 25 Nov 2026" from broken-down fields, names in the message language. */
static void long_date(const struct tm *tm, char *buf, size_t n)
{
	/* TRANSLATORS: weekday abbreviations in fmt_long_date ("Wed 25 Nov 2026"). */
	static const char *const wdays[] = { N_("Sun"), N_("Mon"), N_("Tue"), N_("Wed"),
					     N_("Thu"), N_("Fri"), N_("Sat") };
	/* TRANSLATORS: month abbreviations in fmt_long_date; Chinese writes the number with 月 ("11月"). */
	static const char *const months[] = { N_("Jan"), N_("Feb"), N_("Mar"), N_("Apr"), N_("May"), N_("Jun"),
					      N_("Jul"), N_("Aug"), N_("Sep"), N_("Oct"), N_("Nov"), N_("Dec") };
	/* TRANSLATORS: a long date: weekday, day of month, month, year ("Wed 25 Nov 2026").
	   Reorder with positions: "%4$d年%3$s%2$d日 %1$s" gives "2026年11月25日 周三". */
	snprintf(buf, n, _("%s %d %s %d"), _(wdays[tm->tm_wday]), tm->tm_mday, _(months[tm->tm_mon]),
		 tm->tm_year + 1900);
}

void fmt_long_date(wb_time t, char *buf, size_t n)
{
	if (!t) {
		snprintf(buf, n, "-");
		return;
	}
	time_t a = (time_t)t;
	struct tm tm;
	localtime_r(&a, &tm);
	long_date(&tm, buf, n);
}

/* The wall clock of t in tz as broken-down fields (tm_wday too). */
static void wall_clock(wb_time t, const char *tz, struct tm *tm)
{
	time_t a = (time_t)(t + recur_utc_offset(tz, t));
	gmtime_r(&a, tm);
}

void fmt_long_datetime_in(wb_time t, const char *tz, char *buf, size_t n)
{
	if (!t) {
		snprintf(buf, n, "-");
		return;
	}
	struct tm tm;
	wall_clock(t, tz, &tm);
	char date[96];
	long_date(&tm, date, sizeof date);
	snprintf(buf, n, "%s %02d:%02d", date, tm.tm_hour, tm.tm_min);
}

void fmt_long_date_in(wb_time t, const char *tz, char *buf, size_t n)
{
	if (!t) {
		snprintf(buf, n, "-");
		return;
	}
	struct tm tm;
	wall_clock(t, tz, &tm);
	long_date(&tm, buf, n);
}

void fmt_zone(const char *tz, wb_time t, char *buf, size_t n)
{
	if (recur_tz_is_utc(tz) || recur_tz_check(tz, NULL) != WB_OK) {
		snprintf(buf, n, "UTC");
		return;
	}
	int off = recur_utc_offset(tz, t);
	int a = off < 0 ? -off : off;
	if (a % 3600 / 60)
		snprintf(buf, n, "%s (UTC%c%02d:%02d)", tz, off < 0 ? '-' : '+', a / 3600, a % 3600 / 60);
	else
		snprintf(buf, n, "%s (UTC%c%d)", tz, off < 0 ? '-' : '+', a / 3600);
}

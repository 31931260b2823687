#include "calmonth.h"

#include "i18n.h"

#include <string.h>

bool calmonth_is_leap(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int calmonth_days_in_month(int year, int month)
{
	static const int n[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (month < 1 || month > 12)
		return 0;
	return month == 2 && calmonth_is_leap(year) ? 29 : n[month - 1];
}

/* Days since 1970-01-01 (Howard Hinnant's days_from_civil). */
static long days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int wday_of(long days)
{
	long w = (days + 4) % 7; /* 1970-01-01 was a Thursday */
	return (int)(w < 0 ? w + 7 : w);
}

int calmonth_weekday(int year, int month, int day)
{
	return wday_of(days_from_civil(year, month, day));
}

int calmonth_iso_week(int year, int month, int day, int *iso_year)
{
	long z = days_from_civil(year, month, day);
	int iso_wd = (wday_of(z) + 6) % 7; /* Monday = 0 */
	long thursday = z - iso_wd + 3;     /* the week belongs to the year of its Thursday */
	int ty, tm, td;
	civil_from_days(thursday, &ty, &tm, &td);
	long jan1 = days_from_civil(ty, 1, 1);
	if (iso_year)
		*iso_year = ty;
	return (int)((thursday - jan1) / 7 + 1);
}

void calmonth_add_months(int *year, int *month, int delta)
{
	long idx = (long)*year * 12 + (*month - 1) + delta;
	long y = idx >= 0 ? idx / 12 : (idx - 11) / 12;
	*year = (int)y;
	*month = (int)(idx - y * 12) + 1;
}

int calmonth_layout(int year, int month, int week_start, struct calmonth *m, struct wb_err *err)
{
	if (month < 1 || month > 12)
		return wb_err_set(err, WB_EINVAL, _("month %d is not between 1 and 12"), month);
	if (year < 1 || year > 9999)
		return wb_err_set(err, WB_EINVAL, _("year %d is not between 1 and 9999"), year);
	if (week_start != 0 && week_start != 1)
		return wb_err_set(err, WB_EINVAL, _("week start %d is not 0 (Sunday) or 1 (Monday)"), week_start);
	memset(m, 0, sizeof *m);
	m->year = year;
	m->month = month;
	m->week_start = week_start;
	m->days_in_month = calmonth_days_in_month(year, month);
	long first = days_from_civil(year, month, 1);
	m->first_wday = wday_of(first);
	m->first_col = (m->first_wday - week_start + 7) % 7;
	m->rows_used = (m->first_col + m->days_in_month + 6) / 7;
	for (int c = 0; c < 7; c++)
		m->col_wday[c] = (week_start + c) % 7;
	long z = first - m->first_col;
	for (int r = 0; r < 6; r++) {
		for (int c = 0; c < 7; c++, z++) {
			struct calmonth_day *d = &m->cell[r][c];
			civil_from_days(z, &d->year, &d->month, &d->day);
			d->in_month = d->year == year && d->month == month;
		}
		/* the row's Monday: column (1 - week_start) */
		const struct calmonth_day *mon = &m->cell[r][(1 - week_start + 7) % 7];
		m->iso_week[r] = calmonth_iso_week(mon->year, mon->month, mon->day, NULL);
	}
	return WB_OK;
}

/* calmonth.h — month-grid layout for the calendar screen: pure date arithmetic, so the UI only draws.
 *
 * Dates are proleptic Gregorian; weekdays are 0 = Sunday .. 6 = Saturday (struct tm's tm_wday). */
#ifndef WB_CALMONTH_H
#define WB_CALMONTH_H

#include "err.h"

#include <stdbool.h>

struct calmonth_day {
	int year, month, day; /* the real date, also for days of the previous/next month */
	bool in_month;        /* false for the leading/trailing days from the neighbouring months */
};

/* A month laid out as 6 rows of 7 days, starting with the week that holds the 1st. */
struct calmonth {
	int year, month;
	int week_start;    /* 0 = Sunday, 1 = Monday */
	int days_in_month; /* 28..31 */
	int first_wday;    /* weekday of the 1st, 0 = Sunday */
	int first_col;     /* column of the 1st in row 0 (0..6) */
	int rows_used;     /* rows holding at least one day of the month (4..6) */
	int col_wday[7];   /* weekday shown in each column (for the heading) */
	struct calmonth_day cell[6][7];
	int iso_week[6];   /* ISO 8601 week number of each row (the week holding the row's Monday) */
};

bool calmonth_is_leap(int year);
int calmonth_days_in_month(int year, int month);
/* 0 = Sunday .. 6 = Saturday. */
int calmonth_weekday(int year, int month, int day);
/* ISO 8601 week number (1..53); *iso_year (may be NULL) gets the week's year, which differs from year
 * around New Year (2027-01-01 is in week 53 of 2026). */
int calmonth_iso_week(int year, int month, int day, int *iso_year);
/* Fills *m. WB_EINVAL for a month outside 1..12, a year outside 1..9999 or a week start other than 0/1. */
int calmonth_layout(int year, int month, int week_start, struct calmonth *m, struct wb_err *err);
/* Moves year/month by delta months (negative goes back). */
void calmonth_add_months(int *year, int *month, int delta);

#endif

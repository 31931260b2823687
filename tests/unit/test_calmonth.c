#include "testutil.h"

#include "calmonth.h"

#include <time.h>

static void expect_cell(const struct calmonth *m, int r, int c, int y, int mo, int d, int in_month)
{
	const struct calmonth_day *x = &m->cell[r][c];
	if (x->year != y || x->month != mo || x->day != d || x->in_month != in_month)
		fail_msg("cell[%d][%d] is %04d-%02d-%02d (%s), want %04d-%02d-%02d (%s)", r, c, x->year, x->month,
		         x->day, x->in_month ? "in" : "out", y, mo, d, in_month ? "in" : "out");
}

/* February 2026: the 1st is a Sunday (2026-01-01 was a Thursday, +31 days), 28 days. */
static void test_feb_2026(void **state)
{
	(void)state;
	struct calmonth m;
	assert_int_equal(calmonth_layout(2026, 2, 0, &m, NULL), 0); /* weeks start on Sunday */
	assert_int_equal(m.days_in_month, 28);
	assert_int_equal(m.first_wday, 0);
	assert_int_equal(m.first_col, 0);
	assert_int_equal(m.rows_used, 4); /* exactly four full rows */
	assert_int_equal(m.col_wday[0], 0);
	assert_int_equal(m.col_wday[6], 6);
	expect_cell(&m, 0, 0, 2026, 2, 1, 1);
	expect_cell(&m, 3, 6, 2026, 2, 28, 1);
	expect_cell(&m, 4, 0, 2026, 3, 1, 0);
	expect_cell(&m, 5, 6, 2026, 3, 14, 0);
	assert_int_equal(m.iso_week[0], 6); /* the row's Monday is 02-02, ISO week 6 */
	assert_int_equal(m.iso_week[3], 9);

	assert_int_equal(calmonth_layout(2026, 2, 1, &m, NULL), 0); /* weeks start on Monday */
	assert_int_equal(m.first_col, 6);  /* Sunday is the last column */
	assert_int_equal(m.rows_used, 5);
	assert_int_equal(m.col_wday[0], 1);
	assert_int_equal(m.col_wday[6], 0);
	expect_cell(&m, 0, 0, 2026, 1, 26, 0);
	expect_cell(&m, 0, 6, 2026, 2, 1, 1);
	expect_cell(&m, 4, 5, 2026, 2, 28, 1);
	expect_cell(&m, 4, 6, 2026, 3, 1, 0);
	assert_int_equal(m.iso_week[0], 5); /* 2026-01-26 .. 02-01 */
	assert_int_equal(m.iso_week[4], 9);
}

/* February 2028 is a leap month: 2028-01-01 is a Saturday, so 02-01 is a Tuesday and 02-29 a Tuesday too. */
static void test_feb_2028_leap(void **state)
{
	(void)state;
	struct calmonth m;
	assert_int_equal(calmonth_layout(2028, 2, 1, &m, NULL), 0);
	assert_int_equal(m.days_in_month, 29);
	assert_int_equal(m.first_wday, 2);
	assert_int_equal(m.first_col, 1);
	assert_int_equal(m.rows_used, 5);
	expect_cell(&m, 0, 0, 2028, 1, 31, 0);
	expect_cell(&m, 0, 1, 2028, 2, 1, 1);
	expect_cell(&m, 4, 1, 2028, 2, 29, 1);
	expect_cell(&m, 4, 2, 2028, 3, 1, 0);
	assert_int_equal(m.iso_week[0], 5); /* ISO week 1 of 2028 starts Monday 01-03; 01-31 is 4 weeks later */

	assert_int_equal(calmonth_layout(2028, 2, 0, &m, NULL), 0);
	assert_int_equal(m.first_col, 2);
	expect_cell(&m, 0, 0, 2028, 1, 30, 0);
	expect_cell(&m, 4, 2, 2028, 2, 29, 1);
	expect_cell(&m, 4, 3, 2028, 3, 1, 0);

	assert_true(calmonth_is_leap(2000));
	assert_false(calmonth_is_leap(2100));
	assert_int_equal(calmonth_days_in_month(2100, 2), 28);
	assert_int_equal(calmonth_days_in_month(2026, 4), 30);
}

/* Weekday and ISO week agree with the C library (gmtime, strftime %G/%V) for every day 1999..2031. */
static void test_against_libc(void **state)
{
	(void)state;
	for (time_t t = 915148800; t < 1956528000; t += 86400) { /* 1999-01-01 .. 2032-01-01 */
		struct tm tm;
		gmtime_r(&t, &tm);
		int y = tm.tm_year + 1900, mo = tm.tm_mon + 1, d = tm.tm_mday;
		assert_int_equal(calmonth_weekday(y, mo, d), tm.tm_wday);
		char buf[16];
		strftime(buf, sizeof buf, "%G %V", &tm);
		int iy = 0, wk = calmonth_iso_week(y, mo, d, &iy);
		char mine[16];
		snprintf(mine, sizeof mine, "%04d %02d", iy, wk);
		if (strcmp(buf, mine) != 0)
			fail_msg("%04d-%02d-%02d: ISO week %s, libc says %s", y, mo, d, mine, buf);
	}
	int iy;
	assert_int_equal(calmonth_iso_week(2027, 1, 1, &iy), 53); /* a Friday: still 2026's week 53 */
	assert_int_equal(iy, 2026);
	assert_int_equal(calmonth_iso_week(2024, 12, 30, &iy), 1);
	assert_int_equal(iy, 2025);
}

static void test_navigation_and_errors(void **state)
{
	(void)state;
	int y = 2026, m = 11;
	calmonth_add_months(&y, &m, 3);
	assert_int_equal(y, 2027);
	assert_int_equal(m, 2);
	calmonth_add_months(&y, &m, -14);
	assert_int_equal(y, 2025);
	assert_int_equal(m, 12);
	struct calmonth cm;
	struct wb_err err = { 0 };
	assert_int_equal(calmonth_layout(2026, 13, 1, &cm, &err), WB_EINVAL);
	assert_non_null(strstr(err.msg, "13"));
	assert_int_equal(calmonth_layout(2026, 2, 3, &cm, &err), WB_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_feb_2026),
		cmocka_unit_test(test_feb_2028_leap),
		cmocka_unit_test(test_against_libc),
		cmocka_unit_test(test_navigation_and_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

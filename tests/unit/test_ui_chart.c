#include "testutil.h"

#include "strbuf.h"
#include "ui_chart.h"
#include "utf8.h"

#include <locale.h>

static void test_bar(void **state)
{
	(void)state;
	struct strbuf b = STRBUF_INIT;
	/* 5 of 10 in 4 cells: two full blocks */
	assert_int_equal(ui_chart_bar(&b, 5, 10, 4, true), 2);
	assert_string_equal(strbuf_str(&b), "██");
	strbuf_reset(&b);
	/* 3 of 8 in 1 cell: three eighths */
	assert_int_equal(ui_chart_bar(&b, 3, 8, 1, true), 1);
	assert_string_equal(strbuf_str(&b), "▍");
	strbuf_reset(&b);
	/* the largest value fills every cell, and no more */
	assert_int_equal(ui_chart_bar(&b, 12, 12, 9, true), 9);
	assert_int_equal(utf8_width(strbuf_str(&b)), 9);
	strbuf_reset(&b);
	assert_int_equal(ui_chart_bar(&b, 20, 12, 9, false), 9);
	assert_string_equal(strbuf_str(&b), "#########");
	strbuf_reset(&b);
	/* a tiny value still shows; zero shows nothing */
	assert_int_equal(ui_chart_bar(&b, 1, 1000, 10, false), 1);
	assert_string_equal(strbuf_str(&b), "#");
	strbuf_reset(&b);
	assert_int_equal(ui_chart_bar(&b, 0, 10, 10, true), 0);
	assert_int_equal(ui_chart_bar(&b, 3, 0, 10, true), 0);
	assert_string_equal(strbuf_str(&b), "");
	strbuf_free(&b);
}

static void test_spark(void **state)
{
	(void)state;
	struct strbuf b = STRBUF_INIT;
	int64_t v[] = { 0, 1, 8, 4 };
	assert_int_equal(ui_chart_spark(&b, v, 4, 10, true), 4);
	/* 0 the lowest, 1 of 8 the second level, 8 the top, 4 in between (1 + 3*7/8 = 3) */
	assert_string_equal(strbuf_str(&b), "▁▂█▄");
	strbuf_reset(&b);
	assert_int_equal(ui_chart_spark(&b, v, 4, 10, false), 4);
	assert_string_equal(strbuf_str(&b), "_.#:");
	strbuf_reset(&b);
	/* 31 days in 15 cells: groups of ceil(31 / 15) = 3 days summed -> 11 cells */
	int64_t days[31];
	for (int i = 0; i < 31; i++)
		days[i] = i == 30 ? 9 : 1;
	int cells = ui_chart_spark(&b, days, 31, 15, true);
	assert_int_equal(cells, 11);
	assert_int_equal(utf8_width(strbuf_str(&b)), 11);
	/* the last group holds 9 (the largest), the first 3 */
	assert_true(strstr(strbuf_str(&b), "█") != NULL);
	strbuf_free(&b);
}

static void test_period(void **state)
{
	(void)state;
	char buf[32];
	assert_true(ui_chart_period(UI_PERIOD_MONTH, "2026-11-01", -1, buf, sizeof buf));
	assert_string_equal(buf, "2026-10");
	assert_true(ui_chart_period(UI_PERIOD_MONTH, "2026-12-31", 1, buf, sizeof buf));
	assert_string_equal(buf, "2027-01");
	assert_true(ui_chart_period(UI_PERIOD_QUARTER, "2026-11-25", 0, buf, sizeof buf));
	assert_string_equal(buf, "2026Q4");
	assert_true(ui_chart_period(UI_PERIOD_QUARTER, "2026-01-01", -1, buf, sizeof buf));
	assert_string_equal(buf, "2025Q4");
	/* ISO weeks: 2026-11-25 is a Wednesday of week 48; 2027-01-01 (a Friday) is in 2026-W53 */
	assert_true(ui_chart_period(UI_PERIOD_WEEK, "2026-11-25", 0, buf, sizeof buf));
	assert_string_equal(buf, "2026-W48");
	assert_true(ui_chart_period(UI_PERIOD_WEEK, "2026-12-31", 1, buf, sizeof buf));
	assert_string_equal(buf, "2026-W53");
	assert_true(ui_chart_period(UI_PERIOD_WEEK, "2026-12-28", -1, buf, sizeof buf));
	assert_string_equal(buf, "2026-W52");
	assert_false(ui_chart_period(UI_PERIOD_MONTH, "2026-13-01", 0, buf, sizeof buf));
	assert_false(ui_chart_period(UI_PERIOD_MONTH, "soon", 0, buf, sizeof buf));
}

static void test_duration(void **state)
{
	(void)state;
	char buf[32];
	ui_chart_duration(45 * 60, buf, sizeof buf);
	assert_string_equal(buf, "45m");
	ui_chart_duration(5 * 3600 + 20 * 60, buf, sizeof buf);
	assert_string_equal(buf, "5h 20m");
	ui_chart_duration(6 * 86400 + 4 * 3600 + 59, buf, sizeof buf);
	assert_string_equal(buf, "6d 4h");
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bar),
		cmocka_unit_test(test_spark),
		cmocka_unit_test(test_period),
		cmocka_unit_test(test_duration),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

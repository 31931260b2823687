#include "testutil.h"

#include "recur.h"

#include <locale.h>

static wb_time T(const char *iso)
{
	wb_time t = 0;
	assert_int_equal(clock_parse_iso(iso, &t), 0);
	return t;
}

/* Expands spec over [from, to) and checks each start (UTC, ISO) against want[]. */
static void expect(const struct recur_spec *s, const char *from, const char *to, const char *const *want,
                   size_t n_want)
{
	struct recur_occurrence *o = NULL;
	size_t n = 99;
	struct wb_err err = { 0 };
	int rc = recur_expand(s, T(from), T(to), 1000, &o, &n, &err);
	if (rc != 0)
		fail_msg("recur_expand: %s", err.msg);
	for (size_t i = 0; i < n && i < n_want; i++) {
		char got[32];
		clock_format_iso(o[i].start, got, sizeof got);
		if (strcmp(got, want[i]) != 0)
			fail_msg("occurrence %zu: got %s, want %s", i, got, want[i]);
		assert_int_equal(o[i].end - o[i].start, (wb_time)s->duration_min * 60);
	}
	assert_int_equal(n, n_want);
	free(o);
}

/* NOTES.md: FREQ=MONTHLY;BYDAY=2TU gives 2026-11-10, 2026-12-08, 2027-01-12. 22:00 in Shanghai (+08:00, no DST)
 * is 14:00 UTC the same day. The start 2026-11-01 is no second Tuesday, so it is not an occurrence itself. */
static void test_second_tuesday_shanghai(void **state)
{
	(void)state;
	struct recur_spec s = { .rrule = "FREQ=MONTHLY;BYDAY=2TU", .dtstart = "2026-11-01T22:00",
		                .tz = "Asia/Shanghai", .duration_min = 120 };
	const char *want[] = { "2026-11-10T14:00:00Z", "2026-12-08T14:00:00Z", "2027-01-12T14:00:00Z" };
	expect(&s, "2026-10-01T00:00Z", "2027-02-01T00:00Z", want, 3);
	s.rrule = "freq=monthly;byday=2tu"; /* rule text is case-insensitive */
	expect(&s, "2026-10-01T00:00Z", "2027-02-01T00:00Z", want, 3);
	s.rrule = "FREQ=MONTHLY;BYDAY=2TU";

	struct recur_occurrence *o;
	size_t n;
	assert_int_equal(recur_expand(&s, T("2026-10-01T00:00Z"), T("2027-02-01T00:00Z"), 10, &o, &n, NULL), 0);
	assert_int_equal(n, 3);
	assert_string_equal(o[0].date, "2026-11-10"); /* local date */
	assert_string_equal(o[1].local, "2026-12-08T22:00");
	free(o);
}

/* Workdays: 2026-11-26 is a Thursday, 2026-11-30 a Monday; 2026-12-31 a Thursday, 2027-01-01 a Friday. */
static void test_workdays_month_and_year_end(void **state)
{
	(void)state;
	struct recur_spec s = { .rrule = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", .dtstart = "2026-11-02T02:00",
		                .duration_min = 30 };
	const char *month_end[] = { "2026-11-26T02:00:00Z", "2026-11-27T02:00:00Z", "2026-11-30T02:00:00Z",
		                    "2026-12-01T02:00:00Z", "2026-12-02T02:00:00Z" };
	expect(&s, "2026-11-26T00:00Z", "2026-12-03T00:00Z", month_end, 5);
	const char *year_end[] = { "2026-12-30T02:00:00Z", "2026-12-31T02:00:00Z", "2027-01-01T02:00:00Z",
		                   "2027-01-04T02:00:00Z", "2027-01-05T02:00:00Z" };
	expect(&s, "2026-12-30T00:00Z", "2027-01-06T00:00Z", year_end, 5);
	/* the range is half-open: an occurrence exactly at `to` is left out, one exactly at `from` kept */
	const char *edge[] = { "2026-12-31T02:00:00Z" };
	expect(&s, "2026-12-31T02:00Z", "2027-01-01T02:00Z", edge, 1);
}

/* 29 February only exists in leap years: 2024, 2028, 2032 (2100 would not be one). */
static void test_leap_day_yearly(void **state)
{
	(void)state;
	struct recur_spec s = { .rrule = "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", .dtstart = "2024-02-29T09:00",
		                .tz = "", .duration_min = 60 };
	const char *want[] = { "2024-02-29T09:00:00Z", "2028-02-29T09:00:00Z", "2032-02-29T09:00:00Z" };
	expect(&s, "2024-01-01T00:00Z", "2033-01-01T00:00Z", want, 3);
}

/* Daily 02:00 in Shanghai = 18:00 UTC the day before. Exception dates: the whole of 12-03, the 02:00
 * occurrence on 12-05, and 12-06T03:00 which matches no occurrence (so 12-06 stays). */
static void test_exception_dates(void **state)
{
	(void)state;
	const char *ex[] = { "2026-12-03", "2026-12-05T02:00", "2026-12-06T03:00" };
	struct recur_spec s = { .rrule = "FREQ=DAILY", .dtstart = "2026-12-01T02:00", .tz = "Asia/Shanghai",
		                .duration_min = 60, .exdates = ex, .n_exdates = 3 };
	const char *want[] = { "2026-11-30T18:00:00Z", "2026-12-01T18:00:00Z", "2026-12-03T18:00:00Z",
		               "2026-12-05T18:00:00Z", "2026-12-06T18:00:00Z" };
	expect(&s, "2026-11-30T00:00Z", "2026-12-07T18:00Z", want, 5);
}

/* Europe/Berlin switches to summer time on 2026-03-29 (02:00 CET -> 03:00 CEST) and back on 2026-10-25
 * (03:00 CEST -> 02:00 CET). A daily 02:30 plan stays at 02:30 wall-clock time; on the spring day 02:30 does
 * not exist and is read with the offset before the gap (RFC 5545 3.3.5): 02:30 CET = 01:30 UTC, shown as
 * 03:30 CEST. On the autumn day 02:30 happens twice and the first (CEST, 00:30 UTC) is used. */
static void test_dst_berlin(void **state)
{
	(void)state;
	struct recur_spec s = { .rrule = "FREQ=DAILY", .dtstart = "2026-03-27T02:30", .tz = "Europe/Berlin",
		                .duration_min = 90 };
	const char *spring[] = { "2026-03-27T01:30:00Z", "2026-03-28T01:30:00Z", "2026-03-29T01:30:00Z",
		                 "2026-03-30T00:30:00Z" };
	expect(&s, "2026-03-27T00:00Z", "2026-03-31T00:00Z", spring, 4);
	char local[17];
	assert_int_equal(recur_utc_to_local(T("2026-03-29T01:30Z"), "Europe/Berlin", local, sizeof local, NULL), 0);
	assert_string_equal(local, "2026-03-29T03:30");
	assert_int_equal(recur_utc_to_local(T("2026-03-30T00:30Z"), "Europe/Berlin", local, sizeof local, NULL), 0);
	assert_string_equal(local, "2026-03-30T02:30");

	const char *autumn[] = { "2026-10-24T00:30:00Z", "2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z" };
	expect(&s, "2026-10-24T00:00Z", "2026-10-27T00:00Z", autumn, 3);

	wb_time t;
	assert_int_equal(recur_local_to_utc("2026-10-25T02:30", "Europe/Berlin", &t, NULL), 0);
	assert_int_equal(t, T("2026-10-25T00:30Z"));
	assert_int_equal(recur_local_to_utc("2026-03-29T02:30", "Europe/Berlin", &t, NULL), 0);
	assert_int_equal(t, T("2026-03-29T01:30Z"));
	assert_int_equal(recur_utc_offset("Europe/Berlin", T("2026-07-01T00:00Z")), 7200);
	assert_int_equal(recur_utc_offset("Asia/Shanghai", T("2026-07-01T00:00Z")), 28800);
}

static void expect_einval(const char *rrule, const char *dtstart, const char *tz, const char *needle)
{
	struct recur_spec s = { .rrule = rrule, .dtstart = dtstart, .tz = tz, .duration_min = 10 };
	struct wb_err err = { 0 };
	assert_int_equal(recur_validate(&s, &err), WB_EINVAL);
	assert_int_equal(err.code, WB_EINVAL);
	if (!strstr(err.msg, needle))
		fail_msg("error \"%s\" does not name \"%s\"", err.msg, needle);
	struct recur_occurrence *o = (void *)1;
	size_t n = 5;
	assert_int_equal(recur_expand(&s, 0, T("2030-01-01"), 10, &o, &n, NULL), WB_EINVAL);
	assert_null(o);
	assert_int_equal(n, 0);
}

static void test_bad_rules(void **state)
{
	(void)state;
	const char *d = "2026-11-01T22:00";
	expect_einval("FREQ=FORTNIGHTLY", d, NULL, "FREQ=FORTNIGHTLY");
	expect_einval("FREQ=WEEKLY;BYDAY=MO,XX", d, NULL, "BYDAY=MO,XX");
	expect_einval("FREQ=DAILY;FOO=1", d, NULL, "FOO");
	expect_einval("FREQ=DAILY;INTERVAL=0", d, NULL, "INTERVAL=0");
	expect_einval("FREQ=MONTHLY;BYMONTHDAY=32", d, NULL, "BYMONTHDAY=32");
	expect_einval("FREQ=MINUTELY", d, NULL, "FREQ=MINUTELY");
	expect_einval("BYDAY=MO", d, NULL, "FREQ");
	expect_einval("FREQ=DAILY;COUNT=3;UNTIL=20270101", d, NULL, "COUNT and UNTIL");
	expect_einval("FREQ=DAILY;UNTIL=2027-01-01", d, NULL, "UNTIL=2027-01-01");
	expect_einval("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", d, NULL, "never");
	expect_einval("FREQ=MONTHLY;BYMONTH=4;BYMONTHDAY=31", d, NULL, "never");
	expect_einval("FREQ=WEEKLY;BYDAY=2TU", d, NULL, "2TU");
	expect_einval("FREQ=WEEKLY;BYMONTHDAY=3", d, NULL, "BYMONTHDAY");
	expect_einval("FREQ=MONTHLY;BYWEEKNO=3", d, NULL, "BYWEEKNO");
	expect_einval("", d, NULL, "empty");
	expect_einval("FREQ=DAILY", "2026-02-30T10:00", NULL, "2026-02-30T10:00");
	expect_einval("FREQ=DAILY", d, "Mars/Olympus", "Mars/Olympus");
	expect_einval("FREQ=DAILY", d, "../../etc/passwd", "../../etc/passwd");

	struct recur_spec ok = { .rrule = "FREQ=MONTHLY;BYDAY=-1FR;WKST=MO", .dtstart = d, .tz = "Asia/Shanghai" };
	assert_int_equal(recur_validate(&ok, NULL), 0);
	const char *ex[] = { "2026-13-01" };
	ok.exdates = ex;
	ok.n_exdates = 1;
	struct wb_err err = { 0 };
	assert_int_equal(recur_validate(&ok, &err), WB_EINVAL);
	assert_non_null(strstr(err.msg, "2026-13-01"));
}

/* A daily rule over a whole year stops at max; COUNT and a local UNTIL date end the series. */
static void test_max_count_until(void **state)
{
	(void)state;
	struct recur_spec s = { .rrule = "FREQ=DAILY", .dtstart = "2026-01-01T08:00", .duration_min = 15 };
	struct recur_occurrence *o;
	size_t n;
	assert_int_equal(recur_expand(&s, T("2026-01-01"), T("2027-01-01"), 10, &o, &n, NULL), 0);
	assert_int_equal(n, 10);
	assert_int_equal(o[9].start, T("2026-01-10T08:00Z"));
	free(o);
	assert_int_equal(recur_expand(&s, T("2026-01-01"), T("2027-01-01"), 1000, &o, &n, NULL), 0);
	assert_int_equal(n, 365);
	free(o);
	/* nothing in range: no allocation */
	assert_int_equal(recur_expand(&s, T("2025-01-01"), T("2025-12-31"), 10, &o, &n, NULL), 0);
	assert_int_equal(n, 0);
	assert_null(o);

	/* COUNT=3 with the 2nd excluded: COUNT counts the rule's dates, exceptions remove from them */
	const char *ex[] = { "2026-01-02" };
	struct recur_spec c = { .rrule = "FREQ=DAILY;COUNT=3", .dtstart = "2026-01-01T08:00", .exdates = ex,
		                .n_exdates = 1 };
	const char *want_c[] = { "2026-01-01T08:00:00Z", "2026-01-03T08:00:00Z" };
	expect(&c, "2026-01-01", "2027-01-01", want_c, 2);

	/* UNTIL as a date is the last local day, inclusive: 23:30 in Shanghai on 12-01..12-03 */
	struct recur_spec u = { .rrule = "FREQ=DAILY;UNTIL=20261203", .dtstart = "2026-12-01T23:30",
		                .tz = "Asia/Shanghai" };
	const char *want_u[] = { "2026-12-01T15:30:00Z", "2026-12-02T15:30:00Z", "2026-12-03T15:30:00Z" };
	expect(&u, "2026-11-01", "2027-01-01", want_u, 3);
	/* UNTIL in UTC: 2026-12-02T15:30Z is the 2nd occurrence exactly, so it is the last */
	u.rrule = "FREQ=DAILY;UNTIL=20261202T153000Z";
	expect(&u, "2026-11-01", "2027-01-01", want_u, 2);
}

static void expect_desc(const char *rrule, const char *dtstart, const char *want)
{
	struct recur_spec s = { .rrule = rrule, .dtstart = dtstart, .tz = "Asia/Shanghai" };
	char *d = recur_describe(&s);
	if (strcmp(d, want) != 0)
		fail_msg("describe %s: got \"%s\", want \"%s\"", rrule, d, want);
	free(d);
}

static void test_describe(void **state)
{
	(void)state;
	expect_desc("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "2026-11-02T02:00", "every weekday at 02:00");
	expect_desc("FREQ=MONTHLY;BYDAY=2TU", "2026-11-10T22:00", "monthly on the 2nd Tuesday at 22:00");
	expect_desc("FREQ=MONTHLY;BYDAY=-1FR", "2026-11-27T18:00", "monthly on the last Friday at 18:00");
	expect_desc("FREQ=MONTHLY;BYMONTHDAY=-1", "2026-11-30T18:00", "monthly on the last day at 18:00");
	expect_desc("FREQ=MONTHLY", "2026-11-15T09:30", "monthly on day 15 at 09:30");
	expect_desc("FREQ=DAILY", "2026-11-15T09:30", "daily at 09:30");
	expect_desc("FREQ=DAILY;INTERVAL=3", "2026-11-15T09:30", "every 3 days at 09:30");
	expect_desc("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH", "2026-11-02T08:00",
	            "every 2 weeks on Monday and Thursday at 08:00");
	expect_desc("FREQ=WEEKLY", "2026-11-05T08:00", "weekly on Thursday at 08:00"); /* 11-05 is a Thursday */
	expect_desc("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", "2024-02-29T09:00", "yearly on February 29 at 09:00");
	expect_desc("FREQ=HOURLY;INTERVAL=4", "2026-11-15T08:00", "every 4 hours from 08:00");
	expect_desc("FREQ=HOURLY", "2026-11-15T08:00", "every hour from 08:00");
	expect_desc("FREQ=MONTHLY;INTERVAL=3;BYDAY=1MO", "2026-11-02T08:00", "every 3 months on the 1st Monday at 08:00");
	expect_desc("FREQ=DAILY;COUNT=5", "2026-11-15T09:30", "daily at 09:30, 5 times");
	expect_desc("FREQ=DAILY;UNTIL=20261231", "2026-11-15T09:30", "daily at 09:30, until 2026-12-31");
	expect_desc("FREQ=DAILY;BYHOUR=9,17", "2026-11-15T09:00", "custom rule FREQ=DAILY;BYHOUR=9,17");
	expect_desc("FREQ=BOGUS", "2026-11-15T09:00", "invalid rule FREQ=BOGUS");
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_second_tuesday_shanghai),
		cmocka_unit_test(test_workdays_month_and_year_end),
		cmocka_unit_test(test_leap_day_yearly),
		cmocka_unit_test(test_exception_dates),
		cmocka_unit_test(test_dst_berlin),
		cmocka_unit_test(test_bad_rules),
		cmocka_unit_test(test_max_count_until),
		cmocka_unit_test(test_describe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

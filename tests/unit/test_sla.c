#include "testutil.h"

#include "sla.h"

#include <locale.h>
#include <time.h>

#define H 3600
#define M 60

/* A UTC instant from "YYYY-MM-DD HH:MM[:SS]". */
static wb_time utc(const char *s)
{
	wb_time t = 0;
	assert_int_equal(clock_parse_iso(s, &t), WB_OK);
	return t;
}

/* A wall-clock time in a zone whose offset (hours east of UTC) the test states. */
static wb_time at(const char *s, int offset_hours)
{
	return utc(s) - (wb_time)offset_hours * H;
}

static void assert_time(wb_time got, wb_time want)
{
	if (got != want) {
		char g[32], w[32];
		clock_format_iso(got, g, sizeof g);
		clock_format_iso(want, w, sizeof w);
		fail_msg("got %s, want %s (diff %lld s)", g, w, (long long)(got - want));
	}
}

static void test_weekend_skipped(void **state)
{
	(void)state;
	struct sla_calendar cal;
	sla_calendar_init(&cal, NULL); /* UTC, Mon-Fri 09:00-18:00 */
	/* Fri 2026-11-27 17:00: one hour left on Friday, Sat+Sun skipped, one more on Monday. */
	wb_time fri = utc("2026-11-27 17:00");
	assert_time(sla_add(&cal, fri, 2 * H), utc("2026-11-30 10:00"));
	assert_int_equal(sla_elapsed(&cal, fri, utc("2026-11-30 10:00")), 2 * H);
	/* A whole week, midnight Monday to midnight Monday: 5 days x 9 h. */
	assert_int_equal(sla_elapsed(&cal, utc("2026-11-23 00:00"), utc("2026-11-30 00:00")), 45 * H);
	/* The weekend alone counts nothing. */
	assert_int_equal(sla_elapsed(&cal, utc("2026-11-28 00:00"), utc("2026-11-30 00:00")), 0);
	/* Backwards or empty intervals are 0. */
	assert_int_equal(sla_elapsed(&cal, utc("2026-11-30 12:00"), utc("2026-11-30 10:00")), 0);
	assert_int_equal(sla_elapsed(&cal, fri, fri), 0);
	/* Four weeks: 20 working days x 9 h = 180 h. */
	assert_int_equal(sla_elapsed(&cal, utc("2026-11-02 09:00"), utc("2026-11-30 09:00")), 180 * H);
	sla_calendar_clear(&cal);
}

static void test_start_outside_hours(void **state)
{
	(void)state;
	struct sla_calendar cal;
	sla_calendar_init(&cal, "");
	/* Tue 2026-11-24 07:30: counting starts at 09:00. */
	assert_time(sla_add(&cal, utc("2026-11-24 07:30"), 30 * M), utc("2026-11-24 09:30"));
	/* Tue 20:00 (after hours): 1 h lands on Wed 10:00. */
	assert_time(sla_add(&cal, utc("2026-11-24 20:00"), H), utc("2026-11-25 10:00"));
	/* Zero seconds: moved to the next working moment, or kept when already working. */
	assert_time(sla_add(&cal, utc("2026-11-28 11:00"), 0), utc("2026-11-30 09:00")); /* Sat */
	assert_time(sla_add(&cal, utc("2026-11-24 12:00"), 0), utc("2026-11-24 12:00"));
	assert_time(sla_add(&cal, utc("2026-11-24 18:00"), 0), utc("2026-11-25 09:00")); /* end excluded */
	/* A target ending exactly at closing time is due at closing time, not next morning. */
	assert_time(sla_add(&cal, utc("2026-11-24 17:00"), H), utc("2026-11-24 18:00"));
	/* A negative amount counts as zero; an absurd one neither overflows nor hangs. */
	assert_time(sla_add(&cal, utc("2026-11-24 07:00"), -5), utc("2026-11-24 09:00"));
	assert_true(sla_add(&cal, utc("2026-11-24 07:00"), INT64_MAX) > utc("2400-01-01 00:00"));
	assert_true(sla_elapsed(&cal, INT64_MIN, INT64_MAX) > 0);
	assert_false(sla_is_working(&cal, utc("2026-11-24 08:59:59")));
	assert_true(sla_is_working(&cal, utc("2026-11-24 09:00")));
	assert_true(sla_is_working(&cal, utc("2026-11-24 17:59:59")));
	assert_false(sla_is_working(&cal, utc("2026-11-24 18:00")));
	assert_false(sla_is_working(&cal, utc("2026-11-28 12:00")));
	sla_calendar_clear(&cal);
}

static void test_holidays_national_day(void **state)
{
	(void)state;
	struct sla_calendar cal;
	struct wb_err err = { 0 };
	sla_calendar_init(&cal, NULL);
	assert_int_equal(sla_calendar_set(&cal, NULL, NULL, "Asia/Shanghai",
	                                  "2026-10-01,2026-10-02 2026-10-03, 2026-10-04,2026-10-05 "
	                                  "2026-10-06,2026-10-07,2026-10-01",
	                                  &err), WB_OK);
	assert_int_equal(cal.n_holidays, 7); /* the repeated 10-01 is kept once */
	assert_true(sla_calendar_is_holiday(&cal, "2026-10-07"));
	assert_false(sla_calendar_is_holiday(&cal, "2026-10-08"));
	/* Wed 2026-09-30 17:00 CST (UTC+8): 1 h on Wednesday, Thu 10-01 .. Wed 10-07 off,
	 * the second hour on Thu 10-08 09:00-10:00 CST = 02:00 UTC. */
	wb_time start = at("2026-09-30 17:00", 8);
	assert_time(sla_add(&cal, start, 2 * H), at("2026-10-08 10:00", 8));
	assert_time(sla_add(&cal, start, 2 * H), utc("2026-10-08 02:00"));
	assert_int_equal(sla_elapsed(&cal, start, at("2026-10-08 10:00", 8)), 2 * H);
	/* The whole holiday week counts nothing. */
	assert_int_equal(sla_elapsed(&cal, at("2026-10-01 00:00", 8), at("2026-10-08 00:00", 8)), 0);
	/* The zone matters: 09:00 CST is 01:00 UTC; 08:30 CST on a working day is not yet working. */
	assert_true(sla_is_working(&cal, utc("2026-10-08 01:00")));
	assert_false(sla_is_working(&cal, at("2026-10-08 08:30", 8)));

	/* 24x7 ignores holidays: 2 h after 17:00 is 19:00 the same day. */
	cal.always = true;
	assert_time(sla_add(&cal, start, 2 * H), at("2026-09-30 19:00", 8));
	assert_int_equal(sla_elapsed(&cal, at("2026-10-01 00:00", 8), at("2026-10-08 00:00", 8)), 7 * 24 * H);

	/* Setting holidays to "" clears them. */
	cal.always = false;
	assert_int_equal(sla_calendar_set(&cal, NULL, NULL, NULL, "", &err), WB_OK);
	assert_int_equal(cal.n_holidays, 0);
	assert_time(sla_add(&cal, start, 2 * H), at("2026-10-01 10:00", 8));
	sla_calendar_clear(&cal);
}

static void test_extra_workdays(void **state)
{
	(void)state;
	struct sla_calendar cal;
	struct wb_err err = { 0 };
	sla_calendar_init(&cal, NULL);
	assert_int_equal(sla_calendar_set(&cal, NULL, NULL, "Asia/Shanghai",
	                                  "2026-10-01 2026-10-02 2026-10-05 2026-10-06 2026-10-07", &err), WB_OK);
	/* Make-up days (调休): Sun 2026-09-27 and Sat 2026-10-10 work. 2026-10-05 (a Monday holiday) is
	 * listed too, to show that a holiday wins. */
	assert_int_equal(sla_calendar_set_extra_workdays(&cal, "2026-10-10,2026-09-27 2026-10-05", &err), WB_OK);
	assert_int_equal(cal.n_extra_workdays, 3);
	assert_string_equal(cal.extra_workdays[0], "2026-09-27");
	/* Fri 09-25 17:00 CST + 2 h: 1 h Friday, Sat 09-26 off, Sun 09-27 works -> 10:00. */
	assert_time(sla_add(&cal, at("2026-09-25 17:00", 8), 2 * H), at("2026-09-27 10:00", 8));
	/* Wed 09-30 17:00 + 2 h: Thu 10-01 .. Wed 10-07 off (Sat/Sun by weekday, the rest holidays,
	 * 10-05 a holiday although also listed as extra), Thu 10-08 -> 10:00. */
	assert_time(sla_add(&cal, at("2026-09-30 17:00", 8), 2 * H), at("2026-10-08 10:00", 8));
	/* Fri 10-09 17:00 + 2 h: Sat 10-10 works -> 10:00. */
	assert_time(sla_add(&cal, at("2026-10-09 17:00", 8), 2 * H), at("2026-10-10 10:00", 8));
	/* The week of Mon 09-21 .. Sun 09-27 has 6 working days: 54 h. */
	assert_int_equal(sla_elapsed(&cal, at("2026-09-21 00:00", 8), at("2026-09-28 00:00", 8)), 54 * H);
	/* A copy keeps them; a bad date is refused by name and changes nothing. */
	struct sla_calendar copy;
	sla_calendar_copy(&copy, &cal);
	assert_int_equal(copy.n_extra_workdays, 3);
	sla_calendar_clear(&copy);
	assert_int_equal(sla_calendar_set_extra_workdays(&cal, "2026-09-27,2026-13-01", &err), WB_EINVAL);
	assert_non_null(strstr(err.msg, "2026-13-01"));
	assert_non_null(strstr(err.msg, "extra working days"));
	assert_int_equal(cal.n_extra_workdays, 3);
	assert_int_equal(sla_calendar_set_extra_workdays(&cal, "", &err), WB_OK);
	assert_int_equal(cal.n_extra_workdays, 0);
	assert_time(sla_add(&cal, at("2026-09-25 17:00", 8), 2 * H), at("2026-09-28 10:00", 8));
	sla_calendar_clear(&cal);
}

static void test_month_and_year_end(void **state)
{
	(void)state;
	struct sla_calendar cal;
	struct wb_err err = { 0 };
	sla_calendar_init(&cal, NULL);
	/* Fri 2026-10-30 17:00 + 9 h: 1 h Friday, Sat 10-31/Sun 11-01 off, 8 h Mon 11-02 -> 17:00. */
	assert_time(sla_add(&cal, utc("2026-10-30 17:00"), 9 * H), utc("2026-11-02 17:00"));
	/* Thu 2026-12-31 16:00 + 4 h: 2 h Thursday, then 2 h on Fri 2027-01-01 -> 11:00. */
	assert_time(sla_add(&cal, utc("2026-12-31 16:00"), 4 * H), utc("2027-01-01 11:00"));
	/* New Year's Day a holiday: the 2 h move to Mon 2027-01-04 -> 11:00. */
	assert_int_equal(sla_calendar_set(&cal, NULL, NULL, NULL, "2027-01-01", &err), WB_OK);
	assert_time(sla_add(&cal, utc("2026-12-31 16:00"), 4 * H), utc("2027-01-04 11:00"));
	assert_int_equal(sla_elapsed(&cal, utc("2026-12-31 16:00"), utc("2027-01-04 11:00")), 4 * H);
	/* Leap day 2028-02-29 is a Tuesday: Mon 02-28 17:00 + 2 h -> Tue 02-29 10:00. */
	assert_time(sla_add(&cal, utc("2028-02-28 17:00"), 2 * H), utc("2028-02-29 10:00"));
	/* Ten business days from Mon 2026-12-21 09:00 (90 h) with New Year's Day off: 21-25, 28-31 = 9 days,
	 * Jan 1 off, the tenth day is Mon 2027-01-04 -> due 18:00 that day. */
	assert_time(sla_add(&cal, utc("2026-12-21 09:00"), 90 * H), utc("2027-01-04 18:00"));
	sla_calendar_clear(&cal);
}

static void test_pause_extends_due(void **state)
{
	(void)state;
	struct sla_calendar cal;
	sla_calendar_init(&cal, NULL);
	wb_time due = utc("2026-11-30 12:00"); /* Mon */
	/* Paused Mon 10:00 with 2 h left, resumed 15:00: 2 h more from 15:00 -> 17:00. */
	assert_time(sla_resume(&cal, due, utc("2026-11-30 10:00"), utc("2026-11-30 15:00")),
	            utc("2026-11-30 17:00"));
	/* Paused Fri 16:00 (2 h Fri + 3 h Mon left), resumed Mon 09:30 -> 14:30. */
	assert_time(sla_resume(&cal, due, utc("2026-11-27 16:00"), utc("2026-11-30 09:30")),
	            utc("2026-11-30 14:30"));
	/* Resumed after the old due: the 2 h left still count, from Tue 10:00 -> 12:00. */
	assert_time(sla_resume(&cal, due, utc("2026-11-30 10:00"), utc("2026-12-01 10:00")),
	            utc("2026-12-01 12:00"));
	/* A pause over the weekend only consumes no business time: due unchanged. */
	assert_time(sla_resume(&cal, due, utc("2026-11-28 10:00"), utc("2026-11-29 10:00")), due);
	/* A pause starting after the due changes nothing; so does an empty pause. */
	assert_time(sla_resume(&cal, due, utc("2026-11-30 13:00"), utc("2026-12-02 10:00")), due);
	assert_time(sla_resume(&cal, due, utc("2026-11-30 10:00"), utc("2026-11-30 10:00")), due);
	/* 24x7: plain wall time, 3 h pause -> due 3 h later. */
	cal.always = true;
	assert_time(sla_resume(&cal, due, utc("2026-11-30 08:00"), utc("2026-11-30 11:00")),
	            utc("2026-11-30 15:00"));
	sla_calendar_clear(&cal);
}

static void test_evaluate(void **state)
{
	(void)state;
	struct sla_calendar cal;
	sla_calendar_init(&cal, NULL);
	wb_time start = utc("2026-11-30 09:00"), due = utc("2026-11-30 17:00"); /* 8 h, 75% = 6 h */
	assert_int_equal(sla_evaluate(&cal, start, 0, 0, start, 0, 0.75), SLA_NONE);
	/* No known start: OK until the due passes. */
	assert_int_equal(sla_evaluate(&cal, 0, due, 0, utc("2026-11-30 16:59"), 0, 0.75), SLA_OK);
	assert_int_equal(sla_evaluate(&cal, 0, due, 0, due + 1, 0, 0.75), SLA_BREACHED);
	assert_int_equal(sla_evaluate(&cal, start, due, 0, utc("2026-11-30 14:59"), 0, 0.75), SLA_OK);
	assert_int_equal(sla_evaluate(&cal, start, due, 0, utc("2026-11-30 15:00"), 0, 0.75), SLA_AT_RISK);
	assert_int_equal(sla_evaluate(&cal, start, due, 0, due, 0, 0.75), SLA_AT_RISK);
	assert_int_equal(sla_evaluate(&cal, start, due, 0, due + 1, 0, 0.75), SLA_BREACHED);
	assert_int_equal(sla_evaluate(&cal, start, due, 0, utc("2026-12-03 10:00"), 0, 0.75), SLA_BREACHED);
	/* Other risk fractions; an invalid one means 0.75. */
	assert_int_equal(sla_evaluate(&cal, start, due, 0, utc("2026-11-30 13:00"), 0, 0.5), SLA_AT_RISK);
	assert_int_equal(sla_evaluate(&cal, start, due, 0, utc("2026-11-30 13:00"), 0, 0.9), SLA_OK);
	assert_int_equal(sla_evaluate(&cal, start, due, 0, utc("2026-11-30 15:00"), 0, 0.0), SLA_AT_RISK);
	assert_int_equal(sla_evaluate(&cal, start, due, 0, utc("2026-11-30 14:59"), 0, 7.0), SLA_OK);
	/* Met / missed. */
	assert_int_equal(sla_evaluate(&cal, start, due, utc("2026-11-30 16:00"), utc("2026-12-05 10:00"), 0, 0.75),
	                 SLA_MET);
	assert_int_equal(sla_evaluate(&cal, start, due, due, due + H, 0, 0.75), SLA_MET);
	assert_int_equal(sla_evaluate(&cal, start, due, due + 1, due + H, 0, 0.75), SLA_MISSED);
	/* Paused at 12:00 (3 of 8 h used): days later it is still only 37.5% used -> OK. */
	assert_int_equal(sla_evaluate(&cal, start, due, 0, utc("2026-12-02 10:00"), utc("2026-11-30 12:00"), 0.75),
	                 SLA_OK);
	/* Paused after 15:00: at risk, but frozen there, not breached. */
	assert_int_equal(sla_evaluate(&cal, start, due, 0, utc("2026-12-02 10:00"), utc("2026-11-30 16:00"), 0.75),
	                 SLA_AT_RISK);
	/* Resolved while paused: the pause began before the due, so met. */
	assert_int_equal(sla_evaluate(&cal, start, due, utc("2026-12-01 10:00"), utc("2026-12-01 10:00"),
	                              utc("2026-11-30 16:00"), 0.75), SLA_MET);
	/* Business, not wall, fraction: Fri 09:00 -> Mon 18:00 is 18 business hours (81 h wall).
	 * Sun 23:00 is 62/81 = 77% of wall time but 9/18 = 50% of business time: OK. */
	wb_time fstart = utc("2026-11-27 09:00"), fdue = utc("2026-11-30 18:00");
	assert_int_equal(sla_evaluate(&cal, fstart, fdue, 0, utc("2026-11-29 23:00"), 0, 0.75), SLA_OK);
	/* Mon 13:30 is 13.5/18 = 75%: at risk. */
	assert_int_equal(sla_evaluate(&cal, fstart, fdue, 0, utc("2026-11-30 13:29"), 0, 0.75), SLA_OK);
	assert_int_equal(sla_evaluate(&cal, fstart, fdue, 0, utc("2026-11-30 13:30"), 0, 0.75), SLA_AT_RISK);
	sla_calendar_clear(&cal);
}

static void test_state_names(void **state)
{
	(void)state;
	const char *want[] = { "none", "ok", "at_risk", "breached", "met", "missed" };
	for (int s = SLA_NONE; s <= SLA_MISSED; s++) {
		assert_string_equal(sla_state_name((enum sla_state)s), want[s]);
		enum sla_state back = SLA_NONE;
		assert_int_equal(sla_state_from_name(want[s], &back), WB_OK);
		assert_int_equal(back, s);
	}
	enum sla_state x;
	assert_int_equal(sla_state_from_name("late", &x), WB_EINVAL);
}

static void test_dst_berlin(void **state)
{
	(void)state;
	struct sla_calendar cal;
	struct wb_err err = { 0 };
	sla_calendar_init(&cal, "Europe/Berlin");
	assert_int_equal(sla_calendar_set(&cal, NULL, NULL, "Europe/Berlin", NULL, &err), WB_OK);
	/* Spring: 2026-03-29 02:00 CET -> 03:00 CEST. Fri 03-27 17:00 CET (UTC+1) + 2 h
	 * -> Mon 03-30 10:00 CEST (UTC+2) = 08:00 UTC (not 09:00 as a fixed offset would give). */
	assert_time(sla_add(&cal, at("2026-03-27 17:00", 1), 2 * H), utc("2026-03-30 08:00"));
	assert_int_equal(sla_elapsed(&cal, at("2026-03-27 17:00", 1), utc("2026-03-30 08:00")), 2 * H);
	assert_true(sla_is_working(&cal, utc("2026-03-30 07:00")));   /* 09:00 CEST */
	assert_false(sla_is_working(&cal, utc("2026-03-30 06:59")));  /* 08:59 CEST */
	/* Autumn: 2026-10-25 03:00 CEST -> 02:00 CET. Fri 10-23 17:00 CEST (15:00 UTC) + 2 h
	 * -> Mon 10-26 10:00 CET = 09:00 UTC. */
	assert_time(sla_add(&cal, at("2026-10-23 17:00", 2), 2 * H), utc("2026-10-26 09:00"));
	assert_int_equal(sla_elapsed(&cal, at("2026-10-23 17:00", 2), utc("2026-10-26 09:00")), 2 * H);

	/* Round the clock in wall time (every day 00:00-24:00): the switch days are 23 h and 25 h. */
	assert_int_equal(sla_calendar_set(&cal, "sun-sat", "00:00-24:00", NULL, NULL, &err), WB_OK);
	assert_int_equal(sla_elapsed(&cal, at("2026-03-28 00:00", 1), at("2026-03-31 00:00", 2)), 71 * H);
	assert_int_equal(sla_elapsed(&cal, at("2026-03-29 00:00", 1), at("2026-03-30 00:00", 2)), 23 * H);
	assert_int_equal(sla_elapsed(&cal, at("2026-10-25 00:00", 2), at("2026-10-26 00:00", 1)), 25 * H);
	/* Hours starting inside the skipped hour begin when the clock reaches 03:00 CEST (01:00 UTC);
	 * on the autumn day they begin at the first 02:30 CEST (00:30 UTC) and end 18:00 CET (17:00 UTC). */
	assert_int_equal(sla_calendar_set(&cal, "sun", "02:30-18:00", NULL, NULL, &err), WB_OK);
	assert_int_equal(sla_elapsed(&cal, at("2026-03-29 00:00", 1), at("2026-03-30 00:00", 2)), 15 * H);
	assert_time(sla_add(&cal, at("2026-03-29 00:00", 1), 0), utc("2026-03-29 01:00"));
	assert_int_equal(sla_elapsed(&cal, at("2026-10-25 00:00", 2), at("2026-10-26 00:00", 1)), 16 * H + 30 * M);
	assert_time(sla_add(&cal, at("2026-10-25 00:00", 2), 0), utc("2026-10-25 00:30"));
	assert_time(sla_add(&cal, at("2026-10-25 00:00", 2), 16 * H + 30 * M), utc("2026-10-25 17:00"));
	sla_calendar_clear(&cal);
}

/* A small deterministic generator, so failures reproduce. */
static uint64_t rng_state = 0x2545f4914f6cdd1dULL;
static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static void check_inverse(const struct sla_calendar *cal, wb_time base, int n)
{
	for (int i = 0; i < n; i++) {
		wb_time s = base + (wb_time)(rng() % (400ULL * 86400));
		int64_t secs = (int64_t)(rng() % (300ULL * 3600));
		if (i % 10 == 0)
			secs = 0;
		wb_time t = sla_add(cal, s, secs);
		assert_true(t >= s);
		assert_int_equal(sla_elapsed(cal, s, t), secs);
		/* t is the earliest such instant: one second less is one business second less. */
		if (secs > 0)
			assert_int_equal(sla_elapsed(cal, s, t - 1), secs - 1);
		/* From any x, adding its (non-zero) elapsed time never passes x, and lands on x when the second
		 * before x was working time. */
		wb_time x = s + (wb_time)(rng() % (60ULL * 86400));
		int64_t e = sla_elapsed(cal, s, x);
		wb_time back = sla_add(cal, s, e);
		if (e > 0) /* with e == 0 the next working moment may lie after x */
			assert_true(back <= x);
		if (x > s && sla_is_working(cal, x - 1))
			assert_time(back, x);
		/* Resuming restarts what was left at the pause; when something was left that is the
		 * same as adding the pause's business time to the due. */
		wb_time p = s + (wb_time)(rng() % (5ULL * 86400)), r = p + (wb_time)(rng() % (9ULL * 86400));
		int64_t held = sla_elapsed(cal, p, r), left = sla_elapsed(cal, p, t);
		if (p >= t || held == 0)
			assert_time(sla_resume(cal, t, p, r), t);
		else if (left > 0)
			assert_time(sla_resume(cal, t, p, r), sla_add(cal, t, held));
		else /* nothing was left: due at the first working moment after the resume */
			assert_time(sla_resume(cal, t, p, r), sla_add(cal, r, 0));
		/* Elapsed is additive over a split point. */
		wb_time m = s + (x - s) / 3;
		assert_int_equal(sla_elapsed(cal, s, m) + sla_elapsed(cal, m, x), sla_elapsed(cal, s, x));
	}
}

/* An independent oracle: the C library's own zone code (TZ set in this test process only),
 * stepping quarter-hour by quarter-hour (every boundary used below falls on one) and asking
 * whether each step's wall clock is working time. */
static int64_t brute_elapsed(const struct sla_calendar *cal, wb_time from, wb_time to)
{
	int64_t sum = 0;
	for (wb_time t = from; t < to; t += 900) {
		time_t tt = (time_t)t;
		struct tm tm;
		localtime_r(&tt, &tm);
		int min = tm.tm_hour * 60 + tm.tm_min;
		char ymd[16];
		strftime(ymd, sizeof ymd, "%Y-%m-%d", &tm);
		if ((cal->workdays & (1u << tm.tm_wday)) && min >= cal->day_start && min < cal->day_end &&
		    !sla_calendar_is_holiday(cal, ymd))
			sum += 900;
	}
	return sum;
}

static void test_matches_libc_zones(void **state)
{
	(void)state;
	const char *zones[] = { "Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Shanghai" };
	/* Hours that start or end inside a repeated hour (02:30 on an autumn switch day) are where
	 * the two definitions part: the oracle would skip the repeat of 02:00-02:30, sla.c counts
	 * one stretch from the first 02:30 (see test_dst_berlin). Every other case must agree. */
	const char *hours[] = { "09:00-18:00", "00:00-24:00", "02:00-18:00", "01:00-03:00" };
	/* Windows opening 4 days before 2026's switches: New York 03-08 and 11-01, Berlin 03-29
	 * and 10-25, Sydney 04-05 and 10-04 (Shanghai has none, so it is the control). */
	const char *windows[] = { "2026-03-04", "2026-03-25", "2026-04-01", "2026-09-30", "2026-10-21", "2026-10-28" };
	char *old_tz = getenv("TZ") ? strdup(getenv("TZ")) : NULL;
	struct sla_calendar cal;
	struct wb_err err = { 0 };
	sla_calendar_init(&cal, NULL);
	for (size_t z = 0; z < 4; z++) {
		setenv("TZ", zones[z], 1);
		tzset();
		for (size_t h = 0; h < 4; h++) {
			assert_int_equal(sla_calendar_set(&cal, h % 2 ? "sun-sat" : "mon-fri,sun", hours[h], zones[z],
			                                  "2026-03-26 2026-10-01", &err), WB_OK);
			for (size_t w = 0; w < 18; w++) {
				/* from within 2 days after the window opens, to at least 5 days later:
				 * every interval crosses the switch 4 days after the window opens. */
				wb_time from = utc(windows[w % 6]) + (wb_time)(rng() % (2 * 96)) * 900;
				wb_time to = from + 5 * 86400 + (wb_time)(rng() % (2 * 96)) * 900;
				int64_t want = brute_elapsed(&cal, from, to);
				if (sla_elapsed(&cal, from, to) != want)
					fail_msg("%s %s from %lld to %lld: got %lld want %lld", zones[z], hours[h],
					         (long long)from, (long long)to, (long long)sla_elapsed(&cal, from, to),
					         (long long)want);
				if (want > 0)
					assert_int_equal(sla_elapsed(&cal, from, sla_add(&cal, from, want)), want);
			}
		}
	}
	if (old_tz)
		setenv("TZ", old_tz, 1);
	else
		unsetenv("TZ");
	tzset();
	free(old_tz);
	sla_calendar_clear(&cal);
}

static void test_inverse_property(void **state)
{
	(void)state;
	struct sla_calendar cal;
	struct wb_err err = { 0 };
	wb_time base = utc("2025-12-01 00:00");
	sla_calendar_init(&cal, NULL);
	check_inverse(&cal, base, 300);
	assert_int_equal(sla_calendar_set(&cal, "mon-fri", "09:00-18:00", "Europe/Berlin",
	                                  "2026-01-01 2026-04-03 2026-04-06 2026-05-01 2026-12-25", &err), WB_OK);
	check_inverse(&cal, base, 300);
	assert_int_equal(sla_calendar_set(&cal, "mon,tue,wed,thu,fri,sat", "08:30-20:15", "America/New_York",
	                                  "", &err), WB_OK);
	check_inverse(&cal, base, 300);
	assert_int_equal(sla_calendar_set(&cal, "0-6", "00:00-24:00", "Europe/Berlin", NULL, &err), WB_OK);
	check_inverse(&cal, base, 300);
	assert_int_equal(sla_calendar_set(&cal, "1-5", "09:00-18:00", "Asia/Shanghai",
	                                  "2026-10-01,2026-10-02,2026-10-05,2026-10-06,2026-10-07", &err), WB_OK);
	check_inverse(&cal, base, 300);
	sla_calendar_clear(&cal);
}

static void test_long_spans_are_fast(void **state)
{
	(void)state;
	struct sla_calendar cal;
	struct wb_err err = { 0 };
	sla_calendar_init(&cal, NULL);
	assert_int_equal(sla_calendar_set(&cal, NULL, NULL, "Europe/Berlin", "2026-12-25,2026-12-26", &err), WB_OK);
	/* 2026 in Berlin, Mon-Fri: 261 weekdays, Dec 25 (Fri) off, Dec 26 is a Saturday: 260 x 9 h. */
	wb_time y0 = at("2026-01-01 00:00", 1), y1 = at("2027-01-01 00:00", 1);
	assert_int_equal(sla_elapsed(&cal, y0, y1), 260 * 9 * H);
	/* 260 x 9 h after New Year ends at the last working day's close: Thu 2026-12-31 18:00 CET. */
	assert_time(sla_add(&cal, y0, 260 * 9 * H), at("2026-12-31 18:00", 1));
	/* A queue screen's worth of year-long computations stays well inside the test's time. */
	int64_t sum = 0;
	for (int i = 0; i < 2000; i++)
		sum += sla_elapsed(&cal, y0 + i * 61, y1);
	assert_true(sum > 0);
	sla_calendar_clear(&cal);
}

static void test_parse_good(void **state)
{
	(void)state;
	struct sla_calendar cal;
	struct wb_err err = { 0 };
	sla_calendar_init(&cal, NULL);
	assert_int_equal(cal.workdays, 0x3eu);
	assert_int_equal(cal.day_start, 540);
	assert_int_equal(cal.day_end, 1080);
	assert_string_equal(cal.tz, "");
	assert_int_equal(sla_calendar_set(&cal, "Mon,TUE, saturday", " 8:30 - 17:45 ", "Asia/Shanghai", NULL, &err),
	                 WB_OK);
	assert_int_equal(cal.workdays, (1u << 1) | (1u << 2) | (1u << 6));
	assert_int_equal(cal.day_start, 8 * 60 + 30);
	assert_int_equal(cal.day_end, 17 * 60 + 45);
	assert_string_equal(cal.tz, "Asia/Shanghai");
	assert_int_equal(sla_calendar_set(&cal, "1-5", NULL, NULL, NULL, &err), WB_OK);
	assert_int_equal(cal.workdays, 0x3eu);
	assert_int_equal(cal.day_start, 8 * 60 + 30); /* NULL kept the hours */
	assert_string_equal(cal.tz, "Asia/Shanghai");
	assert_int_equal(sla_calendar_set(&cal, "fri-mon", NULL, NULL, NULL, &err), WB_OK); /* wraps */
	assert_int_equal(cal.workdays, (1u << 5) | (1u << 6) | (1u << 0) | (1u << 1));
	assert_int_equal(sla_calendar_set(&cal, "7", NULL, "UTC", NULL, &err), WB_OK); /* 7 = Sunday */
	assert_int_equal(cal.workdays, 1u);
	assert_string_equal(cal.tz, "");
	assert_int_equal(sla_calendar_set(&cal, NULL, "00:00-24:00", NULL, NULL, &err), WB_OK);
	assert_int_equal(cal.day_end, 1440);
	/* Copy is deep. */
	assert_int_equal(sla_calendar_set(&cal, NULL, NULL, NULL, "2026-10-02 2026-10-01", &err), WB_OK);
	assert_string_equal(cal.holidays[0], "2026-10-01"); /* sorted */
	struct sla_calendar copy;
	sla_calendar_copy(&copy, &cal);
	sla_calendar_clear(&cal);
	assert_int_equal(copy.n_holidays, 2);
	assert_string_equal(copy.holidays[1], "2026-10-02");
	sla_calendar_clear(&copy);
}

static void expect_einval(struct sla_calendar *cal, const char *wd, const char *hours, const char *tz,
                          const char *hol, const char *needle)
{
	struct wb_err err = { 0 };
	assert_int_equal(sla_calendar_set(cal, wd, hours, tz, hol, &err), WB_EINVAL);
	assert_int_equal(err.code, WB_EINVAL);
	if (!strstr(err.msg, needle))
		fail_msg("message \"%s\" does not name \"%s\"", err.msg, needle);
}

static void test_parse_bad(void **state)
{
	(void)state;
	struct sla_calendar cal;
	sla_calendar_init(&cal, "Europe/Berlin");
	expect_einval(&cal, "mon-frx", NULL, NULL, NULL, "frx");
	expect_einval(&cal, "mo", NULL, NULL, NULL, "mo");
	expect_einval(&cal, "1-8", NULL, NULL, NULL, "1-8");
	expect_einval(&cal, "", NULL, NULL, NULL, "workdays");
	expect_einval(&cal, " , ", NULL, NULL, NULL, "workdays");
	expect_einval(&cal, NULL, "9-18", NULL, NULL, "9-18");
	expect_einval(&cal, NULL, "18:00-09:00", NULL, NULL, "18:00-09:00");
	expect_einval(&cal, NULL, "09:00-25:00", NULL, NULL, "09:00-25:00");
	expect_einval(&cal, NULL, "09:60-18:00", NULL, NULL, "09:60-18:00");
	expect_einval(&cal, NULL, "09:00-18:00x", NULL, NULL, "09:00-18:00x");
	expect_einval(&cal, NULL, "", NULL, NULL, "working hours");
	expect_einval(&cal, NULL, NULL, "Mars/Olympus_Mons", NULL, "Mars/Olympus_Mons");
	expect_einval(&cal, NULL, NULL, "../../etc/passwd", NULL, "../../etc/passwd");
	expect_einval(&cal, NULL, NULL, NULL, "2026-10-01,2026-02-30", "2026-02-30");
	expect_einval(&cal, NULL, NULL, NULL, "2026-10-1", "2026-10-1");
	/* A failed set changes nothing, even when other arguments were good. */
	expect_einval(&cal, "sat", "10:00-11:00", "Nowhere/Else", "2026-01-01", "Nowhere/Else");
	assert_int_equal(cal.workdays, 0x3eu);
	assert_int_equal(cal.day_start, 540);
	assert_string_equal(cal.tz, "Europe/Berlin");
	assert_int_equal(cal.n_holidays, 0);
	sla_calendar_clear(&cal);
}

static void test_degenerate_calendar_is_24x7(void **state)
{
	(void)state;
	struct sla_calendar cal;
	sla_calendar_init(&cal, NULL);
	cal.workdays = 0; /* filled by hand, not through sla_calendar_set */
	assert_time(sla_add(&cal, utc("2026-11-28 10:00"), 2 * H), utc("2026-11-28 12:00"));
	assert_int_equal(sla_elapsed(&cal, utc("2026-11-28 10:00"), utc("2026-11-28 12:00")), 2 * H);
	sla_calendar_clear(&cal);
}

static void test_default_targets(void **state)
{
	(void)state;
	size_t n = 0;
	const struct sla_target *t = sla_default_targets(&n);
	assert_int_equal(n, 12);
	const char *levels[] = { "basic", "standard", "premium" };
	for (int l = 0; l < 3; l++) {
		int prev_resp = 0, prev_res = 0;
		for (int p = 1; p <= 4; p++) {
			const struct sla_target *x = sla_default_target(levels[l], p);
			assert_non_null(x);
			assert_true(x >= t && x < t + n);
			assert_true(x->response_min > 0 && x->response_min < x->resolve_min);
			/* Less urgent priorities never get tighter targets. */
			assert_true(x->response_min >= prev_resp && x->resolve_min >= prev_res);
			prev_resp = x->response_min;
			prev_res = x->resolve_min;
		}
	}
	/* A better level never has a looser target for the same priority. */
	for (int p = 1; p <= 4; p++) {
		assert_true(sla_default_target("premium", p)->resolve_min <= sla_default_target("standard", p)->resolve_min);
		assert_true(sla_default_target("standard", p)->resolve_min <= sla_default_target("basic", p)->resolve_min);
	}
	const struct sla_target *p1 = sla_default_target("premium", 1);
	assert_int_equal(p1->response_min, 15);
	assert_int_equal(p1->resolve_min, 4 * 60);
	assert_true(p1->always);
	const struct sla_target *b4 = sla_default_target("basic", 4);
	assert_int_equal(b4->response_min, 2 * 540);
	assert_int_equal(b4->resolve_min, 10 * 540);
	assert_false(b4->always);
	assert_null(sla_default_target("gold", 1));
	assert_null(sla_default_target("basic", 5));
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_weekend_skipped),
		cmocka_unit_test(test_start_outside_hours),
		cmocka_unit_test(test_holidays_national_day),
		cmocka_unit_test(test_extra_workdays),
		cmocka_unit_test(test_month_and_year_end),
		cmocka_unit_test(test_pause_extends_due),
		cmocka_unit_test(test_evaluate),
		cmocka_unit_test(test_state_names),
		cmocka_unit_test(test_dst_berlin),
		cmocka_unit_test(test_inverse_property),
		cmocka_unit_test(test_matches_libc_zones),
		cmocka_unit_test(test_long_spans_are_fast),
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_degenerate_calendar_is_24x7),
		cmocka_unit_test(test_default_targets),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

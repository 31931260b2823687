#include "testutil.h"

#include "ics.h"
#include "recur.h"
#include "utf8.h"

#include <libical/ical.h>
#include <locale.h>

static wb_time T(const char *iso)
{
	wb_time t = 0;
	assert_int_equal(clock_parse_iso(iso, &t), 0);
	return t;
}

static void must_contain(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fail_msg("\"%s\" not found in:\n%s", needle, hay);
}

/* RFC 5545 3.1: every line ends in CRLF, has at most 75 octets, and (ours) never splits a UTF-8 character. */
static void check_lines(const char *text)
{
	const char *s = text;
	int n = 0;
	while (*s) {
		const char *crlf = strstr(s, "\r\n");
		assert_non_null(crlf); /* the last line ends in CRLF too */
		size_t len = (size_t)(crlf - s);
		n++;
		if (len > 75)
			fail_msg("line %d has %zu octets: %.*s", n, len, (int)len, s);
		if (!utf8_valid(s, len))
			fail_msg("line %d is cut inside a UTF-8 character: %.*s", n, (int)len, s);
		assert_null(memchr(s, '\n', len)); /* no bare LF inside a line */
		s = crlf + 2;
	}
}

/* Joins folded lines back (CRLF + space), for checking whole properties. */
static char *unfold(const char *text)
{
	char *u = malloc(strlen(text) + 1), *d = u;
	for (const char *s = text; *s; s++) {
		if (s[0] == '\r' && s[1] == '\n' && s[2] == ' ') {
			s += 2;
			continue;
		}
		*d++ = *s;
	}
	*d = '\0';
	return u;
}

static char *exA[] = { "2026-12-08T22:00" };
static char *exB[] = { "2026-12-24T02:30", "2026-12-25T02:30" };
static char *exD[] = { "2027-12-31" };

static void sample(struct ics_event ev[4])
{
	memset(ev, 0, 4 * sizeof *ev);
	/* 2nd Tuesday at 22:00 in Shanghai (14:00 UTC), two hours, December skipped */
	ev[0].uid = "plan-1@weibao";
	ev[0].summary = "数据库备份检查（每月第二个星期二）";
	ev[0].description = "检查备份, 恢复演练; 路径 C:\\backup\n第二行";
	ev[0].location = "机房 A; 3楼";
	ev[0].start = T("2026-11-10T14:00Z");
	ev[0].end = T("2026-11-10T16:00Z");
	ev[0].rrule = "FREQ=MONTHLY;BYDAY=2TU";
	ev[0].tz = "Asia/Shanghai";
	ev[0].exdates = exA;
	ev[0].n_exdates = 1;
	ev[0].categories = "维保,数据库";
	/* every workday 02:30 in Berlin (CET, 01:30 UTC), not on Christmas Eve and Day */
	ev[1].uid = "plan-2@weibao";
	ev[1].summary = "Log rotation";
	ev[1].start = T("2026-11-02T01:30Z");
	ev[1].end = T("2026-11-02T02:00Z");
	ev[1].rrule = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR";
	ev[1].tz = "Europe/Berlin";
	ev[1].exdates = exB;
	ev[1].n_exdates = 2;
	/* a one-off in UTC */
	ev[2].uid = "visit-7@weibao";
	ev[2].summary = "现场巡检";
	ev[2].start = T("2026-12-01T06:00Z");
	ev[2].end = T("2026-12-01T09:30Z");
	/* a yearly all-day event on New Year's Eve, skipped in 2027 */
	ev[3].uid = "freeze@weibao";
	ev[3].summary = "年末封网";
	ev[3].all_day = 1;
	ev[3].start = T("2026-12-31T00:00Z");
	ev[3].end = T("2027-01-01T00:00Z");
	ev[3].rrule = "FREQ=YEARLY";
	ev[3].exdates = exD;
	ev[3].n_exdates = 1;
}

static void assert_str_or_null(const char *a, const char *b)
{
	if (!a || !b)
		assert_true(a == b);
	else
		assert_string_equal(a, b);
}

static void test_round_trip(void **state)
{
	(void)state;
	clock_set_fixed(T("2026-11-25T12:00Z"));
	struct ics_event ev[4];
	sample(ev);
	char *text = NULL;
	struct wb_err err = { 0 };
	if (ics_export(ev, 4, &text, &err) != 0)
		fail_msg("export: %s", err.msg);
	check_lines(text);
	assert_int_equal(strncmp(text, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//weibao//EN\r\n", 51), 0);
	char *u = unfold(text);
	must_contain(u, "\r\nDTSTAMP:20261125T120000Z\r\n");
	must_contain(u, "\r\nBEGIN:VTIMEZONE\r\nTZID:Asia/Shanghai\r\n");
	must_contain(u, "\r\nTZID:Europe/Berlin\r\n");
	must_contain(u, "\r\nDTSTART;TZID=Asia/Shanghai:20261110T220000\r\n");
	must_contain(u, "\r\nDTEND;TZID=Asia/Shanghai:20261111T000000\r\n");
	must_contain(u, "\r\nEXDATE;TZID=Asia/Shanghai:20261208T220000\r\n");
	must_contain(u, "\r\nDTSTART;TZID=Europe/Berlin:20261102T023000\r\n");
	must_contain(u, "\r\nDTSTART:20261201T060000Z\r\n");
	must_contain(u, "\r\nDTSTART;VALUE=DATE:20261231\r\n");
	must_contain(u, "\r\nEXDATE;VALUE=DATE:20271231\r\n");
	must_contain(u, "\r\nLOCATION:机房 A\\; 3楼\r\n");
	must_contain(u, "\r\nDESCRIPTION:检查备份\\, 恢复演练\\; 路径 C:\\\\backup\\n第二行\r\n");
	must_contain(u, "\r\nCATEGORIES:维保,数据库\r\n");
	free(u);

	struct ics_event *back = NULL;
	size_t n = 0;
	if (ics_import(text, &back, &n, &err) != 0)
		fail_msg("import: %s", err.msg);
	assert_int_equal(n, 4);
	for (size_t i = 0; i < 4; i++) {
		assert_string_equal(back[i].uid, ev[i].uid);
		assert_str_or_null(back[i].summary, ev[i].summary);
		assert_str_or_null(back[i].description, ev[i].description);
		assert_str_or_null(back[i].location, ev[i].location);
		assert_int_equal(back[i].start, ev[i].start);
		assert_int_equal(back[i].end, ev[i].end);
		assert_int_equal(back[i].all_day, ev[i].all_day);
		assert_str_or_null(back[i].rrule, ev[i].rrule);
		assert_str_or_null(back[i].tz, ev[i].tz);
		assert_str_or_null(back[i].categories, ev[i].categories);
		assert_int_equal(back[i].n_exdates, ev[i].n_exdates);
		for (size_t k = 0; k < ev[i].n_exdates; k++)
			assert_string_equal(back[i].exdates[k], ev[i].exdates[k]);
	}
	ics_events_free(&back, n);
	assert_null(back);
	free(text);
	clock_set_fixed(0);
}

static int count_errors(icalcomponent *c)
{
	int n = icalcomponent_count_properties(c, ICAL_XLICERROR_PROPERTY);
	for (icalcomponent *k = icalcomponent_get_first_component(c, ICAL_ANY_COMPONENT); k;
	     k = icalcomponent_get_next_component(c, ICAL_ANY_COMPONENT))
		n += count_errors(k);
	return n;
}

struct starts {
	wb_time t[64];
	int n;
};

static void collect(icalcomponent *comp, struct icaltime_span *span, void *data)
{
	(void)comp;
	struct starts *s = data;
	if (s->n < 64)
		s->t[s->n++] = (wb_time)span->start;
}

/* A second opinion: libical's own parser reads the export without errors, its VTIMEZONEs put DTSTART at the
 * right instant, and its own recurrence expansion (RRULE + EXDATE + VTIMEZONE) agrees with recur_expand. */
static void test_libical_reads_export(void **state)
{
	(void)state;
	struct ics_event ev[4];
	sample(ev);
	char *text = NULL;
	assert_int_equal(ics_export(ev, 4, &text, NULL), 0);
	icalcomponent *cal = icalparser_parse_string(text);
	assert_non_null(cal);
	assert_int_equal(icalcomponent_isa(cal), ICAL_VCALENDAR_COMPONENT);
	assert_int_equal(count_errors(cal), 0);
	assert_int_equal(icalcomponent_count_components(cal, ICAL_VEVENT_COMPONENT), 4);
	assert_int_equal(icalcomponent_count_components(cal, ICAL_VTIMEZONE_COMPONENT), 2);

	/* plan-1: 11-10 and 01-12 (12-08 excluded); plan-2: 13 full weeks from Monday 11-02 = 65 workdays,
	 * less the two Christmas exceptions */
	const size_t want_n[2] = { 2, 63 };
	icalcomponent *ve = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	for (int i = 0; i < 2; i++, ve = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
		assert_string_equal(icalcomponent_get_uid(ve), ev[i].uid);
		assert_string_equal(icalcomponent_get_summary(ve), ev[i].summary);
		icaltimezone *z = icalcomponent_get_timezone(cal, ev[i].tz); /* the file's VTIMEZONE */
		assert_non_null(z);
		struct icaltimetype st = icalcomponent_get_dtstart(ve);
		assert_int_equal((wb_time)icaltime_as_timet_with_zone(st, z), ev[i].start);

		/* occurrences Nov 2026 .. Jan 2027 as libical sees them */
		struct starts lib = { .n = 0 };
		struct icaltimetype from = icaltime_from_timet_with_zone(T("2026-11-01"), 0, icaltimezone_get_utc_timezone());
		struct icaltimetype to = icaltime_from_timet_with_zone(T("2027-02-01"), 0, icaltimezone_get_utc_timezone());
		icalcomponent_foreach_recurrence(ve, from, to, collect, &lib);
		/* and as recur_expand sees the same plan */
		char local[17];
		assert_int_equal(recur_utc_to_local(ev[i].start, ev[i].tz, local, sizeof local, NULL), 0);
		struct recur_spec s = { .rrule = ev[i].rrule, .dtstart = local, .tz = ev[i].tz,
			                .duration_min = (int)((ev[i].end - ev[i].start) / 60),
			                .exdates = (const char *const *)ev[i].exdates, .n_exdates = ev[i].n_exdates };
		struct recur_occurrence *o;
		size_t n;
		assert_int_equal(recur_expand(&s, T("2026-11-01"), T("2027-02-01"), 100, &o, &n, NULL), 0);
		assert_int_equal(n, want_n[i]);
		assert_int_equal(lib.n, (int)n);
		for (size_t k = 0; k < n; k++)
			assert_int_equal(lib.t[k], o[k].start);
		free(o);
	}
	icalcomponent_free(cal);
	free(text);
}

/* "SUMMARY:" is 8 octets and each Chinese character 3: a cut at octet 75 would fall inside the 23rd
 * character, so the first line must stop after 22 characters (74 octets). */
static void test_fold_chinese(void **state)
{
	(void)state;
	const char *summary = "系统维保计划：数据库主从切换演练与备份恢复验证，包括应用服务器重启、日志归档、磁盘空间检查和安全补丁安装";
	struct ics_event e = { .uid = "fold@weibao", .summary = (char *)summary, .start = T("2026-11-10T14:00Z"),
		               .end = T("2026-11-10T15:00Z") };
	char *text = NULL;
	assert_int_equal(ics_export(&e, 1, &text, NULL), 0);
	check_lines(text);
	const char *line = strstr(text, "\r\nSUMMARY:") + 2;
	const char *crlf = strstr(line, "\r\n");
	assert_int_equal(crlf - line, 74);
	assert_int_equal(crlf[2], ' '); /* continued */
	char *u = unfold(text);
	char *want = malloc(strlen(summary) + 16);
	sprintf(want, "\r\nSUMMARY:%s\r\n", summary);
	must_contain(u, want);
	free(want);
	free(u);
	struct ics_event *back;
	size_t n;
	assert_int_equal(ics_import(text, &back, &n, NULL), 0);
	assert_int_equal(n, 1);
	assert_string_equal(back[0].summary, summary);
	ics_events_free(&back, n);
	free(text);
}

/* A whole-day exception is written as each of that day's occurrences; a date UNTIL becomes UTC. */
static void test_whole_day_exdate_and_until(void **state)
{
	(void)state;
	char *ex[] = { "2026-12-08" };
	/* twice a day, 09:00 and 17:00 Shanghai = 01:00 and 09:00 UTC */
	struct ics_event e = { .uid = "twice@weibao", .start = T("2026-12-07T01:00Z"), .end = T("2026-12-07T01:30Z"),
		               .rrule = "FREQ=DAILY;BYHOUR=9,17;UNTIL=20261209", .tz = "Asia/Shanghai",
		               .exdates = ex, .n_exdates = 1 };
	char *text = NULL;
	struct wb_err err = { 0 };
	if (ics_export(&e, 1, &text, &err) != 0)
		fail_msg("%s", err.msg);
	must_contain(text, "\r\nEXDATE;TZID=Asia/Shanghai:20261208T090000\r\n");
	must_contain(text, "\r\nEXDATE;TZID=Asia/Shanghai:20261208T170000\r\n");
	/* 2026-12-09 23:59:59 in Shanghai */
	must_contain(text, "\r\nRRULE:FREQ=DAILY;BYHOUR=9,17;UNTIL=20261209T155959Z\r\n");
	struct ics_event *back;
	size_t n;
	assert_int_equal(ics_import(text, &back, &n, NULL), 0);
	assert_int_equal(back[0].n_exdates, 2);
	assert_string_equal(back[0].exdates[0], "2026-12-08T09:00");
	assert_string_equal(back[0].exdates[1], "2026-12-08T17:00");
	/* the imported plan has the same occurrences as the original: 12-07 09,17; 12-09 09,17 */
	const char *orig_ex[] = { "2026-12-08" };
	struct recur_spec a = { .rrule = e.rrule, .dtstart = "2026-12-07T09:00", .tz = e.tz, .exdates = orig_ex,
		                .n_exdates = 1 };
	struct recur_spec b = { .rrule = back[0].rrule, .dtstart = "2026-12-07T09:00", .tz = back[0].tz,
		                .exdates = (const char *const *)back[0].exdates, .n_exdates = back[0].n_exdates };
	struct recur_occurrence *oa, *ob;
	size_t na, nb;
	assert_int_equal(recur_expand(&a, T("2026-12-01"), T("2027-01-01"), 100, &oa, &na, NULL), 0);
	assert_int_equal(recur_expand(&b, T("2026-12-01"), T("2027-01-01"), 100, &ob, &nb, NULL), 0);
	assert_int_equal(na, 4);
	assert_int_equal(nb, 4);
	for (size_t i = 0; i < na; i++)
		assert_int_equal(oa[i].start, ob[i].start);
	assert_int_equal(oa[3].start, T("2026-12-09T09:00Z"));
	free(oa);
	free(ob);
	ics_events_free(&back, n);
	free(text);
}

/* What other programs write: LF line ends, tab-folded lines, a libical-prefixed TZID, an Outlook zone name
 * defined only by its VTIMEZONE, DURATION instead of DTEND, a VALARM inside and a VTODO beside. */
static void test_import_foreign(void **state)
{
	(void)state;
	const char *text =
		"BEGIN:VCALENDAR\n"
		"VERSION:2.0\n"
		"PRODID:-//Other//Cal//EN\n"
		"BEGIN:VTIMEZONE\n"
		"TZID:China Standard Time\n"
		"BEGIN:STANDARD\n"
		"DTSTART:16010101T000000\n"
		"TZOFFSETFROM:+0800\n"
		"TZOFFSETTO:+0800\n"
		"END:STANDARD\n"
		"END:VTIMEZONE\n"
		"BEGIN:VEVENT\n"
		"UID:a1\n"
		"DTSTART;TZID=/freeassociation.sourceforge.net/Europe/Berlin:20260329T023000\n"
		"DURATION:PT1H30M\n"
		"RRULE:FREQ=DAILY;COUNT=3\n"
		"SUMMARY:long summary folded\n"
		"\t with a tab\n"
		"BEGIN:VALARM\n"
		"ACTION:DISPLAY\n"
		"TRIGGER:-PT15M\n"
		"END:VALARM\n"
		"END:VEVENT\n"
		"BEGIN:VTODO\n"
		"UID:t1\n"
		"END:VTODO\n"
		"BEGIN:VEVENT\n"
		"UID:a2\n"
		"DTSTART;TZID=China Standard Time:20261110T220000\n"
		"DTEND;TZID=China Standard Time:20261110T230000\n"
		"EXDATE:20261208T140000Z\n"
		"END:VEVENT\n"
		"END:VCALENDAR\n";
	struct ics_event *ev;
	size_t n;
	struct wb_err err = { 0 };
	if (ics_import(text, &ev, &n, &err) != 0)
		fail_msg("%s", err.msg);
	assert_int_equal(n, 2);
	assert_string_equal(ev[0].tz, "Europe/Berlin");
	/* 02:30 on the spring-forward day does not exist: read as CET (RFC 5545), 01:30 UTC */
	assert_int_equal(ev[0].start, T("2026-03-29T01:30Z"));
	assert_int_equal(ev[0].end - ev[0].start, 90 * 60);
	assert_string_equal(ev[0].rrule, "FREQ=DAILY;COUNT=3");
	assert_string_equal(ev[0].summary, "long summary folded with a tab");
	assert_null(ev[1].tz); /* not an IANA zone: converted with its VTIMEZONE, kept in UTC */
	assert_int_equal(ev[1].start, T("2026-11-10T14:00Z"));
	assert_int_equal(ev[1].end, T("2026-11-10T15:00Z"));
	assert_int_equal(ev[1].n_exdates, 1);
	assert_string_equal(ev[1].exdates[0], "2026-12-08T14:00");
	ics_events_free(&ev, n);
}

static void expect_import_error(const char *text, const char *needle1, const char *needle2)
{
	struct ics_event *ev = (void *)1;
	size_t n = 9;
	struct wb_err err = { 0 };
	assert_int_equal(ics_import(text, &ev, &n, &err), WB_EINVAL);
	assert_null(ev);
	assert_int_equal(n, 0);
	if (!strstr(err.msg, needle1) || (needle2 && !strstr(err.msg, needle2)))
		fail_msg("error \"%s\" does not name \"%s\" / \"%s\"", err.msg, needle1, needle2 ? needle2 : "");
}

#define HEAD "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x1\r\n" /* lines 1-4 */
#define TAIL "END:VEVENT\r\nEND:VCALENDAR\r\n"

static void test_import_errors(void **state)
{
	(void)state;
	expect_import_error(HEAD "DTSTART:20261110T220000Z\r\nTHIS IS NOT A LINE\r\n" TAIL, "line 6", "THIS IS");
	expect_import_error(HEAD "DTSTART:2026x\r\n" TAIL, "line 5", "DTSTART");
	expect_import_error(HEAD "DTSTART:20261110T220000Z\r\nRRULE:FREQ=FORTNIGHTLY\r\n" TAIL, "line 6", "RRULE");
	expect_import_error(HEAD "DTSTART:20261110T220000Z\r\nRRULE:FREQ=MINUTELY\r\n" TAIL, "line 6",
	                    "FREQ=MINUTELY");
	expect_import_error(HEAD "DTSTART;TZID=Nowhere/City:20261110T220000\r\n" TAIL, "line 5", "Nowhere/City");
	expect_import_error(HEAD "SUMMARY:no start\r\n" TAIL, "line 3", "DTSTART");
	expect_import_error(HEAD "DTSTART:20261110T220000Z\r\nEND:VCALENDAR\r\n", "line 6", "END:VCALENDAR");
	expect_import_error(HEAD "DTSTART:20261110T220000Z\r\nEND:VEVENT\r\n", "line 1", "never closed");
	expect_import_error("hello\r\n", "line 1", NULL);
	expect_import_error(HEAD "SUMMARY:\xff\xfe\r\n" TAIL, "line 5", "UTF-8");
	expect_import_error("", "empty", NULL);
}

static void test_export_errors(void **state)
{
	(void)state;
	char *text = (void *)1;
	struct wb_err err = { 0 };
	struct ics_event e = { .uid = "bad@weibao", .start = T("2026-11-10T14:00Z"), .end = T("2026-11-10T15:00Z"),
		               .rrule = "FREQ=FORTNIGHTLY", .tz = "Asia/Shanghai" };
	assert_int_equal(ics_export(&e, 1, &text, &err), WB_EINVAL);
	assert_null(text);
	must_contain(err.msg, "bad@weibao");
	must_contain(err.msg, "FREQ=FORTNIGHTLY");
	e.rrule = NULL;
	e.tz = "Mars/Olympus";
	assert_int_equal(ics_export(&e, 1, &text, &err), WB_EINVAL);
	must_contain(err.msg, "Mars/Olympus");
	e.tz = NULL;
	e.uid = NULL;
	assert_int_equal(ics_export(&e, 1, &text, &err), WB_EINVAL);
	must_contain(err.msg, "UID");
	e.uid = "u";
	e.end = e.start - 60;
	assert_int_equal(ics_export(&e, 1, &text, &err), WB_EINVAL);
	/* no events is still a valid, empty calendar */
	assert_int_equal(ics_export(NULL, 0, &text, NULL), 0);
	assert_string_equal(text, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//weibao//EN\r\nCALSCALE:GREGORIAN\r\n"
	                          "METHOD:PUBLISH\r\nEND:VCALENDAR\r\n");
	free(text);
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_libical_reads_export),
		cmocka_unit_test(test_fold_chinese),
		cmocka_unit_test(test_whole_day_exdate_and_until),
		cmocka_unit_test(test_import_foreign),
		cmocka_unit_test(test_import_errors),
		cmocka_unit_test(test_export_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_notice_mail.c — maintenance notices written for their reader: long dates on the reader's wall
 * clock (fmt_long_datetime_in, fmt_zone) and outbox_plan_mail choosing the reader's language without
 * leaving the process in it. */
#include "testdesk.h"
#include "testlocale.h"

#include "config.h"
#include "desk.h"
#include "fmt.h"
#include "i18n.h"
#include "outbox.h"
#include "store_outbox.h"
#include "xmalloc.h"

#include <string.h>
#include <time.h>

/* 2026-11-26 20:00 UTC is Thursday evening in Berlin and already Friday in Shanghai. */
static void test_long_datetime_in_zones(void **state)
{
	(void)state;
	char buf[128];
	char *prev = i18n_set_language("en");
	fmt_long_datetime_in(at("2026-11-26T20:00:00Z"), "Europe/Berlin", buf, sizeof buf);
	assert_string_equal(buf, "Thu 26 Nov 2026 21:00");
	fmt_long_datetime_in(at("2026-11-26T20:00:00Z"), "Asia/Shanghai", buf, sizeof buf);
	assert_string_equal(buf, "Fri 27 Nov 2026 04:00");
	fmt_long_datetime_in(at("2026-07-01T20:00:00Z"), "Europe/Berlin", buf, sizeof buf); /* summer time */
	assert_string_equal(buf, "Wed 1 Jul 2026 22:00");
	fmt_long_datetime_in(at("2026-11-26T02:30:00Z"), "America/New_York", buf, sizeof buf);
	assert_string_equal(buf, "Wed 25 Nov 2026 21:30");
	fmt_long_datetime_in(at("2026-11-26T20:00:00Z"), NULL, buf, sizeof buf);
	assert_string_equal(buf, "Thu 26 Nov 2026 20:00");
	fmt_long_datetime_in(at("2026-11-26T20:00:00Z"), "Mars/Olympus", buf, sizeof buf);
	assert_string_equal(buf, "Thu 26 Nov 2026 20:00");
	fmt_long_datetime_in(0, "Asia/Shanghai", buf, sizeof buf);
	assert_string_equal(buf, "-");
	free(i18n_set_language("zh_CN"));
	fmt_long_datetime_in(at("2026-11-26T20:00:00Z"), "Asia/Shanghai", buf, sizeof buf);
	assert_string_equal(buf, "2026年11月27日 周五 04:00");
	/* the New Year in Shanghai comes eight hours before it does in UTC */
	fmt_long_datetime_in(at("2026-12-31T16:30:00Z"), "Asia/Shanghai", buf, sizeof buf);
	assert_string_equal(buf, "2027年1月1日 周五 00:30");
	free(i18n_set_language(prev));
	free(prev);
}

static void test_zone_names_offset(void **state)
{
	(void)state;
	char buf[96];
	fmt_zone("Asia/Shanghai", at("2026-11-26T20:00:00Z"), buf, sizeof buf);
	assert_string_equal(buf, "Asia/Shanghai (UTC+8)");
	fmt_zone("Europe/Berlin", at("2026-11-26T20:00:00Z"), buf, sizeof buf);
	assert_string_equal(buf, "Europe/Berlin (UTC+1)");
	fmt_zone("Europe/Berlin", at("2026-07-01T20:00:00Z"), buf, sizeof buf);
	assert_string_equal(buf, "Europe/Berlin (UTC+2)");
	fmt_zone("Asia/Kolkata", at("2026-11-26T20:00:00Z"), buf, sizeof buf);
	assert_string_equal(buf, "Asia/Kolkata (UTC+05:30)");
	fmt_zone("America/New_York", at("2026-11-26T20:00:00Z"), buf, sizeof buf);
	assert_string_equal(buf, "America/New_York (UTC-5)");
	fmt_zone(NULL, 0, buf, sizeof buf);
	assert_string_equal(buf, "UTC");
	fmt_zone("Mars/Olympus", 0, buf, sizeof buf);
	assert_string_equal(buf, "UTC");
}

struct fx {
	char *dir, *db;
	struct wb_config cfg;
	struct desk *d;
};

static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof *f);
	test_desk_prepare(&f->dir, &f->db, &f->cfg);
	struct wb_err err = { 0 };
	test_desk_mail_config(&f->cfg);
	test_cfg_set(&f->cfg.desk_name, "Desk");
	clock_set_fixed(at("2026-11-25T02:00:00Z"));
	assert_int_equal(desk_open(&f->cfg, f->db, "admin1", &f->d, &err), 0);
	outbox_attach(f->d, &f->cfg);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	test_desk_close(&f->dir, &f->db, &f->cfg, &f->d);
	free(f);
	return 0;
}

/* The raw mail of outbox entry id, caller frees. */
static char *raw_of(struct fx *f, int64_t id)
{
	struct outbox_item it;
	struct wb_err err = { 0 };
	assert_int_equal(store_outbox_get(f->d->store, id, &it, &err), 0);
	char *raw = xstrdup(it.raw);
	outbox_item_clear(&it);
	return raw;
}

/* The process speaks Chinese; contacts get their own language (a language without templates gets
 * English text with English dates, never a mix), and the process speaks Chinese again afterwards. */
static void test_plan_mail_in_reader_language(void **state)
{
	struct fx *f = *state;
	struct wb_err err = { 0 };
	char *prev = i18n_set_language("zh_CN");
	assert_string_equal(i18n_language(), "zh_CN");
	struct plan_notice n = { 0 };
	n.kind = PLAN_NOTICE_WINDOW_AHEAD;
	n.title = "db upgrade";
	n.what = "erp";
	n.start = at("2026-11-26T20:00:00Z");
	n.end = at("2026-11-26T22:30:00Z");
	n.tz = "Europe/Berlin";
	struct contact c = { 0 };
	bool queued;
	c.name = (char *)"Anna";
	c.email = (char *)"anna@example.de";
	c.language = (char *)"en";
	assert_int_equal(outbox_plan_mail(f->d, &c, &n, NULL, &queued, &err), 0);
	assert_true(queued);
	assert_string_equal(i18n_language(), "zh_CN");
	c.email = (char *)"jean@example.fr";
	c.language = (char *)"fr";
	assert_int_equal(outbox_plan_mail(f->d, &c, &n, NULL, &queued, &err), 0);
	assert_true(queued);
	assert_string_equal(i18n_language(), "zh_CN");
	/* no address, an address mail cannot reach, the desk's own: nothing queued, no error */
	c.email = NULL;
	assert_int_equal(outbox_plan_mail(f->d, &c, &n, NULL, &queued, &err), 0);
	assert_false(queued);
	c.email = (char *)"not an address";
	assert_int_equal(outbox_plan_mail(f->d, &c, &n, NULL, &queued, &err), 0);
	assert_false(queued);
	c.email = (char *)"support@weibao.example.cn";
	assert_int_equal(outbox_plan_mail(f->d, &c, &n, NULL, &queued, &err), 0);
	assert_false(queued);
	struct outbox_item *v;
	size_t count;
	assert_int_equal(store_outbox_list(f->d->store, false, OUTBOX_QUEUED, 0, 10, &v, &count, &err), 0);
	assert_int_equal(count, 2);
	outbox_items_free(&v, count);
	for (int64_t id = 1; id <= 2; id++) {
		char *raw = raw_of(f, id);
		assert_non_null(strstr(raw, "Subject: Planned maintenance: db upgrade (Thu 26 Nov 2026 21:00)"));
		assert_non_null(strstr(raw, "Start: Thu 26 Nov 2026 21:00"));
		assert_non_null(strstr(raw, "Europe/Berlin (UTC+1)"));
		free(raw);
	}
	free(i18n_set_language(prev));
	free(prev);
}

int main(void)
{
	test_locale_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_long_datetime_in_zones),
		cmocka_unit_test(test_zone_names_offset),
		cmocka_unit_test_setup_teardown(test_plan_mail_in_reader_language, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

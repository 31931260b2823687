/* test_i18n.c — the message language switch and dates written for a person (fmt_long_date). */
#include "testlocale.h"

#include "fmt.h"
#include "i18n.h"
#include "sla.h"

#include <time.h>

static void test_long_date_english(void **state)
{
	(void)state;
	char *prev = i18n_set_language("en");
	char buf[64];
	fmt_long_date(at("2026-11-25T10:00:00Z"), buf, sizeof buf);
	assert_string_equal(buf, "Wed 25 Nov 2026");
	fmt_long_date(at("2027-01-03T23:59:00Z"), buf, sizeof buf);
	assert_string_equal(buf, "Sun 3 Jan 2027");
	fmt_long_date(0, buf, sizeof buf);
	assert_string_equal(buf, "-");
	assert_string_equal(i18n_language(), "en");
	free(i18n_set_language(prev));
	free(prev);
}

static void test_long_date_chinese(void **state)
{
	(void)state;
	char *prev = i18n_set_language("zh_CN");
	assert_string_equal(i18n_language(), "zh_CN");
	char buf[64];
	fmt_long_date(at("2026-11-25T10:00:00Z"), buf, sizeof buf);
	assert_string_equal(buf, "2026年11月25日 周三");
	fmt_long_date(at("2027-05-02T08:00:00Z"), buf, sizeof buf);
	assert_string_equal(buf, "2027年5月2日 周日");
	free(i18n_set_language(prev));
	free(prev);
}

/* Switching back and forth at run time is seen at once (glibc caches lookups per LC_MESSAGES name). */
static void test_switch_back(void **state)
{
	(void)state;
	char *a = i18n_set_language("zh_CN");
	assert_string_equal(_("resolved"), "已解决");
	char *b = i18n_set_language("en");
	assert_string_equal(_("resolved"), "resolved");
	char *c = i18n_set_language(b); /* b is the previous override, zh_CN */
	assert_string_equal(_("resolved"), "已解决");
	free(c);
	free(b);
	char *d = i18n_set_language(NULL); /* back to what i18n_init chose: the environment's C.UTF-8 */
	assert_string_equal(_("resolved"), "resolved");
	assert_string_equal(i18n_language(), "en");
	free(d);
	free(a);
}

/* A string with a context comes back as plain English when the catalogue has no entry for it. */
static void test_context_fallback(void **state)
{
	(void)state;
	char *prev = i18n_set_language("zh_CN");
	assert_string_equal(C_("test only", "no catalogue has this"), "no catalogue has this");
	static const char *const table[] = { NC_("test only", "nor this") };
	assert_string_equal(i18n_ctx(table[0]), "nor this");
	free(i18n_set_language(prev));
	free(prev);
}

/* A word with a context gets its own translation: the SLA state "met" is 已达成 whatever plain "met" says. */
static void test_context_translation(void **state)
{
	(void)state;
	char *prev = i18n_set_language("zh_CN");
	assert_string_equal(sla_state_label(SLA_MISSED), "未达成");
	assert_string_equal(sla_state_label(SLA_AT_RISK), "即将超时");
	assert_string_equal(sla_state_label((enum sla_state)99), sla_state_label(SLA_NONE));
	char *zh = i18n_set_language("en");
	assert_string_equal(sla_state_label(SLA_MISSED), "missed");
	assert_string_equal(sla_state_label(SLA_AT_RISK), "at risk");
	assert_string_equal(sla_state_name(SLA_AT_RISK), "at_risk"); /* the stable name stays */
	free(zh);
	free(i18n_set_language(prev));
	free(prev);
}

/* The day is the local one: 2026-11-25 20:00 UTC is already the 26th in Shanghai. */
static void test_long_date_local_day(void **state)
{
	(void)state;
	char *prev = i18n_set_language("zh_CN");
	char buf[64];
	setenv("TZ", "Asia/Shanghai", 1);
	tzset();
	fmt_long_date(at("2026-11-25T20:00:00Z"), buf, sizeof buf);
	assert_string_equal(buf, "2026年11月26日 周四");
	setenv("TZ", "UTC", 1);
	tzset();
	free(i18n_set_language(prev));
	free(prev);
}

int main(void)
{
	test_locale_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_long_date_english),
		cmocka_unit_test(test_long_date_chinese),
		cmocka_unit_test(test_switch_back),
		cmocka_unit_test(test_context_fallback),
		cmocka_unit_test(test_context_translation),
		cmocka_unit_test(test_long_date_local_day),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

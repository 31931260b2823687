/* test_fmt.c — long dates on a zone's wall clock (fmt_long_date_in), as the calendar's agenda heads its
 * days: the local date decides, in English and in Chinese. */
#include "testlocale.h"

#include "fmt.h"
#include "i18n.h"

#include <stdlib.h>

static void test_long_date_in_zone(void **state)
{
	(void)state;
	char buf[128];
	char *prev = i18n_set_language("en");
	/* 20:00 UTC on Thursday is already Friday in Shanghai, still Thursday in New York */
	fmt_long_date_in(at("2026-11-26T20:00:00Z"), "Asia/Shanghai", buf, sizeof buf);
	assert_string_equal(buf, "Fri 27 Nov 2026");
	fmt_long_date_in(at("2026-11-26T20:00:00Z"), "America/New_York", buf, sizeof buf);
	assert_string_equal(buf, "Thu 26 Nov 2026");
	fmt_long_date_in(at("2026-11-26T20:00:00Z"), NULL, buf, sizeof buf);
	assert_string_equal(buf, "Thu 26 Nov 2026");
	fmt_long_date_in(0, "Asia/Shanghai", buf, sizeof buf);
	assert_string_equal(buf, "-");
	free(i18n_set_language("zh_CN"));
	fmt_long_date_in(at("2026-12-31T16:30:00Z"), "Asia/Shanghai", buf, sizeof buf);
	assert_string_equal(buf, "2027年1月1日 周五");
	free(i18n_set_language(prev));
	free(prev);
}

int main(void)
{
	test_locale_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_long_date_in_zone),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

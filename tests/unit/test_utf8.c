#include "testutil.h"

#include "utf8.h"

#include <locale.h>

static void test_valid(void **state)
{
	(void)state;
	assert_true(utf8_valid("软件维保方案", strlen("软件维保方案")));
	assert_false(utf8_valid("\xff\xfe", 2));
	assert_false(utf8_valid("\xc0\xaf", 2));        /* overlong '/' */
	assert_false(utf8_valid("\xed\xa0\x80", 3));    /* surrogate */
	assert_false(utf8_valid("\xe8\xbd", 2));        /* truncated */
}

static void test_width_and_pad(void **state)
{
	(void)state;
	assert_int_equal(utf8_width("abc"), 3);
	assert_int_equal(utf8_width("维保"), 4);
	char *p = utf8_pad("维保方案", 5); /* 4 cells of text + "…" */
	assert_int_equal(utf8_width(p), 5);
	assert_string_equal(p, "维保…");
	free(p);
	p = utf8_pad("ab", 4);
	assert_string_equal(p, "ab  ");
	free(p);
	p = utf8_pad("维保x", 4); /* cut never splits a wide char: "维" + "…" + pad */
	assert_int_equal(utf8_width(p), 4);
	free(p);
}

static void test_flatten(void **state)
{
	(void)state;
	char s[] = "a\r\nBcc: x";
	utf8_flatten(s);
	assert_null(strchr(s, '\n'));
	assert_null(strchr(s, '\r'));
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_width_and_pad),
		cmocka_unit_test(test_flatten),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* strbuf_read: a whole stream, a stream cut after a limit, an empty one. */
#include "strbuf.h"

#include "testutil.h"

static FILE *stream_of(const char *text, size_t n)
{
	FILE *f = tmpfile();
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, n, f), n);
	rewind(f);
	return f;
}

static void test_read_whole(void **state)
{
	(void)state;
	/* more than one read's worth, with a NUL inside: everything arrives, in order */
	size_t n = 20000;
	char *text = malloc(n);
	for (size_t i = 0; i < n; i++)
		text[i] = (char)('a' + i % 26);
	text[100] = '\0';
	FILE *f = stream_of(text, n);
	struct strbuf b = STRBUF_INIT;
	strbuf_add(&b, "head:", 5);
	assert_int_equal(strbuf_read(&b, f, 0), 0);
	assert_int_equal(b.len, 5 + n);
	assert_memory_equal(b.s + 5, text, n);
	assert_int_equal(b.s[b.len], '\0');
	fclose(f);
	strbuf_free(&b);
	free(text);
}

static void test_read_limit(void **state)
{
	(void)state;
	char text[30000];
	memset(text, 'x', sizeof text);
	FILE *f = stream_of(text, sizeof text);
	struct strbuf b = STRBUF_INIT;
	assert_int_equal(strbuf_read(&b, f, 10000), 1);
	assert_true(b.len > 10000 && b.len < sizeof text);
	fclose(f);
	strbuf_free(&b);
	/* exactly the limit is not over it */
	f = stream_of(text, 10000);
	assert_int_equal(strbuf_read(&b, f, 10000), 0);
	assert_int_equal(b.len, 10000);
	fclose(f);
	strbuf_free(&b);
}

static void test_read_empty(void **state)
{
	(void)state;
	FILE *f = stream_of("", 0);
	struct strbuf b = STRBUF_INIT;
	assert_int_equal(strbuf_read(&b, f, 0), 0);
	assert_int_equal(b.len, 0);
	assert_string_equal(strbuf_str(&b), "");
	char *s = strbuf_detach(&b);
	assert_string_equal(s, "");
	free(s);
	fclose(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_whole),
		cmocka_unit_test(test_read_limit),
		cmocka_unit_test(test_read_empty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

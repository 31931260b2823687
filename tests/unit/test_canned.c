#include "testutil.h"

#include "canned.h"

#include <locale.h>
#include <sys/stat.h>

static void test_expand(void **state)
{
	(void)state;
	struct ticket t = { 0 };
	t.id = 42;
	t.subject = (char *)"网上银行登录报错 500";
	t.status = STATUS_IN_PROGRESS;
	t.priority = 2;
	t.requester_name = (char *)"张伟";
	t.requester_email = (char *)"zhang.wei@huaxin-bank.cn";
	t.org = (char *)"华信银行";
	struct user me = { 0 };
	me.login = (char *)"alice";
	me.name = (char *)"Alice Wang";
	char *s = canned_expand("{{requester.name}}您好，\n工单 #{{ticket.id}}（{{ ticket.subject }}）已处理。"
				"{{org.name}} / {{operator.name}} / {{nope}} / {{unclosed", &t, &me);
	assert_string_equal(s, "张伟您好，\n工单 #42（网上银行登录报错 500）已处理。华信银行 / Alice Wang / {{nope}} / {{unclosed");
	free(s);
	/* no name: the address; no operator */
	t.requester_name = NULL;
	s = canned_expand("Dear {{requester.name}}, {{operator.login}}.", &t, NULL);
	assert_string_equal(s, "Dear zhang.wei@huaxin-bank.cn, .");
	free(s);
	s = canned_expand("", &t, NULL);
	assert_string_equal(s, "");
	free(s);
}

static void test_list_and_load(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	char **names;
	size_t n;
	struct wb_err err = { 0 };
	char *missing = malloc(strlen(dir) + 16);
	sprintf(missing, "%s/none", dir);
	assert_int_equal(canned_list(missing, &names, &n, &err), WB_OK);
	assert_int_equal(n, 0);
	free(missing);
	const char *files[] = { "resolved.txt", "ask-logs.txt", "notes.md", ".hidden.txt" };
	for (size_t i = 0; i < 4; i++) {
		char path[600];
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		FILE *f = fopen(path, "w");
		fputs("text {{ticket.id}}\n", f);
		fclose(f);
	}
	assert_int_equal(canned_list(dir, &names, &n, &err), WB_OK);
	assert_int_equal(n, 2);
	assert_string_equal(names[0], "ask-logs");
	assert_string_equal(names[1], "resolved");
	char *text;
	assert_int_equal(canned_load(dir, names[1], &text, &err), WB_OK);
	assert_string_equal(text, "text {{ticket.id}}\n");
	free(text);
	assert_int_equal(canned_load(dir, "gone", &text, &err), WB_ENOTFOUND);
	assert_int_equal(canned_load(dir, "../x", &text, &err), WB_EINVAL);
	canned_names_free(&names, n);
	assert_null(names);
	test_rmtree(dir);
	free(dir);
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expand),
		cmocka_unit_test(test_list_and_load),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

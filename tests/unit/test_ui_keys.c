#include "testutil.h"

#include "ui_keys.h"

static void test_default_table(void **state)
{
	(void)state;
	struct ui_keymap km = { 0 };
	ui_keymap_default(&km);
	assert_int_equal(ui_keymap_lookup(&km, UI_CTX_LIST, 'j'), ACT_DOWN);
	assert_int_equal(ui_keymap_lookup(&km, UI_CTX_LIST, UI_KEY_DOWN), ACT_DOWN);
	assert_int_equal(ui_keymap_lookup(&km, UI_CTX_LIST, 'q'), ACT_QUIT);     /* from global */
	assert_int_equal(ui_keymap_lookup(&km, UI_CTX_TICKET, 'r'), ACT_REPLY);
	assert_int_equal(ui_keymap_lookup(&km, UI_CTX_LIST, ' '), ACT_MARK);
	assert_int_equal(ui_keymap_lookup(&km, UI_CTX_TICKET, ' '), ACT_PAGE_DOWN);
	assert_int_equal(ui_keymap_lookup(&km, UI_CTX_LIST, 'c'), ACT_CALL);
	assert_int_equal(ui_keymap_lookup(&km, UI_CTX_LIST, 'Z'), ACT_NONE);
	assert_int_equal(ui_keymap_lookup(&km, UI_CTX_FORM, UI_KEY_CTRL('x')), ACT_SAVE);
	assert_int_equal(ui_keymap_lookup(&km, UI_CTX_LIST, 'D'), ACT_DASHBOARD);      /* from global */
	assert_int_equal(ui_keymap_lookup(&km, UI_CTX_DASHBOARD, 'q'), ACT_PERIOD_QUARTER); /* not quit there */
	assert_int_equal(ui_keymap_lookup(&km, UI_CTX_DASHBOARD, UI_KEY_ESC), ACT_QUIT);
	ui_keymap_free(&km);
	assert_null(km.v);
}

static void test_user_file_overrides(void **state)
{
	(void)state;
	struct ui_keymap km = { 0 };
	ui_keymap_default(&km);
	size_t n0 = km.n;
	struct wb_err err = { 0 };
	assert_int_equal(ui_keymap_parse(&km,
					 "# mine\n"
					 "bind list T take\n"
					 "bind list j up   # swapped\n"
					 "unbind list k\n"
					 "bind global # help\n"
					 "bind list 维 note\n",
					 "my.keys", &err),
			 WB_OK);
	assert_int_equal(ui_keymap_lookup(&km, UI_CTX_LIST, 'T'), ACT_TAKE);
	assert_int_equal(ui_keymap_lookup(&km, UI_CTX_LIST, 't'), ACT_TAKE);
	assert_int_equal(ui_keymap_lookup(&km, UI_CTX_LIST, 'j'), ACT_UP);
	assert_int_equal(ui_keymap_lookup(&km, UI_CTX_LIST, 'k'), ACT_NONE);
	assert_int_equal(ui_keymap_lookup(&km, UI_CTX_TICKET, '#'), ACT_HELP);
	assert_int_equal(ui_keymap_lookup(&km, UI_CTX_LIST, 0x7EF4), ACT_NOTE);
	assert_int_equal(km.n, n0 + 3 - 1);
	ui_keymap_free(&km);
}

static void expect_error(const char *text, const char *msg)
{
	struct ui_keymap km = { 0 };
	struct wb_err err = { 0 };
	assert_int_equal(ui_keymap_parse(&km, text, "my.keys", &err), WB_EINVAL);
	assert_string_equal(err.msg, msg);
	ui_keymap_free(&km);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("bind list j down\nbind lst j down\n",
		     "my.keys:2: unknown context 'lst' (global, list, ticket, form, dashboard, calendar, plans or checklist)");
	expect_error("bind list Foo down\n", "my.keys:1: unknown key 'Foo'");
	expect_error("bind list j dwn\n", "my.keys:1: unknown action 'dwn'");
	expect_error("bind list j\n", "my.keys:1: expected: bind CONTEXT KEY ACTION");
	expect_error("bnd list j down\n", "my.keys:1: unknown command 'bnd' (expected bind or unbind)");
	expect_error("bind list C-1 down\n", "my.keys:1: unknown key 'C-1'");
}

static void test_key_names_round_trip(void **state)
{
	(void)state;
	const char *names[] = { "j", "?", "Space", "C-x", "Up", "Down", "PageUp", "PageDown", "Home",
				"End", "Enter", "Tab", "BTab", "Backspace", "Delete", "Esc", "F1", "F12",
				"维", "#", "/" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		int key;
		assert_int_equal(ui_key_parse(names[i], &key), 0);
		char buf[16];
		ui_key_name(key, buf, sizeof buf);
		assert_string_equal(buf, names[i]);
	}
	int key;
	assert_int_equal(ui_key_parse("C-x", &key), 0);
	assert_int_equal(key, 24);
	assert_int_equal(ui_key_parse("F13", &key), -1);
	assert_int_equal(ui_key_parse("ab", &key), -1);
	assert_int_equal(ui_key_parse("", &key), -1);
}

static void test_help_from_table(void **state)
{
	(void)state;
	struct ui_keymap km = { 0 };
	ui_keymap_default(&km);
	struct ui_help_line *h;
	size_t n = ui_keymap_help(&km, &h);
	assert_true(n > 20);
	int titles = 0, down_in_list = 0;
	for (size_t i = 0; i < n; i++) {
		if (h[i].action == ACT_NONE) {
			titles++;
			continue;
		}
		assert_true(strlen(ui_action_help(h[i].action)) > 0);
		assert_true(strlen(h[i].keys) > 0);
		if (h[i].ctx == UI_CTX_LIST && h[i].action == ACT_DOWN) {
			down_in_list++;
			assert_string_equal(h[i].keys, "j, Down");
		}
		for (size_t j = i + 1; j < n && h[j].ctx == h[i].ctx; j++)
			assert_false(h[j].action == h[i].action); /* each action once per section */
	}
	assert_int_equal(titles, UI_CTX__COUNT);
	assert_int_equal(down_in_list, 1);
	free(h);
	/* rebinding shows in the help */
	struct wb_err err = { 0 };
	assert_int_equal(ui_keymap_parse(&km, "unbind list Down\nbind list J down\n", "x", &err), WB_OK);
	n = ui_keymap_help(&km, &h);
	for (size_t i = 0; i < n; i++)
		if (h[i].ctx == UI_CTX_LIST && h[i].action == ACT_DOWN)
			assert_string_equal(h[i].keys, "j, J");
	free(h);
	ui_keymap_free(&km);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_table),
		cmocka_unit_test(test_user_file_overrides),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_key_names_round_trip),
		cmocka_unit_test(test_help_from_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

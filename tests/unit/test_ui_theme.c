#include "testutil.h"

#include "ui_theme.h"

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	static char buf[65536];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

static void test_builtin_is_the_default_file(void **state)
{
	(void)state;
	char path[512];
	snprintf(path, sizeof path, "%s/themes/default.theme", test_root());
	const char *file = slurp(path);
	assert_non_null(file);
	assert_string_equal(file, ui_theme_builtin_text());
}

static void test_parse_roles_colours_attrs(void **state)
{
	(void)state;
	struct ui_theme t;
	ui_theme_default(&t);
	struct wb_err err = { 0 };
	assert_int_equal(ui_theme_parse(&t,
					"# a comment\n"
					"\n"
					"color sla_breached red default bold\n"
					"  colour selected color231 colour24   # trailing comment\n"
					"color p1 brightred black underline reverse\n"
					"mono  p1 bold\n",
					"t.theme", &err),
			 WB_OK);
	struct ui_style *s = &t.style[ROLE_SLA_BREACHED];
	assert_int_equal(s->fg, 1);
	assert_int_equal(s->bg, UI_COLOR_DEFAULT);
	assert_int_equal(s->attrs, UI_ATTR_BOLD);
	s = &t.style[ROLE_SELECTED];
	assert_int_equal(s->fg, 231);
	assert_int_equal(s->bg, 24);
	assert_int_equal(s->attrs, 0);
	s = &t.style[ROLE_P1];
	assert_int_equal(s->fg, 9);
	assert_int_equal(s->bg, 0);
	assert_int_equal(s->attrs, UI_ATTR_UNDERLINE | UI_ATTR_REVERSE);
	assert_int_equal(ui_theme_mono_attrs(&t, ROLE_P1), UI_ATTR_BOLD);
	assert_int_equal(ui_role_from_name("sla_at_risk"), ROLE_SLA_AT_RISK);
	assert_string_equal(ui_role_name(ROLE_SIDEBAR_SEL), "sidebar_sel");
	assert_int_equal(ui_role_from_name("nope"), -1);
}

static void expect_error(const char *text, const char *msg)
{
	struct ui_theme t;
	ui_theme_default(&t);
	struct wb_err err = { 0 };
	assert_int_equal(ui_theme_parse(&t, text, "my.theme", &err), WB_EINVAL);
	assert_string_equal(err.msg, msg);
}

static void test_errors_name_file_line_word(void **state)
{
	(void)state;
	expect_error("color normal default default\n\ncolor topbar purpel blue\n",
		     "my.theme:3: unknown colour 'purpel'");
	expect_error("color topbr white blue\n", "my.theme:1: unknown role 'topbr'");
	expect_error("color topbar white blue blod\n", "my.theme:1: unknown attribute 'blod'");
	expect_error("color topbar color256 blue\n", "my.theme:1: unknown colour 'color256'");
	expect_error("colr topbar white blue\n", "my.theme:1: unknown command 'colr' (expected color or mono)");
	expect_error("color topbar white\n", "my.theme:1: expected: color ROLE FOREGROUND BACKGROUND [ATTRIBUTE...]");
	expect_error("mono topbar\n", "my.theme:1: expected: mono ROLE ATTRIBUTE...");
}

static void test_every_shipped_theme_loads_and_names_every_role(void **state)
{
	(void)state;
	const char *names[] = { "default", "dark", "light", "high-contrast", "monochrome" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		char path[512];
		snprintf(path, sizeof path, "%s/themes/%s.theme", test_root(), names[i]);
		struct ui_theme t;
		ui_theme_default(&t);
		struct wb_err err = { 0 };
		assert_int_equal(ui_theme_load_file(&t, path, &err), WB_OK);
		const char *text = slurp(path);
		for (int r = 0; r < ROLE__COUNT; r++) {
			char needle[64];
			snprintf(needle, sizeof needle, "color %s ", ui_role_name((enum ui_role)r));
			if (!strstr(text, needle))
				fail_msg("%s does not set role %s", names[i], ui_role_name((enum ui_role)r));
		}
	}
}

static void test_load_named(void **state)
{
	(void)state;
	char dir[512];
	snprintf(dir, sizeof dir, "%s/themes", test_root());
	setenv("WEIBAO_THEMES", dir, 1);
	struct ui_theme t;
	struct wb_err err = { 0 };
	assert_int_equal(ui_theme_load_named(&t, "dark", &err), WB_OK);
	assert_int_equal(t.style[ROLE_TOPBAR].bg, 24);
	assert_int_equal(ui_theme_load_named(&t, "no-such", &err), WB_ENOTFOUND);
	assert_non_null(strstr(err.msg, "'no-such'"));
	assert_int_equal(ui_theme_load_named(&t, "/nonexistent/x.theme", &err), WB_EIO);
	assert_non_null(strstr(err.msg, "/nonexistent/x.theme"));
	assert_int_equal(ui_theme_load_named(&t, NULL, &err), WB_OK);
	assert_int_equal(t.style[ROLE_TOPBAR].bg, 4); /* the default's blue */
	unsetenv("WEIBAO_THEMES");
}

static void test_colour_fallback(void **state)
{
	(void)state;
	bool bright;
	assert_int_equal(ui_color_fallback(200, 256, &bright), 200);
	assert_int_equal(ui_color_fallback(196, 16, &bright), 9);   /* pure red -> bright red */
	assert_false(bright);
	assert_int_equal(ui_color_fallback(196, 8, &bright), 1);    /* -> red, shown bold */
	assert_true(bright);
	assert_int_equal(ui_color_fallback(2, 8, &bright), 2);
	assert_false(bright);
	assert_int_equal(ui_color_fallback(234, 16, NULL), 0);      /* near-black grey -> black */
	assert_int_equal(ui_color_fallback(255, 8, NULL), 7);       /* near-white grey -> white */
	assert_int_equal(ui_color_fallback(21, 8, NULL), 4);        /* blue stays blue */
	assert_int_equal(ui_color_fallback(UI_COLOR_DEFAULT, 8, NULL), UI_COLOR_DEFAULT);
	assert_int_equal(ui_color_fallback(3, 0, NULL), UI_COLOR_DEFAULT);
}

static void test_no_color_keeps_roles_apart(void **state)
{
	(void)state;
	struct ui_theme t;
	ui_theme_default(&t);
	/* the selection and the bars are set apart by their background: reverse video without colour */
	assert_true(ui_theme_mono_attrs(&t, ROLE_SELECTED) & UI_ATTR_REVERSE);
	assert_true(ui_theme_mono_attrs(&t, ROLE_TOPBAR) & UI_ATTR_REVERSE);
	assert_int_equal(ui_theme_mono_attrs(&t, ROLE_NORMAL), 0);
	assert_int_not_equal(ui_theme_mono_attrs(&t, ROLE_SLA_BREACHED), ui_theme_mono_attrs(&t, ROLE_SLA_AT_RISK));
	assert_int_not_equal(ui_theme_mono_attrs(&t, ROLE_SLA_AT_RISK), ui_theme_mono_attrs(&t, ROLE_NORMAL));
	/* a dark theme's own background on every role is not "set apart" */
	char path[512];
	snprintf(path, sizeof path, "%s/themes/dark.theme", test_root());
	struct wb_err err = { 0 };
	assert_int_equal(ui_theme_load_file(&t, path, &err), WB_OK);
	assert_int_equal(ui_theme_mono_attrs(&t, ROLE_P3), 0);
	assert_true(ui_theme_mono_attrs(&t, ROLE_SELECTED) & UI_ATTR_REVERSE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin_is_the_default_file),
		cmocka_unit_test(test_parse_roles_colours_attrs),
		cmocka_unit_test(test_errors_name_file_line_word),
		cmocka_unit_test(test_every_shipped_theme_loads_and_names_every_role),
		cmocka_unit_test(test_load_named),
		cmocka_unit_test(test_colour_fallback),
		cmocka_unit_test(test_no_color_keeps_roles_apart),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

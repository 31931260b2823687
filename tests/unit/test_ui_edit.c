#include "testutil.h"

#include "ui_edit.h"

#include <locale.h>

static void type(struct ui_line *l, const char *utf8)
{
	/* feed code points as the terminal would */
	const unsigned char *p = (const unsigned char *)utf8;
	while (*p) {
		int cp, len;
		if (*p < 0x80) { cp = *p; len = 1; }
		else if ((*p & 0xE0) == 0xC0) { cp = *p & 0x1F; len = 2; }
		else if ((*p & 0xF0) == 0xE0) { cp = *p & 0x0F; len = 3; }
		else { cp = *p & 0x07; len = 4; }
		for (int i = 1; i < len; i++)
			cp = (cp << 6) | (p[i] & 0x3F);
		assert_true(ui_line_key(l, cp));
		p += len;
	}
}

static void test_line_editing_with_chinese(void **state)
{
	(void)state;
	struct ui_line l;
	ui_line_init(&l, "");
	type(&l, "电话 13800");
	assert_string_equal(ui_line_text(&l), "电话 13800");
	assert_int_equal(ui_line_cursor_cells(&l), 10);
	ui_line_key(&l, UI_KEY_HOME);
	ui_line_key(&l, UI_KEY_RIGHT);
	assert_int_equal(ui_line_cursor_cells(&l), 2);   /* one Chinese character = two cells */
	ui_line_key(&l, UI_KEY_BACKSPACE);               /* removes the whole character */
	assert_string_equal(ui_line_text(&l), "话 13800");
	ui_line_key(&l, UI_KEY_DELETE);
	assert_string_equal(ui_line_text(&l), " 13800");
	type(&l, "客户");
	assert_string_equal(ui_line_text(&l), "客户 13800");
	ui_line_key(&l, UI_KEY_END);
	ui_line_key(&l, UI_KEY_CTRL('w'));
	assert_string_equal(ui_line_text(&l), "客户 ");
	ui_line_key(&l, UI_KEY_LEFT);
	ui_line_key(&l, UI_KEY_CTRL('k'));
	assert_string_equal(ui_line_text(&l), "客户");
	ui_line_key(&l, UI_KEY_CTRL('u'));
	assert_string_equal(ui_line_text(&l), "");
	assert_false(ui_line_key(&l, UI_KEY_F1));
	ui_line_key(&l, UI_KEY_BACKSPACE); /* nothing to delete: no harm */
	ui_line_set(&l, "abc");
	assert_int_equal(l.cur, 3);
	ui_line_free(&l);
}

static void test_multiline(void **state)
{
	(void)state;
	struct ui_text t;
	ui_text_init(&t, "第一行\nsecond\n");
	assert_int_equal(t.n, 2);
	assert_int_equal(t.row, 1);
	ui_text_key(&t, UI_KEY_END, 10);
	ui_text_key(&t, UI_KEY_ENTER, 10);
	ui_text_key(&t, 'x', 10);
	char *s = ui_text_join(&t);
	assert_string_equal(s, "第一行\nsecond\nx");
	free(s);
	/* Up keeps the column in cells: from col 1 on "x" to col 0/1 on "second" */
	ui_text_key(&t, UI_KEY_UP, 10);
	assert_int_equal(t.row, 1);
	assert_int_equal(ui_line_cursor_cells(&t.lines[1]), 1);
	/* on the Chinese line, cell 1 falls inside the first character: the cursor stays before it */
	ui_text_key(&t, UI_KEY_UP, 10);
	assert_int_equal(ui_line_cursor_cells(&t.lines[0]), 0);
	/* Backspace at the start of a line joins it to the one above */
	ui_text_key(&t, UI_KEY_DOWN, 10);
	ui_text_key(&t, UI_KEY_HOME, 10);
	ui_text_key(&t, UI_KEY_BACKSPACE, 10);
	s = ui_text_join(&t);
	assert_string_equal(s, "第一行second\nx");
	free(s);
	assert_int_equal(ui_line_cursor_cells(&t.lines[0]), 6);
	/* Delete at the end joins the next */
	ui_text_key(&t, UI_KEY_END, 10);
	ui_text_key(&t, UI_KEY_DELETE, 10);
	s = ui_text_join(&t);
	assert_string_equal(s, "第一行secondx");
	free(s);
	ui_text_free(&t);

	ui_text_init(&t, NULL);
	assert_int_equal(t.n, 1);
	s = ui_text_join(&t);
	assert_string_equal(s, "");
	free(s);
	ui_text_free(&t);
}

static void test_external_editor(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	setenv("TMPDIR", dir, 1);
	unsetenv("VISUAL");
	unsetenv("EDITOR");
	char *out = (char *)"untouched";
	struct wb_err err = { 0 };
	assert_int_equal(ui_edit_external("x", &out, &err), WB_ENOTFOUND);
	assert_null(out);

	/* an editor with arguments, the way people set EDITOR */
	setenv("EDITOR", "sed -i s/草稿/回复/", 1);
	assert_int_equal(ui_edit_external("这是草稿\n", &out, &err), WB_OK);
	assert_string_equal(out, "这是回复\n");
	free(out);
	/* VISUAL wins over EDITOR */
	setenv("VISUAL", "sed -i s/a/b/", 1);
	assert_int_equal(ui_edit_external("a", &out, &err), WB_OK);
	assert_string_equal(out, "b");
	free(out);
	/* a failing editor is reported, not taken as an empty text */
	setenv("VISUAL", "false", 1);
	assert_int_equal(ui_edit_external("a", &out, &err), WB_EIO);
	assert_null(out);
	assert_non_null(strstr(err.msg, "'false'"));
	unsetenv("VISUAL");
	unsetenv("EDITOR");
	/* the temporary file is gone afterwards */
	char cmd[600];
	snprintf(cmd, sizeof cmd, "test -z \"$(ls -A '%s')\"", dir);
	assert_int_equal(system(cmd), 0);
	test_rmtree(dir);
	free(dir);
	unsetenv("TMPDIR");
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line_editing_with_chinese),
		cmocka_unit_test(test_multiline),
		cmocka_unit_test(test_external_editor),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

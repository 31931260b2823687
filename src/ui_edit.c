#include "ui_edit.h"

#include "i18n.h"
#include "strbuf.h"
#include "ui_term.h"
#include "utf8.h"
#include "xmalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- one line ---- */

static void line_reserve(struct ui_line *l, size_t extra)
{
	if (l->len + extra + 1 <= l->cap)
		return;
	size_t cap = l->cap ? l->cap : 32;
	while (cap < l->len + extra + 1)
		cap *= 2;
	l->s = xrealloc(l->s, cap);
	l->cap = cap;
}

void ui_line_init(struct ui_line *l, const char *text)
{
	memset(l, 0, sizeof *l);
	ui_line_set(l, text);
}

void ui_line_set(struct ui_line *l, const char *text)
{
	size_t n = text ? strlen(text) : 0;
	l->len = 0;
	line_reserve(l, n);
	if (n)
		memcpy(l->s, text, n);
	l->len = n;
	l->s[n] = '\0';
	l->cur = n;
	l->scroll = 0;
}

void ui_line_free(struct ui_line *l)
{
	free(l->s);
	memset(l, 0, sizeof *l);
}

const char *ui_line_text(const struct ui_line *l)
{
	return l->s ? l->s : "";
}

static size_t encode_utf8(int cp, char *u)
{
	unsigned c = (unsigned)cp;
	if (c < 0x80) {
		u[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		u[0] = (char)(0xC0 | (c >> 6));
		u[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		u[0] = (char)(0xE0 | (c >> 12));
		u[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		u[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	u[0] = (char)(0xF0 | (c >> 18));
	u[1] = (char)(0x80 | ((c >> 12) & 0x3F));
	u[2] = (char)(0x80 | ((c >> 6) & 0x3F));
	u[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

static size_t prev_char(const struct ui_line *l, size_t i)
{
	if (i == 0)
		return 0;
	i--;
	while (i > 0 && ((unsigned char)l->s[i] & 0xC0) == 0x80)
		i--;
	return i;
}

static size_t next_char(const struct ui_line *l, size_t i)
{
	if (i >= l->len)
		return l->len;
	i++;
	while (i < l->len && ((unsigned char)l->s[i] & 0xC0) == 0x80)
		i++;
	return i;
}

static void line_delete(struct ui_line *l, size_t from, size_t to)
{
	if (to <= from)
		return;
	memmove(l->s + from, l->s + to, l->len - to + 1);
	l->len -= to - from;
	if (l->cur > to)
		l->cur -= to - from;
	else if (l->cur > from)
		l->cur = from;
}

static void line_insert(struct ui_line *l, const char *s, size_t n)
{
	line_reserve(l, n);
	memmove(l->s + l->cur + n, l->s + l->cur, l->len - l->cur + 1);
	memcpy(l->s + l->cur, s, n);
	l->len += n;
	l->cur += n;
}

bool ui_line_key(struct ui_line *l, int key)
{
	if (!l->s)
		ui_line_set(l, "");
	switch (key) {
	case UI_KEY_LEFT:
		l->cur = prev_char(l, l->cur);
		return true;
	case UI_KEY_RIGHT:
		l->cur = next_char(l, l->cur);
		return true;
	case UI_KEY_HOME:
	case UI_KEY_CTRL('a'):
		l->cur = 0;
		return true;
	case UI_KEY_END:
	case UI_KEY_CTRL('e'):
		l->cur = l->len;
		return true;
	case UI_KEY_BACKSPACE:
		line_delete(l, prev_char(l, l->cur), l->cur);
		return true;
	case UI_KEY_DELETE:
	case UI_KEY_CTRL('d'):
		line_delete(l, l->cur, next_char(l, l->cur));
		return true;
	case UI_KEY_CTRL('k'):
		line_delete(l, l->cur, l->len);
		return true;
	case UI_KEY_CTRL('u'):
		line_delete(l, 0, l->cur);
		return true;
	case UI_KEY_CTRL('w'): {
		size_t i = l->cur;
		while (i > 0 && l->s[i - 1] == ' ')
			i--;
		while (i > 0 && l->s[i - 1] != ' ')
			i = prev_char(l, i);
		line_delete(l, i, l->cur);
		return true;
	}
	default:
		if (key >= ' ' && key < UI_KEY_BASE && key != 0x7F && !(key >= 0xD800 && key <= 0xDFFF)) {
			char u[4];
			line_insert(l, u, encode_utf8(key, u));
			return true;
		}
		return false;
	}
}

static int cells_of(const char *s, size_t bytes)
{
	char *tmp = xstrndup(s, bytes);
	int w = utf8_width(tmp);
	free(tmp);
	return w;
}

int ui_line_cursor_cells(const struct ui_line *l)
{
	return l->s ? cells_of(l->s, l->cur) : 0;
}

int ui_line_draw(struct ui_line *l, int row, int col, int cells, enum ui_role role)
{
	if (!l->s)
		ui_line_set(l, "");
	if (cells < 2)
		cells = 2;
	int cc = ui_line_cursor_cells(l);
	if (cc - l->scroll > cells - 1)
		l->scroll = cc - cells + 1;
	if (cc < l->scroll)
		l->scroll = cc;
	if (l->scroll < 0)
		l->scroll = 0;
	/* skip whole characters until `scroll` cells are behind us */
	size_t start = 0;
	int skipped = 0;
	while (start < l->len && skipped < l->scroll) {
		size_t nx = next_char(l, start);
		skipped += cells_of(l->s + start, nx - start);
		start = nx;
	}
	int lead = skipped - l->scroll; /* a wide character half scrolled away leaves a blank */
	if (lead > 0)
		ui_term_fill(row, col, lead, role);
	ui_term_text(row, col + lead, cells - lead, l->s + start, role, UI_TEXT_PAD);
	return col + cc - l->scroll;
}

/* ---- several lines ---- */

void ui_text_init(struct ui_text *t, const char *text)
{
	memset(t, 0, sizeof *t);
	const char *p = text ? text : "";
	for (;;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (t->n == t->cap) {
			t->cap = t->cap ? t->cap * 2 : 16;
			t->lines = xrealloc(t->lines, t->cap * sizeof t->lines[0]);
		}
		char *one = xstrndup(p, len);
		ui_line_init(&t->lines[t->n++], one);
		free(one);
		if (!nl)
			break;
		p = nl + 1;
	}
	/* a final newline does not make an extra empty line to edit */
	if (t->n > 1 && t->lines[t->n - 1].len == 0 && text && *text) {
		ui_line_free(&t->lines[t->n - 1]);
		t->n--;
	}
	t->row = t->n - 1;
}

void ui_text_free(struct ui_text *t)
{
	for (size_t i = 0; i < t->n; i++)
		ui_line_free(&t->lines[i]);
	free(t->lines);
	memset(t, 0, sizeof *t);
}

static void text_insert_line(struct ui_text *t, size_t at, const char *s)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->lines = xrealloc(t->lines, t->cap * sizeof t->lines[0]);
	}
	memmove(&t->lines[at + 1], &t->lines[at], (t->n - at) * sizeof t->lines[0]);
	ui_line_init(&t->lines[at], s);
	t->n++;
}

static void text_remove_line(struct ui_text *t, size_t at)
{
	ui_line_free(&t->lines[at]);
	memmove(&t->lines[at], &t->lines[at + 1], (t->n - at - 1) * sizeof t->lines[0]);
	t->n--;
}

/* Puts the cursor of line `row` at the character reaching `cells` cells. */
static void place_at_cells(struct ui_line *l, int cells)
{
	size_t i = 0;
	int w = 0;
	while (i < l->len) {
		size_t nx = next_char(l, i);
		int cw = cells_of(l->s + i, nx - i);
		if (w + cw > cells)
			break;
		w += cw;
		i = nx;
	}
	l->cur = i;
}

static void text_vertical(struct ui_text *t, long delta)
{
	int cells = ui_line_cursor_cells(&t->lines[t->row]);
	long r = (long)t->row + delta;
	if (r < 0)
		r = 0;
	if (r >= (long)t->n)
		r = (long)t->n - 1;
	t->row = (size_t)r;
	place_at_cells(&t->lines[t->row], cells);
}

bool ui_text_key(struct ui_text *t, int key, int page)
{
	struct ui_line *l = &t->lines[t->row];
	switch (key) {
	case UI_KEY_ENTER: {
		char *rest = xstrdup(l->s + l->cur);
		l->s[l->cur] = '\0';
		l->len = l->cur;
		text_insert_line(t, t->row + 1, rest);
		free(rest);
		t->row++;
		t->lines[t->row].cur = 0;
		return true;
	}
	case UI_KEY_BACKSPACE:
		if (l->cur == 0 && t->row > 0) {
			struct ui_line *up = &t->lines[t->row - 1];
			size_t at = up->len;
			up->cur = up->len;
			line_insert(up, l->s, l->len);
			up->cur = at;
			text_remove_line(t, t->row);
			t->row--;
			return true;
		}
		return ui_line_key(l, key);
	case UI_KEY_DELETE:
		if (l->cur == l->len && t->row + 1 < t->n) {
			struct ui_line *down = &t->lines[t->row + 1];
			size_t at = l->cur;
			line_insert(l, down->s, down->len);
			l->cur = at;
			text_remove_line(t, t->row + 1);
			return true;
		}
		return ui_line_key(l, key);
	case UI_KEY_UP:
		text_vertical(t, -1);
		return true;
	case UI_KEY_DOWN:
		text_vertical(t, +1);
		return true;
	case UI_KEY_PGUP:
		text_vertical(t, -(page > 1 ? page - 1 : 1));
		return true;
	case UI_KEY_PGDN:
		text_vertical(t, page > 1 ? page - 1 : 1);
		return true;
	case UI_KEY_LEFT:
		if (l->cur == 0 && t->row > 0) {
			t->row--;
			t->lines[t->row].cur = t->lines[t->row].len;
			return true;
		}
		return ui_line_key(l, key);
	case UI_KEY_RIGHT:
		if (l->cur == l->len && t->row + 1 < t->n) {
			t->row++;
			t->lines[t->row].cur = 0;
			return true;
		}
		return ui_line_key(l, key);
	default:
		return ui_line_key(l, key);
	}
}

char *ui_text_join(const struct ui_text *t)
{
	struct strbuf b = STRBUF_INIT;
	for (size_t i = 0; i < t->n; i++) {
		strbuf_adds(&b, ui_line_text(&t->lines[i]));
		if (i + 1 < t->n)
			strbuf_addc(&b, '\n');
	}
	return strbuf_detach(&b);
}

void ui_text_draw(struct ui_text *t, int y, int x, int h, int w, enum ui_role role)
{
	if (h < 1)
		return;
	if (t->row < t->top)
		t->top = t->row;
	if (t->row >= t->top + (size_t)h)
		t->top = t->row - (size_t)h + 1;
	int cur_col = x;
	for (int i = 0; i < h; i++) {
		size_t k = t->top + (size_t)i;
		if (k >= t->n) {
			ui_term_fill(y + i, x, w, role);
			continue;
		}
		int c = ui_line_draw(&t->lines[k], y + i, x, w, role);
		if (k == t->row)
			cur_col = c;
	}
	ui_term_cursor(y + (int)(t->row - t->top), cur_col);
}

/* ---- editors ---- */

static int write_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(fd, s, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	struct strbuf b = STRBUF_INIT;
	strbuf_read(&b, f, 0);
	fclose(f);
	return strbuf_detach(&b);
}

int ui_edit_external(const char *text, char **out, struct wb_err *err)
{
	*out = NULL;
	const char *editor = getenv("VISUAL");
	if (!editor || !*editor)
		editor = getenv("EDITOR");
	if (!editor || !*editor)
		return wb_err_set(err, WB_ENOTFOUND, _("neither VISUAL nor EDITOR is set"));
	const char *tmp = getenv("TMPDIR");
	char *path = xasprintf("%s/weibao-XXXXXX.txt", tmp && *tmp ? tmp : "/tmp");
	int fd = mkstemps(path, 4);
	if (fd < 0) {
		int rc = wb_err_set(err, WB_EIO, _("cannot make a temporary file in %s: %s"),
				    tmp && *tmp ? tmp : "/tmp", strerror(errno));
		free(path);
		return rc;
	}
	if (write_all(fd, text ? text : "", text ? strlen(text) : 0) < 0) {
		int rc = wb_err_set(err, WB_EIO, _("cannot write %s: %s"), path, strerror(errno));
		close(fd);
		unlink(path);
		free(path);
		return rc;
	}
	close(fd);

	/* The editor string may carry arguments ("vim -u NONE"), so the shell splits it; the file name
	 * is passed as a separate argument and never goes through the shell's parser. */
	char *cmd = xasprintf("%s \"$1\"", editor);
	ui_term_suspend();
	int status = -1;
	pid_t pid = fork();
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", cmd, "sh", path, (char *)NULL);
		_exit(127);
	}
	if (pid > 0) {
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	ui_term_resume();
	free(cmd);
	int rc = WB_OK;
	if (pid < 0)
		rc = wb_err_set(err, WB_EIO, _("cannot start the editor: %s"), strerror(errno));
	else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		rc = wb_err_set(err, WB_EIO, _("the editor '%s' failed (exit status %d); the text was not changed"),
				editor, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	else if (!(*out = read_file(path)))
		rc = wb_err_set(err, WB_EIO, _("cannot read back %s: %s"), path, strerror(errno));
	unlink(path);
	free(path);
	return rc;
}

int ui_edit_builtin(const char *title, const char *text, const struct ui_keymap *km, char **out,
		    struct wb_err *err)
{
	(void)err;
	*out = NULL;
	struct ui_text t;
	ui_text_init(&t, text);
	char save_keys[48], cancel_keys[48];
	ui_keymap_keys_for(km, UI_CTX_FORM, ACT_SAVE, save_keys, sizeof save_keys);
	ui_keymap_keys_for(km, UI_CTX_FORM, ACT_CANCEL, cancel_keys, sizeof cancel_keys);
	int rc = WB_OK;
	bool done = false;
	ui_term_clear();
	while (!done) {
		int rows, cols;
		ui_term_size(&rows, &cols);
		ui_term_text(0, 0, cols, title, ROLE_TOPBAR, UI_TEXT_PAD | UI_TEXT_ELLIPSIS);
		char *help = xasprintf(_("%s save   %s cancel"), save_keys, cancel_keys);
		ui_term_text(rows - 1, 0, cols, help, ROLE_STATUSBAR, UI_TEXT_PAD);
		free(help);
		ui_text_draw(&t, 1, 0, rows - 2, cols, ROLE_NORMAL);
		ui_term_flush();
		int key = ui_term_key(-1);
		switch (key) {
		case UI_KEY_TIMEOUT:
			continue;
		case UI_KEY_QUIT_SIGNAL:
			*out = ui_text_join(&t);
			rc = WB_ETEMP;
			done = true;
			continue;
		case UI_KEY_RESIZE:
		case UI_KEY_REDRAW:
			ui_term_clear();
			continue;
		default:
			break;
		}
		enum ui_action a = ui_keymap_lookup(km, UI_CTX_FORM, key);
		if (a == ACT_SAVE) {
			*out = ui_text_join(&t);
			done = true;
		} else if (a == ACT_CANCEL) {
			done = true;
		} else if (!ui_text_key(&t, key, rows - 2)) {
			ui_term_beep();
		}
	}
	ui_term_cursor(-1, 0);
	ui_term_clear();
	ui_text_free(&t);
	return rc;
}

int ui_edit_compose(const char *title, const char *text, const struct ui_keymap *km, char **out,
		    struct wb_err *err)
{
	int rc = ui_edit_external(text, out, err);
	if (rc != WB_ENOTFOUND)
		return rc;
	return ui_edit_builtin(title, text, km, out, err);
}

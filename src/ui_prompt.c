/* ui_prompt.c — small modal dialogs: a menu, a one-line question with completion, y/n, the help screen. */
#include "ui_app.h"

#include "i18n.h"
#include "strbuf.h"
#include "ui_edit.h"
#include "ui_term.h"
#include "utf8.h"
#include "xmalloc.h"

#include <stdlib.h>
#include <string.h>

/* Leaves a dialog: everything under it is drawn again. */
static void dialog_done(struct ui_app *a)
{
	ui_term_cursor(-1, 0);
	ui_term_clear();
	ui_list_invalidate(a->list);
	a->dirty = UI_DIRTY_ALL;
}

static bool handle_special(struct ui_app *a, int key, bool *cancel)
{
	*cancel = false;
	if (key == UI_KEY_QUIT_SIGNAL) {
		a->quit = true;
		*cancel = true;
		return true;
	}
	if (key == UI_KEY_RESIZE || key == UI_KEY_REDRAW) {
		ui_term_size(&a->rows, &a->cols);
		ui_term_clear();
		return true;
	}
	return key == UI_KEY_TIMEOUT;
}

bool ui_prompt_menu(struct ui_app *a, const char *title, const char *const *labels, size_t n, size_t *choice)
{
	size_t sel = 0;
	bool ok = false;
	for (;;) {
		const char *help = _(" Enter choose · Esc cancel");
		int w = utf8_width(title) + 4;
		if (utf8_width(help) + 1 > w)
			w = utf8_width(help) + 1;
		for (size_t i = 0; i < n; i++) {
			int lw = utf8_width(labels[i]) + 8;
			if (lw > w)
				w = lw;
		}
		if (w > a->cols - 4)
			w = a->cols - 4;
		int h = (int)n + 2;
		if (h > a->rows - 2)
			h = a->rows - 2;
		int x = (a->cols - w) / 2, y = (a->rows - h) / 2;
		ui_term_text(y, x, w, title, ROLE_TOPBAR, UI_TEXT_PAD | UI_TEXT_ELLIPSIS);
		size_t first = sel >= (size_t)(h - 2) ? sel - (size_t)(h - 2) + 1 : 0;
		for (int i = 0; i < h - 2; i++) {
			size_t k = first + (size_t)i;
			char *line = k < n ? xasprintf(" %zu  %s", k + 1, labels[k]) : xstrdup("");
			ui_term_text(y + 1 + i, x, w, line, k == sel ? ROLE_SELECTED : ROLE_SIDEBAR,
				     UI_TEXT_PAD | UI_TEXT_ELLIPSIS);
			free(line);
		}
		ui_term_text(y + h - 1, x, w, help, ROLE_STATUSBAR, UI_TEXT_PAD);
		ui_term_flush();
		int key = ui_term_key(-1);
		bool cancel;
		if (handle_special(a, key, &cancel)) {
			if (cancel)
				break;
			continue;
		}
		enum ui_action act = ui_keymap_lookup(&a->keys, UI_CTX_LIST, key);
		if (key == UI_KEY_ESC || key == UI_KEY_CTRL('g') || act == ACT_QUIT)
			break;
		if (key == UI_KEY_ENTER) {
			*choice = sel;
			ok = true;
			break;
		}
		if (key >= '1' && key <= '9' && (size_t)(key - '1') < n) {
			*choice = (size_t)(key - '1');
			ok = true;
			break;
		}
		if (act == ACT_DOWN && sel + 1 < n)
			sel++;
		else if (act == ACT_UP && sel > 0)
			sel--;
		else if (act == ACT_TOP)
			sel = 0;
		else if (act == ACT_BOTTOM)
			sel = n - 1;
	}
	dialog_done(a);
	return ok;
}

/* Completes the last word of line from words: the longest common prefix of the matches. */
static void complete(struct ui_line *line, const char *const *words, size_t nwords, struct ui_app *a)
{
	const char *text = ui_line_text(line);
	const char *start = strrchr(text, ' ');
	start = start ? start + 1 : text;
	size_t plen = strlen(start);
	const char *first = NULL;
	size_t common = 0, matches = 0;
	struct strbuf all = STRBUF_INIT;
	for (size_t i = 0; i < nwords; i++) {
		if (strncmp(words[i], start, plen) != 0)
			continue;
		matches++;
		strbuf_addf(&all, "%s ", words[i]);
		if (!first) {
			first = words[i];
			common = strlen(first);
		} else {
			size_t k = 0;
			while (k < common && first[k] == words[i][k])
				k++;
			common = k;
		}
	}
	if (first && common > plen) {
		char *add = xstrndup(first + plen, common - plen);
		line->cur = line->len;
		for (const char *p = add; *p; p++)
			ui_line_key(line, (unsigned char)*p);
		free(add);
		if (matches == 1)
			ui_line_key(line, ' ');
	} else if (matches > 1) {
		ui_app_message(a, ROLE_MESSAGE, "%s", strbuf_str(&all));
	} else if (!matches) {
		ui_term_beep();
	}
	strbuf_free(&all);
}

bool ui_prompt_line(struct ui_app *a, const char *question, const char *initial, const char *const *words,
		    size_t nwords, char **out)
{
	struct ui_line line;
	ui_line_init(&line, initial);
	bool ok = false;
	a->msg[0] = '\0';
	for (;;) {
		int y = a->rows - 1;
		if (a->msg[0]) {
			ui_term_text(y - 1, 0, a->cols, a->msg, ROLE_MESSAGE, UI_TEXT_PAD | UI_TEXT_ELLIPSIS);
			a->msg[0] = '\0';
		}
		int qw = utf8_width(question);
		if (qw > a->cols / 2)
			qw = a->cols / 2;
		ui_term_text(y, 0, qw, question, ROLE_INPUT, UI_TEXT_PAD);
		int cx = ui_line_draw(&line, y, qw, a->cols - qw, ROLE_INPUT);
		ui_term_cursor(y, cx);
		ui_term_flush();
		int key = ui_term_key(-1);
		bool cancel;
		if (handle_special(a, key, &cancel)) {
			if (cancel)
				break;
			continue;
		}
		if (key == UI_KEY_ESC || key == UI_KEY_CTRL('g'))
			break;
		if (key == UI_KEY_ENTER) {
			*out = xstrdup(ui_line_text(&line));
			/* trailing spaces from completion are not part of the answer */
			size_t l = strlen(*out);
			while (l && (*out)[l - 1] == ' ')
				(*out)[--l] = '\0';
			ok = true;
			break;
		}
		if (key == UI_KEY_TAB) {
			if (words)
				complete(&line, words, nwords, a);
			continue;
		}
		if (!ui_line_key(&line, key))
			ui_term_beep();
	}
	ui_line_free(&line);
	dialog_done(a);
	return ok;
}

bool ui_prompt_yes(struct ui_app *a, const char *question)
{
	bool yes = false;
	for (;;) {
		ui_term_text(a->rows - 1, 0, a->cols, question, ROLE_INPUT, UI_TEXT_PAD | UI_TEXT_ELLIPSIS);
		ui_term_flush();
		int key = ui_term_key(-1);
		bool cancel;
		if (handle_special(a, key, &cancel)) {
			if (cancel)
				break;
			continue;
		}
		if (key == 'y' || key == 'Y') {
			yes = true;
			break;
		}
		if (key == 'n' || key == 'N' || key == UI_KEY_ESC || key == UI_KEY_CTRL('g') || key == 'q')
			break;
	}
	a->dirty |= UI_DIRTY_BOTTOM;
	return yes;
}

void ui_prompt_help(struct ui_app *a)
{
	ui_prompt_help_at(a, UI_CTX_GLOBAL);
}

void ui_prompt_help_at(struct ui_app *a, enum ui_ctx ctx)
{
	struct ui_help_line *lines;
	size_t n = ui_keymap_help(&a->keys, &lines);
	int top = 0;
	for (size_t i = 0; i < n; i++)
		if (lines[i].action == ACT_NONE && lines[i].ctx == ctx) {
			top = (int)i; /* the screen's own section first (scrolled into range below) */
			break;
		}
	if (top > (int)n - (a->rows - 2))
		top = (int)n - (a->rows - 2) > 0 ? (int)n - (a->rows - 2) : 0;
	for (;;) {
		ui_term_text(0, 0, a->cols, _(" weibao help — every key, from the key table"), ROLE_TOPBAR,
			     UI_TEXT_PAD);
		int h = a->rows - 2;
		for (int i = 0; i < h; i++) {
			size_t k = (size_t)(top + i);
			int y = 1 + i;
			if (k >= n) {
				ui_term_fill(y, 0, a->cols, ROLE_NORMAL);
				continue;
			}
			if (lines[k].action == ACT_NONE) {
				ui_term_text(y, 0, a->cols, _(ui_ctx_title(lines[k].ctx)), ROLE_HEADER, UI_TEXT_PAD);
				continue;
			}
			ui_term_fill(y, 0, 2, ROLE_NORMAL);
			ui_term_text(y, 2, 20, lines[k].keys, ROLE_HELP_KEY, UI_TEXT_PAD | UI_TEXT_ELLIPSIS);
			ui_term_text(y, 22, a->cols - 22, _(ui_action_help(lines[k].action)), ROLE_NORMAL, UI_TEXT_PAD);
		}
		ui_term_text(a->rows - 1, 0, a->cols, _(" j/k scroll · q back · keys can be changed in ~/.config/weibao/keys"),
			     ROLE_STATUSBAR, UI_TEXT_PAD | UI_TEXT_ELLIPSIS);
		ui_term_flush();
		int key = ui_term_key(-1);
		bool cancel;
		if (handle_special(a, key, &cancel)) {
			if (cancel)
				break;
			continue;
		}
		enum ui_action act = ui_keymap_lookup(&a->keys, UI_CTX_LIST, key);
		int max = (int)n - h > 0 ? (int)n - h : 0;
		if (act == ACT_QUIT || key == UI_KEY_ESC || act == ACT_HELP)
			break;
		if (act == ACT_DOWN)
			top++;
		else if (act == ACT_UP)
			top--;
		else if (act == ACT_PAGE_DOWN || key == ' ')
			top += h - 1;
		else if (act == ACT_PAGE_UP)
			top -= h - 1;
		else if (act == ACT_TOP)
			top = 0;
		else if (act == ACT_BOTTOM)
			top = max;
		if (top > max)
			top = max;
		if (top < 0)
			top = 0;
	}
	free(lines);
	dialog_done(a);
}

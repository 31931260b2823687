#include "ui_keys.h"

#include "i18n.h"
#include "strbuf.h"
#include "xmalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The built-in key table, in the syntax of a user's key file. */
static const char builtin_keys[] =
	"# weibao key table: bind CONTEXT KEY ACTION (contexts: global list ticket form dashboard calendar plans checklist)\n"
	"bind global q         quit\n"
	"bind global ?         help\n"
	"bind global F1        help\n"
	"bind global R         refresh\n"
	"bind global C-l       redraw\n"
	"bind global :         command\n"
	"bind global c         call\n"
	"bind global C         calendar\n"
	"bind global D         dashboard\n"
	"bind list   j         down\n"
	"bind list   Down      down\n"
	"bind list   k         up\n"
	"bind list   Up        up\n"
	"bind list   PageDown  page-down\n"
	"bind list   C-f       page-down\n"
	"bind list   PageUp    page-up\n"
	"bind list   C-b       page-up\n"
	"bind list   g         top\n"
	"bind list   Home      top\n"
	"bind list   G         bottom\n"
	"bind list   End       bottom\n"
	"bind list   Enter     open\n"
	"bind list   Space     mark\n"
	"bind list   U         unmark-all\n"
	"bind list   /         filter\n"
	"bind list   o         sort\n"
	"bind list   Tab       focus\n"
	"bind list   ]         next-view\n"
	"bind list   [         prev-view\n"
	"bind list   t         take\n"
	"bind list   a         assign\n"
	"bind list   s         status\n"
	"bind list   p         priority\n"
	"bind list   N         note\n"
	"bind list   x         close\n"
	"bind ticket j         down\n"
	"bind ticket Down      down\n"
	"bind ticket k         up\n"
	"bind ticket Up        up\n"
	"bind ticket Space     page-down\n"
	"bind ticket PageDown  page-down\n"
	"bind ticket PageUp    page-up\n"
	"bind ticket g         top\n"
	"bind ticket G         bottom\n"
	"bind ticket r         reply\n"
	"bind ticket N         note\n"
	"bind ticket s         status\n"
	"bind ticket t         take\n"
	"bind ticket a         assign\n"
	"bind ticket p         priority\n"
	"bind ticket K         kind\n"
	"bind ticket Q         queue\n"
	"bind ticket L         link\n"
	"bind ticket M         merge\n"
	"bind ticket x         close\n"
	"bind ticket T         checklist\n"
	"bind ticket e         edit-plan\n"
	"bind form   Tab       next-field\n"
	"bind form   Down      next-field\n"
	"bind form   BTab      prev-field\n"
	"bind form   Up        prev-field\n"
	"bind form   C-x       save\n"
	"bind form   Esc       cancel\n"
	"bind form   C-g       cancel\n"
	"bind dashboard j      down\n"
	"bind dashboard Down   down\n"
	"bind dashboard k      up\n"
	"bind dashboard Up     up\n"
	"bind dashboard g      top\n"
	"bind dashboard G      bottom\n"
	"bind dashboard Enter  open\n"
	"bind dashboard [      period-prev\n"
	"bind dashboard ]      period-next\n"
	"bind dashboard w      period-week\n"
	"bind dashboard m      period-month\n"
	"bind dashboard q      period-quarter\n"
	"bind dashboard Esc    quit\n"
	"bind dashboard Left   quit\n"
	"bind calendar Left     day-prev\n"
	"bind calendar h        day-prev\n"
	"bind calendar Right    day-next\n"
	"bind calendar l        day-next\n"
	"bind calendar Up       week-prev\n"
	"bind calendar k        week-prev\n"
	"bind calendar Down     week-next\n"
	"bind calendar j        week-next\n"
	"bind calendar PageUp   month-prev\n"
	"bind calendar <        month-prev\n"
	"bind calendar PageDown month-next\n"
	"bind calendar >        month-next\n"
	"bind calendar t        today\n"
	"bind calendar Home     today\n"
	"bind calendar w        week-view\n"
	"bind calendar A        agenda\n"
	"bind calendar Enter    open\n"
	"bind calendar a        add-plan\n"
	"bind calendar e        edit-plan\n"
	"bind calendar P        plans\n"
	"bind calendar Esc      quit\n"
	"bind plans  j         down\n"
	"bind plans  Down      down\n"
	"bind plans  k         up\n"
	"bind plans  Up        up\n"
	"bind plans  g         top\n"
	"bind plans  Home      top\n"
	"bind plans  G         bottom\n"
	"bind plans  End       bottom\n"
	"bind plans  Enter     edit-plan\n"
	"bind plans  e         edit-plan\n"
	"bind plans  a         add-plan\n"
	"bind plans  d         remove\n"
	"bind plans  Delete    remove\n"
	"bind plans  Esc       quit\n"
	"bind checklist j      down\n"
	"bind checklist Down   down\n"
	"bind checklist k      up\n"
	"bind checklist Up     up\n"
	"bind checklist o      check-ok\n"
	"bind checklist Enter  check-ok\n"
	"bind checklist f      check-failed\n"
	"bind checklist n      check-note\n"
	"bind checklist e      edit-plan\n"
	"bind checklist Esc    quit\n";

static const char *const action_names[ACT__COUNT] = {
#define UI_ACTION_NAME(id, name, help) name,
	UI_ACTIONS(UI_ACTION_NAME)
#undef UI_ACTION_NAME
};

static const char *const action_help[ACT__COUNT] = {
#define UI_ACTION_HELP(id, name, help) help,
	UI_ACTIONS(UI_ACTION_HELP)
#undef UI_ACTION_HELP
};

static const char *const ctx_names[UI_CTX__COUNT] = {
#define UI_CTX_NAME(id, name, title) name,
	UI_CONTEXTS(UI_CTX_NAME)
#undef UI_CTX_NAME
};

static const char *const ctx_titles[UI_CTX__COUNT] = {
#define UI_CTX_TITLE(id, name, title) title,
	UI_CONTEXTS(UI_CTX_TITLE)
#undef UI_CTX_TITLE
};

const char *ui_action_name(enum ui_action a)
{
	return (unsigned)a < ACT__COUNT ? action_names[a] : "?";
}

const char *ui_action_help(enum ui_action a)
{
	return (unsigned)a < ACT__COUNT ? action_help[a] : "";
}

int ui_action_from_name(const char *name)
{
	for (int i = 0; i < ACT__COUNT; i++)
		if (strcmp(action_names[i], name) == 0)
			return i;
	return -1;
}

const char *ui_ctx_name(enum ui_ctx c)
{
	return (unsigned)c < UI_CTX__COUNT ? ctx_names[c] : "?";
}

const char *ui_ctx_title(enum ui_ctx c)
{
	return (unsigned)c < UI_CTX__COUNT ? ctx_titles[c] : "";
}

int ui_ctx_from_name(const char *name)
{
	for (int i = 0; i < UI_CTX__COUNT; i++)
		if (strcmp(ctx_names[i], name) == 0)
			return i;
	return -1;
}

static const struct {
	const char *name;
	int key;
} key_names[] = {
	{ "Up", UI_KEY_UP }, { "Down", UI_KEY_DOWN }, { "Left", UI_KEY_LEFT }, { "Right", UI_KEY_RIGHT },
	{ "PageUp", UI_KEY_PGUP }, { "PageDown", UI_KEY_PGDN }, { "Home", UI_KEY_HOME },
	{ "End", UI_KEY_END }, { "Enter", UI_KEY_ENTER }, { "Tab", UI_KEY_TAB }, { "BTab", UI_KEY_BTAB },
	{ "Backspace", UI_KEY_BACKSPACE }, { "Delete", UI_KEY_DELETE }, { "Insert", UI_KEY_INSERT },
	{ "Esc", UI_KEY_ESC }, { "Space", ' ' },
};

/* Decodes one UTF-8 character; returns its length or 0. */
static size_t decode1(const char *s, int *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	if (p[0] < 0x80) {
		*cp = p[0];
		return p[0] ? 1 : 0;
	}
	size_t len = (p[0] & 0xE0) == 0xC0 ? 2 : (p[0] & 0xF0) == 0xE0 ? 3 : (p[0] & 0xF8) == 0xF0 ? 4 : 0;
	if (!len)
		return 0;
	int c = p[0] & (0x7F >> len);
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3F);
	}
	*cp = c;
	return len;
}

int ui_key_parse(const char *name, int *key)
{
	if (!name || !*name)
		return -1;
	for (size_t i = 0; i < sizeof key_names / sizeof key_names[0]; i++)
		if (strcmp(name, key_names[i].name) == 0) {
			*key = key_names[i].key;
			return 0;
		}
	if (name[0] == 'C' && name[1] == '-' && name[2] && !name[3]) {
		int c = name[2];
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (c < 'a' || c > 'z')
			return -1;
		int k = UI_KEY_CTRL(c);
		if (k == 9 || k == 13 || k == 10)
			return -1; /* those arrive as Tab and Enter */
		*key = k;
		return 0;
	}
	if (name[0] == 'F' && name[1] >= '1' && name[1] <= '9') {
		char *end;
		long n = strtol(name + 1, &end, 10);
		if (!*end && n >= 1 && n <= 12) {
			*key = UI_KEY_F1 + (int)n - 1;
			return 0;
		}
		return -1;
	}
	int cp;
	size_t len = decode1(name, &cp);
	if (!len || name[len] || cp <= ' ' || cp == 0x7F)
		return -1;
	*key = cp;
	return 0;
}

void ui_key_name(int key, char *buf, size_t n)
{
	if (!n)
		return;
	for (size_t i = 0; i < sizeof key_names / sizeof key_names[0]; i++)
		if (key_names[i].key == key) {
			snprintf(buf, n, "%s", key_names[i].name);
			return;
		}
	if (key >= UI_KEY_F1 && key <= UI_KEY_F12) {
		snprintf(buf, n, "F%d", key - UI_KEY_F1 + 1);
	} else if (key >= 1 && key <= 26) {
		snprintf(buf, n, "C-%c", 'a' + key - 1);
	} else if (key > ' ' && key < 0x110000 && key != 0x7F) {
		char u[5];
		size_t l;
		unsigned c = (unsigned)key;
		if (c < 0x80) {
			u[0] = (char)c; l = 1;
		} else if (c < 0x800) {
			u[0] = (char)(0xC0 | (c >> 6)); u[1] = (char)(0x80 | (c & 0x3F)); l = 2;
		} else if (c < 0x10000) {
			u[0] = (char)(0xE0 | (c >> 12)); u[1] = (char)(0x80 | ((c >> 6) & 0x3F));
			u[2] = (char)(0x80 | (c & 0x3F)); l = 3;
		} else {
			u[0] = (char)(0xF0 | (c >> 18)); u[1] = (char)(0x80 | ((c >> 12) & 0x3F));
			u[2] = (char)(0x80 | ((c >> 6) & 0x3F)); u[3] = (char)(0x80 | (c & 0x3F)); l = 4;
		}
		u[l] = '\0';
		snprintf(buf, n, "%s", u);
	} else {
		snprintf(buf, n, "?");
	}
}

static void keymap_set(struct ui_keymap *km, enum ui_ctx ctx, int key, enum ui_action a)
{
	for (size_t i = 0; i < km->n; i++)
		if (km->v[i].ctx == ctx && km->v[i].key == key) {
			if (a == ACT_NONE) {
				memmove(&km->v[i], &km->v[i + 1], (km->n - i - 1) * sizeof km->v[0]);
				km->n--;
			} else {
				km->v[i].action = a;
			}
			return;
		}
	if (a == ACT_NONE)
		return;
	if (km->n == km->cap) {
		km->cap = km->cap ? km->cap * 2 : 64;
		km->v = xrealloc(km->v, km->cap * sizeof km->v[0]);
	}
	km->v[km->n++] = (struct ui_binding){ key, ctx, a };
}

static int parse_line(struct ui_keymap *km, char *line, const char *file, int lineno, struct wb_err *err)
{
	char *w[6];
	int n = 0;
	char *p = line;
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r')
			p++;
		/* "#" is a key name as the third word; anywhere else it starts a comment */
		if (!*p || (*p == '#' && n != 2))
			break;
		if (n < 6)
			w[n] = p;
		n++;
		while (*p && *p != ' ' && *p != '\t' && *p != '\r')
			p++;
		if (*p)
			*p++ = '\0';
	}
	if (n == 0)
		return WB_OK;
	int is_bind = strcmp(w[0], "bind") == 0;
	if (!is_bind && strcmp(w[0], "unbind") != 0)
		return wb_err_set(err, WB_EINVAL, _("%s:%d: unknown command '%s' (expected bind or unbind)"),
				  file, lineno, w[0]);
	if (n != (is_bind ? 4 : 3))
		return wb_err_set(err, WB_EINVAL, is_bind ? _("%s:%d: expected: bind CONTEXT KEY ACTION")
							   : _("%s:%d: expected: unbind CONTEXT KEY"),
				  file, lineno);
	int ctx = ui_ctx_from_name(w[1]);
	if (ctx < 0)
		return wb_err_set(err, WB_EINVAL, _("%s:%d: unknown context '%s' (global, list, ticket, form, dashboard, calendar, plans or checklist)"),
				  file, lineno, w[1]);
	int key;
	if (ui_key_parse(w[2], &key) < 0)
		return wb_err_set(err, WB_EINVAL, _("%s:%d: unknown key '%s'"), file, lineno, w[2]);
	int act = ACT_NONE;
	if (is_bind) {
		act = ui_action_from_name(w[3]);
		if (act < 0)
			return wb_err_set(err, WB_EINVAL, _("%s:%d: unknown action '%s'"), file, lineno, w[3]);
	}
	keymap_set(km, (enum ui_ctx)ctx, key, (enum ui_action)act);
	return WB_OK;
}

int ui_keymap_parse(struct ui_keymap *km, const char *text, const char *file, struct wb_err *err)
{
	int lineno = 0;
	const char *p = text;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char *line = xstrndup(p, len);
		lineno++;
		int rc = parse_line(km, line, file, lineno, err);
		free(line);
		if (rc != WB_OK)
			return rc;
		p += len + (nl ? 1 : 0);
	}
	return WB_OK;
}

int ui_keymap_load_file(struct ui_keymap *km, const char *path, struct wb_err *err)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return wb_err_set(err, WB_EIO, _("cannot read key file %s: %s"), path, strerror(errno));
	struct strbuf b = STRBUF_INIT;
	strbuf_read(&b, f, 0);
	fclose(f);
	char *buf = strbuf_detach(&b);
	int rc = ui_keymap_parse(km, buf, path, err);
	free(buf);
	return rc;
}

const char *ui_keymap_builtin_text(void)
{
	return builtin_keys;
}

void ui_keymap_default(struct ui_keymap *km)
{
	struct wb_err err;
	if (ui_keymap_parse(km, builtin_keys, "(built-in)", &err) != WB_OK)
		abort(); /* fixed at compile time and tested */
}

enum ui_action ui_keymap_lookup(const struct ui_keymap *km, enum ui_ctx ctx, int key)
{
	enum ui_action global = ACT_NONE;
	for (size_t i = 0; i < km->n; i++) {
		if (km->v[i].key != key)
			continue;
		if (km->v[i].ctx == ctx)
			return km->v[i].action;
		if (km->v[i].ctx == UI_CTX_GLOBAL)
			global = km->v[i].action;
	}
	return global;
}

void ui_keymap_keys_for(const struct ui_keymap *km, enum ui_ctx ctx, enum ui_action a, char *buf, size_t n)
{
	if (!n)
		return;
	buf[0] = '\0';
	size_t used = 0;
	for (size_t i = 0; i < km->n; i++) {
		if (km->v[i].ctx != ctx || km->v[i].action != a)
			continue;
		char name[16];
		ui_key_name(km->v[i].key, name, sizeof name);
		int w = snprintf(buf + used, n - used, "%s%s", used ? ", " : "", name);
		if (w < 0 || (size_t)w >= n - used) {
			buf[used] = '\0';
			return;
		}
		used += (size_t)w;
	}
}

void ui_keymap_free(struct ui_keymap *km)
{
	free(km->v);
	km->v = NULL;
	km->n = km->cap = 0;
}

size_t ui_keymap_help(const struct ui_keymap *km, struct ui_help_line **out)
{
	size_t cap = km->n + UI_CTX__COUNT + 1, n = 0;
	struct ui_help_line *v = xcalloc(cap, sizeof *v);
	for (int c = 0; c < UI_CTX__COUNT; c++) {
		size_t title = n;
		v[n++] = (struct ui_help_line){ .ctx = (enum ui_ctx)c, .action = ACT_NONE };
		for (size_t i = 0; i < km->n; i++) {
			if (km->v[i].ctx != (enum ui_ctx)c)
				continue;
			int seen = 0;
			for (size_t j = title + 1; j < n; j++)
				if (v[j].action == km->v[i].action)
					seen = 1;
			if (seen)
				continue;
			v[n].ctx = (enum ui_ctx)c;
			v[n].action = km->v[i].action;
			ui_keymap_keys_for(km, (enum ui_ctx)c, km->v[i].action, v[n].keys, sizeof v[n].keys);
			n++;
		}
		if (n == title + 1)
			n--; /* no bindings in this context: no title either */
	}
	*out = v;
	return n;
}

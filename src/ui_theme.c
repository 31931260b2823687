#include "ui_theme.h"

#include "i18n.h"
#include "strbuf.h"
#include "xmalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Kept identical to themes/default.theme (a unit test compares them). */
static const char builtin_default[] =
	"# weibao default theme: the eight basic colours on the terminal's own background.\n"
	"# Syntax: color ROLE FOREGROUND BACKGROUND [ATTRIBUTES...]\n"
	"#         mono  ROLE ATTRIBUTES...         (used when colour is off, e.g. NO_COLOR=1)\n"
	"# Colours: default black red green yellow blue magenta cyan white, bright<name>, color0..color255.\n"
	"# Attributes: bold dim underline reverse italic blink standout none.\n"
	"color normal        default default\n"
	"color topbar        white   blue    bold\n"
	"color topbar_count  yellow  blue    bold\n"
	"color statusbar     white   blue\n"
	"color statusbar_key yellow  blue    bold\n"
	"color message       default default\n"
	"color error         red     default bold\n"
	"color header        default default bold underline\n"
	"color selected      black   cyan\n"
	"color marked        yellow  default bold\n"
	"color sidebar       default default\n"
	"color sidebar_sel   black   cyan\n"
	"color sidebar_title default default bold\n"
	"color p1            brightred default\n"
	"color p2            yellow  default\n"
	"color p3            default default\n"
	"color p4            default default dim\n"
	"color sla_ok        green   default\n"
	"color sla_at_risk   brightyellow default\n"
	"color sla_breached  brightred default\n"
	"color field_label   cyan    default\n"
	"color field_value   default default\n"
	"color input         default default underline\n"
	"color reply         default default\n"
	"color incoming      default default\n"
	"color note          yellow  default\n"
	"color call          magenta default\n"
	"color event         default default dim\n"
	"color attachment    blue    default underline\n"
	"color quote         green   default\n"
	"color help_key      yellow  default bold\n"
	"color dim           default default dim\n"
	"mono  marked        bold underline\n"
	"mono  p1            bold\n"
	"mono  sla_at_risk   bold\n"
	"mono  sla_breached  bold reverse\n"
	"mono  note          italic\n"
	"mono  call          underline\n"
	;

static const char *const role_names[ROLE__COUNT] = {
#define UI_ROLE_NAME(id, name) name,
	UI_ROLES(UI_ROLE_NAME)
#undef UI_ROLE_NAME
};

const char *ui_role_name(enum ui_role role)
{
	return (unsigned)role < ROLE__COUNT ? role_names[role] : "?";
}

int ui_role_from_name(const char *name)
{
	for (int i = 0; i < ROLE__COUNT; i++)
		if (strcmp(role_names[i], name) == 0)
			return i;
	return -1;
}

const char *ui_theme_builtin_text(void)
{
	return builtin_default;
}

void ui_theme_default(struct ui_theme *t)
{
	for (int i = 0; i < ROLE__COUNT; i++)
		t->style[i] = (struct ui_style){ UI_COLOR_DEFAULT, UI_COLOR_DEFAULT, 0, 0, false };
	struct wb_err err;
	if (ui_theme_parse(t, builtin_default, "(built-in)", &err) != WB_OK)
		abort(); /* the built-in text is fixed at compile time and tested */
}

static const char *const color_names[8] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
};

static int parse_color(const char *w, int *out)
{
	if (strcmp(w, "default") == 0 || strcmp(w, "-1") == 0) {
		*out = UI_COLOR_DEFAULT;
		return 0;
	}
	const char *name = w;
	int bright = 0;
	if (strncmp(w, "bright", 6) == 0) {
		name = w + 6;
		bright = 8;
	}
	for (int i = 0; i < 8; i++)
		if (strcmp(name, color_names[i]) == 0) {
			*out = i + bright;
			return 0;
		}
	const char *num = NULL;
	if (strncmp(w, "colour", 6) == 0)
		num = w + 6;
	else if (strncmp(w, "color", 5) == 0)
		num = w + 5;
	if (num && *num) {
		char *end;
		errno = 0;
		long v = strtol(num, &end, 10);
		if (!*end && !errno && v >= 0 && v <= 255) {
			*out = (int)v;
			return 0;
		}
	}
	return -1;
}

static int parse_attr(const char *w, unsigned *attrs)
{
	static const struct { const char *name; unsigned bit; } attr_names[] = {
		{ "bold", UI_ATTR_BOLD }, { "dim", UI_ATTR_DIM }, { "underline", UI_ATTR_UNDERLINE },
		{ "reverse", UI_ATTR_REVERSE }, { "italic", UI_ATTR_ITALIC }, { "blink", UI_ATTR_BLINK },
		{ "standout", UI_ATTR_STANDOUT }, { "none", 0 }, { "normal", 0 },
	};
	for (size_t i = 0; i < sizeof attr_names / sizeof attr_names[0]; i++)
		if (strcmp(w, attr_names[i].name) == 0) {
			*attrs |= attr_names[i].bit;
			return 0;
		}
	return -1;
}

#define MAX_WORDS 16

/* Splits line in place into words; '#' starts a comment. Returns the count (at most MAX_WORDS + 1). */
static int split_words(char *line, char **w)
{
	int n = 0;
	char *p = line;
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r')
			p++;
		if (!*p || *p == '#')
			break;
		if (n <= MAX_WORDS)
			w[n] = p;
		n++;
		while (*p && *p != ' ' && *p != '\t' && *p != '\r')
			p++;
		if (*p)
			*p++ = '\0';
	}
	return n > MAX_WORDS ? MAX_WORDS + 1 : n;
}

static int parse_line(struct ui_theme *t, char *line, const char *file, int lineno, struct wb_err *err)
{
	char *w[MAX_WORDS + 1];
	int n = split_words(line, w);
	if (n == 0)
		return WB_OK;
	if (n > MAX_WORDS)
		return wb_err_set(err, WB_EINVAL, _("%s:%d: too many words"), file, lineno);
	int is_mono = strcmp(w[0], "mono") == 0;
	if (!is_mono && strcmp(w[0], "color") != 0 && strcmp(w[0], "colour") != 0)
		return wb_err_set(err, WB_EINVAL, _("%s:%d: unknown command '%s' (expected color or mono)"),
				  file, lineno, w[0]);
	if (n < (is_mono ? 3 : 4))
		return wb_err_set(err, WB_EINVAL, is_mono ? _("%s:%d: expected: mono ROLE ATTRIBUTE...")
							   : _("%s:%d: expected: color ROLE FOREGROUND BACKGROUND [ATTRIBUTE...]"),
				  file, lineno);
	int role = ui_role_from_name(w[1]);
	if (role < 0)
		return wb_err_set(err, WB_EINVAL, _("%s:%d: unknown role '%s'"), file, lineno, w[1]);
	struct ui_style s = t->style[role];
	int first_attr = 2;
	if (!is_mono) {
		if (parse_color(w[2], &s.fg) < 0)
			return wb_err_set(err, WB_EINVAL, _("%s:%d: unknown colour '%s'"), file, lineno, w[2]);
		if (parse_color(w[3], &s.bg) < 0)
			return wb_err_set(err, WB_EINVAL, _("%s:%d: unknown colour '%s'"), file, lineno, w[3]);
		first_attr = 4;
	}
	unsigned attrs = 0;
	for (int i = first_attr; i < n; i++)
		if (parse_attr(w[i], &attrs) < 0)
			return wb_err_set(err, WB_EINVAL, _("%s:%d: unknown attribute '%s'"), file, lineno, w[i]);
	if (is_mono) {
		s.mono = attrs;
		s.has_mono = true;
	} else {
		s.attrs = attrs;
	}
	t->style[role] = s;
	return WB_OK;
}

int ui_theme_parse(struct ui_theme *t, const char *text, const char *file, struct wb_err *err)
{
	int lineno = 0;
	const char *p = text;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char *line = xstrndup(p, len);
		lineno++;
		int rc = parse_line(t, line, file, lineno, err);
		free(line);
		if (rc != WB_OK)
			return rc;
		p += len + (nl ? 1 : 0);
	}
	return WB_OK;
}

int ui_theme_load_file(struct ui_theme *t, const char *path, struct wb_err *err)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return wb_err_set(err, WB_EIO, _("cannot read theme %s: %s"), path, strerror(errno));
	struct strbuf b = STRBUF_INIT;
	int bad = strbuf_read(&b, f, 0) < 0;
	fclose(f);
	if (bad) {
		strbuf_free(&b);
		return wb_err_set(err, WB_EIO, _("cannot read theme %s"), path);
	}
	char *buf = strbuf_detach(&b);
	int rc = ui_theme_parse(t, buf, path, err);
	free(buf);
	return rc;
}

int ui_theme_load_named(struct ui_theme *t, const char *name, struct wb_err *err)
{
	ui_theme_default(t);
	if (!name || !*name || strcmp(name, "default") == 0)
		return WB_OK;
	if (strchr(name, '/'))
		return ui_theme_load_file(t, name, err);
	char *dirs[4] = { NULL, NULL, NULL, NULL };
	const char *env = getenv("WEIBAO_THEMES");
	const char *home = getenv("HOME");
	int nd = 0;
	if (env && *env)
		dirs[nd++] = xstrdup(env);
	if (home && *home)
		dirs[nd++] = xasprintf("%s/.config/weibao/themes", home);
	dirs[nd++] = xstrdup("themes");
	dirs[nd++] = xstrdup(WB_DATADIR "/themes");
	int rc = WB_ENOTFOUND;
	for (int i = 0; i < nd && rc == WB_ENOTFOUND; i++) {
		char *path = xasprintf("%s/%s.theme", dirs[i], name);
		if (access(path, R_OK) == 0)
			rc = ui_theme_load_file(t, path, err);
		free(path);
	}
	for (int i = 0; i < nd; i++)
		free(dirs[i]);
	if (rc == WB_ENOTFOUND)
		return wb_err_set(err, WB_ENOTFOUND,
				  _("no theme named '%s' (try default, dark, light, high-contrast, monochrome)"), name);
	return rc;
}

/* xterm's default palette for colours 0-15. */
static const unsigned char basic_rgb[16][3] = {
	{ 0, 0, 0 }, { 205, 0, 0 }, { 0, 205, 0 }, { 205, 205, 0 },
	{ 0, 0, 238 }, { 205, 0, 205 }, { 0, 205, 205 }, { 229, 229, 229 },
	{ 127, 127, 127 }, { 255, 0, 0 }, { 0, 255, 0 }, { 255, 255, 0 },
	{ 92, 92, 255 }, { 255, 0, 255 }, { 0, 255, 255 }, { 255, 255, 255 },
};

static void xterm_rgb(int c, int rgb[3])
{
	if (c < 16) {
		for (int i = 0; i < 3; i++)
			rgb[i] = basic_rgb[c][i];
	} else if (c < 232) {
		static const int level[6] = { 0, 95, 135, 175, 215, 255 };
		c -= 16;
		rgb[0] = level[c / 36];
		rgb[1] = level[(c / 6) % 6];
		rgb[2] = level[c % 6];
	} else {
		int v = 8 + (c - 232) * 10;
		rgb[0] = rgb[1] = rgb[2] = v;
	}
}

int ui_color_fallback(int c, int ncolors, bool *bright)
{
	if (bright)
		*bright = false;
	if (c == UI_COLOR_DEFAULT || c < 0 || ncolors <= 0)
		return UI_COLOR_DEFAULT;
	if (c >= 256)
		return UI_COLOR_DEFAULT;
	if (c < ncolors)
		return c;
	if (c >= 16) {
		int rgb[3];
		xterm_rgb(c, rgb);
		long best = -1;
		int pick = 0;
		for (int i = 0; i < 16; i++) {
			long d = 0;
			for (int k = 0; k < 3; k++) {
				long e = rgb[k] - basic_rgb[i][k];
				d += e * e;
			}
			if (best < 0 || d < best) {
				best = d;
				pick = i;
			}
		}
		c = pick;
	}
	if (c < ncolors)
		return c;
	if (c >= 8) {
		if (bright)
			*bright = true;
		c -= 8;
	}
	return c < ncolors ? c : UI_COLOR_DEFAULT;
}

unsigned ui_theme_mono_attrs(const struct ui_theme *t, enum ui_role role)
{
	const struct ui_style *s = &t->style[role];
	if (s->has_mono)
		return s->mono;
	unsigned a = s->attrs;
	/* a role set apart by its background (bars, the selection) stays apart in reverse video */
	if (role != ROLE_NORMAL && s->bg != t->style[ROLE_NORMAL].bg)
		a |= UI_ATTR_REVERSE;
	return a;
}

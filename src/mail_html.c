#include "mail_html.h"

#include "mail_charset.h"
#include "strbuf.h"
#include "xmalloc.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct html_out {
	struct strbuf b;
	bool line_start;  /* nothing but the quote prefix on the current line yet */
	bool space;       /* a space is owed before the next word */
	int blank;        /* empty lines just written */
	int bq;           /* <blockquote> depth */
	int pre;          /* <pre> depth */
};

static void out_put_utf8(struct strbuf *b, uint32_t cp)
{
	if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	char t[4];
	if (cp < 0x80) {
		t[0] = (char)cp;
		strbuf_add(b, t, 1);
	} else if (cp < 0x800) {
		t[0] = (char)(0xC0 | (cp >> 6));
		t[1] = (char)(0x80 | (cp & 0x3F));
		strbuf_add(b, t, 2);
	} else if (cp < 0x10000) {
		t[0] = (char)(0xE0 | (cp >> 12));
		t[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		t[2] = (char)(0x80 | (cp & 0x3F));
		strbuf_add(b, t, 3);
	} else {
		t[0] = (char)(0xF0 | (cp >> 18));
		t[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		t[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		t[3] = (char)(0x80 | (cp & 0x3F));
		strbuf_add(b, t, 4);
	}
}

static void out_trim_spaces(struct html_out *o)
{
	while (o->b.len && o->b.s[o->b.len - 1] == ' ')
		o->b.s[--o->b.len] = 0;
}

static void out_prefix(struct html_out *o)
{
	for (int i = 0; i < o->bq && i < 16; i++)
		strbuf_adds(&o->b, "> ");
}

/* hard: <br> — may make an empty line; soft: block boundary — only ends a started line. */
static void out_newline(struct html_out *o, bool hard)
{
	out_trim_spaces(o);
	if (!o->line_start) {
		strbuf_addc(&o->b, '\n');
		o->line_start = true;
		o->blank = 0;
	} else if (hard && o->blank < 1 && o->b.len) {
		if (o->bq) {
			out_prefix(o);
			out_trim_spaces(o);
		}
		strbuf_addc(&o->b, '\n');
		o->blank++;
	}
	o->space = false;
}

/* Appends visible text bytes (already entity-decoded). */
static void out_text(struct html_out *o, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (o->pre) {
			if (c == '\n') {
				out_newline(o, true);
				continue;
			}
			if (c == '\r')
				continue;
		} else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
			o->space = true;
			continue;
		}
		if (o->line_start) {
			out_prefix(o);
			o->line_start = false;
		} else if (o->space) {
			strbuf_addc(&o->b, ' ');
		}
		o->space = false;
		strbuf_addc(&o->b, (char)c);
	}
}

struct entity {
	const char *name;
	uint32_t cp;
};

static const struct entity entities[] = {
	{ "nbsp", 0x20 }, { "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' }, { "apos", '\'' },
	{ "copy", 0xA9 }, { "reg", 0xAE }, { "trade", 0x2122 }, { "hellip", 0x2026 }, { "mdash", 0x2014 },
	{ "ndash", 0x2013 }, { "lsquo", 0x2018 }, { "rsquo", 0x2019 }, { "ldquo", 0x201C },
	{ "rdquo", 0x201D }, { "sbquo", 0x201A }, { "bdquo", 0x201E }, { "middot", 0xB7 },
	{ "bull", 0x2022 }, { "times", 0xD7 }, { "divide", 0xF7 }, { "yen", 0xA5 }, { "euro", 0x20AC },
	{ "pound", 0xA3 }, { "cent", 0xA2 }, { "laquo", 0xAB }, { "raquo", 0xBB }, { "deg", 0xB0 },
	{ "plusmn", 0xB1 }, { "para", 0xB6 }, { "sect", 0xA7 }, { "shy", 0xAD }, { "ensp", 0x20 },
	{ "emsp", 0x20 }, { "thinsp", 0x20 }, { "zwnj", 0x200C }, { "zwj", 0x200D }, { "iexcl", 0xA1 },
	{ "iquest", 0xBF }, { "auml", 0xE4 }, { "ouml", 0xF6 }, { "uuml", 0xFC }, { "Auml", 0xC4 },
	{ "Ouml", 0xD6 }, { "Uuml", 0xDC }, { "szlig", 0xDF }, { "eacute", 0xE9 }, { "egrave", 0xE8 },
	{ "aacute", 0xE1 }, { "agrave", 0xE0 }, { "ccedil", 0xE7 }, { "ntilde", 0xF1 }, { "aring", 0xE5 },
	{ "oslash", 0xF8 }, { "larr", 0x2190 }, { "rarr", 0x2192 }, { "uarr", 0x2191 }, { "darr", 0x2193 },
	{ "hearts", 0x2665 }, { "check", 0x2713 }, { "frac12", 0xBD }, { "micro", 0xB5 },
};

/* Windows-1252 meanings of numeric references 128-159, as browsers read them. */
static uint32_t cp1252_c1(uint32_t cp)
{
	static const uint32_t t[32] = {
		0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
		0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
		0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
	};
	return cp >= 0x80 && cp <= 0x9F ? t[cp - 0x80] : cp;
}

/* Decodes the entity at s ('&'); returns bytes consumed (0 = not an entity) and the code point. */
static size_t entity_at(const char *s, size_t n, uint32_t *cp)
{
	if (n < 3 || s[0] != '&')
		return 0;
	if (s[1] == '#') {
		size_t i = 2;
		int base = 10;
		if (i < n && (s[i] == 'x' || s[i] == 'X')) {
			base = 16;
			i++;
		}
		uint32_t v = 0;
		size_t start = i;
		while (i < n && i - start < 8 && isxdigit((unsigned char)s[i])) {
			unsigned char c = (unsigned char)s[i];
			if (base == 10 && !isdigit(c))
				break;
			v = v * (uint32_t)base + (uint32_t)(isdigit(c) ? c - '0' : tolower(c) - 'a' + 10);
			i++;
		}
		if (i == start)
			return 0;
		if (i < n && s[i] == ';')
			i++;
		*cp = cp1252_c1(v);
		return i;
	}
	size_t i = 1;
	while (i < n && i < 12 && isalnum((unsigned char)s[i]))
		i++;
	size_t len = i - 1;
	bool semi = i < n && s[i] == ';';
	for (size_t k = 0; k < sizeof entities / sizeof entities[0]; k++) {
		if (strlen(entities[k].name) == len && strncmp(entities[k].name, s + 1, len) == 0) {
			if (!semi && entities[k].cp > 0x7F && strcmp(entities[k].name, "nbsp") != 0)
				return 0;
			*cp = entities[k].cp;
			return i + (semi ? 1 : 0);
		}
	}
	return 0;
}

/* Decodes entities of s[0..n) into b. */
static void decode_entities(struct strbuf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t l = s[i] == '&' ? entity_at(s + i, n - i, &cp) : 0;
		if (l) {
			out_put_utf8(b, cp);
			i += l;
		} else {
			strbuf_addc(b, s[i]);
			i++;
		}
	}
}

static const char *find_ci(const char *s, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; i + k <= n; i++)
		if (strncasecmp(s + i, needle, k) == 0)
			return s + i;
	return NULL;
}

/* The value of attribute `name` in a tag's attribute text, entity-decoded; NULL when absent. */
static char *attr_value(const char *a, size_t n, const char *name)
{
	size_t k = strlen(name);
	size_t i = 0;
	while (i < n) {
		while (i < n && (isspace((unsigned char)a[i]) || a[i] == '/'))
			i++;
		size_t ns = i;
		while (i < n && !isspace((unsigned char)a[i]) && a[i] != '=' && a[i] != '>')
			i++;
		size_t nl = i - ns;
		while (i < n && isspace((unsigned char)a[i]))
			i++;
		const char *v = NULL;
		size_t vl = 0;
		if (i < n && a[i] == '=') {
			i++;
			while (i < n && isspace((unsigned char)a[i]))
				i++;
			if (i < n && (a[i] == '"' || a[i] == '\'')) {
				char q = a[i++];
				v = a + i;
				while (i < n && a[i] != q)
					i++;
				vl = (size_t)(a + i - v);
				if (i < n)
					i++;
			} else {
				v = a + i;
				while (i < n && !isspace((unsigned char)a[i]) && a[i] != '>')
					i++;
				vl = (size_t)(a + i - v);
			}
		}
		if (nl == k && strncasecmp(a + ns, name, k) == 0) {
			struct strbuf b = STRBUF_INIT;
			if (v)
				decode_entities(&b, v, vl);
			char *r = strbuf_detach(&b);
			/* trim whitespace inside */
			size_t s0 = 0, e = strlen(r);
			while (s0 < e && isspace((unsigned char)r[s0]))
				s0++;
			while (e > s0 && isspace((unsigned char)r[e - 1]))
				e--;
			char *t = xstrndup(r + s0, e - s0);
			free(r);
			return t;
		}
		if (nl == 0 && i < n)
			i++;
	}
	return NULL;
}

static bool name_in(const char *name, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		if (strcmp(name, list[i]) == 0)
			return true;
	return false;
}

static const char *const block_tags[] = {
	"p", "div", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "dt", "dd",
	"section", "article", "header", "footer", "address", "center", "form", "hr", "pre", "body",
	"html", "tbody", "thead", "tfoot", "caption", "nav", "aside", "main", "figure", "figcaption",
	"fieldset", "legend", "details", "summary", "title", NULL,
};

char *mail_html_to_text(const char *h, size_t n)
{
	struct html_out o = { STRBUF_INIT, true, false, 0, 0, 0 };
	char *href = NULL;
	size_t link_start = 0;
	size_t i = 0;
	while (i < n) {
		if (h[i] != '<') {
			size_t j = i;
			while (j < n && h[j] != '<')
				j++;
			struct strbuf t = STRBUF_INIT;
			decode_entities(&t, h + i, j - i);
			if (t.len)
				out_text(&o, t.s, t.len);
			strbuf_free(&t);
			i = j;
			continue;
		}
		if (n - i >= 4 && strncmp(h + i, "<!--", 4) == 0) {
			const char *e = find_ci(h + i + 4, n - i - 4, "-->");
			i = e ? (size_t)(e - h) + 3 : n;
			continue;
		}
		size_t j = i + 1;
		bool close = false;
		if (j < n && h[j] == '/') {
			close = true;
			j++;
		}
		if (j >= n || !(isalpha((unsigned char)h[j]) || h[j] == '!' || h[j] == '?')) {
			out_text(&o, "<", 1); /* a lone "<" is text */
			i++;
			continue;
		}
		char name[16];
		size_t nl = 0;
		while (j < n && (isalnum((unsigned char)h[j]) || h[j] == ':' || h[j] == '!' || h[j] == '?' || h[j] == '-')) {
			if (nl + 1 < sizeof name)
				name[nl++] = (char)tolower((unsigned char)h[j]);
			j++;
		}
		name[nl] = 0;
		size_t attr = j;
		char q = 0;
		while (j < n && (q || h[j] != '>')) {
			if (q && h[j] == q)
				q = 0;
			else if (!q && (h[j] == '"' || h[j] == '\'') && j > attr && h[j - 1] == '=')
				q = h[j];
			j++;
		}
		size_t attr_n = j - attr;
		i = j < n ? j + 1 : n;
		if (close) {
			if (strcmp(name, "a") == 0 && href) {
				/* "text <url>" unless the text already is the url */
				const char *txt = o.b.s && link_start <= o.b.len ? o.b.s + link_start : "";
				const char *bare = strncasecmp(href, "mailto:", 7) == 0 ? href + 7 : href;
				if (*href && href[0] != '#' && strncasecmp(href, "javascript:", 11) != 0
				    && !strstr(txt, bare)) {
					if (o.b.len > link_start) {
						strbuf_adds(&o.b, " <");
						strbuf_adds(&o.b, href);
						strbuf_addc(&o.b, '>');
					} else {
						out_text(&o, href, strlen(href));
					}
					o.line_start = false;
				}
				xfree_str(&href);
			} else if (strcmp(name, "blockquote") == 0) {
				out_newline(&o, false);
				if (o.bq > 0)
					o.bq--;
			} else if (strcmp(name, "pre") == 0) {
				out_newline(&o, false);
				if (o.pre > 0)
					o.pre--;
			} else if (strcmp(name, "li") == 0 || name_in(name, block_tags)) {
				out_newline(&o, false);
			} else if (strcmp(name, "td") == 0 || strcmp(name, "th") == 0) {
				o.space = true;
			}
			continue;
		}
		if (strcmp(name, "script") == 0 || strcmp(name, "style") == 0 || strcmp(name, "head") == 0
		    || strcmp(name, "title") == 0 || strcmp(name, "xml") == 0 || strcmp(name, "template") == 0) {
			if (attr_n && h[attr + attr_n - 1] == '/')
				continue;
			char endtag[24];
			snprintf(endtag, sizeof endtag, "</%s", name);
			const char *e = find_ci(h + i, n - i, endtag);
			if (!e && strcmp(name, "head") == 0)
				e = find_ci(h + i, n - i, "<body");
			if (!e) {
				i = n;
				continue;
			}
			const char *gt = memchr(e, '>', (size_t)(h + n - e));
			i = gt ? (size_t)(gt - h) + 1 : n;
			continue;
		}
		if (name[0] == '!' || name[0] == '?')
			continue;
		if (strcmp(name, "br") == 0) {
			if (o.line_start && !o.b.len)
				continue;
			out_newline(&o, true);
		} else if (strcmp(name, "a") == 0) {
			xfree_str(&href);
			href = attr_value(h + attr, attr_n, "href");
			link_start = o.b.len;
			if (o.space && !o.line_start) {
				/* the space before the link text belongs before it */
				link_start = o.b.len + 1;
			}
		} else if (strcmp(name, "blockquote") == 0) {
			out_newline(&o, false);
			o.bq++;
		} else if (strcmp(name, "pre") == 0) {
			out_newline(&o, false);
			o.pre++;
		} else if (strcmp(name, "li") == 0) {
			out_newline(&o, false);
			out_text(&o, "-", 1);
			o.space = true;
		} else if (strcmp(name, "td") == 0 || strcmp(name, "th") == 0) {
			o.space = true;
		} else if (strcmp(name, "img") == 0) {
			o.space = true;
		} else if (name_in(name, block_tags)) {
			out_newline(&o, false);
		}
	}
	free(href);
	out_trim_spaces(&o);
	/* trim leading and trailing empty lines */
	char *s = strbuf_detach(&o.b);
	size_t a = 0, e = strlen(s);
	while (a < e && (s[a] == '\n' || s[a] == ' '))
		a++;
	while (e > a && (s[e - 1] == '\n' || s[e - 1] == ' '))
		e--;
	char *r = mail_charset_sanitize(s + a, e - a);
	free(s);
	return r;
}

char *mail_html_meta_charset(const char *html, size_t n)
{
	size_t lim = n < 8192 ? n : 8192;
	const char *p = html;
	const char *end = html + lim;
	while ((p = find_ci(p, (size_t)(end - p), "charset"))) {
		p += 7;
		while (p < end && (*p == ' ' || *p == '"' || *p == '\''))
			p++;
		if (p >= end || *p != '=')
			continue;
		p++;
		while (p < end && (*p == ' ' || *p == '"' || *p == '\''))
			p++;
		const char *s = p;
		while (p < end && (isalnum((unsigned char)*p) || *p == '-' || *p == '_' || *p == '.' || *p == ':'))
			p++;
		if (p > s)
			return xstrndup(s, (size_t)(p - s));
	}
	return NULL;
}

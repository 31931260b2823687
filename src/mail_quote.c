#include "mail_quote.h"

#include "strbuf.h"
#include "xmalloc.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct line {
	const char *s; /* not NUL-terminated */
	size_t n;
};

/* s[0..n) without leading/trailing blanks (spaces, tabs, CR, full-width spaces, '*' from bold). */
static struct line trim(struct line l)
{
	for (;;) {
		if (l.n && (l.s[0] == ' ' || l.s[0] == '\t' || l.s[0] == '\r' || l.s[0] == '*')) {
			l.s++;
			l.n--;
		} else if (l.n >= 3 && memcmp(l.s, "\xE3\x80\x80", 3) == 0) {
			l.s += 3;
			l.n -= 3;
		} else {
			break;
		}
	}
	for (;;) {
		if (l.n && (l.s[l.n - 1] == ' ' || l.s[l.n - 1] == '\t' || l.s[l.n - 1] == '\r'
			    || l.s[l.n - 1] == '*')) {
			l.n--;
		} else if (l.n >= 3 && memcmp(l.s + l.n - 3, "\xE3\x80\x80", 3) == 0) {
			l.n -= 3;
		} else {
			break;
		}
	}
	return l;
}

static bool blank(struct line l)
{
	return trim(l).n == 0;
}

static bool starts_ci(struct line l, const char *p)
{
	size_t k = strlen(p);
	return l.n >= k && strncasecmp(l.s, p, k) == 0;
}

static bool ends_with(struct line l, const char *p)
{
	size_t k = strlen(p);
	return l.n >= k && strncasecmp(l.s + l.n - k, p, k) == 0;
}

static bool contains_ci(struct line l, const char *p)
{
	size_t k = strlen(p);
	for (size_t i = 0; i + k <= l.n; i++)
		if (strncasecmp(l.s + i, p, k) == 0)
			return true;
	return false;
}

static bool is_quote_line(struct line l)
{
	return l.n && (l.s[0] == '>' || (l.n >= 3 && memcmp(l.s, "\xEF\xBC\x9E", 3) == 0)); /* ＞ */
}

/* A key such as "From" followed by ':' or '：'. */
static bool has_key(struct line t, const char *const *keys)
{
	for (size_t i = 0; keys[i]; i++) {
		size_t k = strlen(keys[i]);
		if (t.n > k && strncasecmp(t.s, keys[i], k) == 0) {
			struct line rest = { t.s + k, t.n - k };
			while (rest.n && rest.s[0] == ' ') {
				rest.s++;
				rest.n--;
			}
			if (rest.n && (rest.s[0] == ':' || starts_ci(rest, "\xEF\xBC\x9A")))
				return true;
		}
	}
	return false;
}

static const char *const from_keys[] = { "From", "发件人", "發件人", "寄件者", "寄件人", "Von", "De", NULL };
static const char *const date_keys[] = {
	"Sent", "Date", "发送时间", "發送時間", "时间", "日期", "寄件日期", "发件时间", "Gesendet", "Envoyé", NULL,
};
static const char *const to_keys[] = {
	"To", "Subject", "Cc", "收件人", "收件者", "主题", "主題", "主旨", "抄送", "副本", "An", "Betreff", "Objet", "À", NULL,
};

static bool outlook_block(const struct line *ls, size_t n, size_t i)
{
	if (!has_key(trim(ls[i]), from_keys))
		return false;
	bool date = false, to = false;
	for (size_t k = i + 1; k < n && k <= i + 6; k++) {
		struct line t = trim(ls[k]);
		if (has_key(t, date_keys))
			date = true;
		if (has_key(t, to_keys))
			to = true;
	}
	return date && to;
}

static bool separator_line(struct line t)
{
	static const char *const words[] = {
		"original message", "原始邮件", "原始郵件", "邮件原件", "原邮件", "replied message",
		"ursprüngliche nachricht", "message d'origine", NULL,
	};
	if (!t.n || !(t.s[0] == '-' || t.s[0] == '_' || t.s[0] == '=' || (unsigned char)t.s[0] >= 0x80))
		return false;
	for (size_t i = 0; words[i]; i++)
		if (contains_ci(t, words[i]))
			return t.n < 120;
	return false;
}

static bool attribution(struct line t)
{
	if (t.n > 400)
		return false;
	if (ends_with(t, "wrote:") || ends_with(t, "wrote :"))
		return true;
	if (ends_with(t, "写道：") || ends_with(t, "写道:") || ends_with(t, "寫道：") || ends_with(t, "寫道:"))
		return true;
	if (starts_ci(t, "在") && (ends_with(t, "写道") || ends_with(t, "寫道")))
		return true;
	if ((starts_ci(t, "Am ") && ends_with(t, "schrieb:")) || ends_with(t, "a écrit :")
	    || ends_with(t, "a écrit:"))
		return true;
	return false;
}

static bool underscores(struct line t)
{
	if (t.n < 8)
		return false;
	for (size_t i = 0; i < t.n; i++)
		if (t.s[i] != '_' && t.s[i] != '-')
			return false;
	return true;
}

/* True when a "> " line follows line i, blank lines skipped. */
static bool quote_follows(const struct line *ls, size_t n, size_t i)
{
	for (size_t k = i + 1; k < n; k++) {
		if (blank(ls[k]))
			continue;
		return is_quote_line(ls[k]);
	}
	return false;
}

/* Line i starts a block that quotes everything below it: a separator, an Outlook header block,
 * or an attribution not followed by "> " lines. *len gets the lines of a wrapped attribution. */
static bool history_cut(const struct line *ls, size_t n, size_t i)
{
	struct line t = trim(ls[i]);
	if (separator_line(t) || outlook_block(ls, n, i))
		return true;
	if (attribution(t))
		return !quote_follows(ls, n, i);
	if ((starts_ci(t, "On ") || starts_ci(t, "在")) && i + 1 < n && attribution(trim(ls[i + 1])))
		return !quote_follows(ls, n, i + 1);
	return false;
}

static void add_line(struct strbuf *b, struct line l)
{
	if (b->len)
		strbuf_addc(b, '\n');
	strbuf_add(b, l.s, l.n);
}

/* Copy without leading and trailing blank lines. */
static char *trim_lines(struct strbuf *b)
{
	char *s = strbuf_detach(b);
	size_t a = 0, e = strlen(s);
	size_t k = 0;
	while (k < e) { /* skip whole blank lines at the start */
		size_t j = k;
		while (j < e && (s[j] == ' ' || s[j] == '\t' || s[j] == '\r'))
			j++;
		if (j < e && s[j] == '\n') {
			k = j + 1;
			a = k;
		} else {
			if (j == e)
				a = e;
			break;
		}
	}
	while (e > a && (s[e - 1] == '\n' || s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r'))
		e--;
	char *r = xstrndup(s + a, e - a);
	free(s);
	return r;
}

void mail_quote_split(const char *text, char **visible, char **quoted)
{
	size_t n = 0, cap = 16;
	struct line *ls = xmalloc(cap * sizeof *ls);
	const char *p = text ? text : "";
	for (;;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (n == cap) {
			cap *= 2;
			ls = xrealloc(ls, cap * sizeof *ls);
		}
		ls[n].s = p;
		ls[n].n = len;
		n++;
		if (!nl)
			break;
		p = nl + 1;
	}
	struct strbuf vis = STRBUF_INIT, quo = STRBUF_INIT;
	bool vis_blank = false;
	size_t *vis_at = xmalloc(n * sizeof *vis_at); /* vis.len before line i went there, or SIZE_MAX */
	for (size_t i = 0; i < n; i++) {
		struct line t = trim(ls[i]);
		vis_at[i] = SIZE_MAX;
		if (history_cut(ls, n, i)) {
			/* an underscore rule just above an Outlook block belongs to it */
			size_t s = i;
			while (s > 0 && blank(ls[s - 1]))
				s--;
			if (s > 0 && underscores(trim(ls[s - 1])) && vis_at[s - 1] != SIZE_MAX) {
				/* take the rule (and the blanks after it) back from the visible part */
				vis.len = vis_at[s - 1];
				if (vis.s)
					vis.s[vis.len] = 0;
				for (size_t k = s - 1; k < i; k++)
					add_line(&quo, ls[k]);
			}
			for (size_t k = i; k < n; k++)
				add_line(&quo, ls[k]);
			break;
		}
		bool q = is_quote_line(ls[i]);
		/* the attribution of a "> " block (also wrapped over two lines), and a wrapped line inside
		 * the block, go with it */
		if (!q && !blank(ls[i])) {
			if (attribution(t) && quote_follows(ls, n, i))
				q = true;
			else if ((starts_ci(t, "On ") || starts_ci(t, "在")) && i + 1 < n
				 && attribution(trim(ls[i + 1])) && quote_follows(ls, n, i + 1))
				q = true;
			else if (i > 0 && is_quote_line(ls[i - 1]) && i + 1 < n && is_quote_line(ls[i + 1]))
				q = true;
		}
		if (!q && blank(ls[i]) && vis_blank)
			continue; /* folded quotes leave no stack of empty lines */
		if (!q) {
			vis_blank = blank(ls[i]);
			vis_at[i] = vis.len;
		}
		add_line(q ? &quo : &vis, ls[i]);
	}
	free(vis_at);
	free(ls);
	*visible = trim_lines(&vis);
	*quoted = trim_lines(&quo);
}

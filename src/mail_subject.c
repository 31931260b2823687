#include "mail_subject.h"

#include "err.h"
#include "strbuf.h"
#include "xmalloc.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define FW_SPACE "\xE3\x80\x80"   /* U+3000 */
#define FW_COLON "\xEF\xBC\x9A"   /* ： */

static const char *skip_ws(const char *s)
{
	for (;;) {
		if (*s == ' ' || *s == '\t')
			s++;
		else if (strncmp(s, FW_SPACE, 3) == 0)
			s += 3;
		else
			return s;
	}
}

/* Matches "[" prefix digits "]" (or 【…】) at s; returns its length and the id, or 0. */
static size_t tag_at(const char *s, const char *prefix, int64_t *id)
{
	const char *p = s;
	bool fw = false;
	if (*p == '[') {
		p++;
	} else if (strncmp(p, "\xE3\x80\x90", 3) == 0) { /* 【 */
		p += 3;
		fw = true;
	} else {
		return 0;
	}
	p = skip_ws(p);
	for (const char *q = prefix; *q; q++) {
		if (*q == ' ') {
			p = skip_ws(p);
			continue;
		}
		if (tolower((unsigned char)*p) != tolower((unsigned char)*q))
			return 0;
		p++;
	}
	int64_t v = 0;
	int digits = 0;
	while (isdigit((unsigned char)*p)) {
		if (digits >= 18)
			return 0;
		v = v * 10 + (*p - '0');
		digits++;
		p++;
	}
	if (!digits || v <= 0)
		return 0;
	p = skip_ws(p);
	if (!fw && *p == ']')
		p++;
	else if (fw && strncmp(p, "\xE3\x80\x91", 3) == 0)
		p += 3;
	else
		return 0;
	*id = v;
	return (size_t)(p - s);
}

int mail_subject_tag(const char *subject, const char *prefix, int64_t *id)
{
	if (!subject || !prefix)
		return WB_ENOTFOUND;
	for (const char *s = subject; *s; s++) {
		int64_t v;
		if (tag_at(s, prefix, &v)) {
			*id = v;
			return WB_OK;
		}
	}
	return WB_ENOTFOUND;
}

static const char *const reply_words[] = {
	/* longest first where one is a prefix of another */
	"antwort", "antw", "fwd", "fw", "re", "aw", "wg", "sv", "vs", "rif", "tr", "enc", "rv", "res",
	"odp", "ynt", "atb", "fs", "vb", "vl", "r", "回复", "回覆", "答复", "答覆", "转发", "轉發", "转寄", "轉寄",
	"回復", "覆", "Ответ", "НА", NULL,
};

/* Length of one reply/forward prefix ("Re:", "RE[2]:", "回复：") at s, or 0. */
static size_t reply_prefix_at(const char *s)
{
	for (size_t i = 0; reply_words[i]; i++) {
		size_t k = strlen(reply_words[i]);
		if (strncasecmp(s, reply_words[i], k) != 0)
			continue;
		const char *p = s + k;
		if ((*p == '[' || *p == '(') && isdigit((unsigned char)p[1])) {
			char close = *p == '[' ? ']' : ')';
			p++;
			while (isdigit((unsigned char)*p))
				p++;
			if (*p != close)
				continue;
			p++;
		}
		p = skip_ws(p);
		if (*p == ':')
			return (size_t)(p + 1 - s);
		if (strncmp(p, FW_COLON, 3) == 0)
			return (size_t)(p + 3 - s);
	}
	return 0;
}

/* Length of a "[...]" group at s (up to 80 bytes), or 0. */
static size_t bracket_at(const char *s)
{
	if (*s != '[')
		return 0;
	const char *e = memchr(s, ']', strnlen(s, 80));
	return e ? (size_t)(e + 1 - s) : 0;
}

/* Banners that mail gateways put in front of subjects: "[External Mail]", "[EXT]", "[外部邮件]". */
static size_t banner_at(const char *s)
{
	static const char *const banners[] = {
		"[external mail]", "[external]", "[ext]", "[external email]", "[外部邮件]", "[外部郵件]", NULL,
	};
	for (size_t i = 0; banners[i]; i++)
		if (strncasecmp(s, banners[i], strlen(banners[i])) == 0)
			return strlen(banners[i]);
	return 0;
}

static const char *strip_prefixes(const char *s, const char *prefix)
{
	for (;;) {
		s = skip_ws(s);
		size_t l = reply_prefix_at(s);
		int64_t id;
		if (!l && prefix && *prefix)
			l = tag_at(s, prefix, &id);
		if (!l)
			l = banner_at(s);
		if (!l)
			return s;
		s += l;
	}
}

char *mail_subject_clean(const char *subject, const char *prefix)
{
	if (!subject)
		return xstrdup("");
	const char *s = strip_prefixes(subject, prefix);
	struct strbuf b = STRBUF_INIT;
	/* a list tag stays, the prefixes after it go: "[users] Re: x" -> "[users] x" */
	size_t bl = bracket_at(s);
	if (bl && strip_prefixes(s + bl, prefix) != skip_ws(s + bl)) {
		strbuf_add(&b, s, bl);
		strbuf_addc(&b, ' ');
		s = strip_prefixes(s + bl, prefix);
	}
	while (*s) {
		int64_t id;
		size_t l = prefix && *prefix ? tag_at(s, prefix, &id) : 0;
		if (l) {
			s += l;
			strbuf_addc(&b, ' ');
			/* "Re: [#42] Re: foo": prefixes after the tag go too */
			if (strspn(strbuf_str(&b), " \t") == b.len || b.s[b.len - 2] == ']')
				s = strip_prefixes(s, prefix);
			continue;
		}
		strbuf_addc(&b, *s);
		s++;
	}
	/* collapse whitespace, trim */
	char *r = strbuf_detach(&b);
	char *w = r;
	bool sp = true;
	for (const char *p = r; *p; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') {
			if (!sp)
				*w++ = ' ';
			sp = true;
		} else {
			*w++ = *p;
			sp = false;
		}
	}
	if (w > r && w[-1] == ' ')
		w--;
	*w = 0;
	return r;
}

int mail_parse_rating(const char *text, int *rating)
{
	if (!text)
		return WB_ENOTFOUND;
	const char *p = text;
	/* first non-empty line */
	for (;;) {
		p = skip_ws(p);
		if (*p == '\r' || *p == '\n') {
			p++;
			continue;
		}
		break;
	}
	int v;
	if (*p >= '1' && *p <= '5') {
		v = *p - '0';
		p++;
	} else if ((unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBC
		   && (unsigned char)p[2] >= 0x91 && (unsigned char)p[2] <= 0x95) { /* １-５ */
		v = (unsigned char)p[2] - 0x90;
		p += 3;
	} else {
		return WB_ENOTFOUND;
	}
	p = skip_ws(p);
	static const char *const units[] = { "分", "星", "stars", "star", "/5", "／５", NULL };
	for (size_t i = 0; units[i]; i++) {
		if (strncasecmp(p, units[i], strlen(units[i])) == 0) {
			p += strlen(units[i]);
			break;
		}
	}
	for (;;) {
		p = skip_ws(p);
		if (*p == '.' || *p == '!')
			p++;
		else if (strncmp(p, "。", 3) == 0 || strncmp(p, "！", 3) == 0)
			p += 3;
		else
			break;
	}
	if (*p && *p != '\r' && *p != '\n')
		return WB_ENOTFOUND;
	*rating = v;
	return WB_OK;
}

#include "mail_charset.h"

#include "strbuf.h"
#include "utf8.h"
#include "xmalloc.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define REPLACEMENT "\xEF\xBF\xBD"

/* Length of one well-formed UTF-8 character at s (n bytes left), 0 when malformed. */
static size_t u8_len(const unsigned char *s, size_t n)
{
	unsigned cp;
	return utf8_decode(s, n, &cp);
}

char *mail_charset_sanitize(const char *s, size_t n)
{
	struct strbuf b = STRBUF_INIT;
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		if (p[i] == 0) {
			i++;
			continue;
		}
		size_t l = u8_len(p + i, n - i);
		if (!l) {
			strbuf_adds(&b, REPLACEMENT);
			i++;
			continue;
		}
		strbuf_add(&b, s + i, l);
		i += l;
	}
	return strbuf_detach(&b);
}

static bool all_ascii(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return false;
	return true;
}

/* The iconv names to try for a mail label, or NULL when the label means "guess". */
struct cs_map {
	const char *label;
	const char *iconv[3];
};

static const struct cs_map cs_table[] = {
	{ "utf-8", { "UTF-8" } }, { "utf8", { "UTF-8" } },
	{ "gb2312", { "GB18030" } }, { "gbk", { "GB18030" } }, { "gb18030", { "GB18030" } },
	{ "euc-cn", { "GB18030" } }, { "x-euc-cn", { "GB18030" } }, { "euc_cn", { "GB18030" } },
	{ "eucgb2312_cn", { "GB18030" } }, { "x-gbk", { "GB18030" } }, { "cp936", { "GB18030" } },
	{ "ms936", { "GB18030" } }, { "windows-936", { "GB18030" } }, { "gb_2312-80", { "GB18030" } },
	{ "gb_2312", { "GB18030" } }, { "csgb2312", { "GB18030" } }, { "chinese", { "GB18030" } },
	{ "x-gb2312", { "GB18030" } }, { "gb-2312", { "GB18030" } }, { "hz-gb-2312", { "HZ" } },
	{ "big5", { "CP950", "BIG5-HKSCS" } }, { "big-5", { "CP950", "BIG5-HKSCS" } },
	{ "cn-big5", { "CP950", "BIG5-HKSCS" } }, { "x-x-big5", { "CP950", "BIG5-HKSCS" } },
	{ "cp950", { "CP950", "BIG5-HKSCS" } }, { "big5-hkscs", { "BIG5-HKSCS", "CP950" } },
	{ "iso-8859-1", { "CP1252" } }, { "iso8859-1", { "CP1252" } }, { "iso_8859-1", { "CP1252" } },
	{ "latin1", { "CP1252" } }, { "latin-1", { "CP1252" } }, { "l1", { "CP1252" } },
	{ "us-ascii", { NULL } }, { "ascii", { NULL } }, { "ansi_x3.4-1968", { NULL } },
	{ "unknown-8bit", { NULL } }, { "x-unknown", { NULL } }, { "none", { NULL } },
	{ "default", { NULL } }, { "8bit", { NULL } }, { "x-user-defined", { NULL } },
	{ "euc-kr", { "CP949" } }, { "ks_c_5601-1987", { "CP949" } }, { "ks_c_5601", { "CP949" } },
	{ "ksc5601", { "CP949" } }, { "cp949", { "CP949" } }, { "korean", { "CP949" } },
	{ "shift_jis", { "CP932" } }, { "shift-jis", { "CP932" } }, { "sjis", { "CP932" } },
	{ "x-sjis", { "CP932" } }, { "ms_kanji", { "CP932" } }, { "cp932", { "CP932" } },
	{ "windows-31j", { "CP932" } }, { "euc-jp", { "EUC-JP-MS", "EUC-JP" } },
	{ "iso-2022-jp", { "ISO-2022-JP", "ISO-2022-JP-2", "ISO-2022-JP-3" } },
	{ "iso-2022-kr", { "ISO-2022-KR" } }, { "iso-2022-cn", { "ISO-2022-CN-EXT" } },
	{ "koi8-r", { "KOI8-R" } }, { "koi8-u", { "KOI8-U" } }, { "tis-620", { "CP874" } },
	{ "windows-874", { "CP874" } }, { "utf-7", { "UTF-7" } },
};

/* Fills names[] (at most 3) with iconv names for label; returns how many (0 = guess). */
static int cs_lookup(const char *label, const char *names[3], char *own, size_t own_n)
{
	if (!label)
		return 0;
	char l[64];
	size_t k = 0;
	for (const char *p = label; *p && k + 1 < sizeof l; p++) {
		if (*p == '"' || *p == '\'' || isspace((unsigned char)*p))
			continue;
		if (*p == '*') /* RFC 2231 language suffix */
			break;
		l[k++] = (char)tolower((unsigned char)*p);
	}
	l[k] = 0;
	if (!k)
		return 0;
	for (size_t i = 0; i < sizeof cs_table / sizeof cs_table[0]; i++) {
		if (strcmp(cs_table[i].label, l) == 0) {
			int c = 0;
			for (int j = 0; j < 3 && cs_table[i].iconv[j]; j++)
				names[c++] = cs_table[i].iconv[j];
			return c;
		}
	}
	if (strncmp(l, "windows-", 8) == 0 || strncmp(l, "cp", 2) == 0) {
		snprintf(own, own_n, "CP%s", l + (l[0] == 'w' ? 8 : 2));
	} else if (strncmp(l, "iso-8859-", 9) == 0 || strncmp(l, "iso8859-", 8) == 0
		   || strncmp(l, "iso_8859-", 9) == 0) {
		snprintf(own, own_n, "ISO-8859-%s", strrchr(l, '-') + 1);
	} else {
		snprintf(own, own_n, "%s", l);
	}
	/* only names glibc iconv knows */
	for (char *p = own; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_' && *p != '.' && *p != ':')
			return 0;
	iconv_t cd = iconv_open("UTF-8", own);
	if (cd == (iconv_t)-1)
		return 0;
	iconv_close(cd);
	names[0] = own;
	return 1;
}

/* Converts with iconv. strict: fails (returns NULL) on any invalid byte; otherwise invalid bytes
 * become U+FFFD. */
static char *conv(const char *b, size_t n, const char *from, bool strict)
{
	iconv_t cd = iconv_open("UTF-8", from);
	if (cd == (iconv_t)-1)
		return NULL;
	struct strbuf out = STRBUF_INIT;
	char buf[4096];
	char *in = (char *)b;
	size_t left = n;
	bool ok = true;
	for (;;) {
		char *o = buf;
		size_t ol = sizeof buf;
		size_t r = left ? iconv(cd, &in, &left, &o, &ol) : iconv(cd, NULL, NULL, &o, &ol);
		strbuf_add(&out, buf, (size_t)(o - buf));
		if (r != (size_t)-1) {
			if (!left) {
				/* flush shift state once */
				o = buf; ol = sizeof buf;
				iconv(cd, NULL, NULL, &o, &ol);
				strbuf_add(&out, buf, (size_t)(o - buf));
				break;
			}
			continue;
		}
		if (errno == E2BIG)
			continue;
		if (strict) {
			ok = false;
			break;
		}
		strbuf_adds(&out, REPLACEMENT);
		in++;
		left--;
		iconv(cd, NULL, NULL, NULL, NULL);
		if (!left)
			break;
	}
	iconv_close(cd);
	if (!ok) {
		strbuf_free(&out);
		return NULL;
	}
	size_t len = out.len;
	char *s = strbuf_detach(&out);
	char *clean = mail_charset_sanitize(s, len);
	free(s);
	return clean;
}

static bool is_koi8_vowel(unsigned char c)
{
	static const unsigned char v[] = { 0xC1, 0xC5, 0xC9, 0xCF, 0xD5, 0xD9, 0xDC, 0xC0, 0xD1, 0xA3 };
	for (size_t i = 0; i < sizeof v; i++)
		if (c == v[i] || c == (unsigned char)(v[i] + 0x20) || (v[i] == 0xA3 && c == 0xB3))
			return true;
	return false;
}

/* Russian in KOI8-R: every 8-bit byte is a letter (0xC0-0xFF, or ё), and every run of them has a
 * vowel. Chinese in GB18030 almost always has bytes 0xA1-0xBF somewhere. */
static bool looks_koi8r(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t runs = 0;
	size_t i = 0;
	while (i < n) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		bool vowel = false;
		size_t start = i;
		while (i < n && p[i] >= 0x80) {
			if (p[i] < 0xC0 && p[i] != 0xA3 && p[i] != 0xB3)
				return false;
			if (is_koi8_vowel(p[i]))
				vowel = true;
			i++;
		}
		if (!vowel && i - start > 1)
			return false;
		runs++;
	}
	return runs > 0;
}

static char *guess(const char *b, size_t n, bool try_utf8)
{
	if (try_utf8 && utf8_valid(b, n))
		return mail_charset_sanitize(b, n);
	char *s;
	if (memmem(b, n, "\x1b$B", 3) || memmem(b, n, "\x1b$@", 3)) {
		if ((s = conv(b, n, "ISO-2022-JP-2", true)))
			return s;
	}
	if (looks_koi8r(b, n) && (s = conv(b, n, "KOI8-R", true)))
		return s;
	if ((s = conv(b, n, "GB18030", true)))
		return s;
	if ((s = conv(b, n, "CP1252", true)))
		return s;
	if (!try_utf8)
		return conv(b, n, "CP1252", false);
	/* CP1252 leaves 0x81, 0x8D, 0x8F, 0x90, 0x9D undefined: read as ISO-8859-1 */
	if ((s = conv(b, n, "ISO-8859-1", true)))
		return s;
	return mail_charset_sanitize(b, n);
}

static bool stateful(const char *name)
{
	return strncmp(name, "ISO-2022", 8) == 0 || strcmp(name, "UTF-7") == 0 || strcmp(name, "HZ") == 0;
}

static bool multibyte(const char *name)
{
	return strcmp(name, "GB18030") == 0 || strncmp(name, "BIG5", 4) == 0 || strcmp(name, "CP950") == 0
	       || strcmp(name, "CP949") == 0 || strcmp(name, "CP932") == 0 || strncmp(name, "EUC", 3) == 0;
}

static bool has_long_utf8(const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)b[i] >= 0xE0)
			return true;
	return false;
}

/* Any U+E000-U+F8FF in UTF-8 s? */
static bool has_private_use(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((p[0] == 0xEE && p[1] >= 0x80) || (p[0] == 0xEF && p[1] >= 0x80 && p[1] <= 0xA3))
			return true;
	return false;
}

char *mail_charset_to_utf8(const char *b, size_t n, const char *label)
{
	const char *names[3] = { NULL, NULL, NULL };
	char own[80];
	int nn = cs_lookup(label, names, own, sizeof own);
	bool ascii = all_ascii(b, n);
	if (ascii && (nn == 0 || !stateful(names[0]) || !memchr(b, names[0][0] == 'H' ? '~' : 0x1b, n)))
		return mail_charset_sanitize(b, n);
	if (nn == 0)
		return guess(b, n, true);
	if (strcmp(names[0], "UTF-8") == 0) {
		if (utf8_valid(b, n))
			return mail_charset_sanitize(b, n);
		return guess(b, n, false);
	}
	/* valid UTF-8 with 8-bit bytes under a legacy label: the label is wrong. Short GBK/Big5 text can
	 * look like 2-byte UTF-8 by chance, so multi-byte labels give way only to 3- or 4-byte sequences
	 * (all of CJK in UTF-8). */
	if (!ascii && !stateful(names[0]) && utf8_valid(b, n) && (!multibyte(names[0]) || has_long_utf8(b, n)))
		return mail_charset_sanitize(b, n);
	bool u8 = !ascii && !stateful(names[0]) && utf8_valid(b, n);
	for (int i = 0; i < nn; i++) {
		char *s = conv(b, n, names[i], true);
		if (s && u8 && has_private_use(s)) {
			/* GBK/Big5 user-defined areas: garbage, the UTF-8 reading is the real one */
			free(s);
			return mail_charset_sanitize(b, n);
		}
		if (s)
			return s;
	}
	if (u8) /* not valid in its label but valid UTF-8 */
		return mail_charset_sanitize(b, n);
	char *s = conv(b, n, names[0], false);
	return s ? s : guess(b, n, true);
}

/* ---- RFC 2047 ---- */

static int b64val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z') return c - 'A';
	if (c >= 'a' && c <= 'z') return c - 'a' + 26;
	if (c >= '0' && c <= '9') return c - '0' + 52;
	if (c == '+' || c == '-') return 62;
	if (c == '/' || c == '_') return 63;
	return -1;
}

/* Lenient base64: skips anything that is not base64 (padding included). */
static void b64_decode(struct strbuf *out, const char *s, size_t n)
{
	unsigned acc = 0;
	int bits = 0;
	for (size_t i = 0; i < n; i++) {
		int v = b64val((unsigned char)s[i]);
		if (v < 0)
			continue;
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			strbuf_addc(out, (char)((acc >> bits) & 0xFF));
		}
	}
}

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	return -1;
}

static void q_decode(struct strbuf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '_') {
			strbuf_addc(out, ' ');
		} else if (s[i] == '=' && i + 2 < n && hexval((unsigned char)s[i + 1]) >= 0
			   && hexval((unsigned char)s[i + 2]) >= 0) {
			strbuf_addc(out, (char)(hexval((unsigned char)s[i + 1]) * 16 + hexval((unsigned char)s[i + 2])));
			i += 2;
		} else {
			strbuf_addc(out, s[i]);
		}
	}
}

/* Recognises "=?charset?B|Q?text?=" at s; fills the parts and returns the word's length, or 0. */
static size_t enc_word(const char *s, size_t n, const char **cs, size_t *csn, char *enc,
		       const char **txt, size_t *txtn)
{
	if (n < 8 || s[0] != '=' || s[1] != '?')
		return 0;
	size_t i = 2;
	while (i < n && i < 2 + 64 && s[i] != '?' && !isspace((unsigned char)s[i]))
		i++;
	if (i >= n || s[i] != '?' || i == 2)
		return 0;
	*cs = s + 2;
	*csn = i - 2;
	if (i + 2 >= n || s[i + 2] != '?')
		return 0;
	char e = (char)toupper((unsigned char)s[i + 1]);
	if (e != 'B' && e != 'Q')
		return 0;
	*enc = e;
	size_t t = i + 3;
	size_t j = t;
	while (j + 1 < n && !(s[j] == '?' && s[j + 1] == '=')) {
		if (s[j] == '\n' || s[j] == '\r' || j - t > 4096) /* bounded: no quadratic scans */
			return 0;
		j++;
	}
	if (j + 1 >= n) {
		/* cut off before "?=" at the end of the field: take the rest when it has no spaces */
		for (size_t k = t; k < n; k++)
			if (isspace((unsigned char)s[k]))
				return 0;
		if (n - t < 2)
			return 0;
		*txt = s + t;
		*txtn = n - t - (s[n - 1] == '?' ? 1 : 0);
		return n;
	}
	*txt = s + t;
	*txtn = j - t;
	return j + 2;
}

static void flush_pending(struct strbuf *out, struct strbuf *pend, char *pend_cs)
{
	if (pend->len) {
		char *u = mail_charset_to_utf8(pend->s, pend->len, pend_cs[0] ? pend_cs : NULL);
		strbuf_adds(out, u);
		free(u);
	}
	strbuf_reset(pend);
	pend_cs[0] = 0;
}

char *mail_charset_decode_header(const char *raw, size_t n, const char *hint)
{
	/* unfold: drop CR and LF; the whitespace after them stays */
	char *u = xmalloc(n + 1);
	size_t un = 0;
	for (size_t i = 0; i < n; i++)
		if (raw[i] != '\r' && raw[i] != '\n' && raw[i] != 0)
			u[un++] = raw[i];
	u[un] = 0;

	struct strbuf out = STRBUF_INIT;
	struct strbuf pend = STRBUF_INIT; /* bytes of adjacent encoded words of one charset */
	char pend_cs[65] = "";
	struct strbuf text = STRBUF_INIT; /* raw text between words */
	size_t i = 0;
	bool last_was_word = false;
	while (i < un) {
		const char *cs, *txt;
		size_t csn, txtn;
		char enc;
		size_t wl = enc_word(u + i, un - i, &cs, &csn, &enc, &txt, &txtn);
		if (wl) {
			/* whitespace only between two encoded words is dropped */
			bool ws_only = true;
			for (size_t k = 0; k < text.len; k++)
				if (!isspace((unsigned char)text.s[k]))
					ws_only = false;
			char csbuf[65];
			snprintf(csbuf, sizeof csbuf, "%.*s", (int)csn, cs);
			if (!(last_was_word && ws_only)) {
				flush_pending(&out, &pend, pend_cs);
				if (text.len) {
					char *t = mail_charset_to_utf8(text.s, text.len, hint);
					strbuf_adds(&out, t);
					free(t);
				}
			} else if (strcasecmp(csbuf, pend_cs) != 0) {
				flush_pending(&out, &pend, pend_cs);
			}
			strbuf_reset(&text);
			snprintf(pend_cs, sizeof pend_cs, "%s", csbuf);
			if (enc == 'B')
				b64_decode(&pend, txt, txtn);
			else
				q_decode(&pend, txt, txtn);
			last_was_word = true;
			i += wl;
			continue;
		}
		if (!isspace((unsigned char)u[i]) && last_was_word) {
			flush_pending(&out, &pend, pend_cs);
			last_was_word = false;
		}
		strbuf_addc(&text, u[i]);
		i++;
	}
	flush_pending(&out, &pend, pend_cs);
	if (text.len) {
		char *t = mail_charset_to_utf8(text.s, text.len, hint);
		strbuf_adds(&out, t);
		free(t);
	}
	strbuf_free(&text);
	strbuf_free(&pend);
	free(u);

	/* one line: controls (C0, DEL, C1, U+2028/2029) become spaces, runs collapse, trimmed */
	char *s = strbuf_detach(&out);
	struct strbuf fin = STRBUF_INIT;
	bool space = true; /* drops leading spaces */
	for (size_t k = 0; s[k];) {
		unsigned char c = (unsigned char)s[k];
		size_t l = 1;
		bool ws = false;
		if (c < 0x20 || c == 0x7F) {
			ws = true;
		} else if (c == 0xC2 && (unsigned char)s[k + 1] >= 0x80 && (unsigned char)s[k + 1] <= 0xA0) {
			ws = true; /* C1 controls and NBSP */
			l = 2;
		} else if (c == 0xE2 && (unsigned char)s[k + 1] == 0x80
			   && ((unsigned char)s[k + 2] == 0xA8 || (unsigned char)s[k + 2] == 0xA9)) {
			ws = true;
			l = 3;
		} else if (c == ' ') {
			ws = true;
		} else if (c >= 0x80) {
			l = u8_len((const unsigned char *)s + k, strlen(s + k));
			if (!l)
				l = 1;
		}
		if (ws) {
			if (!space)
				strbuf_addc(&fin, ' ');
			space = true;
		} else {
			strbuf_add(&fin, s + k, l);
			space = false;
		}
		k += l;
	}
	free(s);
	if (fin.len && fin.s[fin.len - 1] == ' ')
		fin.s[--fin.len] = 0;
	return strbuf_detach(&fin);
}

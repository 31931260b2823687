#include "store_search.h"

#include "i18n.h"
#include "store_priv.h"
#include "strbuf.h"
#include "xmalloc.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

int store_search_register(sqlite3 *db, struct wb_err *err);

/* Decodes one UTF-8 character at s (n bytes left); invalid bytes read as U+FFFD of length 1. */
static int next_char(const unsigned char *s, int n, unsigned *cp)
{
	unsigned c = s[0];
	int len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
	if (len == 0 || len > n) {
		*cp = 0xFFFD;
		return 1;
	}
	unsigned v = len == 1 ? c : c & (0x7F >> len);
	for (int i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*cp = 0xFFFD;
			return 1;
		}
		v = (v << 6) | (s[i] & 0x3F);
	}
	*cp = v;
	return len;
}

static bool is_cjk(unsigned c)
{
	return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x4DBF) ||
	       (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) ||
	       (c >= 0xAC00 && c <= 0xD7AF) || (c >= 0x20000 && c <= 0x2FFFF);
}

/* Word characters outside CJK: ASCII letters and digits, and letters of other scripts. */
static bool is_word(unsigned c)
{
	if (c < 0x80)
		return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
	if (c == 0xFFFD || (c >= 0x2000 && c <= 0x2BFF) || (c >= 0x3000 && c <= 0x303F) ||
	    (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFFEF) || c == 0xA0)
		return false;
	return !is_cjk(c);
}

/* Full-width ASCII (Ａ, ５) reads as ASCII; ASCII letters fold to lower case. */
static unsigned fold(unsigned c)
{
	if (c >= 0xFF01 && c <= 0xFF5E)
		c -= 0xFEE0;
	if (c >= 'A' && c <= 'Z')
		c += 32;
	return c;
}

static int put_utf8(char *out, unsigned c)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	} else if (c < 0x800) {
		out[0] = (char)(0xC0 | (c >> 6));
		out[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	} else if (c < 0x10000) {
		out[0] = (char)(0xE0 | (c >> 12));
		out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		out[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (c >> 18));
	out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
	out[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

typedef int (*token_cb)(void *, int, const char *, int, int, int);

#define WORD_MAX 64 /* bytes of one indexed word; longer words are cut (still found by their start) */

static int tokenize(void *ctx, int flags, const char *text, int n, token_cb emit)
{
	const unsigned char *s = (const unsigned char *)text;
	char word[WORD_MAX + 4];
	int wlen = 0, wstart = 0;
	/* the CJK run so far: the previous character and where it started */
	unsigned prev = 0;
	int prev_start = 0, run = 0;
	int i = 0, rc = SQLITE_OK;
	bool query = (flags & FTS5_TOKENIZE_QUERY) != 0;

	while (i <= n && rc == SQLITE_OK) {
		unsigned c = 0;
		int len = 0;
		if (i < n)
			len = next_char(s + i, n - i, &c);
		c = fold(c);
		bool w = i < n && is_word(c);
		bool k = i < n && is_cjk(c);
		if (!w && wlen) {
			rc = emit(ctx, 0, word, wlen, wstart, i);
			wlen = 0;
		}
		if (!k && run) {
			char one[4];
			int l = put_utf8(one, prev);
			if (run == 1)
				rc = rc ? rc : emit(ctx, 0, one, l, prev_start, i);
			else if (!query)
				rc = rc ? rc : emit(ctx, FTS5_TOKEN_COLOCATED, one, l, prev_start, i);
			run = 0;
		}
		if (i >= n)
			break;
		if (w) {
			if (!wlen)
				wstart = i;
			if (wlen + 4 <= WORD_MAX)
				wlen += put_utf8(word + wlen, c);
		} else if (k) {
			if (run) {
				char two[8];
				int l = put_utf8(two, prev);
				l += put_utf8(two + l, c);
				rc = emit(ctx, 0, two, l, prev_start, i + len);
			}
			prev = c;
			prev_start = i;
			run++;
		}
		i += len;
	}
	return rc;
}

static int tok_create(void *ctx, const char **args, int nargs, Fts5Tokenizer **out)
{
	static int marker;
	*out = (Fts5Tokenizer *)&marker;
	return SQLITE_OK;
}

static void tok_delete(Fts5Tokenizer *t)
{
}

static int tok_tokenize(Fts5Tokenizer *t, void *ctx, int flags, const char *text, int n, token_cb emit)
{
	return tokenize(ctx, flags, text, n, emit);
}

static fts5_api *fts5_api_of(sqlite3 *db)
{
	fts5_api *api = NULL;
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
		sqlite3_step(st);
	}
	sqlite3_finalize(st);
	return api;
}

int store_search_register(sqlite3 *db, struct wb_err *err)
{
	static fts5_tokenizer tok = { tok_create, tok_delete, tok_tokenize };
	fts5_api *api = fts5_api_of(db);
	if (!api)
		return wb_err_set(err, WB_EDB, _("this SQLite has no FTS5 full-text search"));
	if (api->xCreateTokenizer(api, "wbcjk", NULL, &tok, NULL) != SQLITE_OK)
		return wb_err_set(err, WB_EDB, _("cannot register the search tokenizer"));
	return WB_OK;
}

int store_search_query(const char *typed, char **out, struct wb_err *err)
{
	struct strbuf q = STRBUF_INIT;
	const char *p = typed ? typed : "";
	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (!*p)
			break;
		const char *start = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			p++;
		size_t len = (size_t)(p - start);
		bool prefix = len > 1 && start[len - 1] == '*';
		if (prefix)
			len--;
		/* is there anything searchable in the term at all? */
		const unsigned char *t = (const unsigned char *)start;
		int chars = 0, cjk = 0, words = 0;
		for (size_t i = 0; i < len;) {
			unsigned c;
			int l = next_char(t + i, (int)(len - i), &c);
			c = fold(c);
			chars++;
			cjk += is_cjk(c);
			words += is_word(c);
			i += (size_t)l;
		}
		if (!cjk && !words)
			continue;
		if (chars == 1 && cjk == 1)
			prefix = true;
		if (q.len)
			strbuf_addc(&q, ' ');
		strbuf_addc(&q, '"');
		for (size_t i = 0; i < len; i++) {
			if (start[i] == '"')
				strbuf_addc(&q, '"');
			strbuf_addc(&q, start[i]);
		}
		strbuf_addc(&q, '"');
		if (prefix)
			strbuf_addc(&q, '*');
	}
	if (!q.len) {
		strbuf_free(&q);
		return wb_err_set(err, WB_EINVAL, _("nothing to search for in '%s'"), typed ? typed : "");
	}
	*out = strbuf_detach(&q);
	return WB_OK;
}

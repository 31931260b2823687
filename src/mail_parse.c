#include "mail_parse.h"

#include "i18n.h"
#include "mail_charset.h"
#include "mail_html.h"
#include "mail_quote.h"
#include "strbuf.h"
#include "utf8.h"
#include "xmalloc.h"

#include <ctype.h>
#include <gmime/gmime.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void mp_init(void)
{
	static bool done;
	if (!done) {
		g_mime_init();
		done = true;
	}
}

/* ---- raw header access ---- */

/* The raw (undecoded, possibly folded) value of the first header `name` of obj, or NULL. */
static const char *raw_header(GMimeObject *obj, const char *name)
{
	GMimeHeaderList *hl = g_mime_object_get_header_list(obj);
	if (!hl)
		return NULL;
	int n = g_mime_header_list_get_count(hl);
	for (int i = 0; i < n; i++) {
		GMimeHeader *h = g_mime_header_list_get_header_at(hl, i);
		const char *hn = h ? g_mime_header_get_name(h) : NULL;
		if (hn && strcasecmp(hn, name) == 0) {
			const char *v = g_mime_header_get_raw_value(h);
			return v ? v : "";
		}
	}
	return NULL;
}

/* ---- Content-Type / Content-Disposition parameters (RFC 2045, RFC 2231) ---- */

struct psec {
	int idx;
	bool ext;
	struct strbuf val;
};

static int pct_hex(int c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

/* The decoded value of parameter `want` in a raw structured header value, or NULL. */
static char *param_get(const char *raw, const char *want, const char *hint)
{
	if (!raw)
		return NULL;
	size_t wl = strlen(want);
	const char *p = raw;
	/* skip the main value */
	bool q = false;
	while (*p && (q || *p != ';')) {
		if (*p == '"')
			q = !q;
		else if (*p == '\\' && q && p[1])
			p++;
		p++;
	}
	char *plain = NULL;
	struct psec sec[32];
	int nsec = 0;
	while (*p) {
		while (*p == ';' || isspace((unsigned char)*p))
			p++;
		const char *an = p;
		while (*p && *p != '=' && *p != ';')
			p++;
		const char *ae = p;
		while (ae > an && isspace((unsigned char)ae[-1]))
			ae--;
		if (*p != '=') {
			continue;
		}
		p++;
		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			p++;
		struct strbuf v = STRBUF_INIT;
		if (*p == '"') {
			p++;
			while (*p && *p != '"') {
				if (*p == '\\' && p[1])
					p++;
				if (*p != '\r' && *p != '\n')
					strbuf_addc(&v, *p);
				p++;
			}
			if (*p == '"')
				p++;
			while (*p && *p != ';')
				p++;
		} else {
			while (*p && *p != ';') {
				if (*p != '\r' && *p != '\n')
					strbuf_addc(&v, *p);
				p++;
			}
			while (v.len && isspace((unsigned char)v.s[v.len - 1]))
				v.s[--v.len] = 0;
		}
		size_t al = (size_t)(ae - an);
		if (al == wl && strncasecmp(an, want, wl) == 0) {
			if (!plain)
				plain = strbuf_detach(&v);
		} else if (al > wl && strncasecmp(an, want, wl) == 0 && an[wl] == '*' && nsec < 32) {
			const char *s = an + wl + 1;
			int idx = 0;
			bool ext = false;
			if (s == ae || (*s == '*' && s + 1 == ae)) {
				ext = true; /* name*=charset'lang'value */
			} else {
				while (s < ae && isdigit((unsigned char)*s) && idx < 1000)
					idx = idx * 10 + (*s++ - '0');
				ext = s < ae && *s == '*';
			}
			sec[nsec].idx = idx;
			sec[nsec].ext = ext;
			sec[nsec].val = v;
			v = (struct strbuf)STRBUF_INIT;
			nsec++;
		}
		strbuf_free(&v);
	}
	char *result = NULL;
	if (nsec) {
		/* order by index, then join (percent-decoding extended sections) */
		for (int i = 1; i < nsec; i++)
			for (int j = i; j > 0 && sec[j].idx < sec[j - 1].idx; j--) {
				struct psec t = sec[j];
				sec[j] = sec[j - 1];
				sec[j - 1] = t;
			}
		struct strbuf bytes = STRBUF_INIT;
		char charset[64] = "";
		for (int i = 0; i < nsec; i++) {
			const char *s = strbuf_str(&sec[i].val);
			if (sec[i].ext && i == 0) {
				const char *a1 = strchr(s, '\'');
				const char *a2 = a1 ? strchr(a1 + 1, '\'') : NULL;
				if (a1 && a2) {
					snprintf(charset, sizeof charset, "%.*s", (int)(a1 - s), s);
					s = a2 + 1;
				}
			}
			for (; *s; s++) {
				if (sec[i].ext && *s == '%' && pct_hex(s[1]) >= 0 && pct_hex(s[2]) >= 0) {
					strbuf_addc(&bytes, (char)(pct_hex(s[1]) * 16 + pct_hex(s[2])));
					s += 2;
				} else {
					strbuf_addc(&bytes, *s);
				}
			}
			strbuf_free(&sec[i].val);
		}
		if (bytes.len && strstr(strbuf_str(&bytes), "=?") && !charset[0])
			result = mail_charset_decode_header(bytes.s, bytes.len, hint);
		else
			result = mail_charset_to_utf8(bytes.s ? bytes.s : "", bytes.len, charset[0] ? charset : hint);
		strbuf_free(&bytes);
	}
	if (plain && (!result || !*result)) {
		free(result);
		result = mail_charset_decode_header(plain, strlen(plain), hint);
	}
	free(plain);
	if (result) {
		utf8_flatten(result);
		/* no path parts in a file name */
		char *slash = strrchr(result, '/');
		char *bs = strrchr(result, '\\');
		char *cut = slash > bs ? slash : bs;
		if (cut && cut[1]) {
			char *t = xstrdup(cut + 1);
			free(result);
			result = t;
		}
	}
	return result;
}

/* "type/subtype" of obj in lower case. */
static char *mime_type(GMimeObject *obj)
{
	GMimeContentType *ct = g_mime_object_get_content_type(obj);
	const char *t = ct ? g_mime_content_type_get_media_type(ct) : NULL;
	const char *s = ct ? g_mime_content_type_get_media_subtype(ct) : NULL;
	char *r = xasprintf("%s/%s", t && *t ? t : "text", s && *s ? s : "plain");
	char *clean = mail_charset_sanitize(r, strlen(r));
	free(r);
	for (char *p = clean; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return clean;
}

static const char *ct_param(GMimeObject *obj, const char *name)
{
	GMimeContentType *ct = g_mime_object_get_content_type(obj);
	return ct ? g_mime_content_type_get_parameter(ct, name) : NULL;
}

/* ---- body walk ---- */

struct walk {
	struct strbuf text;
	bool any_text;
	bool from_html;
	bool has_plain;
	const char *hint;
	struct mail_attachment *att;
	size_t n_att, cap_att;
	bool dsn;
	bool mdn;
	int depth;
};

static unsigned char *part_bytes(GMimeObject *obj, size_t *n)
{
	GMimeStream *ms = g_mime_stream_mem_new();
	if (GMIME_IS_PART(obj)) {
		GMimeDataWrapper *dw = g_mime_part_get_content(GMIME_PART(obj));
		if (dw)
			g_mime_data_wrapper_write_to_stream(dw, ms);
	} else if (GMIME_IS_MESSAGE_PART(obj)) {
		GMimeMessage *m = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
		if (m)
			g_mime_object_write_to_stream(GMIME_OBJECT(m), NULL, ms);
	} else {
		g_mime_object_write_to_stream(obj, NULL, ms);
	}
	GByteArray *ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(ms));
	size_t len = ba ? ba->len : 0;
	unsigned char *d = xmalloc(len + 1);
	if (len)
		memcpy(d, ba->data, len);
	d[len] = 0;
	g_object_unref(ms);
	*n = len;
	return d;
}

static void add_attachment(struct walk *w, GMimeObject *obj, const char *type, bool is_inline)
{
	if (w->n_att == w->cap_att) {
		w->cap_att = w->cap_att ? w->cap_att * 2 : 4;
		w->att = xrealloc(w->att, w->cap_att * sizeof *w->att);
	}
	struct mail_attachment *a = &w->att[w->n_att++];
	memset(a, 0, sizeof *a);
	char *fn = param_get(raw_header(obj, "Content-Disposition"), "filename", w->hint);
	if (!fn || !*fn) {
		free(fn);
		fn = param_get(raw_header(obj, "Content-Type"), "name", w->hint);
	}
	a->filename = fn ? fn : xstrdup("");
	a->content_type = xstrdup(type);
	const char *cid = raw_header(obj, "Content-ID");
	if (cid) {
		char *c = mail_charset_decode_header(cid, strlen(cid), NULL);
		char *s = c, *e;
		if (*s == '<')
			s++;
		if ((e = strchr(s, '>')))
			*e = 0;
		a->content_id = *s ? xstrdup(s) : NULL;
		free(c);
	}
	a->is_inline = is_inline || (a->content_id && strncmp(type, "image/", 6) == 0);
	a->data = part_bytes(obj, &a->size);
}

static bool looks_html(const char *s)
{
	while (*s && isspace((unsigned char)*s))
		s++;
	static const char *const starts[] = { "<html", "<!doctype html", "<body", "<div", "<p>", "<p ", "<table", "<meta", "<head", NULL };
	for (size_t i = 0; starts[i]; i++)
		if (strncasecmp(s, starts[i], strlen(starts[i])) == 0)
			return strstr(s, "</") != NULL;
	return false;
}

static void add_text(struct walk *w, GMimeObject *obj, bool html)
{
	size_t n;
	unsigned char *b = part_bytes(obj, &n);
	const char *cs = ct_param(obj, "charset");
	char *meta = NULL;
	if (html && (!cs || !*cs))
		cs = meta = mail_html_meta_charset((const char *)b, n);
	char *u = mail_charset_to_utf8((const char *)b, n, cs);
	free(b);
	free(meta);
	if (!html && looks_html(u))
		html = true;
	if (html) {
		char *t = mail_html_to_text(u, strlen(u));
		free(u);
		u = t;
		w->from_html = true;
	} else {
		/* CRLF and lone CR become LF */
		size_t k = 0;
		for (size_t i = 0; u[i]; i++) {
			if (u[i] == '\r') {
				if (u[i + 1] != '\n')
					u[k++] = '\n';
				continue;
			}
			u[k++] = u[i];
		}
		u[k] = 0;
		w->has_plain = true;
	}
	if (*u) {
		if (w->text.len && w->text.s[w->text.len - 1] != '\n')
			strbuf_addc(&w->text, '\n');
		if (w->text.len)
			strbuf_addc(&w->text, '\n');
		strbuf_adds(&w->text, u);
	}
	w->any_text = true;
	free(u);
}

static bool contains_type(GMimeObject *obj, const char *want, int depth)
{
	if (depth > 20)
		return false;
	if (GMIME_IS_MULTIPART(obj)) {
		int n = g_mime_multipart_get_count(GMIME_MULTIPART(obj));
		for (int i = 0; i < n; i++)
			if (contains_type(g_mime_multipart_get_part(GMIME_MULTIPART(obj), i), want, depth + 1))
				return true;
		return false;
	}
	char *t = mime_type(obj);
	bool r = strcmp(t, want) == 0;
	free(t);
	return r;
}

static void walk(struct walk *w, GMimeObject *obj, bool want_text)
{
	if (!obj || w->depth > 40)
		return;
	char *type = mime_type(obj);
	if (GMIME_IS_MULTIPART(obj)) {
		GMimeMultipart *mp = GMIME_MULTIPART(obj);
		int n = g_mime_multipart_get_count(mp);
		int pick = -1;
		if (strcmp(type, "multipart/alternative") == 0 && want_text) {
			for (int i = 0; i < n && pick < 0; i++)
				if (contains_type(g_mime_multipart_get_part(mp, i), "text/plain", 0))
					pick = i;
			if (pick < 0)
				pick = n - 1;
		}
		if (strcmp(type, "multipart/report") == 0) {
			const char *rt = ct_param(obj, "report-type");
			if (rt && strcasecmp(rt, "disposition-notification") == 0)
				w->mdn = true;
			else
				w->dsn = true;
		}
		w->depth++;
		for (int i = 0; i < n; i++)
			walk(w, g_mime_multipart_get_part(mp, i), want_text && (pick < 0 || i == pick));
		w->depth--;
		free(type);
		return;
	}
	if (strcmp(type, "message/delivery-status") == 0 || strcmp(type, "message/global-delivery-status") == 0)
		w->dsn = true;
	GMimeContentDisposition *cd = g_mime_object_get_content_disposition(obj);
	const char *disp = cd ? g_mime_content_disposition_get_disposition(cd) : NULL;
	bool attachment = disp && strcasecmp(disp, "attachment") == 0;
	bool inl = disp && strcasecmp(disp, "inline") == 0;
	bool plain = strcmp(type, "text/plain") == 0;
	bool html = strcmp(type, "text/html") == 0;
	bool named = false;
	if (plain || html) {
		/* a text part with a file name is a file (Apple Mail sends attachments "inline") */
		char *nm = param_get(raw_header(obj, "Content-Disposition"), "filename", NULL);
		if (!nm || !*nm) {
			free(nm);
			nm = param_get(raw_header(obj, "Content-Type"), "name", NULL);
		}
		named = nm && *nm;
		free(nm);
	}
	if ((plain || html) && !attachment && !named) {
		if (want_text)
			add_text(w, obj, html);
	} else if (GMIME_IS_PART(obj) || GMIME_IS_MESSAGE_PART(obj)) {
		add_attachment(w, obj, type, inl);
	}
	free(type);
}

/* ---- addresses ---- */

struct mbox {
	char *name;
	char *addr;
};

/* Lower-cases the domain, checks the shape; returns a new address or NULL. */
static char *clean_addr(const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	/* drop an obsolete route "@a,@b:" */
	const char *colon = memchr(s, ':', n);
	if (n && s[0] == '@' && colon) {
		n -= (size_t)(colon + 1 - s);
		s = colon + 1;
	}
	if (!n || n > 254)
		return NULL;
	const char *at = NULL;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= ' ' || c == 0x7F || c == '<' || c == '>' || c == ',' || c == ';' || c == '(' || c == ')'
		    || c == '\\' || c == '[' || c == ']')
			return NULL;
		if (c == '"')
			return NULL;
		if (c == '@')
			at = s + i;
	}
	if (!at || at == s || at == s + n - 1 || memchr(at + 1, '@', (size_t)(s + n - at - 1)))
		return NULL;
	if (!utf8_valid(s, n))
		return NULL;
	char *r = xstrndup(s, n);
	for (char *p = r + (at - s); *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return r;
}

/* Splits an address-list header into mailboxes. */
static size_t parse_addresses(const char *raw, const char *hint, struct mbox **out)
{
	*out = NULL;
	if (!raw)
		return 0;
	size_t n = 0, cap = 0;
	struct mbox *list = NULL;
	const char *p = raw;
	while (*p) {
		/* one mailbox: up to ',' or ';' outside quotes, comments and <> */
		struct strbuf disp = STRBUF_INIT, comment = STRBUF_INIT, bare = STRBUF_INIT;
		const char *angle = NULL, *angle_end = NULL;
		int depth = 0;
		bool q = false;
		const char *start = p;
		for (; *p; p++) {
			char c = *p;
			if (q) {
				if (c == '\\' && p[1]) {
					p++;
					strbuf_addc(&disp, *p);
				} else if (c == '"') {
					q = false;
				} else {
					strbuf_addc(&disp, c);
				}
				continue;
			}
			if (depth) {
				if (c == '\\' && p[1])
					p++;
				else if (c == '(')
					depth++;
				else if (c == ')')
					depth--;
				if (depth)
					strbuf_addc(&comment, *p);
				continue;
			}
			if (angle && !angle_end) {
				if (c == '>')
					angle_end = p;
				continue;
			}
			if (c == '"') {
				q = true;
			} else if (c == '(') {
				depth = 1;
			} else if (c == '<') {
				angle = p + 1;
				angle_end = NULL;
			} else if (c == ',' || c == ';') {
				break;
			} else if (c == ':' && !angle && !memchr(start, '@', (size_t)(p - start))) {
				/* group name: forget it */
				strbuf_reset(&disp);
				strbuf_reset(&bare);
			} else {
				strbuf_addc(&disp, c);
				strbuf_addc(&bare, c);
			}
		}
		char *addr = NULL;
		if (angle)
			addr = clean_addr(angle, (size_t)((angle_end ? angle_end : p) - angle));
		else
			addr = clean_addr(strbuf_str(&bare), bare.len);
		if (addr) {
			if (n == cap) {
				cap = cap ? cap * 2 : 4;
				list = xrealloc(list, cap * sizeof *list);
			}
			const char *nm = angle ? strbuf_str(&disp) : strbuf_str(&comment);
			list[n].name = mail_charset_decode_header(nm, strlen(nm), hint);
			list[n].addr = addr;
			n++;
		}
		strbuf_free(&disp);
		strbuf_free(&comment);
		strbuf_free(&bare);
		if (*p)
			p++;
	}
	*out = list;
	return n;
}

static void free_mboxes(struct mbox *l, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(l[i].name);
		free(l[i].addr);
	}
	free(l);
}

static char **addr_strings(const char *raw, const char *hint, size_t *count)
{
	struct mbox *l;
	size_t n = parse_addresses(raw, hint, &l);
	char **r = n ? xcalloc(n, sizeof *r) : NULL;
	for (size_t i = 0; i < n; i++) {
		r[i] = l[i].addr;
		l[i].addr = NULL;
	}
	free_mboxes(l, n);
	*count = n;
	return r;
}

/* ---- message ids ---- */

static char *one_id(const char *s, size_t n)
{
	char *c = mail_charset_sanitize(s, n);
	utf8_flatten(c);
	char *t = c;
	while (*t == ' ')
		t++;
	size_t l = strlen(t);
	while (l && t[l - 1] == ' ')
		l--;
	char *r = l ? xstrndup(t, l) : NULL;
	free(c);
	return r;
}

/* All "<id>" in raw, in order, duplicates dropped; a bare id when there is no <>. */
static char **parse_ids(const char *raw, size_t *count)
{
	*count = 0;
	if (!raw)
		return NULL;
	char **ids = NULL;
	size_t n = 0, cap = 0;
	const char *p = raw;
	bool any_angle = strchr(raw, '<') != NULL;
	while (*p) {
		const char *s, *e;
		if (any_angle) {
			s = strchr(p, '<');
			if (!s)
				break;
			s++;
			e = strchr(s, '>');
			if (!e)
				break;
			p = e + 1;
		} else {
			while (*p && isspace((unsigned char)*p))
				p++;
			s = p;
			while (*p && !isspace((unsigned char)*p))
				p++;
			e = p;
			if (s == e)
				break;
		}
		char *id = one_id(s, (size_t)(e - s));
		if (!id || strchr(id, ' ')) {
			free(id);
			continue;
		}
		bool dup = false;
		for (size_t i = 0; i < n; i++)
			if (strcmp(ids[i], id) == 0)
				dup = true;
		if (dup || n >= 500) {
			free(id);
			continue;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 4;
			ids = xrealloc(ids, cap * sizeof *ids);
		}
		ids[n++] = id;
	}
	*count = n;
	return ids;
}

static char *first_id(const char *raw)
{
	size_t n;
	char **ids = parse_ids(raw, &n);
	char *r = n ? ids[0] : NULL;
	for (size_t i = 1; i < n; i++)
		free(ids[i]);
	free(ids);
	return r;
}

/* ---- auto-reply and bounce detection ---- */

static char *header_word(const char *raw)
{
	char *v = mail_charset_decode_header(raw, strlen(raw), NULL);
	return v;
}

static bool starts_prefix_ci(const char *s, const char *p)
{
	return strncasecmp(s, p, strlen(p)) == 0;
}

static void detect_auto(struct mail_in *m, GMimeObject *top, const struct walk *w)
{
	const char *v;
	if ((v = raw_header(top, "Auto-Submitted"))) {
		char *x = header_word(v);
		size_t k = strcspn(x, " ;(");
		if (k && !(k == 2 && strncasecmp(x, "no", 2) == 0)) {
			m->is_auto = true;
			m->auto_reason = xasprintf("Auto-Submitted: %s", x);
		}
		free(x);
	}
	if (!m->is_auto && (v = raw_header(top, "Precedence"))) {
		char *x = header_word(v);
		if (strcasecmp(x, "auto_reply") == 0 || strcasecmp(x, "auto-reply") == 0) {
			m->is_auto = true;
			m->auto_reason = xasprintf("Precedence: %s", x);
		} else if (strcasecmp(x, "bulk") == 0 || strcasecmp(x, "junk") == 0 || strcasecmp(x, "list") == 0) {
			m->is_bulk = true;
			m->bulk_reason = xasprintf("Precedence: %s", x);
		}
		free(x);
	}
	static const char *const auto_headers[] = {
		"X-Autoreply", "X-Autorespond", "X-Auto-Reply", "X-AutoReply-From", "X-Mail-Autoreply",
		"X-QQ-AUTO-REPLY", "X-Autogenerated", NULL,
	};
	for (size_t i = 0; auto_headers[i] && !m->is_auto; i++) {
		if ((v = raw_header(top, auto_headers[i]))) {
			char *x = header_word(v);
			if (strcasecmp(x, "no") != 0 && strcasecmp(x, "false") != 0 && strcmp(x, "0") != 0) {
				m->is_auto = true;
				m->auto_reason = xasprintf("%s: %s", auto_headers[i], x);
			}
			free(x);
		}
	}
	if (w->dsn || raw_header(top, "X-Failed-Recipients")) {
		m->is_bounce = true;
		if (!m->is_auto) {
			m->is_auto = true;
			m->auto_reason = xstrdup(_("delivery status report"));
		}
	}
	if (w->mdn && !m->is_auto) {
		m->is_auto = true;
		m->auto_reason = xstrdup(_("read receipt"));
	}
	/* providers' own bounces: postmaster@ / mailer-daemon@ with a bounce subject */
	static const char *const bounce_subj[] = {
		"退信", "Undelivered", "Undeliverable", "Delivery Status Notification", "Delivery Failure",
		"Delivery failed", "Mail delivery failed", "failure notice", "Returned mail", "投递失败",
		"系统退信", "Delivery has failed", "Nondeliverable", "Non-delivery", "无法投递", "未能送达", NULL,
	};
	const char *local_end = m->from_addr ? strchr(m->from_addr, '@') : NULL;
	bool daemon = false, postmaster = false;
	if (local_end) {
		size_t ll = (size_t)(local_end - m->from_addr);
		daemon = (ll == 13 && strncasecmp(m->from_addr, "mailer-daemon", 13) == 0)
			 || (ll == 12 && strncasecmp(m->from_addr, "maildeliver", 11) == 0);
		postmaster = ll == 10 && strncasecmp(m->from_addr, "postmaster", 10) == 0;
	}
	bool bounce_subject = false;
	for (size_t i = 0; bounce_subj[i]; i++)
		if (strcasestr(m->subject, bounce_subj[i]))
			bounce_subject = true;
	if ((daemon || postmaster) && bounce_subject) {
		m->is_bounce = true;
		if (!m->is_auto) {
			m->is_auto = true;
			m->auto_reason = xasprintf(_("bounce from %s"), m->from_addr);
		}
	} else if (daemon && !m->is_auto) {
		m->is_auto = true;
		m->auto_reason = xasprintf(_("mail from %s"), m->from_addr);
	}
	if ((v = raw_header(top, "Return-Path")) && !m->is_auto) {
		char *x = header_word(v);
		if (strcmp(x, "<>") == 0) {
			m->is_auto = true;
			m->auto_reason = xstrdup("Return-Path: <>");
		}
		free(x);
	}
	/* auto-replies that say so only in the subject */
	static const char *const auto_subj[] = {
		"自动回复", "自動回覆", "自动答复", "自動答覆", "自動回復", "Automatic reply", "Auto-Reply",
		"AutoReply", "Auto Reply", "Autosvar", "Out of Office AutoReply", "Out of Office", "Abwesenheitsnotiz", "Réponse automatique",
		"Risposta automatica", "Respuesta automática", "Resposta automática", "Automatisch antwoord",
		"Automatische Antwort", "Automaattinen vastaus", "Odpowiedź automatyczna", NULL,
	};
	for (size_t i = 0; auto_subj[i] && !m->is_auto; i++) {
		if (starts_prefix_ci(m->subject, auto_subj[i])) {
			/* only as a prefix with a colon: "Automatic reply not working" is a person asking */
			const char *rest = m->subject + strlen(auto_subj[i]);
			while (*rest == ' ')
				rest++;
			if (*rest == ':' || starts_prefix_ci(rest, "：")) {
				m->is_auto = true;
				m->auto_reason = xasprintf("Subject: %s", auto_subj[i]);
			}
		}
	}
}

/* Mailing lists that rewrite From for DMARC ("Name via List <list@…>") keep the sender in
 * X-Original-From or Reply-To: the requester is that person, not the list. */
static void undo_list_rewrite(struct mail_in *m, GMimeObject *top, const char *hint)
{
	char *via = m->from_addr ? strstr(m->from_name, " via ") : NULL;
	if (!via)
		return;
	const char *xo = raw_header(top, "X-Original-From");
	struct mbox *o;
	size_t no = parse_addresses(xo ? xo : raw_header(top, "Reply-To"), hint, &o);
	if (no == 1 || (xo && no > 1)) {
		m->via_list = m->from_addr;
		m->from_addr = o[0].addr;
		o[0].addr = NULL;
		if (*o[0].name) {
			free(m->from_name);
			m->from_name = o[0].name;
			o[0].name = NULL;
		} else {
			*via = 0;
		}
	}
	free_mboxes(o, no);
}

/* ---- entry points ---- */

/* The charset the sender's programme most likely used for raw 8-bit header bytes. */
static const char *find_hint(GMimeObject *obj, int depth)
{
	if (!obj || depth > 20)
		return NULL;
	if (GMIME_IS_MULTIPART(obj)) {
		int n = g_mime_multipart_get_count(GMIME_MULTIPART(obj));
		for (int i = 0; i < n; i++) {
			const char *h = find_hint(g_mime_multipart_get_part(GMIME_MULTIPART(obj), i), depth + 1);
			if (h)
				return h;
		}
		return NULL;
	}
	if (GMIME_IS_PART(obj)) {
		const char *cs = ct_param(obj, "charset");
		if (cs && *cs && strcasecmp(cs, "us-ascii") != 0)
			return cs;
	}
	return NULL;
}

int mail_parse(const char *raw, size_t len, struct mail_in **out, struct wb_err *err)
{
	*out = NULL;
	mp_init();
	while (raw && len && (*raw == '\n' || *raw == '\r')) { /* blank lines a pipe put in front */
		raw++;
		len--;
	}
	if (!raw || !len)
		return wb_err_set(err, WB_EINVAL, _("the message is empty"));
	GMimeStream *stream = g_mime_stream_mem_new_with_buffer(raw, len);
	GMimeParser *parser = g_mime_parser_new_with_stream(stream);
	GMimeParserOptions *opts = g_mime_parser_options_new();
	g_mime_parser_options_set_rfc2047_compliance_mode(opts, GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_parameter_compliance_mode(opts, GMIME_RFC_COMPLIANCE_LOOSE);
	GMimeMessage *msg = g_mime_parser_construct_message(parser, opts);
	g_mime_parser_options_free(opts);
	g_object_unref(parser);
	g_object_unref(stream);
	if (!msg)
		return wb_err_set(err, WB_EINVAL, _("not a mail message: no header block found"));
	GMimeObject *top = GMIME_OBJECT(msg);
	GMimeHeaderList *hl = g_mime_object_get_header_list(top);
	GMimeObject *body0 = g_mime_message_get_mime_part(msg);
	GMimeHeaderList *bl = body0 ? g_mime_object_get_header_list(body0) : NULL;
	/* GMime keeps Content-* fields on the body part: a message of only those still has a header */
	if ((!hl || g_mime_header_list_get_count(hl) == 0) && (!bl || g_mime_header_list_get_count(bl) == 0)) {
		g_object_unref(msg);
		return wb_err_set(err, WB_EINVAL, _("not a mail message: no header fields"));
	}
	GMimeObject *body = g_mime_message_get_mime_part(msg);
	const char *hint = find_hint(body, 0);
	if (!hint)
		hint = ct_param(top, "charset");

	struct mail_in *m = xcalloc(1, sizeof *m);
	const char *v;
	v = raw_header(top, "Message-ID");
	m->message_id = v ? first_id(v) : NULL;
	v = raw_header(top, "In-Reply-To");
	m->in_reply_to = v ? first_id(v) : NULL;
	m->references = parse_ids(raw_header(top, "References"), &m->n_references);
	v = raw_header(top, "Subject");
	m->subject = v ? mail_charset_decode_header(v, strlen(v), hint) : xstrdup("");

	struct mbox *from;
	size_t nf = parse_addresses(raw_header(top, "From"), hint, &from);
	if (nf == 0) {
		free_mboxes(from, nf);
		nf = parse_addresses(raw_header(top, "Sender"), hint, &from);
	}
	if (nf) {
		m->from_name = from[0].name;
		m->from_addr = from[0].addr;
		from[0].name = from[0].addr = NULL;
	} else {
		m->from_name = xstrdup("");
	}
	free_mboxes(from, nf);
	undo_list_rewrite(m, top, hint);
	size_t nr;
	char **rt = addr_strings(raw_header(top, "Reply-To"), hint, &nr);
	if (nr) {
		m->reply_to = rt[0];
		for (size_t i = 1; i < nr; i++)
			free(rt[i]);
	}
	free(rt);
	m->to = addr_strings(raw_header(top, "To"), hint, &m->n_to);
	m->cc = addr_strings(raw_header(top, "Cc"), hint, &m->n_cc);
	if ((v = raw_header(top, "Date"))) {
		char *d = mail_charset_decode_header(v, strlen(v), NULL);
		GDateTime *dt = g_mime_utils_header_decode_date(d);
		if (dt) {
			m->date = (wb_time)g_date_time_to_unix(dt);
			g_date_time_unref(dt);
		}
		free(d);
	}

	struct walk w = { .text = STRBUF_INIT, .hint = hint };
	walk(&w, body, true);
	m->text = strbuf_detach(&w.text);
	m->text_from_html = w.from_html && !w.has_plain;
	m->att = w.att;
	m->n_att = w.n_att;
	mail_quote_split(m->text, &m->text_visible, &m->text_quoted);
	detect_auto(m, top, &w);
	g_object_unref(msg);
	*out = m;
	return WB_OK;
}

static void free_strv(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void mail_in_free(struct mail_in **mp)
{
	if (!mp || !*mp)
		return;
	struct mail_in *m = *mp;
	free(m->message_id);
	free(m->in_reply_to);
	free_strv(m->references, m->n_references);
	free(m->subject);
	free(m->from_name);
	free(m->from_addr);
	free(m->reply_to);
	free(m->via_list);
	free_strv(m->to, m->n_to);
	free_strv(m->cc, m->n_cc);
	free(m->text);
	free(m->text_visible);
	free(m->text_quoted);
	free(m->auto_reason);
	free(m->bulk_reason);
	for (size_t i = 0; i < m->n_att; i++) {
		free(m->att[i].filename);
		free(m->att[i].content_type);
		free(m->att[i].content_id);
		free(m->att[i].data);
	}
	free(m->att);
	free(m);
	*mp = NULL;
}

#include "mail_compose.h"

#include "i18n.h"
#include "strbuf.h"
#include "utf8.h"
#include "xmalloc.h"

#include <gmime/gmime.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#define MAIL_ADDR_MAX 254

static void mail_gmime_init(void)
{
	static int done;
	if (!done) {
		g_mime_init();
		done = 1;
	}
}

static bool mail_atext(unsigned char c)
{
	if (c >= 'a' && c <= 'z')
		return true;
	if (c >= 'A' && c <= 'Z')
		return true;
	if (c >= '0' && c <= '9')
		return true;
	return c && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL;
}

static bool mail_domain_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

bool mail_addr_valid(const char *addr)
{
	if (!addr)
		return false;
	size_t len = strlen(addr);
	if (len < 3 || len > MAIL_ADDR_MAX)
		return false;
	const char *at = strchr(addr, '@');
	if (!at || strchr(at + 1, '@'))
		return false;
	/* local part: dot-atom */
	if (at == addr || addr[0] == '.' || at[-1] == '.')
		return false;
	for (const char *p = addr; p < at; p++) {
		if (*p == '.') {
			if (p[1] == '.')
				return false;
		} else if (!mail_atext((unsigned char)*p)) {
			return false;
		}
	}
	/* domain: labels of letters, digits and hyphens, at least two of them */
	const char *d = at + 1;
	if (!*d || !strchr(d, '.'))
		return false;
	size_t label = 0;
	for (const char *p = d;; p++) {
		if (*p == '.' || *p == '\0') {
			if (label == 0 || label > 63 || p[-1] == '-' || p[-(ptrdiff_t)label] == '-')
				return false;
			if (*p == '\0')
				break;
			label = 0;
		} else if (mail_domain_char((unsigned char)*p)) {
			label++;
		} else {
			return false;
		}
	}
	return true;
}

static char *mail_trim_dup(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return xstrndup(s, n);
}

int mail_addr_split(const char *spec, char **name, char **addr, struct wb_err *err)
{
	*name = NULL;
	*addr = NULL;
	if (!spec)
		return wb_err_set(err, WB_EINVAL, _("missing e-mail address"));
	size_t len = strlen(spec);
	while (len && (spec[len - 1] == ' ' || spec[len - 1] == '\t'))
		len--;
	const char *lt = NULL;
	if (len && spec[len - 1] == '>') {
		for (size_t i = len - 1; i-- > 0;)
			if (spec[i] == '<') {
				lt = spec + i;
				break;
			}
	}
	char *n = NULL, *a;
	if (lt) {
		a = mail_trim_dup(lt + 1, (size_t)(spec + len - 1 - (lt + 1)));
		n = mail_trim_dup(spec, (size_t)(lt - spec));
		size_t nl = strlen(n);
		if (nl >= 2 && n[0] == '"' && n[nl - 1] == '"') {
			/* unquote, undoing \" and \\ */
			size_t o = 0;
			for (size_t i = 1; i + 1 < nl; i++) {
				if (n[i] == '\\' && i + 2 < nl)
					i++;
				n[o++] = n[i];
			}
			n[o] = '\0';
		}
		if (!*n)
			xfree_str(&n);
	} else {
		a = mail_trim_dup(spec, len);
	}
	if (!mail_addr_valid(a)) {
		int rc = wb_err_set(err, WB_EINVAL, _("not a usable e-mail address: \"%s\""), spec);
		free(n);
		free(a);
		return rc;
	}
	if (n && !utf8_valid(n, strlen(n))) {
		free(n);
		free(a);
		return wb_err_set(err, WB_EINVAL, _("display name is not valid UTF-8 in \"%s\""), spec);
	}
	if (n)
		utf8_flatten(n);
	*name = n;
	*addr = a;
	return WB_OK;
}

/* A Message-ID (or one of References) without <>: visible ASCII, no <>, no spaces. */
static int mail_id_clean(const char *what, const char *in, char **out, struct wb_err *err)
{
	size_t n = strlen(in);
	const char *s = in;
	if (n >= 2 && s[0] == '<' && s[n - 1] == '>') {
		s++;
		n -= 2;
	}
	if (n == 0)
		return wb_err_set(err, WB_EINVAL, _("%s is empty"), what);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= 0x20 || c >= 0x7f || c == '<' || c == '>')
			return wb_err_set(err, WB_EINVAL, _("%s \"%s\" holds a space, control or angle bracket"),
					  what, in);
	}
	*out = xstrndup(s, n);
	return WB_OK;
}

static bool mail_domain_ok(const char *d)
{
	if (!d || !*d || d[0] == '.' || d[strlen(d) - 1] == '.')
		return false;
	for (const char *p = d; *p; p++)
		if (!mail_domain_char((unsigned char)*p) && *p != '.')
			return false;
	return true;
}

static char *mail_new_message_id(wb_time now, const char *domain)
{
	static unsigned counter;
	unsigned char rnd[8];
	if (getrandom(rnd, sizeof rnd, GRND_NONBLOCK) != (ssize_t)sizeof rnd) {
		uint64_t x = (uint64_t)now ^ ((uint64_t)getpid() << 32) ^ (uint64_t)(uintptr_t)&counter;
		for (size_t i = 0; i < sizeof rnd; i++)
			rnd[i] = (unsigned char)(x >> (8 * i));
	}
	char hex[sizeof rnd * 2 + 1];
	for (size_t i = 0; i < sizeof rnd; i++)
		snprintf(hex + 2 * i, 3, "%02x", rnd[i]);
	return xasprintf("wb.%lld.%ld.%u.%s@%s", (long long)now, (long)getpid(), ++counter, hex, domain);
}

/* Copies text with every CRLF or lone CR turned into LF. */
static char *mail_to_lf(const char *s)
{
	size_t n = strlen(s);
	char *d = xmalloc(n + 1), *o = d;
	for (const char *p = s; *p; p++) {
		if (*p == '\r') {
			*o++ = '\n';
			if (p[1] == '\n')
				p++;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	return d;
}

static char *mail_lf_to_crlf(const char *s)
{
	struct strbuf b = STRBUF_INIT;
	for (const char *p = s; *p; p++) {
		if (*p == '\n')
			strbuf_addc(&b, '\r');
		strbuf_addc(&b, *p);
	}
	return strbuf_detach(&b);
}

/* Picks the Content-Transfer-Encoding for LF-ended text: 7bit when it is already 7-bit
 * safe, else the smaller of quoted-printable and base64 (sizes computed, not guessed). */
static GMimeContentEncoding mail_text_encoding(const char *t)
{
	bool plain = true;
	size_t qp = 0, col = 0, linelen = 0, crlf_len = 0;
	for (const unsigned char *p = (const unsigned char *)t;; p++) {
		if (*p == '\n' || *p == '\0') {
			/* trailing white space must be encoded in QP */
			if (linelen && (p[-1] == ' ' || p[-1] == '\t'))
				qp += 2;
			if (linelen > 998)
				plain = false;
			if (*p == '\0')
				break;
			qp += 2; /* CRLF */
			crlf_len += 2;
			col = linelen = 0;
			continue;
		}
		size_t w = 1;
		if (*p >= 0x80 || (*p < 0x20 && *p != '\t') || *p == 0x7f) {
			plain = false;
			w = 3;
		} else if (*p == '=') {
			w = 3;
		}
		if (col + w > 75) { /* soft line break "=\r\n" */
			qp += 3;
			col = 0;
		}
		col += w;
		qp += w;
		linelen++;
		crlf_len++;
	}
	if (plain)
		return GMIME_CONTENT_ENCODING_7BIT;
	size_t b64 = (crlf_len + 2) / 3 * 4;
	b64 += (b64 / 76 + 1) * 2;
	return qp <= b64 ? GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE : GMIME_CONTENT_ENCODING_BASE64;
}

/* Sets the decoded content of a part (copied; GMime's text helpers would re-encode
 * into another charset, and we always send UTF-8). */
static void mail_part_set_bytes(GMimePart *part, const char *data, size_t n)
{
	GMimeStream *st = g_mime_stream_mem_new_with_buffer(data, n);
	GMimeDataWrapper *w = g_mime_data_wrapper_new_with_stream(st, GMIME_CONTENT_ENCODING_DEFAULT);
	g_mime_part_set_content(part, w);
	g_object_unref(w);
	g_object_unref(st);
}

static GMimeObject *mail_text_part(const char *body, const char *signature)
{
	struct strbuf b = STRBUF_INIT;
	char *lf = mail_to_lf(body ? body : "");
	strbuf_adds(&b, lf);
	free(lf);
	if (signature && *signature) {
		if (b.len && b.s[b.len - 1] != '\n')
			strbuf_addc(&b, '\n');
		strbuf_adds(&b, "-- \n");
		lf = mail_to_lf(signature);
		strbuf_adds(&b, lf);
		free(lf);
	}
	if (!b.len || b.s[b.len - 1] != '\n')
		strbuf_addc(&b, '\n');

	GMimeContentEncoding enc = mail_text_encoding(b.s);
	GMimeTextPart *part = g_mime_text_part_new_with_subtype("plain");
	if (enc == GMIME_CONTENT_ENCODING_BASE64) {
		/* base64 carries the canonical form: CRLF line ends */
		char *crlf = mail_lf_to_crlf(b.s);
		mail_part_set_bytes(GMIME_PART(part), crlf, strlen(crlf));
		free(crlf);
	} else {
		mail_part_set_bytes(GMIME_PART(part), b.s, b.len);
	}
	g_mime_text_part_set_charset(part, enc == GMIME_CONTENT_ENCODING_7BIT ? "us-ascii" : "utf-8");
	g_mime_part_set_content_encoding(GMIME_PART(part), enc);
	strbuf_free(&b);
	return GMIME_OBJECT(part);
}

static int mail_attachment_part(const struct mail_out_attachment *a, GMimeObject **out, struct wb_err *err)
{
	const char *ct = a->content_type && *a->content_type ? a->content_type : "application/octet-stream";
	for (const char *p = ct; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
			return wb_err_set(err, WB_EINVAL, _("attachment content type \"%s\" holds a control or non-ASCII character"), ct);
	if (!strchr(ct, '/'))
		return wb_err_set(err, WB_EINVAL, _("attachment content type \"%s\" is not of the form type/subtype"), ct);
	if (!a->filename || !*a->filename || !utf8_valid(a->filename, strlen(a->filename)))
		return wb_err_set(err, WB_EINVAL, _("attachment file name is empty or not valid UTF-8"));
	if (a->size && !a->data)
		return wb_err_set(err, WB_EINVAL, _("attachment \"%s\" has no data"), a->filename);

	GMimeContentType *type = g_mime_content_type_parse(NULL, ct);
	if (!type)
		return wb_err_set(err, WB_EINVAL, _("attachment content type \"%s\" cannot be parsed"), ct);
	GMimePart *part = g_mime_part_new();
	g_mime_object_set_content_type(GMIME_OBJECT(part), type);
	g_object_unref(type);

	char *name = xstrdup(a->filename);
	utf8_flatten(name);
	const char *base = strrchr(name, '/');
	g_mime_part_set_filename(part, base && base[1] ? base + 1 : name);
	free(name);

	mail_part_set_bytes(part, a->data ? (const char *)a->data : "", a->size);
	g_mime_part_set_content_encoding(part, GMIME_CONTENT_ENCODING_BASE64);
	*out = GMIME_OBJECT(part);
	return WB_OK;
}

static int mail_add_list(GMimeMessage *msg, GMimeAddressType type, const char *const *list, size_t n,
			 struct wb_err *err)
{
	InternetAddressList *dst = g_mime_message_get_addresses(msg, type);
	for (size_t i = 0; i < n; i++) {
		char *name, *addr;
		int rc = mail_addr_split(list[i], &name, &addr, err);
		if (rc)
			return rc;
		InternetAddress *ia = internet_address_mailbox_new(name ? name : "", addr);
		internet_address_list_add(dst, ia);
		g_object_unref(ia);
		free(name);
		free(addr);
	}
	return WB_OK;
}

/* The rendered text must be CRLF-only and 7-bit; repairs stray LFs, refuses 8-bit bytes. */
static int mail_finish(const char *s, char **raw, struct wb_err *err)
{
	struct strbuf b = STRBUF_INIT;
	for (const char *p = s; *p; p++) {
		if ((unsigned char)*p >= 0x80) {
			strbuf_free(&b);
			return wb_err_set(err, WB_EIO, _("internal error: the rendered message is not 7-bit clean"));
		}
		if (*p == '\n' && (p == s || p[-1] != '\r'))
			strbuf_addc(&b, '\r');
		if (*p == '\r' && p[1] != '\n') {
			strbuf_adds(&b, "\r\n");
			continue;
		}
		strbuf_addc(&b, *p);
	}
	*raw = strbuf_detach(&b);
	return WB_OK;
}

static bool mail_text_ok(const char *s)
{
	return !s || utf8_valid(s, strlen(s));
}

int mail_compose(const struct mail_out *m, char **raw, char **message_id, struct wb_err *err)
{
	*raw = NULL;
	*message_id = NULL;
	if (!mail_addr_valid(m->from_addr))
		return wb_err_set(err, WB_EINVAL, _("sender address \"%s\" is not a usable e-mail address"),
				  m->from_addr ? m->from_addr : "");
	if (!mail_text_ok(m->subject) || !mail_text_ok(m->from_name))
		return wb_err_set(err, WB_EINVAL, _("subject or sender name is not valid UTF-8"));
	if (!mail_text_ok(m->body) || !mail_text_ok(m->signature))
		return wb_err_set(err, WB_EINVAL, _("message body or signature is not valid UTF-8"));

	char *id = NULL, *irt = NULL;
	int rc = WB_OK;
	struct strbuf refs = STRBUF_INIT;
	wb_time now = m->date ? m->date : clock_now();
	if (m->message_id) {
		if ((rc = mail_id_clean(_("Message-ID"), m->message_id, &id, err)))
			goto out;
	} else {
		if (!mail_domain_ok(m->msgid_domain)) {
			rc = wb_err_set(err, WB_EINVAL, _("Message-ID domain \"%s\" is not a host name"),
					m->msgid_domain ? m->msgid_domain : "");
			goto out;
		}
		id = mail_new_message_id(now, m->msgid_domain);
	}
	if (m->in_reply_to && *m->in_reply_to && (rc = mail_id_clean(_("In-Reply-To"), m->in_reply_to, &irt, err)))
		goto out;
	for (size_t i = 0; i < m->n_references; i++) {
		char *r;
		if ((rc = mail_id_clean(_("References entry"), m->references[i], &r, err)))
			goto out;
		strbuf_addf(&refs, "%s<%s>", refs.len ? " " : "", r);
		free(r);
	}

	mail_gmime_init();
	GMimeMessage *msg = g_mime_message_new(TRUE);
	char *from_name = xstrdup(m->from_name ? m->from_name : "");
	utf8_flatten(from_name);
	g_mime_message_add_mailbox(msg, GMIME_ADDRESS_TYPE_FROM, from_name, m->from_addr);
	free(from_name);
	if ((rc = mail_add_list(msg, GMIME_ADDRESS_TYPE_TO, m->to, m->n_to, err)) ||
	    (rc = mail_add_list(msg, GMIME_ADDRESS_TYPE_CC, m->cc, m->n_cc, err)))
		goto out_msg;

	char *subject = xstrdup(m->subject ? m->subject : "");
	utf8_flatten(subject);
	g_mime_message_set_subject(msg, subject, "utf-8");
	free(subject);

	GDateTime *dt = g_date_time_new_from_unix_utc(now);
	g_mime_message_set_date(msg, dt);
	g_date_time_unref(dt);
	g_mime_message_set_message_id(msg, id);
	if (irt) {
		char *v = xasprintf("<%s>", irt);
		g_mime_object_set_header(GMIME_OBJECT(msg), "In-Reply-To", v, NULL);
		free(v);
	}
	if (refs.len)
		g_mime_object_set_header(GMIME_OBJECT(msg), "References", refs.s, NULL);

	GMimeObject *text = mail_text_part(m->body, m->signature);
	if (m->n_att) {
		GMimeMultipart *mp = g_mime_multipart_new_with_subtype("mixed");
		g_mime_multipart_add(mp, text);
		g_object_unref(text);
		for (size_t i = 0; i < m->n_att && !rc; i++) {
			GMimeObject *part = NULL;
			if ((rc = mail_attachment_part(&m->att[i], &part, err)) == WB_OK) {
				g_mime_multipart_add(mp, part);
				g_object_unref(part);
			}
		}
		g_mime_message_set_mime_part(msg, GMIME_OBJECT(mp));
		g_object_unref(mp);
		if (rc)
			goto out_msg;
	} else {
		g_mime_message_set_mime_part(msg, text);
		g_object_unref(text);
	}

	GMimeFormatOptions *fo = g_mime_format_options_new();
	g_mime_format_options_set_newline_format(fo, GMIME_NEWLINE_FORMAT_DOS);
	char *s = g_mime_object_to_string(GMIME_OBJECT(msg), fo);
	g_mime_format_options_free(fo);
	rc = mail_finish(s, raw, err);
	g_free(s);
	if (rc == WB_OK) {
		*message_id = id;
		id = NULL;
	}
out_msg:
	g_object_unref(msg);
out:
	free(id);
	free(irt);
	strbuf_free(&refs);
	return rc;
}

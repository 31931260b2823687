/* mail_parse.h — one raw RFC 5322 message into a plain struct (the parsing half of the mail gate).
 *
 * Pure: no store, no SQL, no network. GMime is used inside; g_mime_init() is called once for you.
 * Every string in struct mail_in is valid UTF-8 (also for broken or hostile input). */
#ifndef WB_MAIL_PARSE_H
#define WB_MAIL_PARSE_H

#include "clock.h"
#include "err.h"
#include "mail_subject.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mail_attachment {
	char *filename;        /* decoded (RFC 2231 / encoded words); "" when the part has none */
	char *content_type;    /* "image/png", lower case */
	char *content_id;      /* without <>, NULL when absent */
	bool is_inline;        /* Content-Disposition inline or referenced by Content-ID (pasted image) */
	size_t size;           /* decoded bytes */
	unsigned char *data;   /* decoded content, size bytes (plus a NUL after them) */
};

struct mail_in {
	char *message_id;              /* without <>, NULL when absent */
	char *in_reply_to;             /* first id, without <>, NULL when absent */
	char **references;             /* ids without <> in order, duplicates dropped */
	size_t n_references;
	char *subject;                 /* decoded, one line (no CR/LF/controls), "" when absent */
	char *from_name;               /* decoded display name, "" when none */
	char *from_addr;               /* NULL when no usable From address: quarantine */
	char *reply_to;                /* first Reply-To address, NULL when absent */
	char *via_list;                /* a list that rewrote From ("Name via List"): the list's address, and
	                                * from_* hold the person (X-Original-From / Reply-To); else NULL */
	char **to;                     /* addresses only */
	size_t n_to;
	char **cc;
	size_t n_cc;
	wb_time date;                  /* 0 when absent or unparseable */
	char *text;                    /* the whole readable text: text/plain, else text from HTML */
	char *text_visible;            /* text with the quoted earlier conversation folded away */
	char *text_quoted;             /* the folded part, "" when none */
	bool text_from_html;
	bool is_auto;                  /* auto-reply, bounce, auto-generated: never file, never answer */
	char *auto_reason;             /* "Auto-Submitted: auto-replied", "delivery status report", …; NULL when !is_auto */
	bool is_bounce;                /* a delivery failure report (standard DSN or a provider's own) */
	bool is_bulk;                  /* Precedence bulk/junk/list: a person's mail, but send no automatic acknowledgement (RFC 3834) */
	char *bulk_reason;             /* "Precedence: list"; NULL when !is_bulk */
	struct mail_attachment *att;
	size_t n_att;
};

/* Parses raw[0..len). On success *out is a new struct the caller frees with mail_in_free.
 * WB_EINVAL when the bytes are not a mail message at all (quarantine it; err says why).
 * A message without a usable From still parses (from_addr NULL): the caller quarantines it. */
int mail_parse(const char *raw, size_t len, struct mail_in **out, struct wb_err *err);
void mail_in_free(struct mail_in **m);

#endif

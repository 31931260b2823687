/* mail_compose.h — renders an outgoing message (RFC 5322 + MIME) ready for SMTP.
 *
 * Pure: no SQL, no network. GMime stays inside src/mail_compose.c. The result is
 * 7-bit clean with CRLF line ends, so it can go to any server as is (no 8BITMIME needed). */
#ifndef WB_MAIL_COMPOSE_H
#define WB_MAIL_COMPOSE_H

#include "clock.h"
#include "err.h"

#include <stdbool.h>
#include <stddef.h>

struct mail_out_attachment {
	const char *filename;     /* UTF-8; RFC 2231-encoded when needed */
	const char *content_type; /* "application/pdf"; NULL -> application/octet-stream */
	const unsigned char *data;
	size_t size;
};

struct mail_out {
	const char *from_name;               /* may be NULL or "" */
	const char *from_addr;               /* must pass mail_addr_valid() */
	const char *const *to; size_t n_to;  /* "Name <addr>" or a bare addr */
	const char *const *cc; size_t n_cc;
	/* Bcc recipients are envelope-only: they are never passed here. */
	const char *subject;                 /* UTF-8; only non-ASCII words are RFC 2047-encoded */
	const char *body;                    /* UTF-8 text, LF or CRLF line ends */
	const char *signature;               /* appended after "-- " on its own line; may be NULL */
	const char *msgid_domain;            /* right-hand side of a generated Message-ID */
	const char *in_reply_to;             /* without <> (surrounding <> are tolerated); may be NULL */
	const char *const *references; size_t n_references; /* oldest first, without <> */
	const struct mail_out_attachment *att; size_t n_att;
	wb_time date;                        /* 0 -> clock_now() */
	const char *message_id;              /* NULL -> a new unique one "wb.…@msgid_domain" */
};

/* Renders m. On WB_OK *raw is the whole message (CRLF line ends, 7-bit, NUL-terminated)
 * and *message_id the Message-ID without <>; both are the caller's to free().
 *
 * Header safety: CR, LF and other control characters in the subject and in display names
 * are flattened to spaces (they can never start a new header). Addresses, Message-IDs,
 * In-Reply-To, References, the domain, content types and file names that hold controls,
 * spaces or angle brackets are refused with WB_EINVAL naming the value.
 * Body text: 7bit when it is plain ASCII, otherwise quoted-printable or base64,
 * whichever is smaller. Invalid UTF-8 anywhere -> WB_EINVAL. */
int mail_compose(const struct mail_out *m, char **raw, char **message_id, struct wb_err *err);

/* A reply-safe address: one ASCII addr-spec "local@domain.tld", no spaces or controls,
 * no display name or <>, exactly one @, a dot in the domain, no empty labels, at most
 * 254 bytes. Quoted local parts and address literals are refused on purpose. */
bool mail_addr_valid(const char *addr);

/* Splits "Name <addr>", "\"Name\" <addr>" or a bare "addr" into a newly allocated
 * display name (NULL when none) and address; both are the caller's to free().
 * WB_EINVAL when the address part does not pass mail_addr_valid(). */
int mail_addr_split(const char *spec, char **name, char **addr, struct wb_err *err);

#endif

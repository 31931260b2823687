/* mail_charset.h — bytes in any mail charset to valid UTF-8, and RFC 2047 header decoding.
 *
 * Every function returns newly allocated, valid UTF-8 (never NULL); the caller frees it.
 * Labels are the charset names found in mail ("gb2312", "ks_c_5601-1987", "eucgb2312_cn");
 * NULL or unknown labels mean "guess". */
#ifndef WB_MAIL_CHARSET_H
#define WB_MAIL_CHARSET_H

#include <stdbool.h>
#include <stddef.h>

/* Converts b[0..n) labelled `label` (may be NULL) to UTF-8. Rules: GB2312/GBK/EUC-CN are read as
 * GB18030, ISO-8859-1/US-ASCII as windows-1252; bytes that are valid UTF-8 win over a legacy label;
 * bytes invalid in their label are guessed (UTF-8, KOI8-R when it looks Russian, GB18030,
 * windows-1252). NUL bytes are dropped; anything undecodable becomes U+FFFD. */
char *mail_charset_to_utf8(const char *b, size_t n, const char *label);

/* Decodes an unstructured header value (raw, possibly folded, possibly raw 8-bit): RFC 2047 encoded
 * words (also malformed, split inside a character, adjacent words joined), raw 8-bit text read with
 * `hint` (e.g. the body's charset). The result is one line: no CR, LF, TAB or other controls,
 * whitespace runs collapsed, trimmed. */
char *mail_charset_decode_header(const char *raw, size_t n, const char *hint);

/* Replaces every malformed UTF-8 sequence in s[0..n) by U+FFFD and drops NULs. */
char *mail_charset_sanitize(const char *s, size_t n);

#endif

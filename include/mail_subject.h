/* mail_subject.h — ticket tags, clean subjects and satisfaction ratings in inbound mail.
 * (Included by mail_parse.h; pure string functions, no GMime.) */
#ifndef WB_MAIL_SUBJECT_H
#define WB_MAIL_SUBJECT_H

#include <stdint.h>

/* Finds a ticket tag "[" prefix digits "]" (also 【】) in subject, e.g. "[#123]" for prefix "#" or
 * "[Desk #123]" for "Desk #" (prefix letters compared ignoring ASCII case).
 * WB_OK and *id, or WB_ENOTFOUND. */
int mail_subject_tag(const char *subject, const char *prefix, int64_t *id);

/* The subject without reply/forward prefixes in any language (Re:, RE:, Fw:, Fwd:, AW:, WG:, SV:, VS:,
 * 回复:, 回覆:, 答复:, 转发:, …, full-width colon too, repeated, "Re[2]:") and without the tag for prefix
 * (prefix may be NULL: no tag removed). Newly allocated; the caller frees it. */
char *mail_subject_clean(const char *subject, const char *prefix);

/* A satisfaction rating on the first non-empty line of a reply's visible text: a bare digit 1-5
 * (full-width too), "5分", "4 分", "5 stars". WB_OK and *rating, or WB_ENOTFOUND. */
int mail_parse_rating(const char *text_visible, int *rating);

#endif

/* strbuf.h — a growable NUL-terminated string. */
#ifndef WB_STRBUF_H
#define WB_STRBUF_H

#include <stddef.h>
#include <stdio.h>

struct strbuf {
	char *s;     /* always NUL-terminated once anything was added */
	size_t len;
	size_t cap;
};

#define STRBUF_INIT { NULL, 0, 0 }

void strbuf_add(struct strbuf *b, const char *s, size_t n);
void strbuf_adds(struct strbuf *b, const char *s);
void strbuf_addc(struct strbuf *b, char c);
void strbuf_addf(struct strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hands the string to the caller (never NULL) and empties the buffer. */
char *strbuf_detach(struct strbuf *b);
const char *strbuf_str(const struct strbuf *b); /* "" when empty */
void strbuf_reset(struct strbuf *b);
void strbuf_free(struct strbuf *b);
/* Appends what stream f holds up to its end: 0 at the end, 1 when it stopped after passing max bytes
 * (max 0: no limit), -1 on a read error. b is NUL-terminated afterwards even when nothing was read. */
int strbuf_read(struct strbuf *b, FILE *f, size_t max);

/* JSON string literal with quotes and escapes. NULL becomes null. */
void strbuf_add_json(struct strbuf *b, const char *s);
/* CSV field, quoted when it holds a comma, quote, CR or LF. */
void strbuf_add_csv(struct strbuf *b, const char *s);

#endif

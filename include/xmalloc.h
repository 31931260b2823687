/* xmalloc.h — allocation that cannot fail: out of memory aborts in one place. */
#ifndef WB_XMALLOC_H
#define WB_XMALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);          /* NULL stays NULL */
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Frees *p and sets it to NULL. */
void xfree_str(char **p);

#endif

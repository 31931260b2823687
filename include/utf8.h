/* utf8.h — UTF-8 checks and display-width measurement (a CJK character takes two cells).
 *
 * Widths come from wcwidth() under a UTF-8 LC_CTYPE; call setlocale first. */
#ifndef WB_UTF8_H
#define WB_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* Decodes one character at s (n bytes left) into *cp; returns its length in bytes, or 0 when
 * malformed (overlong, surrogate, truncated, above U+10FFFF). */
size_t utf8_decode(const unsigned char *s, size_t n, unsigned *cp);
/* True when s[0..n) is well-formed UTF-8 (no overlongs, no surrogates). */
bool utf8_valid(const char *s, size_t n);
/* Display cells of a NUL-terminated string; control characters count as 0, invalid bytes as 1. */
int utf8_width(const char *s);
/* Bytes of s that fit in `cols` cells without splitting a character; *used gets the cells used. */
size_t utf8_fit(const char *s, int cols, int *used);
/* Newly allocated copy of s cut to `cols` cells (with "…" when cut) and padded with spaces to exactly cols. */
char *utf8_pad(const char *s, int cols);
/* Replaces CR, LF, TAB and other C0 controls with spaces in place (for one-line header values). */
void utf8_flatten(char *s);

#endif

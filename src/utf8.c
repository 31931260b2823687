#include "utf8.h"

#include "xmalloc.h"

#include <string.h>
#include <wchar.h>

size_t utf8_decode(const unsigned char *s, size_t n, unsigned *cp)
{
	if (n == 0)
		return 0;
	unsigned c = s[0];
	size_t len;
	unsigned min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xE0) == 0xC0) {
		len = 2; c &= 0x1F; min = 0x80;
	} else if ((c & 0xF0) == 0xE0) {
		len = 3; c &= 0x0F; min = 0x800;
	} else if ((c & 0xF8) == 0xF0) {
		len = 4; c &= 0x07; min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

bool utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		unsigned cp;
		size_t len = utf8_decode(p + i, n - i, &cp);
		if (!len)
			return false;
		i += len;
	}
	return true;
}

static int cell_width(unsigned cp)
{
	if (cp < 0x20 || cp == 0x7F)
		return 0;
	int w = wcwidth((wchar_t)cp);
	return w < 0 ? 1 : w;
}

int utf8_width(const char *s)
{
	int cols = 0;
	utf8_fit(s, 1 << 30, &cols);
	return cols;
}

size_t utf8_fit(const char *s, int cols, int *used)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0;
	int w = 0;
	while (i < n) {
		unsigned cp;
		size_t len = utf8_decode(p + i, n - i, &cp);
		int cw = len ? cell_width(cp) : 1;
		if (!len)
			len = 1;
		if (w + cw > cols)
			break;
		w += cw;
		i += len;
	}
	if (used)
		*used = w;
	return i;
}

char *utf8_pad(const char *s, int cols)
{
	if (cols <= 0)
		return xstrdup("");
	int used;
	size_t bytes;
	const char *ell = "…";
	if (utf8_width(s) > cols) {
		bytes = utf8_fit(s, cols - 1, &used);
		char *out = xmalloc(bytes + strlen(ell) + (size_t)(cols - used) + 1);
		memcpy(out, s, bytes);
		size_t o = bytes;
		memcpy(out + o, ell, strlen(ell));
		o += strlen(ell);
		used += 1;
		while (used < cols) {
			out[o++] = ' ';
			used++;
		}
		out[o] = '\0';
		return out;
	}
	bytes = utf8_fit(s, cols, &used);
	char *out = xmalloc(bytes + (size_t)(cols - used) + 1);
	memcpy(out, s, bytes);
	size_t o = bytes;
	while (used < cols) {
		out[o++] = ' ';
		used++;
	}
	out[o] = '\0';
	return out;
}

void utf8_flatten(char *s)
{
	for (; s && *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7F)
			*s = ' ';
}

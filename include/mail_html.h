/* mail_html.h — readable plain text from an HTML mail body. */
#ifndef WB_MAIL_HTML_H
#define WB_MAIL_HTML_H

#include <stddef.h>

/* Turns UTF-8 HTML into UTF-8 text: tags removed, <script>/<style>/<head> dropped, entities decoded
 * (named and numeric), links kept as "text <url>", block elements become line breaks, <blockquote>
 * lines prefixed with "> ", whitespace collapsed outside <pre>. Caller frees; never NULL. */
char *mail_html_to_text(const char *html, size_t n);

/* The charset named in a <meta> tag of raw HTML bytes, or NULL. Caller frees. */
char *mail_html_meta_charset(const char *html, size_t n);

#endif

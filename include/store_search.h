/* store_search.h — full-text search over tickets.
 *
 * An FTS5 tokenizer "wbcjk" indexes words (ASCII lowercased, full-width forms folded) and
 * Chinese/Japanese/Korean runs as overlapping bigrams, the last character of a run also as a
 * unigram at the same position. So a 2-character term (维保) is one token, longer terms are
 * phrases of bigrams, and a single character is a prefix query: every substring is found. */
#ifndef WB_STORE_SEARCH_H
#define WB_STORE_SEARCH_H

#include "err.h"

/* Turns what a person typed into an FTS5 query: each whitespace-separated term must appear
 * (quoted, so punctuation is literal); a single CJK character or a term ending in '*'
 * matches as a prefix. WB_EINVAL when nothing searchable is left. Caller frees *out. */
int store_search_query(const char *typed, char **out, struct wb_err *err);

#endif

/* clock.h — the one source of "now" (UTC seconds since the epoch).
 *
 * Tests fix the clock with clock_set_fixed(); the command line honours
 * WEIBAO_NOW=<unix seconds or YYYY-MM-DDTHH:MM:SSZ> for expected-output tests. */
#ifndef WB_CLOCK_H
#define WB_CLOCK_H

#include <stdint.h>
#include <stddef.h>

typedef int64_t wb_time; /* UTC seconds since 1970-01-01 */

wb_time clock_now(void);
void clock_set_fixed(wb_time t); /* 0 returns to the real clock */

/* ISO 8601 UTC "2026-11-25T13:31:00Z" into buf (at least 21 bytes). */
void clock_format_iso(wb_time t, char *buf, size_t n);
/* Parses "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS][Z]" or "YYYY-MM-DD HH:MM[:SS]" as UTC,
 * or a plain number of seconds. Returns 0 or WB_EINVAL. */
int clock_parse_iso(const char *s, wb_time *out);

#endif

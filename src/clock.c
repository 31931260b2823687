#include "clock.h"

#include "err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A test hook, not application state: set only by unit tests and WEIBAO_NOW. */
static wb_time fixed_now;

void clock_set_fixed(wb_time t)
{
	fixed_now = t;
}

wb_time clock_now(void)
{
	if (fixed_now)
		return fixed_now;
	const char *env = getenv("WEIBAO_NOW");
	wb_time t;
	if (env && *env && clock_parse_iso(env, &t) == 0)
		return t;
	return (wb_time)time(NULL);
}

void clock_format_iso(wb_time t, char *buf, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int clock_parse_iso(const char *s, wb_time *out)
{
	if (!s || !*s)
		return WB_EINVAL;
	char *end;
	long long secs = strtoll(s, &end, 10);
	if (*end == '\0' && end != s) {
		*out = secs;
		return WB_OK;
	}
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	int y, mo, d, h = 0, mi = 0, se = 0, used = 0;
	if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &used) != 3)
		return WB_EINVAL;
	const char *p = s + used;
	if (*p == 'T' || *p == ' ') {
		int u2 = 0;
		if (sscanf(p + 1, "%2d:%2d%n", &h, &mi, &u2) != 2)
			return WB_EINVAL;
		p += 1 + u2;
		if (*p == ':') {
			if (sscanf(p + 1, "%2d%n", &se, &u2) != 1)
				return WB_EINVAL;
			p += 1 + u2;
		}
	}
	if (*p == 'Z')
		p++;
	if (*p != '\0')
		return WB_EINVAL;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
		return WB_EINVAL;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	time_t t = timegm(&tm);
	struct tm check;
	gmtime_r(&t, &check);
	if (check.tm_mday != d) /* 2026-02-30 */
		return WB_EINVAL;
	*out = (wb_time)t;
	return WB_OK;
}

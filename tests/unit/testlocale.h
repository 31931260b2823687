/* testlocale.h — for tests of dates and languages: the built catalogues, UTC, English first. */
#ifndef WB_TESTLOCALE_H
#define WB_TESTLOCALE_H

#include "clock.h"
#include "i18n.h"
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* An instant written as ISO 8601 ("2026-11-26T20:00:00Z"); fails the test when it does not parse. */
static inline wb_time at(const char *iso)
{
	wb_time t = 0;
	assert_int_equal(clock_parse_iso(iso, &t), 0);
	return t;
}

/* Call first in main(): the catalogues built in build/locale, the C.UTF-8 locale, no LANGUAGE,
 * the process clock in UTC. */
static inline void test_locale_init(void)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/build/locale", test_root());
	setenv("WEIBAO_LOCALEDIR", dir, 1);
	setenv("LC_ALL", "C.UTF-8", 1);
	unsetenv("LANGUAGE");
	setenv("TZ", "UTC", 1);
	tzset();
	i18n_init(NULL);
}

#endif

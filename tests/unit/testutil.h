/* testutil.h — shared set-up for the cmocka unit tests. */
#ifndef WB_TESTUTIL_H
#define WB_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A fresh temporary directory for one test; the caller frees the string. */
static inline char *test_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char *tmpl = malloc(256);
	snprintf(tmpl, 256, "%s/wbtest.XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(tmpl)) {
		free(tmpl);
		return NULL;
	}
	return tmpl;
}

/* Removes a directory made by test_tmpdir and everything in it. */
static inline void test_rmtree(const char *dir)
{
	char cmd[512];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
}

/* Project root (for test data such as ../shared/mail-corpus). */
static inline const char *test_root(void)
{
	const char *r = getenv("WB_TEST_ROOT");
	return r && *r ? r : ".";
}

#endif

/* testdesk.h — a desk in a fresh temporary directory, for the unit tests that open one.
 * The test keeps the four pieces in its own fixture (dir, db, cfg, d) and calls
 * test_desk_prepare, adjusts cfg and the clock, opens the desk itself (desk_open with the user it
 * wants), and ends with test_desk_close. */
#ifndef WB_TESTDESK_H
#define WB_TESTDESK_H

#include "testutil.h"

#include "clock.h"
#include "config.h"
#include "desk.h"
#include "xmalloc.h"

/* A fresh temporary directory in *dir, the path <dir>/desk.db in *db and the built-in defaults
 * (config_load of /dev/null) in *cfg. Fails the test when either cannot be had. The caller frees
 * all three with test_desk_close. */
static inline void test_desk_prepare(char **dir, char **db, struct wb_config *cfg)
{
	*dir = test_tmpdir();
	assert_non_null(*dir);
	*db = xasprintf("%s/desk.db", *dir);
	struct wb_err err = { 0 };
	if (config_load("/dev/null", cfg, &err) != WB_OK)
		fail_msg("config_load: %s", err.msg);
}

/* Replaces the configuration string *field by a copy of v (NULL clears it). */
static inline void test_cfg_set(char **field, const char *v)
{
	free(*field);
	*field = v ? xstrdup(v) : NULL;
}

/* The mail settings the mail tests share: the shipped templates (docs/templates of the project),
 * sender support@weibao.example.cn, mail domain weibao.example.cn. */
static inline void test_desk_mail_config(struct wb_config *cfg)
{
	char *tpl = xasprintf("%s/docs/templates", test_root());
	test_cfg_set(&cfg->templates_dir, tpl);
	free(tpl);
	test_cfg_set(&cfg->mail_from, "support@weibao.example.cn");
	test_cfg_set(&cfg->mail_domain, "weibao.example.cn");
}

/* Closes *d, clears cfg, removes the directory and frees both paths (NULLing them), and puts the
 * clock back to the real one. */
static inline void test_desk_close(char **dir, char **db, struct wb_config *cfg, struct desk **d)
{
	desk_close(d);
	config_clear(cfg);
	if (*dir)
		test_rmtree(*dir);
	free(*dir);
	*dir = NULL;
	free(*db);
	*db = NULL;
	clock_set_fixed(0);
}

#endif

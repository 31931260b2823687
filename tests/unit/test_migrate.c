/* Schema migrations on a database written by an older weibao: the data survives each step. */
#include "store.h"
#include "store_outbox.h"
#include "xmalloc.h"

#include "testutil.h"

#include <sqlite3.h>

/* A database at schema version `version`, as an older weibao left it. */
static struct store *old_store(const char *path, int version)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_close(db);
	struct store *s;
	struct wb_err err = { 0 };
	assert_int_equal(store_open_existing(path, &s, &err), WB_OK);
	assert_int_equal(store_migrate(s, version, &err), WB_OK);
	return s;
}

static void exec_sql(const char *path, const char *sql)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
	sqlite3_close(db);
}

/* 5 -> 6 moves each queued mail's bytes out of the outbox row; the mail still goes out whole. */
static void test_outbox_body_moves(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	char *path = xasprintf("%s/old.db", dir);
	struct store *s = old_store(path, 5);
	exec_sql(path, "INSERT INTO outbox(id, email_message_id, envelope_from, raw, state, attempts,"
		       " next_attempt_at, created_at) VALUES (7, 'a@b', 'desk@example.cn',"
		       " 'Subject: 维保通知\r\n\r\n正文', 'queued', 0, 100, 100);"
		       "INSERT INTO outbox_rcpt(outbox_id, addr) VALUES (7, 'li@example.cn');");
	struct wb_err err = { 0 };
	assert_int_equal(store_migrate(s, -1, &err), WB_OK);
	int v;
	assert_int_equal(store_schema_version(s, &v, &err), WB_OK);
	assert_true(v >= 6);
	struct outbox_item *items;
	size_t n;
	assert_int_equal(store_outbox_claim(s, 200, 600, 10, &items, &n, &err), WB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(items[0].id, 7);
	assert_string_equal(items[0].raw, "Subject: 维保通知\r\n\r\n正文");
	assert_int_equal(items[0].n_rcpt, 1);
	assert_string_equal(items[0].rcpt[0].addr, "li@example.cn");
	outbox_items_free(&items, n);
	char *report = NULL;
	assert_int_equal(store_check(s, &report, &err), WB_OK);
	assert_string_equal(report, "ok");
	free(report);
	store_close(&s);
	test_rmtree(dir);
	free(path);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_outbox_body_moves),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

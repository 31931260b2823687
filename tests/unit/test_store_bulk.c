/* Bulk loading (store_bulk.h): a desk loaded in bulk holds the same search entries, schema and
 * settings as one written ticket by ticket, finds the same tickets, and an interrupted load is finished
 * by the next store_bulk_end. */
#include "testutil.h"

#include "clock.h"
#include "contact.h"
#include "store.h"
#include "store_bulk.h"
#include "store_dir.h"
#include "store_search.h"
#include "store_ticket.h"
#include "ticket.h"

#include <sqlite3.h>

#define T0 1795572000
#define N_TICKETS 40

static const char *const subjects[] = {
	"软件维保方案的服务范围咨询", "数据库备份失败", "Printer driver crashes on startup",
	"夜间批处理任务中断，数据库连接超时", "Renew TLS certificate before expiry", "如何重置管理员密码？",
};
static const char *const bodies[] = {
	"您好，今天上午开始出现这个问题，请尽快处理。", "Please find the log excerpt below; timeout after backup.",
	"按照维保合同约定，请安排工程师远程协助排查。", "Root cause: the connection pool was exhausted.",
	"服务器磁盘使用率超过百分之九十，需要清理日志。 Ref SO004711 host app07.",
};

struct fx {
	char *dir;
	char path[3][300]; /* row by row, bulk, bulk with the indexes left out */
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	f->dir = test_tmpdir();
	for (int i = 0; i < 3; i++)
		snprintf(f->path[i], sizeof f->path[i], "%s/desk%d.db", f->dir, i);
	clock_set_fixed(T0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	test_rmtree(f->dir);
	free(f->dir);
	free(f);
	clock_set_fixed(0);
	return 0;
}

static int64_t add_ticket(struct store *s, int64_t queue, int i)
{
	struct ticket t;
	memset(&t, 0, sizeof t);
	t.subject = (char *)subjects[i % 6];
	t.kind = (enum ticket_kind)(i % KIND_COUNT);
	t.status = STATUS_NEW;
	t.priority = 1 + i % 4;
	t.queue_id = queue;
	t.created_at = T0 + i;
	struct wb_err err = { 0 };
	int64_t id = 0;
	assert_int_equal(store_ticket_insert(s, &t, &id, &err), 0);
	return id;
}

static void add_message(struct store *s, int64_t ticket, enum message_kind kind, const char *body)
{
	struct message_new m;
	memset(&m, 0, sizeof m);
	m.ticket_id = ticket;
	m.kind = kind;
	m.body = body;
	struct wb_err err = { 0 };
	assert_int_equal(store_message_add(s, &m, NULL, &err), 0);
}

static void rename_ticket(struct store *s, int64_t id, const char *subject)
{
	struct ticket t;
	struct wb_err err = { 0 };
	assert_int_equal(store_ticket_get(s, id, &t, &err), 0);
	free(t.subject);
	t.subject = strdup(subject);
	assert_int_equal(store_ticket_update(s, &t, 0, &err), 0);
	ticket_clear(&t);
}

/* The same desk every time; how = 0 row by row, 1 in bulk, 2 in bulk with indexes left out (on an
 * empty desk, so without the older ticket). With finish false the load stops before store_bulk_end,
 * as if the process had died. */
static void load(const char *path, int how, bool finish)
{
	struct store *s;
	struct wb_err err = { 0 };
	assert_int_equal(store_open(path, &s, &err), 0);
	struct queue_info q = { 0 };
	q.name = (char *)"Support";
	int64_t queue;
	assert_int_equal(store_queue_add(s, &q, &queue, &err), 0);
	int64_t old = 0;
	if (how != 2) {
		old = add_ticket(s, queue, 0);
		add_message(s, old, MSG_INBOUND, "older ticket, written before the load");
	}
	if (how)
		assert_int_equal(store_bulk_begin(s, how == 2 ? STORE_BULK_DEFER_INDEXES : 0, &err), 0);
	assert_int_equal(store_begin(s, &err), 0);
	int64_t ids[N_TICKETS];
	for (int i = 0; i < N_TICKETS; i++) {
		ids[i] = add_ticket(s, queue, i + 1);
		for (int k = 0; k <= i % 4; k++)
			add_message(s, ids[i], k % 2 ? MSG_REPLY : MSG_INBOUND, bodies[(i + k) % 5]);
		if (i % 7 == 3)
			add_message(s, ids[i], MSG_EVENT, "eventonly status changed");
		if (i % 9 == 4)
			add_message(s, ids[i], MSG_NOTE, "");
		if (i == 17)
			add_message(s, ids[i], MSG_NOTE, "a rare word: quasar 维保到期");
	}
	/* later changes to the load's own tickets, and to the older one */
	rename_ticket(s, ids[5], "Scanner renamedsubject 扫描仪");
	add_message(s, ids[2], MSG_REPLY, "a later reply lateword");
	if (old) {
		add_message(s, old, MSG_REPLY, "appendedold 旧工单");
		assert_int_equal(store_ticket_move_messages(s, ids[9], old, &err), 0);
	}
	assert_int_equal(store_commit(s, &err), 0);
	if (how && finish) {
		int64_t n = -1;
		assert_int_equal(store_bulk_end(s, &n, &err), 0);
		assert_int_equal(n, N_TICKETS);
		assert_false(store_bulk_active(s));
	}
	store_close(&s);
}

/* Every row of a query as one text, for comparing two databases. */
static char *dump(const char *path, const char *sql)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	size_t len = 0, cap = 1;
	char *out = calloc(1, 1);
	while (sqlite3_step(st) == SQLITE_ROW) {
		for (int c = 0; c < sqlite3_column_count(st); c++) {
			const char *v = (const char *)sqlite3_column_text(st, c);
			size_t l = strlen(v ? v : "NULL") + 2;
			if (len + l + 1 > cap) {
				cap = 2 * (len + l + 1);
				out = realloc(out, cap);
			}
			len += (size_t)snprintf(out + len, cap - len, "%s%c", v ? v : "NULL", c + 1 < sqlite3_column_count(st) ? '|' : '\n');
		}
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return out;
}

static void assert_same(const char *a, const char *b, const char *sql)
{
	char *x = dump(a, sql), *y = dump(b, sql);
	if (strcmp(x, y))
		fail_msg("%s differs:\n--- %s\n%s\n--- %s\n%s", sql, a, x, b, y);
	free(x);
	free(y);
}

/* The ids a typed search finds, in order, as text. */
static char *search(const char *path, const char *typed)
{
	struct store *s;
	struct wb_err err = { 0 };
	assert_int_equal(store_open(path, &s, &err), 0);
	char *q;
	assert_int_equal(store_search_query(typed, &q, &err), 0);
	struct ticket_list l;
	assert_int_equal(store_ticket_search(s, q, 100, &l, &err), 0);
	char *out = calloc(1, 16 * (l.n + 1));
	size_t len = 0;
	for (size_t i = 0; i < l.n; i++)
		len += (size_t)sprintf(out + len, "%lld ", (long long)l.items[i].id);
	ticket_list_free(&l);
	free(q);
	store_close(&s);
	return out;
}

static const char *const terms[] = { "维保", "数据库", "备份失败", "维", "please", "TIMEOUT", "quasar", "app07",
				     "renamedsubject", "printer", "lateword", "appendedold", "eventonly", "SO0047*" };

static void test_bulk_matches_row_by_row(void **state)
{
	struct fx *f = *state;
	load(f->path[0], 0, true);
	load(f->path[1], 1, true);
	/* the search entries are the same, character for character */
	assert_same(f->path[0], f->path[1], "SELECT id, c0, c1 FROM ticket_fts_content ORDER BY id");
	/* nothing of the load is left in the settings, nor in the search index's own */
	assert_same(f->path[0], f->path[1], "SELECT key, value FROM settings ORDER BY key");
	assert_same(f->path[0], f->path[1], "SELECT k, v FROM ticket_fts_config ORDER BY k");
	char *c = dump(f->path[1], "SELECT count(*) FROM ticket_fts_content WHERE c1 LIKE '%quasar%'");
	assert_string_equal(c, "1\n");
	free(c);
	for (size_t i = 0; i < sizeof terms / sizeof terms[0]; i++) {
		char *a = search(f->path[0], terms[i]), *b = search(f->path[1], terms[i]);
		if (strcmp(a, b))
			fail_msg("search '%s': row by row finds %s, bulk %s", terms[i], a, b);
		/* the words of events are not searchable; everything else is found */
		if (!strcmp(terms[i], "eventonly"))
			assert_string_equal(a, "");
		else if (!*a)
			fail_msg("search '%s' finds nothing", terms[i]);
		free(a);
		free(b);
	}
}

static void test_deferred_indexes_come_back(void **state)
{
	struct fx *f = *state;
	load(f->path[1], 1, true);
	load(f->path[2], 2, true);
	/* the same schema: every index is there again, spelled as the migrations wrote it */
	assert_same(f->path[1], f->path[2],
		    "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_autoindex%' ORDER BY name");
	assert_same(f->path[1], f->path[2], "SELECT key, value FROM settings ORDER BY key");
	char *a = search(f->path[2], "维保"), *b = search(f->path[2], "quasar");
	assert_true(strlen(a) > 0);
	assert_true(strlen(b) > 0);
	free(a);
	free(b);
}

static void test_interrupted_load_is_finished(void **state)
{
	struct fx *f = *state;
	load(f->path[0], 0, true);
	for (int how = 1; how <= 2; how++) {
		load(f->path[how], how, false);
		/* not searchable yet, and (how 2) without its indexes */
		char *q = search(f->path[how], "quasar");
		assert_string_equal(q, "");
		free(q);
		char *idx = dump(f->path[how], "SELECT count(*) FROM sqlite_master WHERE name = 'messages_ticket'");
		assert_string_equal(idx, how == 2 ? "0\n" : "1\n");
		free(idx);
		/* the next store_bulk_end on this database finishes it */
		struct store *s;
		struct wb_err err = { 0 };
		assert_int_equal(store_open(f->path[how], &s, &err), 0);
		int64_t n = 0;
		assert_int_equal(store_bulk_end(s, &n, &err), 0);
		assert_int_equal(n, N_TICKETS);
		assert_int_equal(store_bulk_end(s, &n, &err), 0);
		assert_int_equal(n, 0);
		store_close(&s);
		idx = dump(f->path[how], "SELECT count(*) FROM sqlite_master WHERE name = 'messages_ticket'");
		assert_string_equal(idx, "1\n");
		free(idx);
		q = search(f->path[how], "quasar");
		assert_true(strlen(q) > 0);
		free(q);
	}
	assert_same(f->path[0], f->path[1], "SELECT id, c0, c1 FROM ticket_fts_content ORDER BY id");
	assert_same(f->path[0], f->path[2], "SELECT k, v FROM ticket_fts_config ORDER BY k");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_bulk_matches_row_by_row, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deferred_indexes_come_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_interrupted_load_is_finished, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

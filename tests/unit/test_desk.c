/* The desk on a real SQLite file: migrations, tickets, workflow, SLA, search, paging, roles. */
#include "testdesk.h"

#include "config.h"
#include "desk.h"
#include "directory.h"
#include "store.h"
#include "store_dir.h"

#include <locale.h>
#include <sys/stat.h>

struct fx {
	char *dir;
	char *db;
	struct wb_config cfg;
	struct desk *d;
};

/* Wednesday 2026-11-25 10:00 in Shanghai (02:00 UTC): inside business hours. */
#define T0 1795572000

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	f->dir = test_tmpdir();
	f->db = malloc(300);
	snprintf(f->db, 300, "%s/sub/desk.db", f->dir);
	setenv("WEIBAO_CONFIG", "/nonexistent/none", 1);
	unsetenv("WEIBAO_CONFIG");
	struct wb_err err = { 0 };
	config_load("/dev/null", &f->cfg, &err);
	clock_set_fixed(T0);
	assert_int_equal(desk_open(&f->cfg, f->db, "admin1", &f->d, &err), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	test_desk_close(&f->dir, &f->db, &f->cfg, &f->d);
	free(f);
	return 0;
}

static int64_t new_ticket(struct desk *d, const char *subject, const char *email, int priority)
{
	struct ticket_draft t;
	ticket_draft_init(&t);
	t.subject = subject;
	t.requester_email = email;
	t.priority = priority;
	t.body = "请帮忙看一下 please";
	int64_t id = 0;
	struct wb_err err = { 0 };
	int rc = desk_ticket_create(d, &t, &id, &err);
	if (rc)
		fprintf(stderr, "create: %s\n", err.msg);
	assert_int_equal(rc, 0);
	return id;
}

static void test_new_database(void **state)
{
	struct fx *f = *state;
	int v;
	struct wb_err err = { 0 };
	assert_int_equal(store_schema_version(f->d->store, &v, &err), 0);
	assert_true(v >= 1);
	/* the first user to open a new database is its admin */
	assert_string_equal(f->d->me.login, "admin1");
	assert_int_equal(f->d->me.role, ROLE_ADMIN);
	/* the file is private */
	struct stat st;
	assert_int_equal(stat(f->db, &st), 0);
	assert_int_equal(st.st_mode & 077, 0);
	/* opening again migrates nothing and keeps the data */
	int64_t id = new_ticket(f->d, "first", "a@example.com", 3);
	desk_close(&f->d);
	assert_int_equal(desk_open(&f->cfg, f->db, "admin1", &f->d, &err), 0);
	struct ticket *t;
	assert_int_equal(desk_ticket_get(f->d, id, &t, &err), 0);
	assert_string_equal(t->subject, "first");
	ticket_free(&t);
}

static void test_viewer_cannot_change(void **state)
{
	struct fx *f = *state;
	int64_t id = new_ticket(f->d, "x", "a@example.com", 3);
	struct desk *v;
	struct wb_err err = { 0 };
	assert_int_equal(desk_open(&f->cfg, f->db, "stranger", &v, &err), 0);
	assert_int_equal(v->me.role, ROLE_VIEWER);
	struct ticket_change c;
	ticket_change_init(&c);
	c.take = true;
	assert_int_equal(desk_ticket_change(v, &id, 1, &c, 0, &err), WB_EREFUSED);
	assert_non_null(strstr(err.msg, "operator"));
	/* merging needs a supervisor: an operator is refused */
	assert_int_equal(directory_set(f->d, ENTITY_USER, "stranger", "role", "operator", &err), 0);
	desk_close(&v);
	assert_int_equal(desk_open(&f->cfg, f->db, "stranger", &v, &err), 0);
	int64_t id2 = new_ticket(v, "y", "a@example.com", 3);
	assert_int_equal(desk_ticket_merge(v, id2, id, &err), WB_EREFUSED);
	assert_non_null(strstr(err.msg, "supervisor"));
	desk_close(&v);
}

static void test_workflow_and_audit(void **state)
{
	struct fx *f = *state;
	int64_t id = new_ticket(f->d, "登录报错", "zhang@example.cn", 2);
	struct wb_err err = { 0 };
	struct ticket_change c;
	ticket_change_init(&c);
	c.set_status = true;
	c.status = STATUS_RESOLVED;
	assert_int_equal(desk_ticket_change(f->d, &id, 1, &c, 0, &err), WB_EREFUSED);
	assert_non_null(strstr(err.msg, "allowed: triaged, in_progress, closed"));
	c.status = STATUS_IN_PROGRESS;
	assert_int_equal(desk_ticket_change(f->d, &id, 1, &c, 0, &err), 0);
	struct ticket *t;
	assert_int_equal(desk_ticket_get(f->d, id, &t, &err), 0);
	assert_int_equal(t->status, STATUS_IN_PROGRESS);
	int64_t version = t->version;
	ticket_free(&t);
	/* an edit based on an old version is refused, nothing is overwritten */
	struct desk_message m = { 0 };
	m.kind = MSG_NOTE;
	m.body = "looked at logs";
	m.minutes = 25;
	assert_int_equal(desk_ticket_add_message(f->d, id, &m, version, NULL, &err), 0);
	assert_int_equal(desk_ticket_add_message(f->d, id, &m, version, NULL, &err), WB_ECONFLICT);
	assert_int_equal(desk_ticket_get(f->d, id, &t, &err), 0);
	assert_int_equal(t->minutes_worked, 25);
	ticket_free(&t);
	struct message_list ml;
	assert_int_equal(desk_ticket_messages(f->d, id, &ml, &err), 0);
	/* first message, status event, note */
	assert_int_equal(ml.n, 3);
	assert_int_equal(ml.items[1].kind, MSG_EVENT);
	assert_non_null(strstr(ml.items[1].body, "new → in_progress"));
	message_list_free(&ml);
}

static void test_sla_first_response_and_pause(void **state)
{
	struct fx *f = *state;
	/* standard contract, P2: 2 business hours to respond (sla.c defaults) */
	int64_t id = new_ticket(f->d, "slow report", "a@example.com", 2);
	struct ticket *t;
	struct wb_err err = { 0 };
	assert_int_equal(desk_ticket_get(f->d, id, &t, &err), 0);
	assert_int_equal(t->response_due, T0 + 2 * 3600);
	assert_int_equal(t->sla_due, t->response_due);
	assert_int_equal(desk_ticket_sla(f->d, t, T0 + 60), SLA_OK);
	assert_int_equal(desk_ticket_sla(f->d, t, T0 + 100 * 60), SLA_AT_RISK);
	assert_int_equal(desk_ticket_sla(f->d, t, T0 + 3 * 3600), SLA_BREACHED);
	int64_t resolve_due = t->resolve_due;
	ticket_free(&t);
	/* the reply is the first response; the running target becomes resolution */
	clock_set_fixed(T0 + 1800);
	struct desk_message m = { 0 };
	m.kind = MSG_REPLY;
	m.body = "我们正在处理";
	assert_int_equal(desk_ticket_add_message(f->d, id, &m, 0, NULL, &err), 0);
	assert_int_equal(desk_ticket_get(f->d, id, &t, &err), 0);
	assert_int_equal(t->first_response_at, T0 + 1800);
	assert_int_equal(t->sla_due, resolve_due);
	ticket_free(&t);
	/* waiting on the customer from 10:30 to 11:30 pauses the clock: due moves by one hour */
	struct ticket_change c;
	ticket_change_init(&c);
	c.set_status = true;
	c.status = STATUS_IN_PROGRESS;
	assert_int_equal(desk_ticket_change(f->d, &id, 1, &c, 0, &err), 0);
	c.status = STATUS_WAITING;
	assert_int_equal(desk_ticket_change(f->d, &id, 1, &c, 0, &err), 0);
	clock_set_fixed(T0 + 5400);
	struct desk_message in = { 0 };
	in.kind = MSG_INBOUND;
	in.body = "here are the logs";
	assert_int_equal(desk_ticket_add_message(f->d, id, &in, 0, NULL, &err), 0);
	assert_int_equal(desk_ticket_get(f->d, id, &t, &err), 0);
	assert_int_equal(t->status, STATUS_IN_PROGRESS); /* the customer's answer resumes it */
	assert_int_equal(t->paused_secs, 3600);
	assert_true(t->resolve_due > resolve_due);
	ticket_free(&t);
}

static void test_search_chinese_and_english(void **state)
{
	struct fx *f = *state;
	int64_t a = new_ticket(f->d, "软件维保方案", "a@example.com", 3);
	int64_t b = new_ticket(f->d, "Printer driver crashes on startup", "b@example.com", 3);
	int64_t c = new_ticket(f->d, "数据库备份失败", "c@example.com", 3);
	struct desk_message m = { 0 };
	m.kind = MSG_NOTE;
	m.body = "客户反馈维保合同到期 timeout in nightly job";
	struct wb_err err = { 0 };
	assert_int_equal(desk_ticket_add_message(f->d, c, &m, 0, NULL, &err), 0);
	struct {
		const char *q;
		int64_t want[3];
		size_t n;
	} cases[] = {
		{ "维保", { c, a }, 2 },          /* 2-character term, in a subject and in a note */
		{ "维保方案", { a }, 1 },        /* longer substring */
		{ "保方", { a }, 1 },            /* substring across word boundaries */
		{ "备", { c }, 1 },              /* single character */
		{ "PRINTER", { b }, 1 },         /* English, any case */
		{ "timeout 备份", { c }, 1 },    /* every term must match */
		{ "drivers", { 0 }, 0 },         /* whole words */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct ticket_list l;
		assert_int_equal(desk_ticket_search(f->d, cases[i].q, 50, &l, &err), 0);
		if (l.n != cases[i].n)
			fail_msg("search '%s': %zu results, want %zu", cases[i].q, l.n, cases[i].n);
		for (size_t j = 0; j < cases[i].n; j++) {
			bool found = false;
			for (size_t k = 0; k < l.n; k++)
				found |= l.items[k].id == cases[i].want[j];
			if (!found)
				fail_msg("search '%s' misses #%lld", cases[i].q, (long long)cases[i].want[j]);
		}
		ticket_list_free(&l);
	}
	/* renaming the subject keeps search current */
	struct ticket_change ch;
	ticket_change_init(&ch);
	ch.subject = "Scanner driver crashes";
	assert_int_equal(desk_ticket_change(f->d, &b, 1, &ch, 0, &err), 0);
	struct ticket_list l;
	assert_int_equal(desk_ticket_search(f->d, "printer", 50, &l, &err), 0);
	assert_int_equal(l.n, 0);
	ticket_list_free(&l);
	assert_int_equal(desk_ticket_search(f->d, "scanner", 50, &l, &err), 0);
	assert_int_equal(l.n, 1);
	ticket_list_free(&l);
	assert_int_equal(desk_ticket_search(f->d, "  \"*  ", 50, &l, &err), WB_EINVAL);
}

/* Pages through the open queue while other tickets arrive: every ticket that was there at the
 * start is seen exactly once, in order. */
static void test_keyset_paging_stable(void **state)
{
	struct fx *f = *state;
	int64_t ids[120];
	for (int i = 0; i < 120; i++) {
		clock_set_fixed(T0 + i * 60);
		char subj[32];
		snprintf(subj, sizeof subj, "ticket %d", i);
		ids[i] = new_ticket(f->d, subj, "a@example.com", 1 + i % 4);
	}
	int seen[120] = { 0 };
	struct ticket_filter flt;
	ticket_filter_init(&flt);
	struct ticket_key key;
	bool have = false;
	struct wb_err err = { 0 };
	int pages = 0, last_pri = 0;
	int64_t last_upd = INT64_MAX;
	for (;;) {
		struct ticket_list l;
		assert_int_equal(desk_ticket_page(f->d, &flt, SORT_DEFAULT, have ? &key : NULL, false, 7, &l, &err), 0);
		/* newcomers arrive with the newest update time in every priority: before our position */
		clock_set_fixed(T0 + 100000 + pages);
		new_ticket(f->d, "arrives while paging", "z@example.com", 1 + pages % 4);
		for (size_t i = 0; i < l.n; i++) {
			const struct ticket *t = &l.items[i];
			assert_true(t->priority > last_pri || (t->priority == last_pri && t->updated_at <= last_upd));
			last_pri = t->priority;
			last_upd = t->updated_at;
			for (int j = 0; j < 120; j++)
				if (ids[j] == t->id)
					seen[j]++;
		}
		pages++;
		if (l.n == 0) {
			ticket_list_free(&l);
			break;
		}
		ticket_key_of(&l.items[l.n - 1], SORT_DEFAULT, &key);
		have = true;
		ticket_list_free(&l);
	}
	for (int j = 0; j < 120; j++)
		assert_int_equal(seen[j], 1);
	/* backward from the end gives the same last page */
	struct ticket_list last;
	assert_int_equal(desk_ticket_page(f->d, &flt, SORT_DEFAULT, NULL, true, 5, &last, &err), 0);
	assert_int_equal(last.n, 5);
	assert_int_equal(last.items[4].priority, 4);
	ticket_list_free(&last);
}

static void test_contacts_match(void **state)
{
	struct fx *f = *state;
	int64_t a = new_ticket(f->d, "one", "Zhang.Wei@Example.CN", 3);
	int64_t b = new_ticket(f->d, "two", "zhang.wei@example.cn", 3);
	struct ticket *ta, *tb;
	struct wb_err err = { 0 };
	assert_int_equal(desk_ticket_get(f->d, a, &ta, &err), 0);
	assert_int_equal(desk_ticket_get(f->d, b, &tb, &err), 0);
	assert_int_equal(ta->requester_id, tb->requester_id);
	ticket_free(&ta);
	ticket_free(&tb);
	assert_int_equal(store_begin(f->d->store, &err), 0);
	int64_t p1, p2;
	assert_int_equal(desk_contact_for_phone(f->d, "+86 138-0013-8000", "张伟", &p1, &err), 0);
	assert_int_equal(desk_contact_for_phone(f->d, "138 0013 8000", NULL, &p2, &err), 0);
	assert_int_equal(store_commit(f->d->store, &err), 0);
	assert_int_equal(p1, p2);
}

static void test_merge(void **state)
{
	struct fx *f = *state;
	int64_t orig = new_ticket(f->d, "VPN down", "a@example.com", 2);
	int64_t dup = new_ticket(f->d, "VPN not working", "b@example.com", 2);
	struct wb_err err = { 0 };
	assert_int_equal(desk_ticket_merge(f->d, dup, orig, &err), 0);
	struct ticket *t;
	assert_int_equal(desk_ticket_get(f->d, dup, &t, &err), 0);
	assert_int_equal(t->status, STATUS_CLOSED);
	assert_int_equal(t->merged_into, orig);
	ticket_free(&t);
	struct message_list ml;
	assert_int_equal(desk_ticket_messages(f->d, orig, &ml, &err), 0);
	int inbound = 0;
	for (size_t i = 0; i < ml.n; i++)
		inbound += ml.items[i].kind == MSG_INBOUND;
	assert_int_equal(inbound, 2); /* both customers' messages now live on the original */
	message_list_free(&ml);
	assert_int_equal(desk_ticket_merge(f->d, dup, orig, &err), WB_EREFUSED);
	/* the duplicate's words are now found on the original */
	struct ticket_list l;
	assert_int_equal(desk_ticket_search(f->d, "working", 10, &l, &err), 0);
	assert_int_equal(l.n, 1);
	ticket_list_free(&l);
}

static void test_bulk_is_all_or_nothing(void **state)
{
	struct fx *f = *state;
	int64_t ids[3];
	ids[0] = new_ticket(f->d, "a", "a@example.com", 3);
	ids[1] = new_ticket(f->d, "b", "a@example.com", 3);
	ids[2] = 999999; /* does not exist */
	struct ticket_change c;
	ticket_change_init(&c);
	c.priority = 1;
	struct wb_err err = { 0 };
	assert_int_equal(desk_ticket_change(f->d, ids, 3, &c, 0, &err), WB_ENOTFOUND);
	assert_non_null(strstr(err.msg, "#999999"));
	struct ticket *t;
	assert_int_equal(desk_ticket_get(f->d, ids[0], &t, &err), 0);
	assert_int_equal(t->priority, 3);
	ticket_free(&t);
	assert_int_equal(desk_ticket_change(f->d, ids, 2, &c, 0, &err), 0);
	assert_int_equal(desk_ticket_get(f->d, ids[1], &t, &err), 0);
	assert_int_equal(t->priority, 1);
	ticket_free(&t);
}

/* A failed change inside a batch undoes only itself: nested transactions are savepoints. */
static void test_nested_rollback_keeps_batch(void **state)
{
	struct fx *f = *state;
	struct wb_err err = { 0 };
	assert_int_equal(store_begin(f->d->store, &err), 0);
	int64_t a = new_ticket(f->d, "kept", "a@example.com", 3);
	struct ticket_draft bad;
	ticket_draft_init(&bad);
	bad.subject = "refused";
	bad.requester_email = "a@example.com";
	bad.queue = "no such queue";
	int64_t b;
	assert_int_equal(desk_ticket_create(f->d, &bad, &b, &err), WB_ENOTFOUND);
	int64_t c = new_ticket(f->d, "also kept", "a@example.com", 3);
	assert_int_equal(store_commit(f->d->store, &err), 0);
	struct ticket *t;
	assert_int_equal(desk_ticket_get(f->d, a, &t, &err), 0);
	ticket_free(&t);
	assert_int_equal(desk_ticket_get(f->d, c, &t, &err), 0);
	assert_string_equal(t->subject, "also kept");
	ticket_free(&t);
	struct ticket_list l;
	assert_int_equal(desk_ticket_search(f->d, "refused", 10, &l, &err), 0);
	assert_int_equal(l.n, 0);
	ticket_list_free(&l);
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_new_database, setup, teardown),
		cmocka_unit_test_setup_teardown(test_viewer_cannot_change, setup, teardown),
		cmocka_unit_test_setup_teardown(test_workflow_and_audit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sla_first_response_and_pause, setup, teardown),
		cmocka_unit_test_setup_teardown(test_search_chinese_and_english, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keyset_paging_stable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_contacts_match, setup, teardown),
		cmocka_unit_test_setup_teardown(test_merge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bulk_is_all_or_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nested_rollback_keeps_batch, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The operations the command line used to do on the store itself, now owned by the domain and
 * the mail layer: retrying and cancelling outgoing mail (operators only, audited), the quarantine
 * (drop, retry once the cause is gone), imports in batch transactions, walking every ticket from
 * one snapshot, reading a ticket with its conversation, and the database check. Real SQLite files. */
#include "testdesk.h"

#include "config.h"
#include "desk.h"
#include "mailgate.h"
#include "outbox.h"
#include "store_outbox.h"
#include "xmalloc.h"

#include <sqlite3.h>

#define T0 1795572000 /* Wednesday 2026-11-25 02:00 UTC */

struct fx {
	char *dir, *db;
	struct wb_config cfg;
	struct desk *d;      /* admin1 */
	struct desk *viewer; /* a second process: viewer1 */
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	test_desk_prepare(&f->dir, &f->db, &f->cfg);
	struct wb_err err = { 0 };
	test_desk_mail_config(&f->cfg);
	clock_set_fixed(T0);
	assert_int_equal(desk_open(&f->cfg, f->db, "admin1", &f->d, &err), 0);
	outbox_attach(f->d, &f->cfg);
	assert_int_equal(desk_open(&f->cfg, f->db, "viewer1", &f->viewer, &err), 0);
	assert_int_equal(f->viewer->me.role, ROLE_VIEWER);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	desk_close(&f->viewer);
	test_desk_close(&f->dir, &f->db, &f->cfg, &f->d);
	free(f);
	return 0;
}

static int64_t new_ticket(struct desk *d, const char *subject, const char *email)
{
	struct ticket_draft t;
	ticket_draft_init(&t);
	t.subject = subject;
	t.requester_email = email;
	t.body = "系统升级后无法登录，请帮忙。";
	int64_t id = 0;
	struct wb_err err = { 0 };
	int rc = desk_ticket_create(d, &t, &id, &err);
	if (rc)
		fprintf(stderr, "create: %s\n", err.msg);
	assert_int_equal(rc, 0);
	return id;
}

static enum outbox_state state_of(struct fx *f, int64_t id)
{
	struct outbox_item it;
	struct wb_err err = { 0 };
	assert_int_equal(store_outbox_get(f->d->store, id, &it, &err), 0);
	enum outbox_state s = it.state;
	outbox_item_clear(&it);
	return s;
}

/* How many audit entries by user_id say what/value (read with SQLite itself, as an auditor would). */
static int audited_by(struct fx *f, int64_t user_id, const char *what, const char *value)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_open_v2(f->db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM audit WHERE user_id = ? AND what = ?"
					    " AND new_value = ?", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_text(st, 2, what, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, value, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

static bool audited(struct fx *f, const char *what, const char *value)
{
	return audited_by(f, f->d->me.id, what, value) + audited_by(f, f->viewer->me.id, what, value) > 0;
}

static void test_outbox_retry_cancel(void **state)
{
	struct fx *f = *state;
	new_ticket(f->d, "a", "a@example.cn");
	new_ticket(f->d, "b", "b@example.cn");
	struct wb_err err = { 0 };
	/* newest first, paged by id */
	struct outbox_item *v;
	size_t n;
	assert_int_equal(outbox_list(f->d, false, OUTBOX_QUEUED, 0, 10, &v, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(v[0].id, 2);
	assert_int_equal(v[1].id, 1);
	outbox_items_free(&v, n);
	assert_int_equal(outbox_list(f->d, false, OUTBOX_QUEUED, 2, 10, &v, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].id, 1);
	outbox_items_free(&v, n);

	/* a viewer changes nothing and leaves no trace */
	assert_int_equal(outbox_cancel(f->viewer, 1, &err), WB_EREFUSED);
	assert_non_null(strstr(err.msg, "operator"));
	assert_int_equal(outbox_retry(f->viewer, 1, &err), WB_EREFUSED);
	assert_int_equal(state_of(f, 1), OUTBOX_QUEUED);
	assert_false(audited(f, "outbox cancel", "1"));

	/* an operator's cancel is done and audited together */
	assert_int_equal(outbox_cancel(f->d, 1, &err), 0);
	assert_int_equal(state_of(f, 1), OUTBOX_CANCELLED);
	assert_int_equal(audited_by(f, f->d->me.id, "outbox cancel", "1"), 1);
	assert_int_equal(outbox_list(f->d, true, OUTBOX_CANCELLED, 0, 10, &v, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].id, 1);
	outbox_items_free(&v, n);
	/* refused changes are not audited */
	assert_int_equal(outbox_cancel(f->d, 1, &err), WB_EREFUSED);
	assert_int_equal(audited_by(f, f->d->me.id, "outbox cancel", "1"), 1);
	assert_int_equal(outbox_cancel(f->d, 99, &err), WB_ENOTFOUND);
	assert_non_null(strstr(err.msg, "99"));
	assert_false(audited(f, "outbox cancel", "99"));
	assert_int_equal(outbox_retry(f->d, 99, &err), WB_ENOTFOUND);
	assert_false(audited(f, "outbox retry", "99"));

	assert_false(audited(f, "outbox retry", "1"));
	assert_int_equal(outbox_retry(f->d, 1, &err), 0);
	assert_int_equal(state_of(f, 1), OUTBOX_QUEUED);
	assert_int_equal(audited_by(f, f->d->me.id, "outbox retry", "1"), 1);
	assert_int_equal(state_of(f, 2), OUTBOX_QUEUED);
}

static int deliver(struct desk *d, const char *from, const char *subject, const char *msgid,
		   struct mailgate_result *r)
{
	char *raw = xasprintf("From: %s\r\nTo: support@weibao.example.cn\r\nSubject: %s\r\nMessage-ID: <%s>\r\n"
			      "Date: Wed, 25 Nov 2026 02:00:00 +0000\r\n\r\n请帮忙\r\n", from, subject, msgid);
	struct wb_err err = { 0 };
	int rc = mailgate_deliver(d, raw, strlen(raw), NULL, r, &err);
	free(raw);
	return rc;
}

static const char *quarantine_state(struct fx *f, int64_t id)
{
	static char st[16];
	struct quarantined q;
	struct wb_err err = { 0 };
	assert_int_equal(mailgate_quarantine_get(f->d, id, &q, &err), 0);
	assert_non_null(q.raw);
	snprintf(st, sizeof st, "%s", q.state);
	quarantined_clear(&q);
	return st;
}

static void test_quarantine_retry_drop(void **state)
{
	struct fx *f = *state;
	f->cfg.max_new_per_hour = 1;
	struct mailgate_result r;
	assert_int_equal(deliver(f->d, "wang@example.cn", "printer", "m1@example.cn", &r), 0);
	assert_int_equal(r.outcome, GATE_CREATED);
	/* a second new ticket from the same sender within the hour is held */
	assert_int_equal(deliver(f->d, "wang@example.cn", "scanner", "m2@example.cn", &r), 0);
	assert_int_equal(r.outcome, GATE_HELD);
	int64_t held = r.quarantine_id;
	assert_true(held > 0);
	assert_int_equal(deliver(f->d, "nobody", "no address", "m3@example.cn", &r), 0);
	assert_int_equal(r.outcome, GATE_QUARANTINED);
	int64_t other = r.quarantine_id;
	assert_true(other > 0);

	struct quarantined *q;
	size_t n;
	struct wb_err err = { 0 };
	assert_int_equal(mailgate_quarantine_list(f->d, 0, 10, false, &q, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(q[0].id, other); /* newest first */
	store_quarantine_list_free(&q, n);

	/* an unknown number is named before the role is checked; a viewer may not act */
	assert_int_equal(mailgate_quarantine_drop(f->viewer, 999, &err), WB_ENOTFOUND);
	assert_non_null(strstr(err.msg, "999"));
	assert_int_equal(mailgate_quarantine_retry(f->viewer, 999, &r, &err), WB_ENOTFOUND);
	assert_int_equal(mailgate_quarantine_drop(f->viewer, held, &err), WB_EREFUSED);
	assert_int_equal(mailgate_quarantine_retry(f->viewer, held, &r, &err), WB_EREFUSED);
	assert_string_equal(quarantine_state(f, held), "held");

	/* still over the limit: not filed, and it says why */
	assert_int_equal(mailgate_quarantine_retry(f->d, held, &r, &err), WB_EREFUSED);
	assert_non_null(strstr(err.msg, "still cannot be filed"));
	assert_string_equal(quarantine_state(f, held), "held");
	/* the cause gone, the operator's retry files it and marks it */
	f->cfg.max_new_per_hour = 10;
	assert_int_equal(mailgate_quarantine_retry(f->d, held, &r, &err), 0);
	assert_int_equal(r.outcome, GATE_CREATED);
	assert_true(r.ticket_id > 0);
	struct ticket *t;
	assert_int_equal(desk_ticket_get(f->d, r.ticket_id, &t, &err), 0);
	assert_string_equal(t->subject, "scanner");
	ticket_free(&t);
	assert_string_equal(quarantine_state(f, held), "retried");

	assert_int_equal(mailgate_quarantine_drop(f->d, other, &err), 0);
	assert_string_equal(quarantine_state(f, other), "dropped");
	/* retried and dropped ones only show with all */
	assert_int_equal(mailgate_quarantine_list(f->d, 0, 10, false, &q, &n, &err), 0);
	for (size_t i = 0; i < n; i++)
		assert_true(q[i].id != held && q[i].id != other);
	store_quarantine_list_free(&q, n);
	assert_int_equal(mailgate_quarantine_list(f->d, 0, 10, true, &q, &n, &err), 0);
	bool seen_held = false, seen_other = false;
	for (size_t i = 0; i < n; i++) {
		seen_held |= q[i].id == held;
		seen_other |= q[i].id == other;
	}
	store_quarantine_list_free(&q, n);
	assert_true(seen_held && seen_other);
}

static int64_t ticket_count(struct desk *d)
{
	struct wb_err err = { 0 };
	struct ticket_filter fl;
	ticket_filter_init(&fl);
	fl.status_mask = ~0u;
	struct ticket_list l;
	assert_int_equal(desk_ticket_page(d, &fl, SORT_ID, NULL, false, 10000, &l, &err), 0);
	int64_t n = (int64_t)l.n;
	ticket_list_free(&l);
	return n;
}

static int batch_deliver(struct mailgate_batch *b, int i)
{
	char *raw = xasprintf("From: c%d@example.cn\r\nSubject: history %d\r\nMessage-ID: <h%d@example.cn>\r\n\r\nold\r\n",
			      i, i, i);
	struct mailgate_opts o = { NULL, true };
	struct mailgate_result r;
	struct wb_err err = { 0 };
	int rc = mailgate_batch_deliver(b, raw, strlen(raw), &o, &r, &err);
	free(raw);
	if (rc == WB_OK)
		assert_int_equal(r.outcome, GATE_CREATED);
	return rc;
}

static void test_import_batches(void **state)
{
	struct fx *f = *state;
	f->d->notify = NULL; /* imported history is acknowledged to nobody */
	struct wb_err err = { 0 };
	/* rolled back: nothing of the open batch stays */
	struct mailgate_batch b = { .d = f->d };
	for (int i = 0; i < 3; i++)
		assert_int_equal(batch_deliver(&b, i), 0);
	assert_int_equal(b.n, 3);
	assert_int_equal(mailgate_batch_end(&b, false, &err), 0);
	assert_int_equal(ticket_count(f->d), 0);
	/* a full batch is committed when the next one starts; only the open one is undone */
	b = (struct mailgate_batch){ .d = f->d };
	for (int i = 0; i < MAILGATE_BATCH + 2; i++)
		assert_int_equal(batch_deliver(&b, i), 0);
	assert_int_equal(mailgate_batch_end(&b, false, &err), 0);
	assert_int_equal(ticket_count(f->d), MAILGATE_BATCH);
	/* committed: everything stays, and the desk is out of the transaction (another process sees it) */
	b = (struct mailgate_batch){ .d = f->d };
	assert_int_equal(batch_deliver(&b, 1000), 0);
	assert_int_equal(mailgate_batch_end(&b, true, &err), 0);
	assert_int_equal(mailgate_batch_end(&b, true, &err), 0); /* nothing open: nothing to do */
	assert_int_equal(ticket_count(f->viewer), MAILGATE_BATCH + 1);
}

struct walk {
	int64_t ids[600];
	size_t n, stop_after;
};

static int walk_one(const struct ticket *t, void *ctx)
{
	struct walk *w = ctx;
	w->ids[w->n++] = t->id;
	return w->stop_after && w->n == w->stop_after ? 7 : 0;
}

static void test_ticket_each_and_read(void **state)
{
	struct fx *f = *state;
	f->d->notify = NULL;
	struct wb_err err = { 0 };
	assert_int_equal(store_begin(f->d->store, &err), 0); /* fast set-up: one transaction */
	for (int i = 0; i < 430; i++) {
		char subject[32];
		snprintf(subject, sizeof subject, "ticket %d", i);
		new_ticket(f->d, subject, i % 2 ? "odd@example.cn" : "even@example.cn");
	}
	assert_int_equal(store_commit(f->d->store, &err), 0);
	struct ticket_filter fl;
	ticket_filter_init(&fl);
	struct ticket_list all;
	assert_int_equal(desk_ticket_page(f->d, &fl, SORT_CREATED, NULL, false, 1000, &all, &err), 0);
	assert_int_equal(all.n, 430);

	/* every one, in the same order as one big page, across several keyset pages */
	struct walk *w = calloc(1, sizeof *w);
	assert_int_equal(desk_ticket_each(f->d, &fl, SORT_CREATED, 0, walk_one, w, &err), 0);
	assert_int_equal(w->n, 430);
	for (size_t i = 0; i < all.n; i++)
		assert_int_equal(w->ids[i], all.items[i].id);
	/* a limit that ends inside the second page */
	memset(w, 0, sizeof *w);
	assert_int_equal(desk_ticket_each(f->d, &fl, SORT_CREATED, 201, walk_one, w, &err), 0);
	assert_int_equal(w->n, 201);
	assert_int_equal(w->ids[200], all.items[200].id);
	/* the callback stops the walk */
	memset(w, 0, sizeof *w);
	w->stop_after = 3;
	assert_int_equal(desk_ticket_each(f->d, &fl, SORT_CREATED, 0, walk_one, w, &err), 7);
	assert_int_equal(w->n, 3);
	ticket_list_free(&all);
	free(w);

	/* a ticket with its conversation */
	struct desk_message m = { 0 };
	m.kind = MSG_NOTE;
	m.body = "called back";
	assert_int_equal(desk_ticket_add_message(f->d, 5, &m, 0, NULL, &err), 0);
	struct ticket *t;
	struct message_list msgs;
	assert_int_equal(desk_ticket_read(f->d, 5, &t, &msgs, &err), 0);
	assert_int_equal(t->id, 5);
	assert_int_equal(msgs.n, 2);
	assert_string_equal(msgs.items[1].body, "called back");
	ticket_free(&t);
	message_list_free(&msgs);
	assert_int_equal(desk_ticket_read(f->d, 9999, &t, &msgs, &err), WB_ENOTFOUND);
	assert_null(t);
	assert_int_equal(msgs.n, 0);
	assert_non_null(strstr(err.msg, "9999"));
}

static void test_db_upkeep(void **state)
{
	struct fx *f = *state;
	struct wb_err err = { 0 };
	int v = 0;
	assert_int_equal(desk_schema_version(f->d, &v, &err), 0);
	assert_true(v > 0);
	char *report;
	assert_int_equal(desk_check(f->db, &report, &err), 0);
	assert_string_equal(report, "ok");
	free(report);
	char *copy = xasprintf("%s/copy.db", f->dir);
	new_ticket(f->d, "kept in the copy", "a@example.cn");
	assert_int_equal(desk_backup(f->d, copy, &err), 0);
	assert_int_equal(desk_check(copy, &report, &err), 0);
	assert_string_equal(report, "ok");
	free(report);
	struct desk *c;
	assert_int_equal(desk_open(&f->cfg, copy, "admin1", &c, &err), 0);
	struct ticket *t;
	assert_int_equal(desk_ticket_get(c, 1, &t, &err), 0);
	assert_string_equal(t->subject, "kept in the copy");
	ticket_free(&t);
	desk_close(&c);
	/* check never creates a database */
	char *missing = xasprintf("%s/missing.db", f->dir);
	assert_int_not_equal(desk_check(missing, &report, &err), 0);
	assert_null(report);
	assert_int_equal(access(missing, F_OK), -1);
	free(missing);
	free(copy);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_outbox_retry_cancel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_quarantine_retry_drop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_batches, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ticket_each_and_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_db_upkeep, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

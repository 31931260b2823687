/* Drill-down from a report figure to its tickets: for every kind of figure the dashboard shows, the
 * filter drill.h makes pages (keyset, two tickets a page) through exactly as many tickets as the
 * report counts. The desk is the one of test_report.c (its header works out every figure by hand):
 * nine tickets around October 2026 in Asia/Shanghai, now = Tue 2026-10-20 12:00. */
#include "testutil.h"

#include "config.h"
#include "desk.h"
#include "directory.h"
#include "recur.h"
#include "report.h"
#include "drill.h"
#include "store_ticket.h"
#include "store_dir.h"
#include "xmalloc.h"

#include <locale.h>

#define TZ "Asia/Shanghai"

static wb_time L(const char *local)
{
	wb_time t = 0;
	assert_int_equal(recur_local_to_utc(local, TZ, &t, NULL), WB_OK);
	return t;
}

static void at(const char *local)
{
	clock_set_fixed(L(local));
}

struct fx {
	char *dir, *db;
	struct wb_config cfg;
	struct desk *d;
	int64_t t[10];
};

static int64_t new_ticket(struct fx *f, const char *when, enum ticket_kind kind, enum ticket_channel ch, int prio,
			  const char *email)
{
	at(when);
	struct ticket_draft t;
	ticket_draft_init(&t);
	t.subject = "fixture";
	t.kind = kind;
	t.channel = ch;
	t.priority = prio;
	t.requester_email = email;
	int64_t id = 0;
	struct wb_err err = { 0 };
	int rc = desk_ticket_create(f->d, &t, &id, &err);
	if (rc)
		fail_msg("%s", err.msg);
	return id;
}

static void message(struct fx *f, int64_t id, const char *when, enum message_kind kind, int minutes)
{
	at(when);
	struct desk_message m = { 0 };
	m.kind = kind;
	m.body = "text";
	m.minutes = minutes;
	if (kind == MSG_INBOUND) {
		struct ticket *t = NULL;
		assert_int_equal(desk_ticket_get(f->d, id, &t, NULL), WB_OK);
		m.author_contact_id = t->requester_id;
		ticket_free(&t);
	}
	struct wb_err err = { 0 };
	if (desk_ticket_add_message(f->d, id, &m, 0, NULL, &err))
		fail_msg("%s", err.msg);
}

static void change(struct fx *f, int64_t id, const char *when, int status, const char *fixed, const char *note,
		   int minutes)
{
	at(when);
	struct ticket_change c;
	ticket_change_init(&c);
	if (status >= 0) {
		c.set_status = true;
		c.status = (enum ticket_status)status;
	}
	c.fixed_version = fixed;
	c.note = note;
	c.minutes = minutes;
	struct wb_err err = { 0 };
	if (desk_ticket_change(f->d, &id, 1, &c, 0, &err))
		fail_msg("#%lld: %s", (long long)id, err.msg);
}

static void rate(struct fx *f, int64_t id, const char *when, int score)
{
	at(when);
	struct wb_err err = { 0 };
	if (desk_rating_add(f->d, id, score, "email", &err))
		fail_msg("%s", err.msg);
}

static void org(struct fx *f, const char *name, const char *domain)
{
	struct organisation o = { 0 };
	o.name = (char *)name;
	o.domain = (char *)domain;
	o.sla_level = (char *)"standard";
	struct wb_err err = { 0 };
	if (directory_org_add(f->d, &o, NULL, &err))
		fail_msg("%s", err.msg);
}

static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof *f);
	f->dir = test_tmpdir();
	f->db = xasprintf("%s/desk.db", f->dir);
	struct wb_err err = { 0 };
	assert_int_equal(config_load("/dev/null", &f->cfg, &err), WB_OK);
	free(f->cfg.timezone);
	f->cfg.timezone = xstrdup(TZ);
	free(f->cfg.holidays);
	f->cfg.holidays = xstrdup("2026-10-01,2026-10-02");
	at("2026-09-01T09:00");
	if (desk_open(&f->cfg, f->db, "admin", &f->d, &err))
		fail_msg("%s", err.msg);
	/* the targets the hand calculation uses, set here so the test owns them */
	assert_int_equal(store_sla_policy_set(f->d->store, "standard", 2, 120, 1080, false, NULL), WB_OK);
	assert_int_equal(store_sla_policy_set(f->d->store, "standard", 3, 240, 2700, false, NULL), WB_OK);
	org(f, "Acme <R&D>", "acme.example");
	org(f, "华信银行", "hx.example");

	int64_t *t = f->t;
	t[7] = new_ticket(f, "2026-09-10T10:00", KIND_FEATURE, CHANNEL_WEB, 3, NULL);
	change(f, t[7], "2026-09-25T10:00", -1, NULL, "looked at it", 15);
	rate(f, t[7], "2026-09-25T10:05", 2);

	t[1] = new_ticket(f, "2026-09-30T17:00", KIND_BUG, CHANNEL_EMAIL, 2, "wang@acme.example");
	change(f, t[1], "2026-09-30T17:10", STATUS_IN_PROGRESS, NULL, NULL, 0);
	message(f, t[1], "2026-10-05T09:30", MSG_REPLY, 30);
	change(f, t[1], "2026-10-06T16:00", STATUS_RESOLVED, "2.1.1", NULL, 0);
	change(f, t[1], "2026-10-08T10:00", STATUS_CLOSED, NULL, NULL, 0);
	rate(f, t[1], "2026-10-08T10:30", 4);

	t[2] = new_ticket(f, "2026-10-03T10:00", KIND_QUESTION, CHANNEL_PHONE, 3, NULL);
	message(f, t[2], "2026-10-05T14:00", MSG_CALL, 0);
	change(f, t[2], "2026-10-05T14:05", STATUS_IN_PROGRESS, NULL, NULL, 0);
	change(f, t[2], "2026-10-12T10:00", STATUS_RESOLVED, NULL, NULL, 0);
	change(f, t[2], "2026-10-14T09:00", STATUS_REOPENED, NULL, NULL, 0);
	change(f, t[2], "2026-10-15T11:00", STATUS_RESOLVED, NULL, NULL, 0);

	t[3] = new_ticket(f, "2026-10-06T11:00", KIND_SECURITY, CHANNEL_WEB, 2, "li@hx.example");
	message(f, t[3], "2026-10-06T12:00", MSG_REPLY, 0);
	change(f, t[3], "2026-10-06T12:01", STATUS_IN_PROGRESS, NULL, NULL, 0);
	change(f, t[3], "2026-10-06T14:00", STATUS_WAITING, NULL, NULL, 0);
	change(f, t[3], "2026-10-08T10:00", -1, NULL, "prepared the patch", 45);
	message(f, t[3], "2026-10-09T15:00", MSG_INBOUND, 0);
	change(f, t[3], "2026-10-13T11:00", STATUS_RESOLVED, NULL, NULL, 0);
	rate(f, t[3], "2026-10-13T12:00", 5);

	t[8] = new_ticket(f, "2026-10-07T09:00", KIND_BUG, CHANNEL_EMAIL, 2, "zhao@example.org");
	message(f, t[8], "2026-10-07T10:00", MSG_REPLY, 0);
	change(f, t[8], "2026-10-07T10:01", STATUS_IN_PROGRESS, NULL, NULL, 0);
	change(f, t[8], "2026-10-07T15:00", STATUS_RESOLVED, "2.2.0", NULL, 0);
	change(f, t[8], "2026-10-09T10:00", STATUS_CLOSED, NULL, NULL, 0);
	rate(f, t[8], "2026-10-09T11:00", 3);

	t[4] = new_ticket(f, "2026-10-12T09:00", KIND_MAINTENANCE, CHANNEL_INTERNAL, 3, NULL);
	change(f, t[4], "2026-10-15T10:00", -1, NULL, "backup check", 60);

	t[9] = new_ticket(f, "2026-10-14T10:00", KIND_QUESTION, CHANNEL_PHONE, 3, NULL);
	change(f, t[9], "2026-10-14T11:00", STATUS_CLOSED, NULL, NULL, 0);

	t[5] = new_ticket(f, "2026-10-16T09:00", KIND_MAINTENANCE, CHANNEL_INTERNAL, 3, NULL);
	message(f, t[5], "2026-10-16T10:30", MSG_REPLY, 0);

	t[6] = new_ticket(f, "2026-10-19T17:30", KIND_BUG, CHANNEL_EMAIL, 2, "wang@acme.example");

	at("2026-10-20T12:00");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	desk_close(&f->d);
	config_clear(&f->cfg);
	test_rmtree(f->dir);
	free(f->dir);
	free(f->db);
	free(f);
	clock_set_fixed(0);
	return 0;
}

static struct report build(struct fx *f, const char *period, const char *org_name)
{
	struct report_spec spec = { 0 };
	spec.period = period;
	spec.org = org_name;
	struct report r;
	struct wb_err err = { 0 };
	if (report_build(f->d, &spec, &r, &err))
		fail_msg("%s", err.msg);
	return r;
}

/* Pages through the tickets of the figure two at a time, the way the list does (keyset, default
 * sort), and returns how many there were; each ticket must come once. */
static int64_t listed(struct fx *f, const struct report *r, enum drill_figure fig, int kind, int channel,
		      int arg)
{
	struct drill what = { fig, kind, channel, arg };
	struct ticket_filter tf;
	drill_filter(r, &what, &tf);
	struct ticket_key key;
	bool have = false;
	int64_t n = 0, seen[64];
	for (;;) {
		struct ticket_list page;
		struct wb_err err = { 0 };
		if (desk_ticket_page(f->d, &tf, SORT_DEFAULT, have ? &key : NULL, false, 2, &page, &err))
			fail_msg("%s", err.msg);
		for (size_t i = 0; i < page.n; i++) {
			for (int64_t j = 0; j < n; j++)
				if (seen[j] == page.items[i].id)
					fail_msg("#%lld listed twice", (long long)seen[j]);
			assert_true(n < 64);
			seen[n++] = page.items[i].id;
		}
		size_t got = page.n;
		if (got)
			ticket_key_of(&page.items[got - 1], SORT_DEFAULT, &key);
		have = true;
		ticket_list_free(&page);
		if (got < 2)
			break;
	}
	return n;
}

#define SAME(fig_n, ...) do { \
		int64_t want_ = (fig_n), got_ = listed(f, &r, __VA_ARGS__); \
		if (want_ != got_) \
			fail_msg("%s: the figure says %lld, the list has %lld", #__VA_ARGS__, (long long)want_, \
				 (long long)got_); \
	} while (0)

static void test_opened_closed(void **state)
{
	struct fx *f = *state;
	struct report r = build(f, "2026-10", NULL);
	assert_int_equal(r.opened_total, 7); /* the figures are not all zero */
	SAME(r.opened_total, DRILL_OPENED, -1, -1, 0);
	SAME(r.closed_total, DRILL_CLOSED, -1, -1, 0);
	for (int k = 0; k < KIND_COUNT; k++) {
		SAME(r.opened_by_kind[k], DRILL_OPENED, k, -1, 0);
		SAME(r.closed_by_kind[k], DRILL_CLOSED, k, -1, 0);
		for (int c = 0; c < CHANNEL_COUNT; c++) {
			SAME(r.f.opened[k][c], DRILL_OPENED, k, c, 0);
			SAME(r.f.closed[k][c], DRILL_CLOSED, k, c, 0);
		}
	}
	for (int c = 0; c < CHANNEL_COUNT; c++) {
		SAME(r.opened_by_channel[c], DRILL_OPENED, -1, c, 0);
		SAME(r.closed_by_channel[c], DRILL_CLOSED, -1, c, 0);
	}
	/* the daily sparkline adds up to the same tickets */
	int64_t days = 0;
	for (size_t i = 0; i < r.f.n_days; i++)
		days += r.f.opened_daily[i];
	SAME(days, DRILL_OPENED, -1, -1, 0);
	report_clear(&r);
}

static void test_backlog(void **state)
{
	struct fx *f = *state;
	/* the running month (backlog now), and September (backlog at its end: T1 was still open) */
	const char *periods[] = { "2026-10", "2026-09", "2026-10-05" };
	for (size_t i = 0; i < sizeof periods / sizeof periods[0]; i++) {
		struct report r = build(f, periods[i], NULL);
		assert_true(r.f.backlog > 0);
		SAME(r.f.backlog, DRILL_BACKLOG, -1, -1, 0);
		for (int b = 0; b < REPORT_AGE_BUCKETS; b++)
			SAME(r.f.backlog_age[b], DRILL_BACKLOG_AGE, -1, -1, b);
		report_clear(&r);
	}
}

static void test_times_and_targets(void **state)
{
	struct fx *f = *state;
	struct report r = build(f, "2026-10", NULL);
	SAME(r.f.response.n, DRILL_RESPONDED, -1, -1, 0);
	SAME(r.f.resolution.n, DRILL_RESOLVED, -1, -1, 0);
	const struct report_due *d = &r.f.response_due;
	assert_true(d->met && d->late && d->overdue); /* each outcome is there to be found */
	SAME(d->met, DRILL_RESPONSE_DUE, -1, -1, TICKET_DUE_MET);
	SAME(d->late, DRILL_RESPONSE_DUE, -1, -1, TICKET_DUE_LATE);
	SAME(d->overdue, DRILL_RESPONSE_DUE, -1, -1, TICKET_DUE_OVERDUE);
	SAME(d->pending, DRILL_RESPONSE_DUE, -1, -1, TICKET_DUE_PENDING);
	SAME(d->late + d->overdue, DRILL_RESPONSE_DUE, -1, -1, TICKET_DUE_LATE | TICKET_DUE_OVERDUE);
	SAME(d->met + d->late + d->overdue, DRILL_RESPONSE_DUE, -1, -1,
	     TICKET_DUE_MET | TICKET_DUE_LATE | TICKET_DUE_OVERDUE);
	const struct report_due *a = &r.resolve_due_all;
	assert_true(a->pending > 0);
	SAME(a->late + a->overdue, DRILL_RESOLVE_DUE, -1, -1, TICKET_DUE_LATE | TICKET_DUE_OVERDUE);
	for (int k = 0; k < KIND_COUNT; k++) {
		const struct report_due *e = &r.f.resolve_due[k];
		SAME(e->met, DRILL_RESOLVE_DUE, k, -1, TICKET_DUE_MET);
		SAME(e->late, DRILL_RESOLVE_DUE, k, -1, TICKET_DUE_LATE);
		SAME(e->overdue, DRILL_RESOLVE_DUE, k, -1, TICKET_DUE_OVERDUE);
		SAME(e->pending, DRILL_RESOLVE_DUE, k, -1, TICKET_DUE_PENDING);
		SAME(e->met + e->late, DRILL_RESOLVE_DUE, k, -1, TICKET_DUE_MET | TICKET_DUE_LATE);
	}
	report_clear(&r);
}

static void test_work_and_ratings(void **state)
{
	struct fx *f = *state;
	struct report r = build(f, "2026-10", NULL);
	/* each reopened ticket was reopened once here, so events and tickets agree */
	assert_int_equal(r.f.reopened, 1);
	SAME(r.f.reopened, DRILL_REOPENED, -1, -1, 0);
	int64_t fixed = 0;
	for (size_t i = 0; i < r.f.n_fixed; i++)
		fixed += r.f.fixed[i].n;
	assert_true(fixed > 0);
	SAME(fixed, DRILL_FIXED, -1, -1, 0);
	SAME(r.ratings_n, DRILL_RATED, -1, -1, 0);
	for (int s = 1; s <= 5; s++)
		SAME(r.f.ratings[s - 1], DRILL_RATED, -1, -1, s);
	/* time worked is minutes, not tickets: one ticket per organisation worked for here */
	SAME((int64_t)r.f.n_worked, DRILL_WORKED, -1, -1, 0);
	report_clear(&r);
}

/* An organisation's report drills into that organisation's tickets only. */
static void test_org(void **state)
{
	struct fx *f = *state;
	struct report r = build(f, "2026-10", "Acme <R&D>");
	assert_int_equal(r.opened_total, 1);
	SAME(r.opened_total, DRILL_OPENED, -1, -1, 0);
	SAME(r.closed_total, DRILL_CLOSED, -1, -1, 0);
	SAME(r.f.backlog, DRILL_BACKLOG, -1, -1, 0);
	SAME(r.f.response.n, DRILL_RESPONDED, -1, -1, 0);
	SAME(r.ratings_n, DRILL_RATED, -1, -1, 0);
	report_clear(&r);
}

static void test_describe(void **state)
{
	struct fx *f = *state;
	struct report r = build(f, "2026-10", NULL);
	struct drill what = { DRILL_OPENED, -1, CHANNEL_PHONE, 0 };
	struct ticket_filter tf;
	drill_filter(&r, &what, &tf);
	char *s = drill_describe(&tf, TZ, true);
	assert_string_equal(s, "opened 2026-10-01–2026-10-31 · phone");
	free(s);
	s = drill_describe(&tf, TZ, false);
	assert_string_equal(s, "opened 2026-10-01..2026-10-31 - phone");
	free(s);
	report_clear(&r);
	r = build(f, "2026-09", NULL);
	what = (struct drill){ DRILL_BACKLOG, -1, -1, 0 };
	drill_filter(&r, &what, &tf);
	s = drill_describe(&tf, TZ, true);
	assert_string_equal(s, "open at 2026-10-01 00:00");
	free(s);
	report_clear(&r);
}

/* A figure's list saved as a search (:save) keeps its narrowing. */
static void test_saved_view(void **state)
{
	struct fx *f = *state;
	struct report r = build(f, "2026-10", NULL);
	struct drill what = { DRILL_OPENED, -1, CHANNEL_PHONE, 0 };
	struct ticket_filter tf;
	drill_filter(&r, &what, &tf);
	assert_int_equal(desk_view_save(f->d, "phone in October", &tf, NULL), WB_OK);
	struct saved_view *v = NULL;
	size_t n = 0;
	assert_int_equal(desk_view_list(f->d, &v, &n, NULL), WB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].filter.channel, CHANNEL_PHONE);
	assert_int_equal(v[0].filter.created_from, r.from);
	assert_int_equal(v[0].filter.created_to, r.to);
	struct ticket_list l;
	assert_int_equal(desk_ticket_page(f->d, &v[0].filter, SORT_DEFAULT, NULL, false, 50, &l, NULL), WB_OK);
	assert_int_equal((int64_t)l.n, r.opened_by_channel[CHANNEL_PHONE]);
	ticket_list_free(&l);
	desk_views_free(&v, n);
	report_clear(&r);
}

/* The default views keep their SQL: the open-ticket index, no sorting. A figure's list pages by key
 * and reads its tickets through the date index of what the figure counts. */
static void test_default_plan(void **state)
{
	struct fx *f = *state;
	struct ticket_filter tf;
	ticket_filter_init(&tf);
	for (int have_key = 0; have_key <= 1; have_key++) {
		char *plan = NULL;
		assert_int_equal(store_ticket_page_plan(f->d->store, &tf, SORT_DEFAULT, have_key, &plan, NULL), WB_OK);
		if (!strstr(plan, "USING INDEX tickets_open") || strstr(plan, "B-TREE"))
			fail_msg("default view, key %d:\n%s", have_key, plan);
		free(plan);
	}
	struct report r = build(f, "2026-10", NULL);
	for (int fig = DRILL_OPENED; fig <= DRILL_RATED; fig++) {
		struct drill what = { (enum drill_figure)fig, -1, CHANNEL_PHONE, 0 };
		drill_filter(&r, &what, &tf);
		char *plan = NULL;
		assert_int_equal(store_ticket_page_plan(f->d->store, &tf, SORT_DEFAULT, true, &plan, NULL), WB_OK);
		/* each figure's list starts from its own date index, never from every ticket */
		if (strstr(plan, "SCAN tickets"))
			fail_msg("figure %d reads every ticket:\n%s", fig, plan);
		free(plan);
	}
	report_clear(&r);
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_opened_closed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_backlog, setup, teardown),
		cmocka_unit_test_setup_teardown(test_times_and_targets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_work_and_ratings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_org, setup, teardown),
		cmocka_unit_test_setup_teardown(test_describe, setup, teardown),
		cmocka_unit_test_setup_teardown(test_saved_view, setup, teardown),
		cmocka_unit_test_setup_teardown(test_default_plan, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

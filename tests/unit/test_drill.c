/* Drill-down from a report figure to its tickets: for every kind of figure the dashboard shows, the
 * filter drill.h makes pages (keyset, two tickets a page) through exactly as many tickets as the
 * report counts. The desk is the one of report_fixture.h (it works out every figure by hand):
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

#include "report_fixture.h"

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

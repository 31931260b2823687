/* What the console's plan screens read through plan.h: a task's checklist with who ticked what, the
 * list of plans, a plan's schedule in words and its next start. A real SQLite file, a fixed clock. */
#include "plan_fixture.h"

#include "config.h"
#include "desk.h"
#include "directory.h"
#include "plan.h"
#include "xmalloc.h"

#include <stdio.h>

/* A plan on erp from Mon 2026-11-23 09:00 in Shanghai, 30 minutes, no exception dates. */
static int64_t console_plan(struct fx *f, const char *name, const char *rule, const char *checklist)
{
	return add_plan(f, name, rule, "2026-11-23T09:00", "Asia/Shanghai", 30, NULL, checklist);
}

static void test_task_checklist(void **state)
{
	struct fx *f = *state;
	struct wb_err err = { 0 };
	int64_t plan = console_plan(f, "db health", "FREQ=DAILY", "disk|logs|vacuum");
	assert_int_equal(plan_generate(f->d, T("2026-11-25T00:00Z"), T("2026-11-26T00:00Z"), NULL, &err), 0);
	int64_t task = first_task(f);
	clock_set_fixed(T("2026-11-25T01:10:00Z"));
	assert_int_equal(plan_check(f->d, task, 2, "note", "rotated", &err), 0);

	struct plan p;
	struct plan_result *r;
	size_t n;
	assert_int_equal(plan_task_checklist(f->d, task, &p, &r, &n, &err), 0);
	assert_int_equal(p.id, plan);
	assert_int_equal(p.n_items, 3);
	assert_string_equal(p.items[2], "vacuum");
	assert_int_equal(n, 1);
	assert_int_equal(r[0].pos, 2);
	assert_string_equal(r[0].result, "note");
	assert_string_equal(r[0].note, "rotated");
	assert_string_equal(r[0].user, "alice");
	assert_int_equal(r[0].at, T("2026-11-25T01:10:00Z"));
	plan_results_free(&r, n);
	plan_clear(&p);

	/* an ordinary ticket has no checklist: not found, nothing to free */
	struct ticket_draft t;
	ticket_draft_init(&t);
	t.subject = "ERP is slow";
	int64_t other;
	assert_int_equal(desk_ticket_create(f->d, &t, &other, &err), 0);
	assert_int_equal(plan_task_checklist(f->d, other, &p, &r, &n, &err), WB_ENOTFOUND);
	assert_null(r);
	assert_int_equal(n, 0);
	assert_null(p.name);
}

static void test_plan_list_and_next_start(void **state)
{
	struct fx *f = *state;
	struct wb_err err = { 0 };
	int64_t a = console_plan(f, "workday check", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", NULL);
	int64_t b = console_plan(f, "gone", "FREQ=DAILY", NULL);
	int64_t c = console_plan(f, "patch day", "FREQ=MONTHLY;BYDAY=2TU", "reboot");
	assert_int_equal(plan_remove(f->d, b, &err), 0);

	struct plan *v;
	size_t n;
	assert_int_equal(plan_list(f->d, false, &v, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(v[0].id, a);
	assert_int_equal(v[1].id, c);
	assert_string_equal(v[1].items[0], "reboot");
	assert_string_equal(v[1].system, "erp");

	char *words = plan_schedule_text(&v[0]);
	assert_string_equal(words, "every weekday at 09:00");
	free(words);

	/* after today's 09:00 has begun, the next workday start is Thursday; from Saturday it is Monday */
	wb_time t = 0;
	assert_true(plan_next_start(&v[0], T("2026-11-25T01:00:01Z"), &t));
	assert_int_equal(t, T("2026-11-26T01:00:00Z"));
	assert_true(plan_next_start(&v[0], T("2026-11-28T00:00:00Z"), &t));
	assert_int_equal(t, T("2026-11-30T01:00:00Z"));
	/* the second Tuesday of December */
	assert_true(plan_next_start(&v[1], T("2026-11-25T00:00:00Z"), &t));
	assert_int_equal(t, T("2026-12-08T01:00:00Z"));
	plans_free(&v, n);

	assert_int_equal(plan_list(f->d, true, &v, &n, &err), 0);
	assert_int_equal(n, 3);
	assert_false(v[1].active);
	plans_free(&v, n);
}

/* more plans than one page of the store: all of them, in order */
static void test_plan_list_pages(void **state)
{
	struct fx *f = *state;
	struct wb_err err = { 0 };
	for (int i = 0; i < 205; i++) {
		char name[32];
		snprintf(name, sizeof name, "plan %d", i + 1);
		console_plan(f, name, "FREQ=DAILY", NULL);
	}
	struct plan *v;
	size_t n;
	assert_int_equal(plan_list(f->d, false, &v, &n, &err), 0);
	assert_int_equal(n, 205);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(v[i].id, (int64_t)i + 1);
	assert_string_equal(v[204].name, "plan 205");
	plans_free(&v, n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_task_checklist, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plan_list_and_next_start, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plan_list_pages, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

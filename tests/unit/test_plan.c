/* The maintenance calendar on a real SQLite file: plans, generated tasks, checklists, missed
 * occurrences, windows, notices and iCalendar round trips. */
#include "plan_fixture.h"

#include "config.h"
#include "desk.h"
#include "directory.h"
#include "ics.h"
#include "plan.h"
#include "store_dir.h"
#include "xmalloc.h"

/* The local dates of the plan's occurrences in [from, to) as the agenda shows them, joined by spaces. */
static char *agenda_dates(struct fx *f, int64_t plan_id, const char *from, const char *to, const char *tz)
{
	struct plan_agenda a;
	struct wb_err err = { 0 };
	if (plan_agenda(f->d, T(from), T(to), &a, &err))
		fail_msg("plan_agenda: %s", err.msg);
	char *out = xstrdup("");
	for (size_t i = 0; i < a.n; i++) {
		if (a.items[i].is_window || a.items[i].plan_id != plan_id)
			continue;
		char local[20];
		assert_int_equal(recur_utc_to_local(a.items[i].start, tz, local, sizeof local, NULL), 0);
		char *next = xasprintf("%s%s%s", out, *out ? " " : "", local);
		free(out);
		out = next;
	}
	plan_agenda_free(&a);
	return out;
}

/* Counts the tickets of kind maintenance (any status) and returns the subjects joined by '|',
 * newest first (the ticket list's id order). */
static char *maintenance_subjects(struct fx *f, size_t *count)
{
	struct ticket_filter flt;
	ticket_filter_init(&flt);
	flt.status_mask = (1u << STATUS_COUNT) - 1;
	flt.kind = KIND_MAINTENANCE;
	struct ticket_list l;
	struct wb_err err = { 0 };
	assert_int_equal(desk_ticket_page(f->d, &flt, SORT_ID, NULL, false, 500, &l, &err), 0);
	char *out = xstrdup("");
	for (size_t i = 0; i < l.n; i++) {
		char *next = xasprintf("%s%s%s", out, *out ? "|" : "", l.items[i].subject);
		free(out);
		out = next;
	}
	*count = l.n;
	ticket_list_free(&l);
	return out;
}

/* Monthly on the 31st skips the short months; the last day of the month (-1) lands on Feb 29 in
 * a leap year; yearly on Feb 29 waits for the next leap year; exception dates drop single days. */
static void test_recurrence_month_ends_leap_years_exceptions(void **state)
{
	struct fx *f = *state;
	int64_t p31 = add_plan(f, "month end backup", "FREQ=MONTHLY;BYMONTHDAY=31", "2027-01-31T23:00",
			       "Asia/Shanghai", 60, NULL, NULL);
	char *got = agenda_dates(f, p31, "2027-01-01T00:00Z", "2027-08-01T00:00Z", "Asia/Shanghai");
	assert_string_equal(got, "2027-01-31T23:00 2027-03-31T23:00 2027-05-31T23:00 2027-07-31T23:00");
	free(got);

	int64_t last = add_plan(f, "last day", "FREQ=MONTHLY;BYMONTHDAY=-1", "2028-01-01T02:00", "UTC", 30, NULL, NULL);
	got = agenda_dates(f, last, "2028-01-01T00:00Z", "2028-04-01T00:00Z", "UTC");
	assert_string_equal(got, "2028-01-31T02:00 2028-02-29T02:00 2028-03-31T02:00");
	free(got);
	got = agenda_dates(f, last, "2027-02-01T00:00Z", "2027-03-01T00:00Z", "UTC");
	assert_string_equal(got, ""); /* before the plan's start */
	free(got);

	int64_t leap = add_plan(f, "leap day audit", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", "2027-01-01T09:00", "UTC",
				60, NULL, NULL);
	got = agenda_dates(f, leap, "2027-01-01T00:00Z", "2033-01-01T00:00Z", "UTC");
	assert_string_equal(got, "2028-02-29T09:00 2032-02-29T09:00");
	free(got);

	/* every day at 02:00 Shanghai except 2026-12-24 (a whole day) and the 26th at 02:00 */
	int64_t daily = add_plan(f, "daily check", "FREQ=DAILY", "2026-12-22T02:00", "Asia/Shanghai", 15,
				 "2026-12-24,2026-12-26T02:00", "disk space under 80%");
	got = agenda_dates(f, daily, "2026-12-21T00:00Z", "2026-12-27T00:00Z", "Asia/Shanghai");
	assert_string_equal(got, "2026-12-22T02:00 2026-12-23T02:00 2026-12-25T02:00 2026-12-27T02:00");
	free(got);

	/* generated tasks follow the same dates, across the year end */
	int created = 0;
	struct wb_err err = { 0 };
	assert_int_equal(plan_generate(f->d, T("2026-12-21T00:00Z"), T("2026-12-27T00:00Z"), &created, &err), 0);
	assert_int_equal(created, 4);
	size_t n;
	char *subjects = maintenance_subjects(f, &n);
	assert_string_equal(subjects,
			    "daily check 2026-12-27|daily check 2026-12-25|daily check 2026-12-23|daily check 2026-12-22");
	free(subjects);
}

static void test_validation_names_the_bad_part(void **state)
{
	struct fx *f = *state;
	struct plan p = { 0 };
	p.name = (char *)"bad";
	p.kind = (char *)"inspection";
	p.system = (char *)"erp";
	p.rrule = (char *)"FREQ=FORTNIGHTLY";
	p.dtstart = (char *)"2026-12-01T02:00";
	p.duration_min = 30;
	struct wb_err err = { 0 };
	assert_int_equal(plan_add(f->d, &p, NULL, &err), WB_EINVAL);
	assert_non_null(strstr(err.msg, "FORTNIGHTLY"));
	p.rrule = (char *)"FREQ=DAILY";
	p.kind = (char *)"cleaning";
	assert_int_equal(plan_add(f->d, &p, NULL, &err), WB_EINVAL);
	assert_non_null(strstr(err.msg, "cleaning"));
	p.kind = (char *)"backup-check";
	p.lead_hours = 1000;
	assert_int_equal(plan_add(f->d, &p, NULL, &err), WB_EINVAL);
	assert_non_null(strstr(err.msg, "1000"));
	p.lead_hours = 2;
	p.duration_min = 0;
	assert_int_equal(plan_add(f->d, &p, NULL, &err), WB_EINVAL);
	p.duration_min = 30;
	p.system = (char *)"nosuch";
	assert_int_equal(plan_add(f->d, &p, NULL, &err), WB_ENOTFOUND);
	assert_non_null(strstr(err.msg, "nosuch"));
	p.system = (char *)"erp";
	int64_t id = 0;
	assert_int_equal(plan_add(f->d, &p, &id, &err), 0);
	struct plan got;
	assert_int_equal(plan_get(f->d, id, &got, &err), 0);
	assert_string_equal(got.kind, "backup_check");
	assert_string_equal(got.system, "erp");
	assert_string_equal(got.org, "Acme");
	plan_clear(&got);
}

/* Running the generator twice creates each task once; tasks go to the Maintenance queue when it
 * exists, carry the checklist and belong to the plan's system. */
static void test_generation_is_idempotent(void **state)
{
	struct fx *f = *state;
	struct wb_err err = { 0 };
	struct queue_info q = { 0 };
	q.name = (char *)"Maintenance";
	assert_int_equal(directory_queue_add(f->d, &q, NULL, &err), 0);
	add_plan(f, "巡检", "FREQ=WEEKLY;BYDAY=MO,WE,FR", "2026-11-23T09:00", "Asia/Shanghai", 30, NULL,
		 "disk space under 80%|error log reviewed|database vacuumed");
	int created = -1;
	assert_int_equal(plan_generate_ahead(f->d, 14, &created, &err), 0);
	/* today is Wed 2026-11-25 (Shanghai): Wed, Fri, Mon, Wed, Fri, Mon, Wed within 14 days */
	assert_int_equal(created, 6);
	size_t n1, n2;
	char *s1 = maintenance_subjects(f, &n1);
	assert_int_equal(n1, 6);
	assert_non_null(strstr(s1, "巡检 2026-11-25"));
	assert_null(strstr(s1, "巡检 2026-12-09")); /* 14 days from today's start end before it */
	assert_int_equal(plan_generate_ahead(f->d, 14, &created, &err), 0);
	assert_int_equal(created, 0);
	assert_int_equal(plan_generate(f->d, T("2026-11-01T00:00Z"), T("2026-12-09T00:00Z"), &created, &err), 0);
	assert_int_equal(created, 0);
	char *s2 = maintenance_subjects(f, &n2);
	assert_int_equal(n2, 6);
	assert_string_equal(s1, s2);
	free(s1);
	free(s2);

	struct ticket_filter flt;
	ticket_filter_init(&flt);
	flt.kind = KIND_MAINTENANCE;
	struct ticket_list l;
	assert_int_equal(desk_ticket_page(f->d, &flt, SORT_ID, NULL, false, 1, &l, &err), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.items[0].queue, "Maintenance");
	assert_string_equal(l.items[0].system, "erp");
	assert_string_equal(l.items[0].org, "Acme");
	struct message_list m;
	assert_int_equal(desk_ticket_messages(f->d, l.items[0].id, &m, &err), 0);
	assert_true(m.n >= 1);
	assert_string_equal(m.items[0].body, "1. disk space under 80%\n2. error log reviewed\n3. database vacuumed\n");
	message_list_free(&m);
	ticket_list_free(&l);
}

/* A dense rule yields more occurrences than one expansion returns (2,000): the generator goes on in
 * rounds. Hourly since August, the plan made today: only today's hours after its creation count,
 * and they lie beyond the first round. */
static void test_generation_of_a_dense_rule(void **state)
{
	struct fx *f = *state;
	struct wb_err err = { 0 };
	add_plan(f, "hourly probe", "FREQ=HOURLY", "2026-08-01T00:00", "UTC", 5, NULL, NULL);
	int created = 0;
	assert_int_equal(plan_generate(f->d, T("2026-08-01T00:00:00Z"), T("2026-11-25T05:00:00Z"), &created, &err), 0);
	assert_int_equal(created, 4); /* 01:00, 02:00, 03:00, 04:00 */
	size_t n;
	char *subjects = maintenance_subjects(f, &n);
	assert_int_equal(n, 4);
	assert_string_equal(subjects, "hourly probe 2026-11-25|hourly probe 2026-11-25|hourly probe 2026-11-25|"
				      "hourly probe 2026-11-25");
	free(subjects);
	struct plan_agenda a;
	assert_int_equal(plan_agenda(f->d, T("2026-11-25T00:00:00Z"), T("2026-11-25T06:00:00Z"), &a, &err), 0);
	assert_int_equal(a.n, 5); /* 01..04 generated, 05 planned; 00:00 was over before the plan existed */
	assert_int_equal(a.items[0].start, T("2026-11-25T01:00:00Z"));
	assert_true(a.items[0].ticket_id != 0);
	assert_int_equal(a.items[4].status, PLAN_ST_PLANNED);
	plan_agenda_free(&a);
}

static enum ticket_status status_of(struct fx *f, int64_t id)
{
	struct ticket *t;
	assert_int_equal(desk_ticket_get(f->d, id, &t, NULL), 0);
	enum ticket_status s = t->status;
	ticket_free(&t);
	return s;
}

static void test_checklist_completed_and_stored(void **state)
{
	struct fx *f = *state;
	struct wb_err err = { 0 };
	add_plan(f, "db health", "FREQ=DAILY", "2026-11-25T10:00", "Asia/Shanghai", 60, NULL,
		 "disk space under 80%|error log reviewed|database vacuumed");
	assert_int_equal(plan_generate(f->d, T("2026-11-25T00:00Z"), T("2026-11-26T00:00Z"), NULL, &err), 0);
	int64_t task = first_task(f);
	assert_int_equal(plan_check(f->d, task, 4, "ok", NULL, &err), WB_EINVAL);
	assert_non_null(strstr(err.msg, "1 to 3"));
	assert_int_equal(plan_check(f->d, task, 1, "fine", NULL, &err), WB_EINVAL);
	assert_int_equal(plan_check(f->d, task, 1, "note", NULL, &err), WB_EINVAL);

	clock_set_fixed(T("2026-11-25T02:05:00Z"));
	assert_int_equal(plan_check(f->d, task, 1, "ok", NULL, &err), 0);
	assert_int_equal(status_of(f, task), STATUS_IN_PROGRESS);
	clock_set_fixed(T("2026-11-25T02:10:00Z"));
	assert_int_equal(plan_check(f->d, task, 2, "failed", "disk errors in dmesg", &err), 0);
	assert_int_equal(plan_check(f->d, task, 3, "ok", NULL, &err), 0);
	assert_int_equal(status_of(f, task), STATUS_IN_PROGRESS); /* an item failed: not resolved */

	/* stored with who and when, read back through a fresh connection */
	desk_close(&f->d);
	assert_int_equal(desk_open(&f->cfg, f->db, "alice", &f->d, &err), 0);
	struct plan_occ o;
	assert_int_equal(store_occ_by_ticket(f->d->store, task, &o, &err), 0);
	struct plan_result *r;
	size_t n;
	assert_int_equal(store_result_list(f->d->store, o.id, &r, &n, &err), 0);
	assert_int_equal(n, 3);
	assert_string_equal(r[0].item, "disk space under 80%");
	assert_string_equal(r[0].result, "ok");
	assert_string_equal(r[0].user, "alice");
	assert_int_equal(r[0].at, T("2026-11-25T02:05:00Z"));
	assert_string_equal(r[1].result, "failed");
	assert_string_equal(r[1].note, "disk errors in dmesg");
	assert_int_equal(r[1].at, T("2026-11-25T02:10:00Z"));
	plan_results_free(&r, n);

	/* fixed and ticked again: every item ok resolves the task */
	assert_int_equal(plan_check(f->d, task, 2, "ok", NULL, &err), 0);
	assert_int_equal(status_of(f, task), STATUS_RESOLVED);
	struct plan_agenda a;
	assert_int_equal(plan_agenda(f->d, T("2026-11-25T00:00Z"), T("2026-11-26T00:00Z"), &a, &err), 0);
	assert_int_equal(a.n, 1);
	assert_int_equal(a.items[0].status, PLAN_ST_DONE);
	plan_agenda_free(&a);
	plan_occ_clear(&o);

	/* a task under review stays there when its last item is ticked */
	assert_int_equal(plan_generate(f->d, T("2026-11-26T00:00Z"), T("2026-11-27T00:00Z"), NULL, &err), 0);
	struct ticket_filter flt;
	ticket_filter_init(&flt);
	flt.kind = KIND_MAINTENANCE;
	struct ticket_list l;
	assert_int_equal(desk_ticket_page(f->d, &flt, SORT_ID, NULL, false, 5, &l, &err), 0);
	assert_int_equal(l.n, 1);
	int64_t second = l.items[0].id;
	ticket_list_free(&l);
	struct ticket_change c;
	ticket_change_init(&c);
	c.set_status = true;
	c.status = STATUS_IN_PROGRESS;
	assert_int_equal(desk_ticket_change(f->d, &second, 1, &c, 0, &err), 0);
	c.status = STATUS_IN_REVIEW;
	assert_int_equal(desk_ticket_change(f->d, &second, 1, &c, 0, &err), 0);
	for (int i = 1; i <= 3; i++)
		assert_int_equal(plan_check(f->d, second, i, "ok", NULL, &err), 0);
	assert_int_equal(status_of(f, second), STATUS_IN_REVIEW);

	/* a ticket that is no plan's task */
	struct ticket_draft t;
	ticket_draft_init(&t);
	t.subject = "printer jam";
	int64_t other;
	assert_int_equal(desk_ticket_create(f->d, &t, &other, &err), 0);
	assert_int_equal(plan_check(f->d, other, 1, "ok", NULL, &err), WB_ENOTFOUND);
}

static void test_missed_occurrence_detected(void **state)
{
	struct fx *f = *state;
	struct wb_err err = { 0 };
	/* 10:00-11:00 Shanghai = 02:00-03:00 UTC, every day */
	add_plan(f, "log rotation", "FREQ=DAILY", "2026-11-25T10:00", "Asia/Shanghai", 60, NULL, "logs rotated");
	assert_int_equal(plan_generate(f->d, T("2026-11-25T00:00Z"), T("2026-11-27T00:00Z"), NULL, &err), 0);
	int open = -1, missed = -1;
	assert_int_equal(plan_today_counts(f->d, &open, &missed, &err), 0);
	assert_int_equal(open, 1);
	assert_int_equal(missed, 0);

	clock_set_fixed(T("2026-11-25T02:59:00Z")); /* still running */
	struct plan_agenda a;
	assert_int_equal(plan_agenda(f->d, T("2026-11-25T00:00Z"), T("2026-11-27T00:00Z"), &a, &err), 0);
	assert_int_equal(a.n, 2);
	assert_int_equal(a.items[0].status, PLAN_ST_OPEN);
	plan_agenda_free(&a);

	clock_set_fixed(T("2026-11-25T03:00:00Z")); /* its end passed, task not done */
	assert_int_equal(plan_agenda(f->d, T("2026-11-25T00:00Z"), T("2026-11-27T00:00Z"), &a, &err), 0);
	assert_int_equal(a.items[0].status, PLAN_ST_MISSED);
	assert_int_equal(a.items[1].status, PLAN_ST_OPEN);
	assert_string_equal(plan_status_name(a.items[0].status), "missed");
	plan_agenda_free(&a);
	assert_int_equal(plan_today_counts(f->d, &open, &missed, &err), 0);
	assert_int_equal(open, 0);
	assert_int_equal(missed, 1);

	/* an occurrence never generated and over is missed too; a future one is planned */
	clock_set_fixed(T("2026-11-28T12:00:00Z"));
	assert_int_equal(plan_agenda(f->d, T("2026-11-25T00:00Z"), T("2026-11-30T00:00Z"), &a, &err), 0);
	assert_int_equal(a.n, 5);
	assert_int_equal(a.items[2].status, PLAN_ST_MISSED);
	assert_int_equal(a.items[2].ticket_id, 0);
	assert_int_equal(a.items[4].status, PLAN_ST_PLANNED);
	plan_agenda_free(&a);
}

/* Records what the mail hook was asked to send: the notice as data (the mail layer words it). */
struct sent_log {
	int calls;
	char to[8][64];
	enum plan_notice_kind kind[8];
	char title[8][128];
	char plan_kind[8][32];
	char tz[8][64];
	wb_time start[8], end[8];
};

static int record_mail(struct desk *d, const struct contact *to, const struct plan_notice *n, void *ctx,
		       bool *queued, struct wb_err *err)
{
	(void)d;
	(void)err;
	*queued = to->email != NULL;
	struct sent_log *log = ctx;
	if (log->calls < 8) {
		int i = log->calls;
		snprintf(log->to[i], sizeof log->to[0], "%s", to->email);
		log->kind[i] = n->kind;
		snprintf(log->title[i], sizeof log->title[0], "%s", n->title);
		snprintf(log->plan_kind[i], sizeof log->plan_kind[0], "%s", n->plan_kind ? n->plan_kind : "");
		snprintf(log->tz[i], sizeof log->tz[0], "%s", n->tz ? n->tz : "(utc)");
		log->start[i] = n->start;
		log->end[i] = n->end;
	}
	log->calls++;
	return WB_OK;
}

static int find_to(const struct sent_log *log, int from, const char *email)
{
	for (int i = from; i < log->calls && i < 8; i++)
		if (!strcmp(log->to[i], email))
			return i;
	return -1;
}

static void add_contact(struct fx *f, const char *name, const char *email, const char *org, const char *tz)
{
	struct contact c = { 0 };
	c.name = (char *)name;
	c.email = (char *)email;
	c.org = (char *)org;
	c.timezone = (char *)tz;
	struct wb_err err = { 0 };
	if (directory_contact_add(f->d, &c, NULL, &err))
		fail_msg("contact: %s", err.msg);
}

static void test_window_notices_sent_once_in_contact_zone(void **state)
{
	struct fx *f = *state;
	struct wb_err err = { 0 };
	add_contact(f, "Wang", "wang@acme.example", "Acme", NULL);            /* the org's zone: Shanghai */
	add_contact(f, "Hans", "hans@acme.example", "Acme", "Europe/Berlin");
	struct organisation other = { 0 };
	other.name = (char *)"Other";
	assert_int_equal(directory_org_add(f->d, &other, NULL, &err), 0);
	add_contact(f, "Olga", "olga@other.example", "Other", NULL);

	struct maint_window w = { 0 };
	w.title = (char *)"ERP database upgrade";
	w.system = (char *)"erp";
	w.start = T("2026-11-28T14:00:00Z"); /* 22:00 Shanghai, 15:00 Berlin */
	w.end = T("2026-11-28T16:00:00Z");
	w.lead_hours = 48;
	w.announce = true;
	int64_t wid = 0;
	assert_int_equal(plan_window_add(f->d, &w, &wid, &err), 0);

	struct sent_log log = { 0 };
	int sent = -1;
	assert_int_equal(plan_notify_due(f->d, record_mail, &log, &sent, &err), 0); /* 3 days ahead: too early */
	assert_int_equal(sent, 0);
	assert_int_equal(log.calls, 0);

	clock_set_fixed(T("2026-11-26T14:00:00Z")); /* exactly 48 hours ahead */
	assert_int_equal(plan_notify_due(f->d, record_mail, &log, &sent, &err), 0);
	assert_int_equal(sent, 2);
	assert_int_equal(log.calls, 2);
	int wang = find_to(&log, 0, "wang@acme.example"), hans = find_to(&log, 0, "hans@acme.example");
	assert_true(wang >= 0 && hans >= 0);
	assert_int_equal(find_to(&log, 0, "olga@other.example"), -1);
	assert_string_equal(log.tz[wang], "Asia/Shanghai"); /* no zone of his own: the organisation's */
	assert_string_equal(log.tz[hans], "Europe/Berlin");
	assert_int_equal(log.kind[hans], PLAN_NOTICE_WINDOW_AHEAD);
	assert_string_equal(log.title[hans], "ERP database upgrade");
	assert_true(log.start[hans] == T("2026-11-28T14:00:00Z") && log.end[hans] == T("2026-11-28T16:00:00Z"));

	/* a rerun, also from another process, sends nothing again */
	assert_int_equal(plan_notify_due(f->d, record_mail, &log, &sent, &err), 0);
	assert_int_equal(sent, 0);
	desk_close(&f->d);
	assert_int_equal(desk_open(&f->cfg, f->db, "alice", &f->d, &err), 0);
	clock_set_fixed(T("2026-11-28T15:00:00Z")); /* during the window */
	assert_int_equal(plan_notify_due(f->d, record_mail, &log, &sent, &err), 0);
	assert_int_equal(sent, 0);
	assert_int_equal(log.calls, 2);

	clock_set_fixed(T("2026-11-28T16:30:00Z")); /* closed */
	assert_int_equal(plan_notify_due(f->d, record_mail, &log, &sent, &err), 0);
	assert_int_equal(sent, 2);
	assert_int_equal(log.calls, 4);
	assert_int_equal(log.kind[2], PLAN_NOTICE_WINDOW_CLOSED);
	assert_int_equal(log.kind[3], PLAN_NOTICE_WINDOW_CLOSED);
	assert_int_equal(plan_notify_due(f->d, record_mail, &log, &sent, &err), 0);
	assert_int_equal(sent, 0);
	assert_int_equal(log.calls, 4);

	/* no hook: nothing is sent or recorded */
	assert_int_equal(plan_notify_due(f->d, NULL, NULL, &sent, &err), 0);
	assert_int_equal(sent, 0);
}

/* A failing hook rolls the run back: the notices go out on the next run. */
static int failing_mail(struct desk *d, const struct contact *to, const struct plan_notice *n, void *ctx,
			bool *queued, struct wb_err *err)
{
	(void)d, (void)to, (void)n, (void)ctx, (void)queued;
	return wb_err_set(err, WB_ETEMP, "outbox full");
}

static void test_notice_retried_after_hook_failure(void **state)
{
	struct fx *f = *state;
	struct wb_err err = { 0 };
	add_contact(f, "Wang", "wang@acme.example", "Acme", NULL);
	struct maint_window w = { 0 };
	w.title = (char *)"patching";
	w.org = (char *)"Acme";
	w.start = T("2026-11-25T12:00:00Z");
	w.end = T("2026-11-25T13:00:00Z");
	w.lead_hours = 24;
	w.announce = true;
	assert_int_equal(plan_window_add(f->d, &w, NULL, &err), 0);
	int sent = -1;
	assert_int_equal(plan_notify_due(f->d, failing_mail, NULL, &sent, &err), WB_ETEMP);
	struct sent_log log = { 0 };
	assert_int_equal(plan_notify_due(f->d, record_mail, &log, &sent, &err), 0);
	assert_int_equal(sent, 1);
}

static void test_plan_occurrence_notice(void **state)
{
	struct fx *f = *state;
	struct wb_err err = { 0 };
	add_contact(f, "Wang", "wang@acme.example", "Acme", NULL);
	struct plan p = { 0 };
	p.name = (char *)"security updates";
	p.kind = (char *)"security_update";
	p.system = (char *)"erp";
	p.rrule = (char *)"FREQ=WEEKLY;BYDAY=SA";
	p.dtstart = (char *)"2026-11-28T22:00";
	p.tz = (char *)"Asia/Shanghai";
	p.duration_min = 120;
	p.lead_hours = 96;
	p.notify = (char *)"contacts";
	assert_int_equal(plan_add(f->d, &p, NULL, &err), 0);
	assert_int_equal(plan_generate_ahead(f->d, 14, NULL, &err), 0);
	struct sent_log log = { 0 };
	int sent = -1;
	/* 2026-11-28 14:00Z is 85 hours away: within the 96-hour lead; 12-05 is not yet */
	assert_int_equal(plan_notify_due(f->d, record_mail, &log, &sent, &err), 0);
	assert_int_equal(sent, 1);
	assert_int_equal(log.kind[0], PLAN_NOTICE_OCC_AHEAD);
	assert_string_equal(log.title[0], "security updates");
	assert_string_equal(log.plan_kind[0], "security_update");
	assert_true(log.start[0] == T("2026-11-28T14:00:00Z") && log.end[0] == T("2026-11-28T16:00:00Z"));
	assert_string_equal(log.tz[0], "Asia/Shanghai");
	assert_int_equal(plan_notify_due(f->d, record_mail, &log, &sent, &err), 0);
	assert_int_equal(sent, 0);
}

/* Times are shown in the contact's zone, else the organisation's, else the plan's, else the desk's;
 * a zone nobody knows is skipped, not used. */
static void test_notice_zone_order(void **state)
{
	(void)state;
	assert_string_equal(plan_notice_zone("Europe/Berlin", "Asia/Tokyo", "Asia/Shanghai", "UTC"), "Europe/Berlin");
	assert_string_equal(plan_notice_zone("", "Asia/Tokyo", "Asia/Shanghai", "UTC"), "Asia/Tokyo");
	assert_string_equal(plan_notice_zone(NULL, NULL, "America/New_York", "Asia/Shanghai"), "America/New_York");
	assert_string_equal(plan_notice_zone("Mars/Olympus", NULL, NULL, "Asia/Shanghai"), "Asia/Shanghai");
	assert_null(plan_notice_zone(NULL, "", "Mars/Olympus", NULL));
}

/* A contact of an organisation without a zone reads a plan's notice in the plan's zone, not the desk's. */
static void test_occurrence_notice_in_plan_zone(void **state)
{
	struct fx *f = *state;
	struct wb_err err = { 0 };
	struct organisation o = { 0 };
	o.name = (char *)"Nozone";
	assert_int_equal(directory_org_add(f->d, &o, NULL, &err), 0);
	struct system_info y = { 0 };
	y.name = (char *)"crm";
	y.org = (char *)"Nozone";
	assert_int_equal(directory_system_add(f->d, &y, NULL, &err), 0);
	add_contact(f, "Jane", "jane@nozone.example", "Nozone", NULL);
	add_contact(f, "Ken", "ken@nozone.example", "Nozone", "Asia/Tokyo");
	struct plan p = { 0 };
	p.name = (char *)"backup check";
	p.kind = (char *)"backup_check";
	p.system = (char *)"crm";
	p.rrule = (char *)"FREQ=DAILY";
	p.dtstart = (char *)"2026-11-26T09:00";
	p.tz = (char *)"America/New_York";
	p.duration_min = 30;
	p.lead_hours = 48;
	p.notify = (char *)"contacts";
	assert_int_equal(plan_add(f->d, &p, NULL, &err), 0);
	assert_int_equal(plan_generate_ahead(f->d, 2, NULL, &err), 0); /* the occurrence of 11-26 */
	struct sent_log log = { 0 };
	int sent = -1;
	assert_int_equal(plan_notify_due(f->d, record_mail, &log, &sent, &err), 0);
	assert_int_equal(sent, 2);
	int jane = find_to(&log, 0, "jane@nozone.example"), ken = find_to(&log, 0, "ken@nozone.example");
	assert_true(jane >= 0 && ken >= 0);
	assert_string_equal(log.tz[jane], "America/New_York");
	assert_string_equal(log.tz[ken], "Asia/Tokyo");
	assert_true(log.start[jane] == T("2026-11-26T14:00:00Z")); /* 09:00 EST = 14:00 UTC */
}

static void test_ticket_opened_in_window_is_marked(void **state)
{
	struct fx *f = *state;
	struct wb_err err = { 0 };
	struct maint_window w = { 0 };
	w.title = (char *)"upgrade";
	w.system = (char *)"erp";
	w.start = T("2026-11-25T00:30:00Z");
	w.end = T("2026-11-25T02:00:00Z");
	assert_int_equal(plan_window_add(f->d, &w, NULL, &err), 0);
	struct ticket_draft t;
	ticket_draft_init(&t);
	t.subject = "ERP is slow";
	t.system = "erp";
	int64_t in, out_sys, later;
	assert_int_equal(desk_ticket_create(f->d, &t, &in, &err), 0);
	t.system = NULL;
	assert_int_equal(desk_ticket_create(f->d, &t, &out_sys, &err), 0); /* no organisation: not covered */
	clock_set_fixed(T("2026-11-25T02:00:00Z"));
	t.system = "erp";
	assert_int_equal(desk_ticket_create(f->d, &t, &later, &err), 0);
	struct ticket *x;
	assert_int_equal(desk_ticket_get(f->d, in, &x, &err), 0);
	assert_true(x->in_window);
	ticket_free(&x);
	assert_int_equal(desk_ticket_get(f->d, out_sys, &x, &err), 0);
	assert_false(x->in_window);
	ticket_free(&x);
	assert_int_equal(desk_ticket_get(f->d, later, &x, &err), 0);
	assert_false(x->in_window);
	ticket_free(&x);
	/* windows show in the agenda */
	struct plan_agenda a;
	assert_int_equal(plan_agenda(f->d, T("2026-11-25T00:00Z"), T("2026-11-26T00:00Z"), &a, &err), 0);
	assert_int_equal(a.n, 1);
	assert_true(a.items[0].is_window);
	assert_string_equal(a.items[0].title, "upgrade");
	plan_agenda_free(&a);
}

/* A changed schedule cancels the future tasks nobody touched (so no day gets two), keeps the ones
 * worked on, and the next generation follows the new schedule; removing a plan does the same. */
static void test_plan_change_cancels_untouched_future_tasks(void **state)
{
	struct fx *f = *state;
	struct wb_err err = { 0 };
	int64_t id = add_plan(f, "db check", "FREQ=DAILY", "2026-11-25T10:00", "Asia/Shanghai", 60, NULL, "vacuumed|backup");
	int created = 0;
	assert_int_equal(plan_generate_ahead(f->d, 3, &created, &err), 0);
	assert_int_equal(created, 3); /* 25th, 26th, 27th at 02:00 UTC */
	/* the 26th's task (ticket 2) is being worked on */
	assert_int_equal(plan_check(f->d, 2, 1, "ok", NULL, &err), 0);

	struct plan p;
	assert_int_equal(plan_get(f->d, id, &p, &err), 0);
	free(p.dtstart);
	p.dtstart = xstrdup("2026-11-25T11:00");
	int rc = plan_update(f->d, &p, &err);
	plan_clear(&p);
	if (rc)
		fail_msg("plan_update: %s", err.msg);
	assert_int_equal(status_of(f, 1), STATUS_CLOSED);      /* untouched: cancelled */
	assert_int_equal(status_of(f, 2), STATUS_IN_PROGRESS); /* worked on: kept */
	assert_int_equal(status_of(f, 3), STATUS_CLOSED);
	assert_int_equal(plan_generate_ahead(f->d, 3, &created, &err), 0);
	assert_int_equal(created, 3); /* 25th, 26th, 27th at 11:00 local = 03:00 UTC */
	struct plan_agenda a;
	assert_int_equal(plan_agenda(f->d, T("2026-11-27T00:00Z"), T("2026-11-28T00:00Z"), &a, &err), 0);
	assert_int_equal(a.n, 1); /* one task on the 27th, at the new time */
	assert_int_equal(a.items[0].start, T("2026-11-27T03:00:00Z"));
	plan_agenda_free(&a);

	assert_int_equal(plan_remove(f->d, id, &err), 0);
	assert_int_equal(plan_agenda(f->d, T("2026-11-26T00:00Z"), T("2026-11-28T00:00Z"), &a, &err), 0);
	/* only the task worked on is left (26th 02:00 UTC); new ones were cancelled, none projected */
	assert_int_equal(a.n, 1);
	assert_int_equal(a.items[0].ticket_id, 2);
	plan_agenda_free(&a);
}

/* The month grid's numbers: per local day (desk zone Asia/Shanghai), by status, with the kinds. */
static void test_month_summary(void **state)
{
	struct fx *f = *state;
	struct wb_err err = { 0 };
	/* 07:30 Shanghai on Mondays = 23:30 UTC on Sundays: counted on the local Monday */
	add_plan(f, "weekly check", "FREQ=WEEKLY;BYDAY=MO", "2026-11-02T07:30", "Asia/Shanghai", 30, NULL, NULL);
	struct plan p = { 0 };
	p.name = (char *)"patch day";
	p.kind = (char *)"security_update";
	p.system = (char *)"erp";
	p.rrule = (char *)"FREQ=MONTHLY;BYDAY=2TU";
	p.dtstart = (char *)"2026-11-01T22:00";
	p.duration_min = 60;
	assert_int_equal(plan_add(f->d, &p, NULL, &err), 0);
	assert_int_equal(plan_generate(f->d, T("2026-11-29T00:00Z"), T("2026-12-01T00:00Z"), NULL, &err), 0);
	struct maint_window w = { 0 };
	w.title = (char *)"two-day migration";
	w.system = (char *)"erp";
	w.start = T("2026-11-27T14:00:00Z"); /* Fri 22:00 to Sun 20:00 Shanghai: 3 local days */
	w.end = T("2026-11-29T12:00:00Z");
	assert_int_equal(plan_window_add(f->d, &w, NULL, &err), 0);
	clock_set_fixed(T("2026-11-30T12:00:00Z"));

	struct plan_day_summary day[31];
	int days = 0;
	bool truncated = true;
	if (plan_month_summary(f->d, 2026, 11, day, &days, &truncated, &err))
		fail_msg("plan_month_summary: %s", err.msg);
	assert_int_equal(days, 30);
	assert_false(truncated);
	/* Mondays after the plan existed (made 2026-11-25 01:00 UTC): the 30th only; the 30th's task was
	 * generated and its 08:00 end passed: missed */
	assert_int_equal(day[29].missed, 1);
	assert_int_equal(day[29].kinds, 1u << PLAN_INSPECTION);
	assert_int_equal(day[22].missed + day[22].planned + day[22].open, 0); /* 23rd: before the plan */
	/* patch day: the second Tuesday is the 10th, before the plan existed */
	assert_int_equal(day[9].planned + day[9].missed, 0);
	assert_int_equal(day[26].windows, 1);
	assert_int_equal(day[27].windows, 1);
	assert_int_equal(day[28].windows, 1);
	assert_int_equal(day[29].windows, 0);
	assert_int_equal(plan_month_summary(f->d, 2026, 12, day, &days, NULL, &err), 0);
	assert_int_equal(days, 31);
	assert_int_equal(day[6].planned, 1);                  /* Monday the 7th */
	assert_int_equal(day[7].planned, 1);                  /* Tuesday the 8th: patch day */
	assert_int_equal(day[7].kinds, 1u << PLAN_SECURITY_UPDATE);
	assert_int_equal(plan_month_summary(f->d, 2026, 13, day, &days, NULL, &err), WB_EINVAL);
}

/* Exported .ics parsed back by libical (ics_import) has the same events; importing it into another
 * desk gives the same calendar; importing it again skips what exists. */
static void test_ics_round_trip(void **state)
{
	struct fx *f = *state;
	struct wb_err err = { 0 };
	int64_t pid = add_plan(f, "月度安全更新", "FREQ=MONTHLY;BYDAY=2TU", "2026-12-01T22:00", "Asia/Shanghai", 120,
			       "2027-01-12", "patches applied|services restarted");
	struct maint_window w = { 0 };
	w.title = (char *)"network switch replacement";
	w.system = (char *)"erp";
	w.start = T("2026-12-05T14:00:00Z");
	w.end = T("2026-12-05T18:00:00Z");
	assert_int_equal(plan_window_add(f->d, &w, NULL, &err), 0);
	char *text = NULL;
	if (plan_export_ics(f->d, T("2026-11-01T00:00Z"), &text, &err))
		fail_msg("export: %s", err.msg);
	struct ics_event *ev;
	size_t n;
	if (ics_import(text, &ev, &n, &err))
		fail_msg("import: %s", err.msg);
	assert_int_equal(n, 2);
	assert_string_equal(ev[0].summary, "月度安全更新");
	assert_string_equal(ev[0].rrule, "FREQ=MONTHLY;BYDAY=2TU");
	assert_string_equal(ev[0].tz, "Asia/Shanghai");
	assert_int_equal(ev[0].start, T("2026-12-08T14:00:00Z")); /* the first second Tuesday */
	assert_int_equal(ev[0].end - ev[0].start, 120 * 60);
	assert_non_null(strstr(ev[0].description, "services restarted"));
	assert_true(ev[0].n_exdates >= 1);
	assert_string_equal(ev[1].summary, "network switch replacement");
	assert_null(ev[1].rrule);
	assert_int_equal(ev[1].start, w.start);
	assert_int_equal(ev[1].end, w.end);
	ics_events_free(&ev, n);

	char *before = agenda_dates(f, pid, "2026-12-01T00:00Z", "2027-04-01T00:00Z", "Asia/Shanghai");
	assert_string_equal(before, "2026-12-08T22:00 2027-02-09T22:00 2027-03-09T22:00");

	/* into a second desk */
	struct fx g = { 0 };
	g.dir = f->dir;
	g.db = xasprintf("%s/other.db", f->dir);
	g.cfg = f->cfg;
	assert_int_equal(desk_open(&f->cfg, g.db, "bob", &g.d, &err), 0);
	struct organisation o = { 0 };
	o.name = (char *)"Beta";
	assert_int_equal(directory_org_add(g.d, &o, NULL, &err), 0);
	struct system_info y = { 0 };
	y.name = (char *)"crm";
	y.org = (char *)"Beta";
	assert_int_equal(directory_system_add(g.d, &y, NULL, &err), 0);
	int plans = -1, windows = -1, skipped = -1;
	if (plan_import_ics(g.d, text, "crm", &plans, &windows, &skipped, &err))
		fail_msg("plan_import_ics: %s", err.msg);
	assert_int_equal(plans, 1);
	assert_int_equal(windows, 1);
	assert_int_equal(skipped, 0);
	struct plan_agenda a;
	assert_int_equal(plan_agenda(g.d, T("2026-12-01T00:00Z"), T("2027-04-01T00:00Z"), &a, &err), 0);
	int64_t imported = 0;
	for (size_t i = 0; i < a.n; i++)
		if (!a.items[i].is_window)
			imported = a.items[i].plan_id;
	plan_agenda_free(&a);
	char *after = agenda_dates(&g, imported, "2026-12-01T00:00Z", "2027-04-01T00:00Z", "Asia/Shanghai");
	assert_string_equal(after, before);
	struct plan ip;
	assert_int_equal(plan_get(g.d, imported, &ip, &err), 0);
	assert_int_equal(ip.n_items, 2);
	assert_string_equal(ip.items[1], "services restarted");
	assert_string_equal(ip.system, "crm");
	plan_clear(&ip);
	/* again: nothing new */
	assert_int_equal(plan_import_ics(g.d, text, "crm", &plans, &windows, &skipped, &err), 0);
	assert_int_equal(plans + windows, 0);
	assert_int_equal(skipped, 2);
	/* and the desk's own export imported into itself is recognised too */
	assert_int_equal(plan_import_ics(f->d, text, "erp", &plans, &windows, &skipped, &err), 0);
	assert_int_equal(plans + windows, 0);
	assert_int_equal(skipped, 2);
	/* a recurring event in UTC keeps its instants (the organisation's zone is Shanghai) */
	const char *utc = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nDTSTART:20261201T020000Z\r\n"
			  "DTEND:20261201T030000Z\r\nRRULE:FREQ=WEEKLY\r\nUID:u1@example\r\nSUMMARY:weekly utc\r\n"
			  "END:VEVENT\r\nEND:VCALENDAR\r\n";
	assert_int_equal(plan_import_ics(g.d, utc, "crm", &plans, &windows, &skipped, &err), 0);
	assert_int_equal(plans, 1);
	assert_int_equal(plan_agenda(g.d, T("2026-12-07T00:00Z"), T("2026-12-09T00:00Z"), &a, &err), 0);
	bool found = false;
	for (size_t i = 0; i < a.n; i++)
		found |= !strcmp(a.items[i].title, "weekly utc") && a.items[i].start == T("2026-12-08T02:00:00Z") &&
			 a.items[i].end == T("2026-12-08T03:00:00Z");
	assert_true(found);
	plan_agenda_free(&a);
	desk_close(&g.d);
	free(g.db);
	free(before);
	free(after);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_recurrence_month_ends_leap_years_exceptions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_validation_names_the_bad_part, setup, teardown),
		cmocka_unit_test_setup_teardown(test_generation_is_idempotent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_generation_of_a_dense_rule, setup, teardown),
		cmocka_unit_test_setup_teardown(test_checklist_completed_and_stored, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missed_occurrence_detected, setup, teardown),
		cmocka_unit_test_setup_teardown(test_window_notices_sent_once_in_contact_zone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_notice_retried_after_hook_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plan_occurrence_notice, setup, teardown),
		cmocka_unit_test(test_notice_zone_order),
		cmocka_unit_test_setup_teardown(test_occurrence_notice_in_plan_zone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ticket_opened_in_window_is_marked, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plan_change_cancels_untouched_future_tasks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_month_summary, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ics_round_trip, setup, teardown),
	};
	if (getenv("WB_TEST_FILTER"))
		cmocka_set_test_filter(getenv("WB_TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}

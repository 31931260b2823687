/* The period report against a small desk whose every figure is worked out by hand below.
 *
 * The desk: zone Asia/Shanghai (UTC+8, no DST), business hours Mon-Fri 09:00-18:00, holidays
 * 2026-10-01 and 2026-10-02 (Thu, Fri; the weekend 10-03/10-04 follows). SLA policy "standard"
 * (tickets without an organisation, and both organisations here): P2 = first response 2 business
 * hours, resolution 18 business hours; P3 = 4 and 45 business hours. All times below are local.
 *
 * T1 bug/email/P2, org Acme <R&D>, created Wed 09-30 17:00 (before the period).
 *    response due: 1h on 09-30, holidays, weekend, 1h on Mon 10-05 -> 10-05 10:00.
 *    reply 10-05 09:30 (30 minutes worked) -> met; response time 4d 16h 30m = 405000 s.
 *    resolve due: 1h + 9h (10-05) + 8h -> 10-06 17:00; resolved 10-06 16:00, fixed in 2.1.1 -> met;
 *    resolution time 5d 23h = 514800 s. closed 10-08 10:00. rated 4 on 10-08 10:30.
 * T2 question/phone/P3, no org, created Sat 10-03 10:00 (weekend).
 *    response due: counting starts Mon 10-05 09:00 + 4h -> 10-05 13:00; call 10-05 14:00 -> late;
 *    response time 2d 4h = 187200 s. resolve due: 45h = five whole days -> Fri 10-09 18:00.
 *    resolved 10-12 10:00, reopened 10-14 09:00 (the reopen clears resolved_at), resolved again
 *    10-15 11:00 -> late; resolution time 12d 1h = 1040400 s.
 * T3 security/web/P2, org 华信银行, created Tue 10-06 11:00; reply 10-06 12:00 (response time 3600 s).
 *    waiting 10-06 14:00 .. customer answers Fri 10-09 15:00: paused 4h + 9h + 9h + 6h = 28h.
 *    the answered response target stays 2h -> 10-06 13:00 (met); the resolution target moves by 28h:
 *    resolve due 18h+28h = 46h: 7 + 9 + 9 + 9 + 9 (Mon 10-12) + 3 -> Tue 10-13 12:00.
 *    a 45-minute note on 10-08. resolved 10-13 11:00 -> met (a security update on time);
 *    resolution time 7d = 604800 s. rated 5 on 10-13 12:00.
 * T4 maintenance/internal/P3, no org, created Mon 10-12 09:00; never answered.
 *    response due 10-12 13:00 -> overdue; resolve due 45h -> Fri 10-16 18:00 -> overdue (missed).
 *    a 60-minute note on 10-15. open: backlog age 8d 3h (7-30 days).
 * T5 maintenance/internal/P3, created Fri 10-16 09:00, reply 10:30 -> met (5400 s).
 *    resolve due: 9h x 5 days -> Thu 10-22 18:00, after now -> pending. backlog age 4d 3h (3-7).
 * T6 bug/email/P2, org Acme <R&D>, created Mon 10-19 17:30; response due 0.5h + 1.5h -> 10-20 10:30,
 *    unanswered at now -> overdue. resolve due 0.5 + 9 + 8.5 -> 10-21 17:30 -> pending.
 *    backlog age 18h 30m (under a day).
 * T7 feature/web/P3, no org, created Thu 09-10 10:00; its targets fell due in September (outside).
 *    open: backlog age 40d 2h (30+ days). a 15-minute note and a rating of 2 on 09-25 (outside).
 * T8 bug/email/P2, no org, created Wed 10-07 09:00; reply 10:00 (due 11:00) -> met, 3600 s.
 *    resolved 10-07 15:00, fixed in 2.2.0; resolve due 10-08 18:00 -> met; 21600 s.
 *    closed 10-09 10:00; rated 3 on 10-09 11:00.
 * T9 question/phone/P3, created Wed 10-14 10:00, closed from new at 11:00 without an answer.
 *    response due 14:00: closed unanswered before it -> counts neither way. resolve due
 *    8 + 9 + 9 + 9 + 9 + 1 -> Wed 10-21 10:00; closed before it -> met. not in resolution times.
 *
 * The report: --period 2026-10, now = Tue 10-20 12:00.
 *   opened (created in October): T2 T3 T4 T5 T6 T8 T9 = 7. bug 2 (T6 T8), security 1, question 2,
 *     maintenance 2; email 2, phone 2, web 1, internal 2. per day: 10-03, 06, 07, 12, 14, 16, 19.
 *   closed (resolved, or closed unresolved, in October): T1 T2 T3 T8 T9 = 5. bug 2, security 1,
 *     question 2; email 2, phone 2, web 1. per day: 10-06, 07, 13, 14, 15.
 *   first response times (first responses in October): 3600 3600 5400 187200 405000:
 *     median = position ceil(5/2) = 3 -> 5400; p90 = position ceil(4.5) = 5 -> 405000.
 *   resolution times: 21600 514800 604800 1040400: median position 2 -> 514800; p90 position 4.
 *   response targets due in October: met T1 T3 T5 T8 = 4, late T2 = 1, overdue T4 T6 = 2 -> 4/7 = 57.1%.
 *   resolution targets due: met T1 T3 T8 T9 = 4, late T2 = 1, overdue T4 = 1, pending T5 T6 = 2 -> 66.7%.
 *     security: 1 planned, 1 on time. maintenance: 2 planned, 1 missed (T4), 1 pending (T5).
 *   backlog at now: T4 T5 T6 T7 = 4; ages: <1d 1, 1-3d 0, 3-7d 1, 7-30d 1, 30d+ 1.
 *   reopened: 1 (T2) of 5 closed = 20.0%.
 *   bugs opened or closed in October: T1 closed, T6 new, T8 closed -> new 1, closed 2.
 *   fixed in: 2.1.1 1 (T1), 2.2.0 1 (T8).
 *   time worked in October: no organisation 60 (T4), 华信银行 45 (T3), Acme <R&D> 30 (T1) = 135.
 *   ratings in October: 3, 4, 5 -> 3 ratings, average 4.00.
 * With --org "Acme <R&D>": opened 1 (T6), closed 1 (T1), response times n=1 (405000), backlog 1,
 *   worked 30, 1 rating (4), response targets: met 1 (T1), overdue 1 (T6). */
#include "testutil.h"

#include "config.h"
#include "desk.h"
#include "directory.h"
#include "recur.h"
#include "report.h"
#include "report_render.h"
#include "store_dir.h"
#include "store_report.h"
#include "utf8.h"
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

/* The due times the hand calculation rests on (a check of the fixture, not of the report). */
static void test_fixture_due_times(void **state)
{
	struct fx *f = *state;
	struct {
		int t;
		const char *resp, *res;
	} want[] = {
		{ 1, "2026-10-05T10:00", "2026-10-06T17:00" }, { 2, "2026-10-05T13:00", "2026-10-09T18:00" },
		{ 3, "2026-10-06T13:00", "2026-10-13T12:00" }, { 4, "2026-10-12T13:00", "2026-10-16T18:00" },
		{ 5, "2026-10-16T13:00", "2026-10-22T18:00" }, { 6, "2026-10-20T10:30", "2026-10-21T17:30" },
		{ 8, "2026-10-07T11:00", "2026-10-08T18:00" }, { 9, "2026-10-14T14:00", "2026-10-21T10:00" },
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		struct ticket *t = NULL;
		assert_int_equal(desk_ticket_get(f->d, f->t[want[i].t], &t, NULL), WB_OK);
		if (t->response_due != L(want[i].resp) || t->resolve_due != L(want[i].res))
			fail_msg("T%d: due %lld/%lld, want %s/%s", want[i].t, (long long)t->response_due,
				 (long long)t->resolve_due, want[i].resp, want[i].res);
		ticket_free(&t);
	}
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

static void test_month_figures(void **state)
{
	struct fx *f = *state;
	struct report r = build(f, "2026-10", NULL);
	const struct report_figures *g = &r.f;
	assert_string_equal(r.label, "2026-10");
	assert_int_equal(r.from, L("2026-10-01T00:00"));
	assert_int_equal(r.to, L("2026-11-01T00:00"));
	assert_string_equal(r.first_day, "2026-10-01");
	assert_string_equal(r.last_day, "2026-10-31");

	assert_int_equal(r.opened_total, 7);
	assert_int_equal(r.opened_by_kind[KIND_BUG], 2);
	assert_int_equal(r.opened_by_kind[KIND_SECURITY], 1);
	assert_int_equal(r.opened_by_kind[KIND_FEATURE], 0);
	assert_int_equal(r.opened_by_kind[KIND_QUESTION], 2);
	assert_int_equal(r.opened_by_kind[KIND_MAINTENANCE], 2);
	assert_int_equal(r.opened_by_channel[CHANNEL_EMAIL], 2);
	assert_int_equal(r.opened_by_channel[CHANNEL_PHONE], 2);
	assert_int_equal(r.opened_by_channel[CHANNEL_WEB], 1);
	assert_int_equal(r.opened_by_channel[CHANNEL_INTERNAL], 2);
	assert_int_equal(g->opened[KIND_BUG][CHANNEL_EMAIL], 2);
	assert_int_equal(g->opened[KIND_QUESTION][CHANNEL_PHONE], 2);

	assert_int_equal(r.closed_total, 5);
	assert_int_equal(r.closed_by_kind[KIND_BUG], 2);
	assert_int_equal(r.closed_by_kind[KIND_SECURITY], 1);
	assert_int_equal(r.closed_by_kind[KIND_QUESTION], 2);
	assert_int_equal(r.closed_by_kind[KIND_MAINTENANCE], 0);
	assert_int_equal(r.closed_by_channel[CHANNEL_EMAIL], 2);
	assert_int_equal(r.closed_by_channel[CHANNEL_PHONE], 2);
	assert_int_equal(r.closed_by_channel[CHANNEL_WEB], 1);

	assert_int_equal(g->n_days, 31);
	int64_t opened_days[31] = { 0 }, closed_days[31] = { 0 };
	opened_days[2] = opened_days[5] = opened_days[6] = opened_days[11] = opened_days[13] = opened_days[15] =
		opened_days[18] = 1;
	closed_days[5] = closed_days[6] = closed_days[12] = closed_days[13] = closed_days[14] = 1;
	for (int i = 0; i < 31; i++) {
		if (g->opened_daily[i] != opened_days[i] || g->closed_daily[i] != closed_days[i])
			fail_msg("day %d: opened %lld closed %lld", i + 1, (long long)g->opened_daily[i],
				 (long long)g->closed_daily[i]);
	}

	assert_int_equal(g->response.n, 5);
	assert_int_equal(g->response.median, 5400);
	assert_int_equal(g->response.p90, 405000);
	assert_int_equal(g->resolution.n, 4);
	assert_int_equal(g->resolution.median, 514800);
	assert_int_equal(g->resolution.p90, 1040400);

	assert_int_equal(g->response_due.met, 4);
	assert_int_equal(g->response_due.late, 1);
	assert_int_equal(g->response_due.overdue, 2);
	assert_int_equal(g->response_due.pending, 0);
	assert_true(r.response_compliance > 57.14 && r.response_compliance < 57.15);
	assert_int_equal(r.resolve_due_all.met, 4);
	assert_int_equal(r.resolve_due_all.late, 1);
	assert_int_equal(r.resolve_due_all.overdue, 1);
	assert_int_equal(r.resolve_due_all.pending, 2);
	assert_true(r.resolution_compliance > 66.66 && r.resolution_compliance < 66.67);
	assert_int_equal(g->resolve_due[KIND_SECURITY].met, 1);
	assert_int_equal(g->resolve_due[KIND_SECURITY].late + g->resolve_due[KIND_SECURITY].overdue +
			 g->resolve_due[KIND_SECURITY].pending, 0);
	assert_int_equal(g->resolve_due[KIND_MAINTENANCE].met, 0);
	assert_int_equal(g->resolve_due[KIND_MAINTENANCE].late, 0);
	assert_int_equal(g->resolve_due[KIND_MAINTENANCE].overdue, 1);
	assert_int_equal(g->resolve_due[KIND_MAINTENANCE].pending, 1);

	assert_int_equal(g->backlog, 4);
	int64_t ages[REPORT_AGE_BUCKETS] = { 1, 0, 1, 1, 1 };
	for (int i = 0; i < REPORT_AGE_BUCKETS; i++)
		assert_int_equal(g->backlog_age[i], ages[i]);

	assert_int_equal(g->reopened, 1);
	assert_true(r.reopen_rate > 19.99 && r.reopen_rate < 20.01);

	for (int s = 0; s < STATUS_COUNT; s++)
		assert_int_equal(g->bugs_by_status[s], s == STATUS_NEW ? 1 : s == STATUS_CLOSED ? 2 : 0);
	assert_int_equal(g->n_fixed, 2);
	assert_string_equal(g->fixed[0].version, "2.1.1");
	assert_int_equal(g->fixed[0].n, 1);
	assert_string_equal(g->fixed[1].version, "2.2.0");
	assert_int_equal(g->fixed[1].n, 1);

	assert_int_equal(g->n_worked, 3);
	assert_null(g->worked[0].org);
	assert_int_equal(g->worked[0].minutes, 60);
	assert_string_equal(g->worked[1].org, "华信银行");
	assert_int_equal(g->worked[1].minutes, 45);
	assert_string_equal(g->worked[2].org, "Acme <R&D>");
	assert_int_equal(g->worked[2].minutes, 30);
	assert_int_equal(r.minutes_total, 135);

	assert_int_equal(r.ratings_n, 3);
	int64_t dist[5] = { 0, 0, 1, 1, 1 };
	for (int i = 0; i < 5; i++)
		assert_int_equal(g->ratings[i], dist[i]);
	assert_true(r.rating_avg > 3.999 && r.rating_avg < 4.001);
	report_clear(&r);
}

static void test_org_filter(void **state)
{
	struct fx *f = *state;
	struct report r = build(f, "2026-10", "Acme <R&D>");
	assert_string_equal(r.org, "Acme <R&D>");
	assert_int_equal(r.opened_total, 1);
	assert_int_equal(r.opened_by_kind[KIND_BUG], 1);
	assert_int_equal(r.closed_total, 1);
	assert_int_equal(r.f.response.n, 1);
	assert_int_equal(r.f.response.median, 405000);
	assert_int_equal(r.f.response.p90, 405000);
	assert_int_equal(r.f.response_due.met, 1);
	assert_int_equal(r.f.response_due.overdue, 1);
	assert_int_equal(r.f.backlog, 1);
	assert_int_equal(r.f.backlog_age[0], 1);
	assert_int_equal(r.f.n_worked, 1);
	assert_int_equal(r.minutes_total, 30);
	assert_int_equal(r.ratings_n, 1);
	assert_int_equal(r.f.ratings[3], 1);
	assert_int_equal(r.f.reopened, 0);
	report_clear(&r);

	struct report_spec spec = { 0 };
	spec.org = "No Such Org";
	struct wb_err err = { 0 };
	assert_int_equal(report_build(f->d, &spec, &r, &err), WB_ENOTFOUND);
	assert_non_null(strstr(err.msg, "No Such Org"));
}

/* The backlog at the end of a finished period counts what was open then, not now: at the end of
 * September T1 (created 09-30 17:00) and T7 were open; T1's age 7h, T7's 20d 14h. */
static void test_backlog_of_past_period(void **state)
{
	struct fx *f = *state;
	struct report r = build(f, "2026-09", NULL);
	assert_int_equal(r.f.backlog, 2);
	assert_int_equal(r.f.backlog_age[0], 1);
	assert_int_equal(r.f.backlog_age[3], 1);
	assert_int_equal(r.opened_total, 2);
	assert_int_equal(r.closed_total, 0);
	assert_int_equal(r.minutes_total, 15);
	assert_int_equal(r.ratings_n, 1);
	assert_int_equal(r.f.ratings[1], 1);
	report_clear(&r);
}

static void test_periods(void **state)
{
	(void)state;
	wb_time from, to;
	char *label;
	struct {
		const char *in, *label, *from, *to;
	} ok[] = {
		{ "2026-10", "2026-10", "2026-10-01T00:00", "2026-11-01T00:00" },
		{ "2026Q4", "2026Q4", "2026-10-01T00:00", "2027-01-01T00:00" },
		{ "2026-q1", "2026Q1", "2026-01-01T00:00", "2026-04-01T00:00" },
		/* ISO weeks: 2026-01-04 is a Sunday, so week 1 starts Mon 2025-12-29 and week 47 on 11-16 */
		{ "2026-W47", "2026-W47", "2026-11-16T00:00", "2026-11-23T00:00" },
		{ "2026-W01", "2026-W01", "2025-12-29T00:00", "2026-01-05T00:00" },
		/* 2026 starts on a Thursday: it has a week 53, running into 2027 */
		{ "2026-W53", "2026-W53", "2026-12-28T00:00", "2027-01-04T00:00" },
		{ "2026", "2026", "2026-01-01T00:00", "2027-01-01T00:00" },
		{ "2026-10-08", "2026-10-08", "2026-10-08T00:00", "2026-10-09T00:00" },
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		struct wb_err err = { 0 };
		if (report_period_parse(ok[i].in, TZ, 0, &from, &to, &label, &err))
			fail_msg("%s: %s", ok[i].in, err.msg);
		assert_string_equal(label, ok[i].label);
		assert_int_equal(from, L(ok[i].from));
		assert_int_equal(to, L(ok[i].to));
		free(label);
	}
	const char *bad[] = { "2026-13", "2027-W53", "2026Q5", "26-10", "2026-10-32", "October", "2026-W00", "" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct wb_err err = { 0 };
		if (!*bad[i])
			continue;
		assert_int_equal(report_period_parse(bad[i], TZ, 0, &from, &to, &label, &err), WB_EINVAL);
		assert_non_null(strstr(err.msg, bad[i]));
	}
	/* no period: the current month in the zone (2026-10-31 20:00 UTC is already November in Shanghai) */
	assert_int_equal(report_period_parse(NULL, TZ, L("2026-11-01T04:00"), &from, &to, &label, NULL), WB_OK);
	assert_string_equal(label, "2026-11");
	free(label);
}

static void test_custom_range(void **state)
{
	struct fx *f = *state;
	struct report_spec spec = { 0 };
	spec.from = "2026-10-05";
	spec.to = "2026-10-07";
	struct report r;
	struct wb_err err = { 0 };
	assert_int_equal(report_build(f->d, &spec, &r, &err), WB_OK);
	/* created 10-05..10-07: T3 (10-06), T8 (10-07); done: T1 (10-06), T8 (10-07) */
	assert_string_equal(r.label, "2026-10-05..2026-10-07");
	assert_int_equal(r.opened_total, 2);
	assert_int_equal(r.closed_total, 2);
	assert_int_equal(r.f.n_days, 3);
	report_clear(&r);
	spec.to = "2026-10-01";
	assert_int_equal(report_build(f->d, &spec, &r, &err), WB_EINVAL);
	spec.period = "2026-10";
	assert_int_equal(report_build(f->d, &spec, &r, &err), WB_EINVAL);
}

/* Every main query reads through an index: no full scan of tickets, audit, messages or ratings,
 * and every index search on tickets (other than by id) is a range on a time column, never all of
 * one organisation's or queue's history. */
static void check_plans(const char *plans)
{
	char *copy = xstrdup(plans), *save = NULL;
	int lines = 0;
	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		lines++;
		const char *colon = strstr(line, ": ");
		assert_non_null(colon);
		const char *detail = colon + 2;
		bool ratings = !strncmp(line, "ratings:", 8);
		const char *full[] = { "SCAN t", "SCAN a", "SCAN m", "SCAN o", "SCAN r" };
		for (size_t i = 0; i < 5; i++) {
			size_t n = strlen(full[i]);
			if (i == 4 && !ratings)
				continue; /* elsewhere r is the percentile subquery */
			if (!strncmp(detail, full[i], n) && (detail[n] == '\0' || detail[n] == ' '))
				fail_msg("full scan: %s", line);
		}
		if (!strncmp(detail, "SEARCH t ", 9) && !strstr(detail, "PRIMARY KEY")) {
			if (!strstr(detail, ">?") && !strstr(detail, "<?"))
				fail_msg("not a range on the period: %s", line);
			/* the index holds every column: no lookups into the table per ticket */
			if (!strstr(detail, "COVERING INDEX"))
				fail_msg("not covering: %s", line);
		}
		/* counts by kind, channel and status come out of the index in order, unsorted */
		if ((!strncmp(line, "opened:", 7) || !strncmp(line, "closed:", 7) || !strncmp(line, "resolution_sla:", 15)) &&
		    strstr(detail, "TEMP B-TREE"))
			fail_msg("sorts: %s", line);
	}
	assert_true(lines >= 20);
	free(copy);
}

static void test_query_plans_use_indexes(void **state)
{
	struct fx *f = *state;
	struct store_report_filter flt = { L("2026-10-01T00:00"), L("2026-11-01T00:00"), clock_now(), 0, 0, 0 };
	char *plans = NULL;
	assert_int_equal(store_report_plans(f->d->store, &flt, &plans, NULL), WB_OK);
	assert_non_null(strstr(plans, "opened: SEARCH t USING"));
	check_plans(plans);
	free(plans);
	/* with every filter set */
	flt.org_id = 1;
	flt.system_id = 1;
	flt.queue_id = 1;
	assert_int_equal(store_report_plans(f->d->store, &flt, &plans, NULL), WB_OK);
	assert_non_null(strstr(plans, "opened: SEARCH t USING COVERING INDEX tickets_report_created"));
	check_plans(plans);
	free(plans);
}

/* A small well-formedness check: every element closed in order (void <meta> aside), every '&' an
 * entity, no script and no external reference. Returns NULL or what is wrong. */
static const char *html_problem(const char *h)
{
	static char why[128];
	char stack[64][16];
	int depth = 0;
	for (const char *p = h; *p; p++) {
		if (*p == '&') {
			const char *q = p + 1;
			while ((*q >= 'a' && *q <= 'z') || *q == '#' || (*q >= '0' && *q <= '9'))
				q++;
			if (*q != ';' || q == p + 1)
				return "a bare &";
			continue;
		}
		if (*p != '<')
			continue;
		const char *end = strchr(p, '>');
		if (!end)
			return "an unclosed tag";
		if (p[1] == '!') {
			p = end;
			continue;
		}
		bool closing = p[1] == '/';
		const char *name = p + 1 + closing;
		size_t n = strcspn(name, " />");
		char tag[16];
		snprintf(tag, sizeof tag, "%.*s", (int)(n < 15 ? n : 15), name);
		if (!strcmp(tag, "script"))
			return "a script";
		if (closing) {
			if (!depth || strcmp(stack[depth - 1], tag)) {
				snprintf(why, sizeof why, "</%s> closes <%s>", tag, depth ? stack[depth - 1] : "nothing");
				return why;
			}
			depth--;
		} else if (end[-1] != '/' && strcmp(tag, "meta")) {
			if (depth == 64)
				return "too deep";
			snprintf(stack[depth++], 16, "%s", tag);
		}
		p = end;
	}
	return depth ? "elements left open" : NULL;
}

static int count(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

static void test_render_html(void **state)
{
	struct fx *f = *state;
	struct report r = build(f, "2026-10", NULL);
	char *h = report_render(&r, REPORT_HTML);
	const char *why = html_problem(h);
	if (why)
		fail_msg("HTML not well-formed: %s", why);
	assert_int_equal(count(h, "<svg"), REPORT_HTML_CHARTS);
	assert_int_equal(count(h, "</svg>"), REPORT_HTML_CHARTS);
	/* each chart by its title */
	const char *charts[] = { "<title>Tickets by kind</title>", "<title>Tickets by channel</title>",
				 "<title>Opened per day</title>", "<title>Closed per day</title>",
				 "<title>SLA compliance</title>", "<title>Backlog at period end by age</title>",
				 "<title>Time worked by organisation</title>", "<title>Satisfaction ratings</title>" };
	for (size_t i = 0; i < sizeof charts / sizeof charts[0]; i++)
		if (!strstr(h, charts[i]))
			fail_msg("missing chart %s", charts[i]);
	/* self-contained and escaped */
	assert_null(strstr(h, "src="));
	assert_null(strstr(h, "href="));
	assert_null(strstr(h, "<R&D>"));
	assert_non_null(strstr(h, "Acme &lt;R&amp;D&gt;"));
	assert_non_null(strstr(h, "华信银行"));
	assert_non_null(strstr(h, "<td class=\"n\">57.1%</td>"));
	/* the opened-per-day sparkline has one point per day of October */
	const char *spark = strstr(h, "<title>Opened per day</title>");
	const char *points = strstr(spark, "points=\"");
	assert_non_null(points);
	int commas = 0;
	for (const char *p = points + 8; *p != '"'; p++)
		commas += *p == ',';
	assert_int_equal(commas, 31);
	free(h);
	report_clear(&r);
}

/* The line of a text table that starts (after the indent) with `first`. */
static const char *text_line(const char *text, const char *first, char *buf, size_t n)
{
	char key[64];
	snprintf(key, sizeof key, "\n  %s ", first);
	const char *p = strstr(text, key);
	if (!p)
		return NULL;
	p += 1;
	size_t len = strcspn(p, "\n");
	snprintf(buf, n, "%.*s", (int)len, p);
	return buf;
}

static void test_render_text_md_csv_json(void **state)
{
	struct fx *f = *state;
	struct report r = build(f, "2026-10", NULL);

	char *t = report_render(&r, REPORT_TEXT);
	char a[256], b[256], c[256];
	/* the minutes column ends in the same screen column whatever the width of the names */
	assert_non_null(text_line(t, "华信银行", a, sizeof a));
	assert_non_null(text_line(t, "Acme <R&D>", b, sizeof b));
	assert_non_null(text_line(t, "(no organisation)", c, sizeof c));
	assert_int_equal(utf8_width(a), utf8_width(b));
	assert_int_equal(utf8_width(a), utf8_width(c));
	assert_non_null(strstr(a, " 45 "));
	assert_non_null(strstr(t, "first response SLA met"));
	assert_non_null(strstr(t, "57.1%"));
	free(t);

	char *m = report_render(&r, REPORT_MD);
	assert_non_null(strstr(m, "# Maintenance report 2026-10\n"));
	assert_non_null(strstr(m, "| 华信银行 | 45 | 0h 45m |"));
	assert_non_null(strstr(m, "| Acme \\<R&D> | 30 | 0h 30m |"));
	free(m);

	char *v = report_render(&r, REPORT_CSV);
	const char *lines[] = {
		"section,row,column,value\n", "\nsummary,opened,value,7\n", "\nsummary,closed,value,5\n",
		"\nsummary,backlog,value,4\n", "\nsummary,reopen_rate,value,20.0\n",
		"\nsummary,response_compliance,value,57.1\n", "\nsummary,resolution_compliance,value,66.7\n",
		"\nsummary,minutes_worked,value,135\n", "\nsummary,satisfaction,value,4.00\n",
		"\nby_kind,bug,opened,2\n", "\nby_kind,maintenance,closed,0\n", "\nby_channel,phone,closed,2\n",
		"\ntimes,first_response,median_secs,5400\n", "\ntimes,resolution,p90_secs,1040400\n",
		"\nsla,first_response,overdue,2\n", "\nsla,resolution,pending,2\n",
		"\nplanned,security,on_time,1\n", "\nplanned,maintenance,overdue,1\n",
		"\nbacklog,ge30d,tickets,1\n", "\nbugs_by_status,closed,bugs,2\n", "\nbugs_fixed,2.2.0,bugs,1\n",
		"\nworked,华信银行,minutes,45\n", "\nworked,Acme <R&D>,minutes,30\n", "\nworked,,minutes,60\n",
		"\nsatisfaction,5,ratings,1\n",
	};
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
		if (!strstr(v, lines[i]))
			fail_msg("CSV lacks %s", lines[i] + 1);
	free(v);

	char *j = report_render(&r, REPORT_JSON);
	const char *keys[] = { "{\"period\":\"2026-10\"", "\"timezone\":\"Asia/Shanghai\"", "\"opened\":7,\"closed\":5",
			       "\"first_response\":{\"tickets\":5,\"median_secs\":5400,\"p90_secs\":405000}",
			       "\"security_updates\":{\"met\":1,\"late\":0,\"overdue\":0,\"pending\":0,\"compliance_pct\":100.0}",
			       "\"reopen_rate_pct\":20.0", "{\"organisation\":\"华信银行\",\"minutes\":45}",
			       "{\"organisation\":null,\"minutes\":60}", "\"average\":4.00" };
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (!strstr(j, keys[i]))
			fail_msg("JSON lacks %s", keys[i]);
	free(j);
	report_clear(&r);
}

/* Periods follow the zone's wall clock: October 2026 in Berlin starts at 00:00 CEST (UTC+2) and
 * ends at 00:00 CET (UTC+1), 31 days and one hour later; it still has 31 days. */
static void test_period_across_dst(void **state)
{
	(void)state;
	wb_time from, to;
	char *label;
	assert_int_equal(report_period_parse("2026-10", "Europe/Berlin", 0, &from, &to, &label, NULL), WB_OK);
	char a[32], b[32];
	clock_format_iso(from, a, sizeof a);
	clock_format_iso(to, b, sizeof b);
	assert_string_equal(a, "2026-09-30T22:00:00Z");
	assert_string_equal(b, "2026-10-31T23:00:00Z");
	free(label);
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fixture_due_times, setup, teardown),
		cmocka_unit_test_setup_teardown(test_month_figures, setup, teardown),
		cmocka_unit_test_setup_teardown(test_org_filter, setup, teardown),
		cmocka_unit_test_setup_teardown(test_backlog_of_past_period, setup, teardown),
		cmocka_unit_test(test_periods),
		cmocka_unit_test(test_period_across_dst),
		cmocka_unit_test_setup_teardown(test_custom_range, setup, teardown),
		cmocka_unit_test_setup_teardown(test_query_plans_use_indexes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_render_html, setup, teardown),
		cmocka_unit_test_setup_teardown(test_render_text_md_csv_json, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

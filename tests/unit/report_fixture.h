/* report_fixture.h — the desk the report and drill-down tests share; every figure is worked out by hand below.
 *
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
#ifndef WB_REPORT_FIXTURE_H
#define WB_REPORT_FIXTURE_H

#include "testdesk.h"

#include "config.h"
#include "desk.h"
#include "directory.h"
#include "recur.h"
#include "report.h"
#include "store_dir.h"
#include "xmalloc.h"

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
	test_desk_prepare(&f->dir, &f->db, &f->cfg);
	struct wb_err err = { 0 };
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
	test_desk_close(&f->dir, &f->db, &f->cfg, &f->d);
	free(f);
	return 0;
}

/* The report for period (and org_name, NULL for all) on the fixture desk; fails the test on an error.
 * The caller frees it with report_clear. */
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

#endif

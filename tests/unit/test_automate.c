/* `weibao automate` on a real database with a fixed clock: escalation once per target and state,
 * one reminder per waiting stretch, auto-close through the workflow, dry runs that change nothing,
 * and a second run that finds nothing new.
 *
 * Desk: Asia/Shanghai, Mon-Fri 09:00-18:00, risk at 75%. Policies: P2 first response 2 business
 * hours; P4 first response 9 hours, resolution 90 hours. Remind after 3 days, close after 7.
 *   A (P2) created Mon 10-05 09:00: response due 11:00, at risk from 10:30.
 *   W (P4) created 09:00, answered 09:10, waiting on the customer from 09:20.
 *   R (P4) created 09:00, answered 09:05, resolved 09:30 -> to be closed from Mon 10-12 09:30. */
#include "testdesk.h"

#include "automate.h"
#include "config.h"
#include "desk.h"
#include "recur.h"
#include "store_dir.h"
#include "xmalloc.h"

#define TZ "Asia/Shanghai"

static void at(const char *local)
{
	wb_time t = 0;
	assert_int_equal(recur_local_to_utc(local, TZ, &t, NULL), WB_OK);
	clock_set_fixed(t);
}

struct calls {
	int n[AUTO_COUNT];
	int fail;            /* fail this many calls */
	int64_t last_ticket;
	char last_target[16];
};

/* Stands in for the mail layer's desk hook: counts what automation told it. */
static int notify(struct desk *d, enum desk_event ev, const struct ticket *t, int64_t message_id,
		  const char *target, void *ctx, struct wb_err *err)
{
	(void)d, (void)message_id;
	struct calls *c = ctx;
	enum automate_action a = ev == DESK_EV_SLA_AT_RISK    ? AUTO_SLA_AT_RISK
				 : ev == DESK_EV_SLA_BREACHED ? AUTO_SLA_BREACHED
				 : ev == DESK_EV_REMIND       ? AUTO_REMIND
							      : AUTO_COUNT;
	if (a == AUTO_COUNT)
		return WB_OK; /* the operators' own events */
	if (c->fail > 0) {
		c->fail--;
		return wb_err_set(err, WB_ETEMP, "the outbox is full");
	}
	c->n[a]++;
	c->last_ticket = t->id;
	snprintf(c->last_target, sizeof c->last_target, "%s", target ? target : "");
	return WB_OK;
}

struct fx {
	char *dir, *db;
	struct wb_config cfg;
	struct desk *d;
	int64_t a, w, r;
	struct calls calls;
};

static int64_t create(struct fx *f, int prio)
{
	struct ticket_draft t;
	ticket_draft_init(&t);
	t.subject = "automation fixture";
	t.priority = prio;
	t.requester_email = "kim@example.org";
	int64_t id;
	struct wb_err err = { 0 };
	if (desk_ticket_create(f->d, &t, &id, &err))
		fail_msg("%s", err.msg);
	return id;
}

static void reply(struct fx *f, int64_t id, enum message_kind kind)
{
	struct desk_message m = { 0 };
	m.kind = kind;
	m.body = "hello";
	if (kind == MSG_INBOUND) {
		struct ticket *t;
		assert_int_equal(desk_ticket_get(f->d, id, &t, NULL), WB_OK);
		m.author_contact_id = t->requester_id;
		ticket_free(&t);
	}
	struct wb_err err = { 0 };
	if (desk_ticket_add_message(f->d, id, &m, 0, NULL, &err))
		fail_msg("%s", err.msg);
}

static void status(struct fx *f, int64_t id, enum ticket_status s)
{
	struct ticket_change c;
	ticket_change_init(&c);
	c.set_status = true;
	c.status = s;
	struct wb_err err = { 0 };
	if (desk_ticket_change(f->d, &id, 1, &c, 0, &err))
		fail_msg("%s", err.msg);
}

static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof *f);
	test_desk_prepare(&f->dir, &f->db, &f->cfg);
	struct wb_err err = { 0 };
	assert_int_equal(f->cfg.remind_after_days, 3);
	assert_int_equal(f->cfg.autoclose_after_days, 7);
	free(f->cfg.timezone);
	f->cfg.timezone = xstrdup(TZ);
	at("2026-10-05T09:00");
	if (desk_open(&f->cfg, f->db, "admin", &f->d, &err))
		fail_msg("%s", err.msg);
	assert_int_equal(store_sla_policy_set(f->d->store, "standard", 2, 120, 1080, false, NULL), WB_OK);
	assert_int_equal(store_sla_policy_set(f->d->store, "standard", 4, 540, 5400, false, NULL), WB_OK);
	f->a = create(f, 2);
	f->w = create(f, 4);
	f->r = create(f, 4);
	at("2026-10-05T09:05");
	reply(f, f->r, MSG_REPLY);
	status(f, f->r, STATUS_IN_PROGRESS);
	at("2026-10-05T09:10");
	reply(f, f->w, MSG_REPLY);
	status(f, f->w, STATUS_IN_PROGRESS);
	at("2026-10-05T09:20");
	status(f, f->w, STATUS_WAITING);
	at("2026-10-05T09:30");
	status(f, f->r, STATUS_RESOLVED);
	f->d->notify = notify;
	f->d->notify_ctx = &f->calls;
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

static struct automate_result run(struct fx *f, bool dry)
{
	struct automate_opts o;
	automate_opts_init(&o, &f->cfg);
	o.dry_run = dry;
	struct automate_result r;
	struct wb_err err = { 0 };
	if (automate_run(f->d, &o, &r, &err))
		fail_msg("%s", err.msg);
	return r;
}

/* Runs and expects exactly one item. */
static void run_one(struct fx *f, bool dry, int64_t id, enum automate_action a, bool done)
{
	struct automate_result r = run(f, dry);
	if (r.n != 1)
		fail_msg("%zu items, want 1 (%s on #%lld)", r.n, automate_action_name(a), (long long)id);
	assert_int_equal(r.items[0].ticket_id, id);
	assert_int_equal(r.items[0].action, a);
	assert_int_equal(r.items[0].done, done);
	assert_null(r.items[0].error);
	automate_result_clear(&r);
}

static void run_none(struct fx *f)
{
	struct automate_result r = run(f, false);
	if (r.n)
		fail_msg("%zu items (first: %s on #%lld), want none", r.n, automate_action_name(r.items[0].action),
			 (long long)r.items[0].ticket_id);
	automate_result_clear(&r);
}

static int events(struct fx *f, int64_t id, const char *body)
{
	struct message_list l = { 0 };
	assert_int_equal(desk_ticket_messages(f->d, id, &l, NULL), WB_OK);
	int n = 0;
	for (size_t i = 0; i < l.n; i++)
		n += l.items[i].kind == MSG_EVENT && !strcmp(l.items[i].body, body);
	message_list_free(&l);
	return n;
}

static void test_escalation_once_per_state(void **state)
{
	struct fx *f = *state;
	struct ticket *before, *after;
	assert_int_equal(desk_ticket_get(f->d, f->a, &before, NULL), WB_OK);

	at("2026-10-05T10:29");
	run_none(f);
	at("2026-10-05T10:45");
	run_one(f, true, f->a, AUTO_SLA_AT_RISK, false);  /* dry run: listed, nothing written */
	assert_int_equal(events(f, f->a, "SLA: response at_risk"), 0);
	run_one(f, false, f->a, AUTO_SLA_AT_RISK, true);
	assert_int_equal(events(f, f->a, "SLA: response at_risk"), 1);
	assert_int_equal(f->calls.n[AUTO_SLA_AT_RISK], 1);
	assert_string_equal(f->calls.last_target, "response");
	at("2026-10-05T10:50");
	run_none(f);

	at("2026-10-05T11:30");
	run_one(f, false, f->a, AUTO_SLA_BREACHED, true);
	run_none(f);
	assert_int_equal(events(f, f->a, "SLA: response breached"), 1);
	assert_int_equal(events(f, f->a, "SLA: response at_risk"), 1);
	assert_int_equal(f->calls.n[AUTO_SLA_BREACHED], 1);

	/* the ticket itself is as it was */
	assert_int_equal(desk_ticket_get(f->d, f->a, &after, NULL), WB_OK);
	assert_int_equal(after->version, before->version);
	assert_int_equal(after->updated_at, before->updated_at);
	assert_int_equal(after->status, before->status);
	ticket_free(&before);
	ticket_free(&after);
}

static void test_failed_notice_is_retried(void **state)
{
	struct fx *f = *state;
	at("2026-10-05T10:45");
	f->calls.fail = 1;
	struct automate_result r = run(f, false);
	assert_int_equal(r.n, 1);
	assert_false(r.items[0].done);
	assert_non_null(r.items[0].error);
	assert_non_null(strstr(r.items[0].error, "outbox is full"));
	assert_int_equal(r.failed, 1);
	automate_result_clear(&r);
	assert_int_equal(events(f, f->a, "SLA: response at_risk"), 0); /* rolled back */
	run_one(f, false, f->a, AUTO_SLA_AT_RISK, true);
	run_none(f);
}

static void test_reminder_once_per_wait(void **state)
{
	struct fx *f = *state;
	at("2026-10-05T11:30"); /* A's escalations out of the way */
	struct automate_result r = run(f, false);
	automate_result_clear(&r);

	at("2026-10-08T09:19"); /* 3 days less a minute */
	run_none(f);
	at("2026-10-08T09:30");
	run_one(f, true, f->w, AUTO_REMIND, false);
	assert_int_equal(f->calls.n[AUTO_REMIND], 0);
	run_one(f, false, f->w, AUTO_REMIND, true);
	assert_int_equal(f->calls.n[AUTO_REMIND], 1);
	assert_int_equal(f->calls.last_ticket, f->w);
	run_none(f);
	at("2026-10-09T09:30");
	run_none(f);

	/* the customer answers, the desk asks again: a new stretch of waiting, a new reminder */
	at("2026-10-13T10:00");
	reply(f, f->w, MSG_INBOUND);
	at("2026-10-13T10:05");
	status(f, f->w, STATUS_WAITING);
	at("2026-10-16T10:04");
	r = run(f, false);
	for (size_t i = 0; i < r.n; i++)
		assert_int_not_equal(r.items[i].action, AUTO_REMIND);
	automate_result_clear(&r);
	at("2026-10-16T10:06");
	run_one(f, false, f->w, AUTO_REMIND, true);
	assert_int_equal(f->calls.n[AUTO_REMIND], 2);
	run_none(f);

	/* with no mail wired in, a reminder is listed as skipped and nothing is written */
	f->d->notify = NULL;
	at("2026-10-19T11:00");
	status(f, f->w, STATUS_IN_PROGRESS);
	status(f, f->w, STATUS_WAITING);
	at("2026-10-22T11:01");
	r = run(f, false);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.items[0].action, AUTO_REMIND);
	assert_false(r.items[0].done);
	assert_string_equal(r.items[0].note, "mail is not configured");
	assert_int_equal(r.failed, 0);
	automate_result_clear(&r);
	assert_int_equal(events(f, f->w, "reminder: sent"), 2);
}

static void test_autoclose(void **state)
{
	struct fx *f = *state;
	f->cfg.remind_after_days = 0; /* off: only the close is left to do */
	at("2026-10-05T11:30");
	struct automate_result r = run(f, false);
	automate_result_clear(&r);

	at("2026-10-12T09:29");
	run_none(f);
	at("2026-10-12T09:31");
	run_one(f, true, f->r, AUTO_CLOSE, false);
	struct ticket *t;
	assert_int_equal(desk_ticket_get(f->d, f->r, &t, NULL), WB_OK);
	assert_int_equal(t->status, STATUS_RESOLVED);
	ticket_free(&t);
	run_one(f, false, f->r, AUTO_CLOSE, true);
	assert_int_equal(desk_ticket_get(f->d, f->r, &t, NULL), WB_OK);
	assert_int_equal(t->status, STATUS_CLOSED);
	assert_true(t->closed_at > 0);
	ticket_free(&t);
	/* through the workflow: the status change is on the conversation like an operator's */
	assert_int_equal(events(f, f->r, "status: resolved → closed"), 1);
	run_none(f);
	f->cfg.autoclose_after_days = 0;
	at("2026-12-01T09:00");
	run_none(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_escalation_once_per_state, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_notice_is_retried, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reminder_once_per_wait, setup, teardown),
		cmocka_unit_test_setup_teardown(test_autoclose, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* plan_fixture.h — the desk of the plan tests (test_plan, test_plan_console): a real SQLite file in
 * a fresh directory, the configuration found with XDG_CONFIG_HOME pointing there (none: the
 * defaults), the clock at Wed 2026-11-25 09:00 in Shanghai, organisation Acme (Asia/Shanghai)
 * with its system erp, user alice. */
#ifndef WB_PLAN_FIXTURE_H
#define WB_PLAN_FIXTURE_H

#include "testdesk.h"

#include "config.h"
#include "desk.h"
#include "directory.h"
#include "plan.h"
#include "xmalloc.h"

static wb_time T(const char *iso)
{
	wb_time t = 0;
	assert_int_equal(clock_parse_iso(iso, &t), 0);
	return t;
}

struct fx {
	char *dir;
	char *db;
	struct wb_config cfg;
	struct desk *d;
	int64_t system_id;
};

static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof *f);
	f->dir = test_tmpdir();
	assert_non_null(f->dir);
	setenv("XDG_CONFIG_HOME", f->dir, 1);
	unsetenv("WEIBAO_CONFIG");
	f->db = xasprintf("%s/desk.db", f->dir);
	clock_set_fixed(T("2026-11-25T01:00:00Z")); /* Wednesday 09:00 in Shanghai */
	struct wb_err err = { 0 };
	assert_int_equal(config_load(NULL, &f->cfg, &err), 0);
	if (desk_open(&f->cfg, f->db, "alice", &f->d, &err))
		fail_msg("desk_open: %s", err.msg);
	struct organisation o = { 0 };
	o.name = (char *)"Acme";
	o.timezone = (char *)"Asia/Shanghai";
	assert_int_equal(directory_org_add(f->d, &o, NULL, &err), 0);
	struct system_info y = { 0 };
	y.name = (char *)"erp";
	y.org = (char *)"Acme";
	if (directory_system_add(f->d, &y, &f->system_id, &err))
		fail_msg("system: %s", err.msg);
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

/* Adds an inspection plan on erp (24 hours lead, the checklist items separated by |); returns its id. */
static int64_t add_plan(struct fx *f, const char *name, const char *rule, const char *start, const char *tz,
			int minutes, const char *exdates, const char *checklist)
{
	struct plan p = { 0 };
	p.name = (char *)name;
	p.kind = (char *)"inspection";
	p.system = (char *)"erp";
	p.rrule = (char *)rule;
	p.dtstart = (char *)start;
	p.tz = (char *)tz;
	p.duration_min = minutes;
	p.exdates = (char *)exdates;
	p.lead_hours = 24;
	plan_set_checklist(&p, checklist);
	int64_t id = 0;
	struct wb_err err = { 0 };
	int rc = plan_add(f->d, &p, &id, &err);
	plan_set_checklist(&p, NULL);
	if (rc)
		fail_msg("plan_add: %s", err.msg);
	return id;
}

/* The one maintenance ticket of the desk (any status); fails the test when there is not exactly one. */
static int64_t first_task(struct fx *f)
{
	struct ticket_filter flt;
	ticket_filter_init(&flt);
	flt.status_mask = (1u << STATUS_COUNT) - 1;
	flt.kind = KIND_MAINTENANCE;
	struct ticket_list l;
	assert_int_equal(desk_ticket_page(f->d, &flt, SORT_ID, NULL, false, 1, &l, NULL), 0);
	assert_int_equal(l.n, 1);
	int64_t id = l.items[0].id;
	ticket_list_free(&l);
	return id;
}

#endif

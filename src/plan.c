#include "plan.h"

#include "calmonth.h"
#include "i18n.h"
#include "ics.h"
#include "recur.h"
#include "store_dir.h"
#include "strbuf.h"
#include "utf8.h"
#include "xmalloc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- kinds and statuses ---- */

#define NAME_ITEM(e, name, label) name,
#define LABEL_ITEM(e, name, label) label,
static const char *const kind_names[] = { PLAN_KINDS(NAME_ITEM) };
static const char *const kind_labels[] = { PLAN_KINDS(LABEL_ITEM) };
#undef NAME_ITEM
#undef LABEL_ITEM

static const char *const status_names[] = { "planned", "open", "done", "missed", "window" };
static const char *const status_labels[] = { N_("planned"), N_("open"), N_("done"), N_("missed"),
					     N_("window") };

const char *plan_kind_name(enum plan_kind k)
{
	return (int)k >= 0 && k < PLAN_KIND_COUNT ? kind_names[k] : "other";
}

const char *plan_kind_label(enum plan_kind k)
{
	return _((int)k >= 0 && k < PLAN_KIND_COUNT ? kind_labels[k] : kind_labels[PLAN_OTHER]);
}

int plan_kind_parse(const char *s, enum plan_kind *out, struct wb_err *err)
{
	for (int i = 0; s && i < PLAN_KIND_COUNT; i++) {
		const char *a = kind_names[i], *b = s;
		while (*a && *b && (tolower((unsigned char)*b) == *a || (*a == '_' && *b == '-')))
			a++, b++;
		if (!*a && !*b) {
			*out = (enum plan_kind)i;
			return WB_OK;
		}
	}
	return wb_err_set(err, WB_EINVAL,
			  _("unknown plan kind '%s' (allowed: inspection, security_update, backup_check, upgrade, other)"),
			  s ? s : "");
}

const char *plan_kind_label_of(const char *name)
{
	enum plan_kind k = PLAN_OTHER;
	plan_kind_parse(name, &k, NULL);
	return plan_kind_label(k);
}

const char *plan_status_name(enum plan_status s)
{
	return (int)s >= 0 && s <= PLAN_ST_WINDOW ? status_names[s] : "?";
}

const char *plan_status_label(enum plan_status s)
{
	return (int)s >= 0 && s <= PLAN_ST_WINDOW ? _(status_labels[s]) : "?";
}

enum plan_status plan_occ_status(const struct plan_occ *o, wb_time now)
{
	if (o->ticket_status == STATUS_RESOLVED || o->ticket_status == STATUS_CLOSED)
		return PLAN_ST_DONE;
	if (o->end <= now)
		return PLAN_ST_MISSED;
	return PLAN_ST_OPEN;
}

/* ---- plans: pure parts ---- */

static char *trimmed(const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return xstrndup(s, n);
}

void plan_set_checklist(struct plan *p, const char *text)
{
	for (size_t i = 0; i < p->n_items; i++)
		free(p->items[i]);
	free(p->items);
	p->items = NULL;
	p->n_items = 0;
	if (!text)
		return;
	const char *s = text;
	while (*s) {
		size_t n = strcspn(s, "|\n");
		char *item = trimmed(s, n);
		if (*item) {
			p->items = xrealloc(p->items, (p->n_items + 1) * sizeof *p->items);
			p->items[p->n_items++] = item;
		} else {
			free(item);
		}
		s += n;
		if (*s)
			s++;
	}
}

/* Splits a comma-separated list into trimmed, non-empty strings. */
static size_t split_list(const char *text, char ***out)
{
	*out = NULL;
	size_t n = 0;
	if (!text)
		return 0;
	const char *s = text;
	while (*s) {
		size_t len = strcspn(s, ",");
		char *v = trimmed(s, len);
		if (*v) {
			*out = xrealloc(*out, (n + 1) * sizeof **out);
			(*out)[n++] = v;
		} else {
			free(v);
		}
		s += len;
		if (*s)
			s++;
	}
	return n;
}

void plan_spec(const struct plan *p, struct recur_spec *spec, char ***storage)
{
	memset(spec, 0, sizeof *spec);
	spec->rrule = p->rrule;
	spec->dtstart = p->dtstart;
	spec->tz = p->tz;
	spec->duration_min = p->duration_min;
	spec->n_exdates = split_list(p->exdates, storage);
	spec->exdates = (const char *const *)*storage;
}

void plan_spec_free(char ***storage, size_t n)
{
	if (!storage || !*storage)
		return;
	for (size_t i = 0; i < n; i++)
		free((*storage)[i]);
	free(*storage);
	*storage = NULL;
}

char *plan_checklist_text(const struct plan *p)
{
	struct strbuf b = STRBUF_INIT;
	for (size_t i = 0; i < p->n_items; i++)
		strbuf_addf(&b, "%zu. %s\n", i + 1, p->items[i]);
	return strbuf_detach(&b);
}

int plan_validate(const struct plan *p, struct wb_err *err)
{
	if (!p->name || ticket_subject_check(p->name, NULL) != WB_OK)
		return wb_err_set(err, WB_EINVAL, _("a plan needs a name of one line (--name)"));
	enum plan_kind k;
	int rc = plan_kind_parse(p->kind, &k, err);
	if (rc)
		return rc;
	if (!p->rrule || !*p->rrule)
		return wb_err_set(err, WB_EINVAL, _("a plan needs a recurrence rule, e.g. --rule 'FREQ=WEEKLY;BYDAY=MO'"));
	if (!p->dtstart || !*p->dtstart)
		return wb_err_set(err, WB_EINVAL, _("a plan needs a start, e.g. --start 2026-12-01T02:00"));
	if (p->duration_min <= 0)
		return wb_err_set(err, WB_EINVAL, _("a plan's duration must be at least one minute, not %d"),
				  p->duration_min);
	struct recur_spec spec;
	char **ex = NULL;
	plan_spec(p, &spec, &ex);
	rc = recur_validate(&spec, err);
	plan_spec_free(&ex, spec.n_exdates);
	if (rc)
		return wb_err_prefix(err, rc, _("plan '%s'"), p->name);
	if (p->lead_hours < 0 || p->lead_hours > PLAN_LEAD_MAX_HOURS)
		return wb_err_set(err, WB_EINVAL, _("lead time must be 0 to %d hours, not %d"), PLAN_LEAD_MAX_HOURS,
				  p->lead_hours);
	if (p->notify && *p->notify && strcmp(p->notify, "none") && strcmp(p->notify, "contacts"))
		return wb_err_set(err, WB_EINVAL, _("unknown notify '%s' (allowed: none, contacts)"), p->notify);
	if (p->n_items > PLAN_ITEMS_MAX)
		return wb_err_set(err, WB_EINVAL, _("a checklist holds at most %d items, not %zu"), PLAN_ITEMS_MAX,
				  p->n_items);
	for (size_t i = 0; i < p->n_items; i++)
		if (ticket_subject_check(p->items[i], NULL) != WB_OK)
			return wb_err_set(err, WB_EINVAL, _("checklist item %zu must be one line of text"), i + 1);
	return WB_OK;
}

/* ---- plans: stored ---- */

#define PAGE 100 /* rows per keyset page */

static int resolve_plan_refs(struct desk *d, struct plan *p, struct wb_err *err)
{
	enum plan_kind k;
	int rc = plan_kind_parse(p->kind, &k, err);
	if (rc)
		return rc;
	p->kind = (char *)plan_kind_name(k); /* the stable spelling */
	if (!p->system_id) {
		if (!p->system || !*p->system)
			return wb_err_set(err, WB_EINVAL, _("a plan belongs to a system (--system)"));
		struct system_info y;
		if ((rc = store_system_find(d->store, p->system, 0, &y, err)))
			return rc;
		p->system_id = y.id;
		system_info_clear(&y);
	}
	if (!p->owner_id && p->owner && *p->owner) {
		struct user u;
		if ((rc = store_user_find(d->store, p->owner, &u, err)))
			return rc;
		p->owner_id = u.id;
		user_clear(&u);
	}
	return WB_OK;
}

static const char *desk_tz(const struct desk *d);

/* No zone given: the organisation's, else the desk's. *owned is what to free. */
static int default_tz(struct desk *d, struct plan *p, char **owned, struct wb_err *err)
{
	*owned = NULL;
	if (p->tz && *p->tz)
		return WB_OK;
	struct system_info y;
	char key[32];
	snprintf(key, sizeof key, "%lld", (long long)p->system_id);
	int rc = store_system_find(d->store, key, 0, &y, err);
	if (rc)
		return rc;
	snprintf(key, sizeof key, "%lld", (long long)y.org_id);
	system_info_clear(&y);
	struct organisation o;
	if ((rc = store_org_find(d->store, key, &o, err)))
		return rc;
	if (o.timezone && *o.timezone && recur_tz_check(o.timezone, NULL) == WB_OK)
		*owned = xstrdup(o.timezone);
	else if (desk_tz(d))
		*owned = xstrdup(desk_tz(d));
	organisation_clear(&o);
	p->tz = *owned;
	return WB_OK;
}

int plan_add(struct desk *d, const struct plan *in, int64_t *id, struct wb_err *err)
{
	int rc = desk_require(d, ROLE_OPERATOR, err);
	if (rc || (rc = plan_validate(in, err)))
		return rc;
	if ((rc = store_begin(d->store, err)))
		return rc;
	struct plan p = *in;
	p.active = true;
	int64_t new_id = 0;
	char *tz = NULL;
	rc = resolve_plan_refs(d, &p, err);
	if (rc == WB_OK)
		rc = default_tz(d, &p, &tz, err);
	if (rc == WB_OK && tz)
		rc = plan_validate(&p, err);
	if (rc == WB_OK)
		rc = store_plan_add(d->store, &p, &new_id, err);
	free(tz);
	if (rc == WB_OK)
		rc = store_audit_add(d->store, d->me.id, 0, "plan added", NULL, p.name, err);
	if (rc) {
		store_rollback(d->store);
		return rc;
	}
	if ((rc = store_commit(d->store, err)))
		return rc;
	if (id)
		*id = new_id;
	return WB_OK;
}

static int move_status(struct desk *d, int64_t id, enum ticket_status to, const char *note, struct wb_err *err);

static bool same_text(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

/* Tasks generated for the future that nobody touched (still new) are cancelled: closed with a note
 * and their occurrences forgotten, so a changed schedule does not leave a second task on a day and
 * a removed plan leaves no work behind. */
static int cancel_future(struct desk *d, int64_t plan_id, const char *why, struct wb_err *err)
{
	wb_time now = clock_now();
	int rc = WB_OK;
	for (;;) {
		struct plan_occ *v;
		size_t n;
		if ((rc = store_occ_of_plan(d->store, plan_id, now, PAGE, &v, &n, err)))
			return rc;
		for (size_t i = 0; i < n && rc == WB_OK; i++) {
			if (v[i].ticket_id && v[i].ticket_status != STATUS_NEW)
				continue;
			struct plan_result *r = NULL;
			size_t nr = 0;
			if ((rc = store_result_list(d->store, v[i].id, &r, &nr, err)))
				break;
			plan_results_free(&r, nr);
			if (nr)
				continue;
			rc = store_occ_delete(d->store, v[i].id, err);
			if (rc == WB_OK && v[i].ticket_id)
				rc = move_status(d, v[i].ticket_id, STATUS_CLOSED, why, err);
		}
		now = n ? v[n - 1].start : now;
		plan_occs_free(&v, n);
		if (rc || n < PAGE)
			return rc;
	}
}

int plan_update(struct desk *d, const struct plan *in, struct wb_err *err)
{
	int rc = desk_require(d, ROLE_OPERATOR, err);
	if (rc || (rc = plan_validate(in, err)))
		return rc;
	if ((rc = store_begin(d->store, err)))
		return rc;
	struct plan p = *in, old;
	rc = store_plan_get(d->store, in->id, &old, err);
	if (rc) {
		store_rollback(d->store);
		return rc;
	}
	bool moved = !same_text(old.rrule, in->rrule) || !same_text(old.dtstart, in->dtstart) ||
		     !same_text(old.tz, in->tz) || old.duration_min != in->duration_min ||
		     !same_text(old.exdates, in->exdates) || old.system_id != in->system_id || !in->active;
	plan_clear(&old);
	rc = resolve_plan_refs(d, &p, err);
	p.schedule_at = moved ? clock_now() : 0; /* 0 keeps the stored one */
	if (rc == WB_OK)
		rc = store_plan_update(d->store, &p, err);
	if (rc == WB_OK && moved)
		rc = cancel_future(d, p.id, _("cancelled: the maintenance plan's schedule changed"), err);
	if (rc == WB_OK)
		rc = store_audit_add(d->store, d->me.id, 0, "plan changed", NULL, p.name, err);
	if (rc) {
		store_rollback(d->store);
		return rc;
	}
	return store_commit(d->store, err);
}

int plan_get(struct desk *d, int64_t id, struct plan *out, struct wb_err *err)
{
	return store_plan_get(d->store, id, out, err);
}

int plan_remove(struct desk *d, int64_t id, struct wb_err *err)
{
	int rc = desk_require(d, ROLE_OPERATOR, err);
	if (rc || (rc = store_begin(d->store, err)))
		return rc;
	struct plan p;
	rc = store_plan_get(d->store, id, &p, err);
	if (rc == WB_OK) {
		p.active = false;
		rc = store_plan_update(d->store, &p, err);
		if (rc == WB_OK)
			rc = cancel_future(d, id, _("cancelled: the maintenance plan was removed"), err);
		if (rc == WB_OK)
			rc = store_audit_add(d->store, d->me.id, 0, "plan removed", p.name, NULL, err);
		plan_clear(&p);
	}
	if (rc) {
		store_rollback(d->store);
		return rc;
	}
	return store_commit(d->store, err);
}

/* ---- generation ---- */

#define OCC_MAX_PER_PLAN 2000

static int expand_plan(const struct plan *p, wb_time from, wb_time to, struct recur_occurrence **occ,
		       size_t *n, struct wb_err *err)
{
	struct recur_spec spec;
	char **ex = NULL;
	plan_spec(p, &spec, &ex);
	int rc = recur_expand(&spec, from, to, OCC_MAX_PER_PLAN, occ, n, err);
	plan_spec_free(&ex, spec.n_exdates);
	if (rc)
		wb_err_prefix(err, rc, _("plan %lld '%s'"), (long long)p->id, p->name);
	return rc;
}

static int create_task(struct desk *d, const struct plan *p, const struct recur_occurrence *o,
		       const char *queue, int64_t *ticket_id, struct wb_err *err)
{
	struct ticket_draft t;
	ticket_draft_init(&t);
	char *subject = xasprintf("%s %s", p->name, o->date);
	char *body = plan_checklist_text(p);
	char system[32];
	snprintf(system, sizeof system, "#%lld", (long long)p->system_id);
	t.subject = subject;
	t.body = *body ? body : NULL;
	t.kind = KIND_MAINTENANCE;
	t.channel = CHANNEL_INTERNAL;
	t.queue = queue;
	t.system = system;
	t.assignee = p->owner;
	int rc = desk_ticket_create(d, &t, ticket_id, err);
	free(subject);
	free(body);
	/* a task made days ahead is due when its occurrence ends, not a support SLA after creation */
	struct ticket nt;
	if (rc == WB_OK && (rc = store_ticket_get(d->store, *ticket_id, &nt, err)) == WB_OK) {
		nt.response_due = nt.resolve_due = nt.sla_due = o->end;
		nt.sla_risk_at = o->start;
		rc = store_ticket_update(d->store, &nt, 0, err);
		ticket_clear(&nt);
	}
	return rc;
}

/* One round of at most OCC_MAX_PER_PLAN occurrences from `from`; *next is where the following
 * round starts, or `to` when the range is done. */
static int generate_round(struct desk *d, const struct plan *p, wb_time from, wb_time to, const char *queue,
			  int *created, wb_time *next, struct wb_err *err)
{
	struct recur_occurrence *occ = NULL;
	size_t n = 0;
	wb_time now = clock_now();
	int rc = expand_plan(p, from, to, &occ, &n, err);
	*next = rc == WB_OK && n == OCC_MAX_PER_PLAN ? occ[n - 1].start + 1 : to;
	for (size_t i = 0; i < n && rc == WB_OK; i++) {
		if (occ[i].end <= p->schedule_at || occ[i].end <= now)
			continue; /* over before the plan (or its schedule) existed, or already over: no task */
		int64_t occ_id = 0, ticket_id = 0;
		bool fresh = false;
		rc = store_occ_insert(d->store, p->id, occ[i].start, occ[i].end, occ[i].date, &occ_id, &fresh, err);
		if (rc || !fresh)
			continue;
		rc = create_task(d, p, &occ[i], queue, &ticket_id, err);
		if (rc == WB_OK)
			rc = store_occ_set_ticket(d->store, occ_id, ticket_id, err);
		if (rc == WB_OK)
			(*created)++;
	}
	free(occ);
	return rc;
}

static int generate_plan(struct desk *d, const struct plan *p, wb_time from, wb_time to, const char *queue,
			 int *created, struct wb_err *err)
{
	int rc = WB_OK;
	/* a dense rule (hourly over months) comes in several rounds */
	while (rc == WB_OK && from < to)
		rc = generate_round(d, p, from, to, queue, created, &from, err);
	return rc;
}

int plan_generate(struct desk *d, wb_time from, wb_time to, int *created, struct wb_err *err)
{
	int count = 0;
	int rc = desk_require(d, ROLE_OPERATOR, err);
	if (rc || (rc = store_begin(d->store, err)))
		return rc;
	struct queue_info q;
	const char *queue = NULL;
	if (store_queue_find(d->store, "Maintenance", &q, NULL) == WB_OK)
		queue = q.name;
	else
		memset(&q, 0, sizeof q);
	int64_t after = 0;
	for (;;) {
		struct plan *v;
		size_t n;
		if ((rc = store_plan_page(d->store, after, PAGE, false, &v, &n, err)))
			break;
		for (size_t i = 0; i < n && rc == WB_OK; i++)
			rc = generate_plan(d, &v[i], from, to, queue, &count, err);
		if (n)
			after = v[n - 1].id;
		plans_free(&v, n);
		if (rc || n < PAGE)
			break;
	}
	queue_info_clear(&q);
	if (rc == WB_OK && count) {
		char what[32];
		snprintf(what, sizeof what, "%d", count);
		rc = store_audit_add(d->store, d->me.id, 0, "maintenance tasks generated", NULL, what, err);
	}
	if (rc) {
		store_rollback(d->store);
		return rc;
	}
	if ((rc = store_commit(d->store, err)))
		return rc;
	if (created)
		*created = count;
	return WB_OK;
}

static const char *desk_tz(const struct desk *d)
{
	return d->cal.tz[0] ? d->cal.tz : NULL;
}

/* UTC start of the local day holding t in tz. */
static wb_time day_start_in(const char *tz, wb_time t)
{
	char local[20];
	wb_time out;
	if (recur_utc_to_local(t, tz, local, sizeof local, NULL) != WB_OK)
		return t - t % 86400;
	local[10] = '\0';
	if (recur_local_to_utc(local, tz, &out, NULL) != WB_OK)
		return t - t % 86400;
	return out;
}

void plan_local_day(const struct desk *d, wb_time t, wb_time *day_start, wb_time *day_end)
{
	const char *tz = desk_tz(d);
	*day_start = day_start_in(tz, t);
	*day_end = day_start_in(tz, *day_start + 25 * 3600);
	if (*day_end <= *day_start)
		*day_end = *day_start + 86400;
}

int plan_generate_ahead(struct desk *d, int days, int *created, struct wb_err *err)
{
	if (days < 1 || days > 366)
		return wb_err_set(err, WB_EINVAL, _("generate 1 to 366 days ahead, not %d"), days);
	wb_time from, end;
	plan_local_day(d, clock_now(), &from, &end);
	return plan_generate(d, from, from + (wb_time)days * 86400, created, err);
}

/* ---- checklists ---- */

static int move_status(struct desk *d, int64_t id, enum ticket_status to, const char *note, struct wb_err *err)
{
	struct ticket_change c;
	ticket_change_init(&c);
	c.set_status = true;
	c.status = to;
	c.note = note;
	return desk_ticket_change(d, &id, 1, &c, 0, err);
}

static int add_note(struct desk *d, int64_t id, const char *note, struct wb_err *err)
{
	struct ticket_change c;
	ticket_change_init(&c);
	c.note = note;
	return desk_ticket_change(d, &id, 1, &c, 0, err);
}

static int check_in_tx(struct desk *d, int64_t ticket_id, int item, const char *result, const char *note,
		       struct wb_err *err)
{
	struct plan_occ o;
	int rc = store_occ_by_ticket(d->store, ticket_id, &o, err);
	if (rc)
		return rc;
	struct plan p;
	rc = store_plan_get(d->store, o.plan_id, &p, err);
	if (rc) {
		plan_occ_clear(&o);
		return rc;
	}
	if (item < 1 || (size_t)item > p.n_items) {
		rc = p.n_items ? wb_err_set(err, WB_EINVAL, _("ticket #%lld has checklist items 1 to %zu, not %d"),
					    (long long)ticket_id, p.n_items, item)
			       : wb_err_set(err, WB_EINVAL, _("plan '%s' has no checklist"), p.name);
		goto out;
	}
	struct plan_result r = { 0 };
	r.pos = item;
	r.item = p.items[item - 1];
	r.result = (char *)result;
	r.note = (char *)note;
	r.user_id = d->me.id;
	r.at = clock_now();
	if ((rc = store_result_set(d->store, o.id, &r, err)))
		goto out;
	char *line = note && *note ? xasprintf(_("checklist %d. %s: %s (%s)"), item, r.item, result, note)
				   : xasprintf(_("checklist %d. %s: %s"), item, r.item, result);
	rc = store_audit_add(d->store, d->me.id, ticket_id, "checklist", NULL, line, err);
	struct ticket *t = NULL;
	enum ticket_status now_status = STATUS_NEW;
	if (rc == WB_OK)
		rc = desk_ticket_get(d, ticket_id, &t, err);
	if (rc == WB_OK)
		now_status = t->status;
	if (rc == WB_OK && (t->status == STATUS_NEW || t->status == STATUS_TRIAGED || t->status == STATUS_REOPENED)) {
		rc = move_status(d, ticket_id, STATUS_IN_PROGRESS, line, err);
		now_status = STATUS_IN_PROGRESS;
	} else if (rc == WB_OK) {
		rc = add_note(d, ticket_id, line, err);
	}
	free(line);
	struct plan_result *res = NULL;
	size_t n = 0;
	if (rc == WB_OK)
		rc = store_result_list(d->store, o.id, &res, &n, err);
	/* resolved when the workflow allows it from where the task is (not from review or testing) */
	if (rc == WB_OK && n == p.n_items && ticket_transition_allowed(now_status, STATUS_RESOLVED)) {
		bool failed = false;
		for (size_t i = 0; i < n; i++)
			failed |= strcmp(res[i].result, "failed") == 0;
		if (!failed)
			rc = move_status(d, ticket_id, STATUS_RESOLVED, NULL, err);
	}
	plan_results_free(&res, n);
	ticket_free(&t);
out:
	plan_clear(&p);
	plan_occ_clear(&o);
	return rc;
}

int plan_check(struct desk *d, int64_t ticket_id, int item, const char *result, const char *note,
	       struct wb_err *err)
{
	int rc = desk_require(d, ROLE_OPERATOR, err);
	if (rc)
		return rc;
	if (!result || (strcmp(result, "ok") && strcmp(result, "failed") && strcmp(result, "note")))
		return wb_err_set(err, WB_EINVAL, _("unknown result '%s' (allowed: ok, failed, note)"),
				  result ? result : "");
	if (!strcmp(result, "note") && (!note || !*note))
		return wb_err_set(err, WB_EINVAL, _("a 'note' result needs the note text (--note)"));
	if (note && (rc = ticket_body_check(note, err)))
		return rc;
	if ((rc = store_begin(d->store, err)))
		return rc;
	rc = check_in_tx(d, ticket_id, item, result, note, err);
	if (rc) {
		store_rollback(d->store);
		return rc;
	}
	return store_commit(d->store, err);
}

int plan_task_checklist_occ(struct desk *d, int64_t ticket_id, struct plan_occ *occ, struct plan *plan,
			    struct plan_result **results, size_t *n, struct wb_err *err)
{
	memset(occ, 0, sizeof *occ);
	memset(plan, 0, sizeof *plan);
	*results = NULL;
	*n = 0;
	int rc = store_begin_read(d->store, err);
	if (rc)
		return rc;
	rc = store_occ_by_ticket(d->store, ticket_id, occ, err);
	if (rc == WB_OK)
		rc = store_plan_get(d->store, occ->plan_id, plan, err);
	if (rc == WB_OK)
		rc = store_result_list(d->store, occ->id, results, n, err);
	store_end_read(d->store);
	if (rc) {
		plan_occ_clear(occ);
		plan_clear(plan);
		plan_results_free(results, *n);
		*n = 0;
	}
	return rc;
}

int plan_task_checklist(struct desk *d, int64_t ticket_id, struct plan *plan, struct plan_result **results,
			size_t *n, struct wb_err *err)
{
	struct plan_occ o;
	int rc = plan_task_checklist_occ(d, ticket_id, &o, plan, results, n, err);
	plan_occ_clear(&o);
	return rc;
}

int plan_list(struct desk *d, bool all, struct plan **out, size_t *n, struct wb_err *err)
{
	*out = NULL;
	*n = 0;
	size_t cap = 0;
	int64_t after = 0;
	int rc;
	for (;;) {
		struct plan *v;
		size_t got;
		if ((rc = store_plan_page(d->store, after, PAGE, all, &v, &got, err))) {
			plans_free(out, *n);
			*n = 0;
			return rc;
		}
		if (*n + got > cap) {
			cap = (*n + got) * 2;
			*out = xrealloc(*out, cap * sizeof **out);
		}
		if (got)
			memcpy(*out + *n, v, got * sizeof *v);
		*n += got;
		free(v); /* the strings moved into *out */
		if (got < PAGE)
			return WB_OK;
		after = (*out)[*n - 1].id;
	}
}

char *plan_schedule_text(const struct plan *p)
{
	struct recur_spec spec;
	char **ex = NULL;
	plan_spec(p, &spec, &ex);
	char *s = recur_describe(&spec);
	plan_spec_free(&ex, spec.n_exdates);
	return s;
}

bool plan_next_start(const struct plan *p, wb_time from, wb_time *start)
{
	struct recur_spec spec;
	char **ex = NULL;
	plan_spec(p, &spec, &ex);
	struct recur_occurrence *o = NULL;
	size_t n = 0;
	bool found = recur_expand(&spec, from, from + 400LL * 86400, 1, &o, &n, NULL) == WB_OK && n;
	if (found)
		*start = o[0].start;
	free(o);
	plan_spec_free(&ex, spec.n_exdates);
	return found;
}

/* ---- agenda ---- */

static struct plan_agenda_item *agenda_push(struct plan_agenda *a, size_t *cap)
{
	if (a->n == *cap) {
		*cap = *cap ? *cap * 2 : 32;
		a->items = xrealloc(a->items, *cap * sizeof *a->items);
	}
	struct plan_agenda_item *it = &a->items[a->n++];
	memset(it, 0, sizeof *it);
	return it;
}

static int agenda_cmp(const void *x, const void *y)
{
	const struct plan_agenda_item *a = x, *b = y;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if (a->is_window != b->is_window)
		return a->is_window ? -1 : 1;
	return strcmp(a->title ? a->title : "", b->title ? b->title : "");
}

static int agenda_windows(struct desk *d, wb_time from, wb_time to, struct plan_agenda *a, size_t *cap,
			  struct wb_err *err)
{
	struct plan_key key;
	bool have = false;
	int rc = WB_OK;
	for (;;) {
		struct maint_window *v;
		size_t n;
		if ((rc = store_window_page(d->store, from, to, have ? &key : NULL, PAGE, &v, &n, err)))
			return rc;
		for (size_t i = 0; i < n && a->n < PLAN_AGENDA_MAX; i++) {
			struct plan_agenda_item *it = agenda_push(a, cap);
			it->is_window = true;
			it->window_id = v[i].id;
			it->title = xstrdup(v[i].title);
			it->kind = xstrdup("window");
			it->system = xstrdup(v[i].system);
			it->org = xstrdup(v[i].org);
			it->start = v[i].start;
			it->end = v[i].end;
			it->status = PLAN_ST_WINDOW;
		}
		if (n) {
			key.start = v[n - 1].start;
			key.id = v[n - 1].id;
			have = true;
		}
		maint_windows_free(&v, n);
		if (n < PAGE || a->n >= PLAN_AGENDA_MAX) {
			a->truncated |= n == PAGE;
			return WB_OK;
		}
	}
}

static int agenda_occurrences(struct desk *d, wb_time from, wb_time to, wb_time now, struct plan_agenda *a,
			      size_t *cap, struct wb_err *err)
{
	struct plan_key key;
	bool have = false;
	for (;;) {
		struct plan_occ *v;
		size_t n;
		int rc = store_occ_page(d->store, from, to, have ? &key : NULL, PAGE, &v, &n, err);
		if (rc)
			return rc;
		for (size_t i = 0; i < n && a->n < PLAN_AGENDA_MAX; i++) {
			struct plan_agenda_item *it = agenda_push(a, cap);
			it->plan_id = v[i].plan_id;
			it->occ_id = v[i].id;
			it->ticket_id = v[i].ticket_id;
			it->title = xstrdup(v[i].plan_name);
			it->kind = xstrdup(v[i].kind);
			it->system = xstrdup(v[i].system);
			it->org = xstrdup(v[i].org);
			it->start = v[i].start;
			it->end = v[i].end;
			it->status = plan_occ_status(&v[i], now);
		}
		if (n) {
			key.start = v[n - 1].start;
			key.id = v[n - 1].id;
			have = true;
		}
		plan_occs_free(&v, n);
		if (n < PAGE || a->n >= PLAN_AGENDA_MAX) {
			a->truncated |= n == PAGE;
			return WB_OK;
		}
	}
}

/* Rule occurrences that were not generated: planned (future) or missed (never generated). */
static int agenda_projected(struct desk *d, wb_time from, wb_time to, wb_time now, struct plan_agenda *a,
			    size_t *cap, struct wb_err *err)
{
	int64_t after = 0;
	for (;;) {
		struct plan *v;
		size_t n;
		int rc = store_plan_page(d->store, after, PAGE, false, &v, &n, err);
		if (rc)
			return rc;
		for (size_t i = 0; i < n && rc == WB_OK; i++) {
			struct recur_occurrence *occ = NULL;
			size_t m = 0;
			rc = expand_plan(&v[i], from, to, &occ, &m, err);
			for (size_t j = 0; j < m && rc == WB_OK && a->n < PLAN_AGENDA_MAX; j++) {
				if (occ[j].end <= v[i].schedule_at)
					continue;
				int64_t id;
				if ((rc = store_occ_find(d->store, v[i].id, occ[j].start, &id, err)) || id)
					continue;
				struct plan_agenda_item *it = agenda_push(a, cap);
				it->plan_id = v[i].id;
				it->title = xstrdup(v[i].name);
				it->kind = xstrdup(v[i].kind);
				it->system = xstrdup(v[i].system);
				it->org = xstrdup(v[i].org);
				it->start = occ[j].start;
				it->end = occ[j].end;
				it->status = occ[j].end <= now ? PLAN_ST_MISSED : PLAN_ST_PLANNED;
			}
			a->truncated |= m == OCC_MAX_PER_PLAN;
			free(occ);
		}
		if (n)
			after = v[n - 1].id;
		plans_free(&v, n);
		if (rc || n < PAGE)
			return rc;
	}
}

int plan_agenda(struct desk *d, wb_time from, wb_time to, struct plan_agenda *out, struct wb_err *err)
{
	memset(out, 0, sizeof *out);
	if (to <= from)
		return wb_err_set(err, WB_EINVAL, _("the end of the range must come after its start"));
	size_t cap = 0;
	wb_time now = clock_now();
	int rc = store_begin_read(d->store, err);
	if (rc)
		return rc;
	rc = agenda_windows(d, from, to, out, &cap, err);
	if (rc == WB_OK)
		rc = agenda_occurrences(d, from, to, now, out, &cap, err);
	if (rc == WB_OK)
		rc = agenda_projected(d, from, to, now, out, &cap, err);
	store_end_read(d->store);
	if (rc) {
		plan_agenda_free(out);
		return rc;
	}
	if (out->n >= PLAN_AGENDA_MAX)
		out->truncated = true;
	if (out->n)
		qsort(out->items, out->n, sizeof *out->items, agenda_cmp);
	return WB_OK;
}

void plan_agenda_free(struct plan_agenda *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->n; i++) {
		free(a->items[i].title);
		free(a->items[i].kind);
		free(a->items[i].system);
		free(a->items[i].org);
	}
	free(a->items);
	memset(a, 0, sizeof *a);
}

/* The day of the month of t in tz when it falls in year-month, else 0. */
static int day_in_month(wb_time t, const char *tz, int year, int month)
{
	char local[20];
	int y, m, dd;
	if (recur_utc_to_local(t, tz, local, sizeof local, NULL) != WB_OK ||
	    sscanf(local, "%4d-%2d-%2d", &y, &m, &dd) != 3 || y != year || m != month)
		return 0;
	return dd;
}

int plan_month_summary(struct desk *d, int year, int month, struct plan_day_summary day[31], int *days,
		       bool *truncated, struct wb_err *err)
{
	if (year < 1970 || year > 9999 || month < 1 || month > 12)
		return wb_err_set(err, WB_EINVAL, _("no such month: %04d-%02d"), year, month);
	memset(day, 0, 31 * sizeof *day);
	const char *tz = desk_tz(d);
	char first[16], next[16];
	snprintf(first, sizeof first, "%04d-%02d-01", year, month);
	snprintf(next, sizeof next, "%04d-%02d-01", month == 12 ? year + 1 : year, month == 12 ? 1 : month + 1);
	wb_time from, to;
	int rc;
	if ((rc = recur_local_to_utc(first, tz, &from, err)) || (rc = recur_local_to_utc(next, tz, &to, err)))
		return rc;
	struct plan_agenda a;
	if ((rc = plan_agenda(d, from, to, &a, err)))
		return rc;
	for (size_t i = 0; i < a.n; i++) {
		const struct plan_agenda_item *it = &a.items[i];
		if (it->is_window) {
			/* every local day the window touches */
			wb_time s = it->start > from ? it->start : from;
			wb_time e = it->end < to ? it->end : to;
			int d0 = day_in_month(s, tz, year, month), d1 = day_in_month(e - 1, tz, year, month);
			for (int k = d0; k >= 1 && k <= d1 && k <= 31; k++)
				day[k - 1].windows++;
			continue;
		}
		int k = day_in_month(it->start, tz, year, month);
		if (k < 1 || k > 31)
			continue;
		struct plan_day_summary *s = &day[k - 1];
		switch (it->status) {
		case PLAN_ST_PLANNED: s->planned++; break;
		case PLAN_ST_OPEN: s->open++; break;
		case PLAN_ST_DONE: s->done++; break;
		case PLAN_ST_MISSED: s->missed++; break;
		default: break;
		}
		enum plan_kind kind = PLAN_OTHER;
		plan_kind_parse(it->kind, &kind, NULL);
		s->kinds |= 1u << kind;
	}
	if (truncated)
		*truncated = a.truncated;
	plan_agenda_free(&a);
	if (days)
		*days = calmonth_days_in_month(year, month);
	return WB_OK;
}

int plan_today_counts(struct desk *d, int *open, int *missed, struct wb_err *err)
{
	wb_time now = clock_now(), from, to;
	plan_local_day(d, now, &from, &to);
	return store_occ_counts(d->store, from, to, now, open, missed, err);
}

/* ---- windows ---- */

int plan_window_page(struct desk *d, wb_time from, wb_time to, const struct plan_key *after, size_t limit,
		     struct maint_window **out, size_t *n, struct wb_err *err)
{
	return store_window_page(d->store, from, to, after, limit, out, n, err);
}

int plan_window_add(struct desk *d, const struct maint_window *in, int64_t *id, struct wb_err *err)
{
	int rc = desk_require(d, ROLE_OPERATOR, err);
	if (rc)
		return rc;
	if (!in->title || ticket_subject_check(in->title, NULL) != WB_OK)
		return wb_err_set(err, WB_EINVAL, _("a maintenance window needs a title of one line (--title)"));
	if (!in->start || !in->end || in->end <= in->start)
		return wb_err_set(err, WB_EINVAL, _("a maintenance window must end after it starts"));
	if (in->lead_hours < 0 || in->lead_hours > PLAN_LEAD_MAX_HOURS)
		return wb_err_set(err, WB_EINVAL, _("lead time must be 0 to %d hours, not %d"), PLAN_LEAD_MAX_HOURS,
				  in->lead_hours);
	if ((rc = ticket_body_check(in->description, err)))
		return rc;
	if ((rc = store_begin(d->store, err)))
		return rc;
	struct maint_window w = *in;
	if (!w.system_id && w.system && *w.system) {
		struct system_info y;
		if ((rc = store_system_find(d->store, w.system, 0, &y, err)) == WB_OK) {
			w.system_id = y.id;
			w.org_id = y.org_id;
			system_info_clear(&y);
		}
	} else if (!w.org_id && w.org && *w.org) {
		struct organisation o;
		if ((rc = store_org_find(d->store, w.org, &o, err)) == WB_OK) {
			w.org_id = o.id;
			organisation_clear(&o);
		}
	}
	if (rc == WB_OK && !w.org_id)
		rc = wb_err_set(err, WB_EINVAL, _("say which system (--system) or organisation (--org) the window affects"));
	int64_t new_id = 0;
	if (rc == WB_OK)
		rc = store_window_add(d->store, &w, &new_id, err);
	if (rc == WB_OK)
		rc = store_audit_add(d->store, d->me.id, 0, "maintenance window added", NULL, w.title, err);
	if (rc) {
		store_rollback(d->store);
		return rc;
	}
	if ((rc = store_commit(d->store, err)))
		return rc;
	if (id)
		*id = new_id;
	return WB_OK;
}

/* ---- notices ---- */

static bool known_zone(const char *tz)
{
	return tz && *tz && recur_tz_check(tz, NULL) == WB_OK;
}

const char *plan_notice_zone(const char *contact_tz, const char *org_tz, const char *plan_tz, const char *desk_tz)
{
	const char *order[] = { contact_tz, org_tz, plan_tz, desk_tz };
	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
		if (known_zone(order[i]))
			return order[i];
	return NULL;
}

struct notify_run {
	struct desk *d;
	plan_mail_fn mail;
	void *ctx;
	int sent;
	wb_time now;
};

/* The notice of a window, zone not yet chosen (it depends on the contact). */
static struct plan_notice window_notice(const struct maint_window *w, enum plan_notice_kind kind)
{
	struct plan_notice n = { 0 };
	n.kind = kind;
	n.title = w->title;
	n.what = w->system ? w->system : w->org ? w->org : "";
	n.details = w->description && *w->description ? w->description : NULL;
	n.start = w->start;
	n.end = w->end;
	return n;
}

static struct plan_notice occ_notice(const struct plan *p, const struct plan_occ *o)
{
	struct plan_notice n = { 0 };
	n.kind = PLAN_NOTICE_OCC_AHEAD;
	n.title = p->name;
	n.plan_kind = p->kind;
	n.what = p->system ? p->system : p->org ? p->org : "";
	n.start = o->start;
	n.end = o->end;
	return n;
}

/* Sends one notice to every contact of the organisation that has not had it. */
static int notify_contacts(struct notify_run *r, int64_t org_id, const char *kind, int64_t ref_id, const char *stage,
			   const struct plan_notice *notice, const char *plan_tz, struct wb_err *err)
{
	struct organisation o;
	char key[32];
	snprintf(key, sizeof key, "%lld", (long long)org_id);
	int rc = store_org_find(r->d->store, key, &o, err);
	if (rc)
		return rc;
	int64_t after = 0;
	for (;;) {
		struct contact *c;
		size_t n;
		if ((rc = store_org_contacts(r->d->store, org_id, after, PAGE, &c, &n, err)))
			break;
		for (size_t i = 0; i < n && rc == WB_OK; i++) {
			bool sent;
			if ((rc = store_notice_sent(r->d->store, kind, ref_id, c[i].id, stage, &sent, err)) || sent)
				continue;
			struct plan_notice one = *notice;
			one.tz = plan_notice_zone(c[i].timezone, o.timezone, plan_tz, desk_tz(r->d));
			bool queued = false;
			rc = r->mail(r->d, &c[i], &one, r->ctx, &queued, err);
			if (rc == WB_OK)
				rc = store_notice_add(r->d->store, kind, ref_id, c[i].id, stage, r->now, err);
			if (rc == WB_OK && queued)
				r->sent++;
		}
		if (n)
			after = c[n - 1].id;
		store_contacts_free(&c, n);
		if (rc || n < PAGE)
			break;
	}
	organisation_clear(&o);
	return rc;
}

static int notify_windows(struct notify_run *r, struct wb_err *err)
{
	int64_t after = 0;
	for (;;) {
		struct maint_window *v;
		size_t n;
		int rc = store_window_due(r->d->store, r->now, after, PAGE, &v, &n, err);
		if (rc)
			return rc;
		for (size_t i = 0; i < n && rc == WB_OK; i++) {
			const struct maint_window *w = &v[i];
			bool ended = w->end <= r->now;
			if (!w->ahead_sent_at) {
				/* a window that ended before anyone ran this gets only its closing notice */
				struct plan_notice ahead = window_notice(w, PLAN_NOTICE_WINDOW_AHEAD);
				if (!ended)
					rc = notify_contacts(r, w->org_id, "window", w->id, "ahead", &ahead, NULL, err);
				if (rc == WB_OK)
					rc = store_window_mark(r->d->store, w->id, "ahead", r->now, err);
			}
			if (rc == WB_OK && ended && !w->closed_sent_at) {
				struct plan_notice closed = window_notice(w, PLAN_NOTICE_WINDOW_CLOSED);
				rc = notify_contacts(r, w->org_id, "window", w->id, "closed", &closed, NULL, err);
				if (rc == WB_OK)
					rc = store_window_mark(r->d->store, w->id, "closed", r->now, err);
			}
		}
		if (n)
			after = v[n - 1].id;
		maint_windows_free(&v, n);
		if (rc || n < PAGE)
			return rc;
	}
}

static int notify_occurrences(struct notify_run *r, struct wb_err *err)
{
	struct plan_key key;
	bool have = false;
	wb_time to = r->now + (wb_time)PLAN_LEAD_MAX_HOURS * 3600 + 1;
	for (;;) {
		struct plan_occ *v;
		size_t n;
		int rc = store_occ_page(r->d->store, r->now, to, have ? &key : NULL, PAGE, &v, &n, err);
		if (rc)
			return rc;
		for (size_t i = 0; i < n && rc == WB_OK; i++) {
			struct plan p;
			if ((rc = store_plan_get(r->d->store, v[i].plan_id, &p, err)))
				break;
			if (p.active && p.notify && !strcmp(p.notify, "contacts") &&
			    v[i].start - (wb_time)p.lead_hours * 3600 <= r->now) {
				struct plan_notice notice = occ_notice(&p, &v[i]);
				rc = notify_contacts(r, v[i].org_id, "occurrence", v[i].id, "ahead", &notice, p.tz,
						     err);
			}
			plan_clear(&p);
		}
		if (n) {
			key.start = v[n - 1].start;
			key.id = v[n - 1].id;
			have = true;
		}
		plan_occs_free(&v, n);
		if (rc || n < PAGE)
			return rc;
	}
}

int plan_notify_due(struct desk *d, plan_mail_fn mail, void *ctx, int *sent, struct wb_err *err)
{
	if (sent)
		*sent = 0;
	if (!mail)
		return WB_OK;
	int rc = desk_require(d, ROLE_OPERATOR, err);
	if (rc || (rc = store_begin(d->store, err)))
		return rc;
	struct notify_run r = { d, mail, ctx, 0, clock_now() };
	rc = notify_windows(&r, err);
	if (rc == WB_OK)
		rc = notify_occurrences(&r, err);
	if (rc) {
		store_rollback(d->store);
		return rc;
	}
	if ((rc = store_commit(d->store, err)))
		return rc;
	if (sent)
		*sent = r.sent;
	return WB_OK;
}

/* ---- iCalendar ---- */

static const char *uid_domain(const struct desk *d)
{
	return d->cfg && d->cfg->mail_domain && *d->cfg->mail_domain ? d->cfg->mail_domain : "weibao";
}

static void plan_event(const struct desk *d, const struct plan *p, struct ics_event *ev, struct wb_err *err)
{
	memset(ev, 0, sizeof *ev);
	ev->uid = p->ics_uid ? xstrdup(p->ics_uid) : xasprintf("plan-%lld@%s", (long long)p->id, uid_domain(d));
	ev->summary = xstrdup(p->name);
	char *items = plan_checklist_text(p);
	ev->description = *items ? items : NULL;
	if (!*items)
		free(items);
	ev->location = p->org ? xasprintf("%s / %s", p->org, p->system) : xstrdup(p->system);
	ev->rrule = xstrdup(p->rrule);
	ev->tz = recur_tz_is_utc(p->tz) ? NULL : xstrdup(p->tz);
	ev->n_exdates = split_list(p->exdates, &ev->exdates);
	ev->categories = xstrdup(p->kind);
	/* the event starts at the rule's first occurrence, as RFC 5545 asks */
	wb_time first = 0;
	recur_local_to_utc(p->dtstart, p->tz, &first, NULL);
	struct recur_occurrence *o = NULL;
	size_t n = 0;
	struct recur_spec spec;
	char **ex = NULL;
	plan_spec(p, &spec, &ex);
	size_t n_ex = spec.n_exdates;
	spec.exdates = NULL; /* the first occurrence of the rule, exceptions or not */
	spec.n_exdates = 0;
	if (recur_expand(&spec, first - 86400, INT64_C(253402300799), 1, &o, &n, err) == WB_OK && n)
		first = o[0].start;
	plan_spec_free(&ex, n_ex);
	free(o);
	ev->start = first;
	ev->end = first + (wb_time)p->duration_min * 60;
}

static void window_event(const struct desk *d, const struct maint_window *w, struct ics_event *ev)
{
	memset(ev, 0, sizeof *ev);
	ev->uid = w->ics_uid ? xstrdup(w->ics_uid) : xasprintf("window-%lld@%s", (long long)w->id, uid_domain(d));
	ev->summary = xstrdup(w->title);
	ev->description = xstrdup(w->description);
	ev->location = w->system ? xasprintf("%s / %s", w->org, w->system) : xstrdup(w->org);
	ev->start = w->start;
	ev->end = w->end;
	ev->tz = desk_tz(d) && !recur_tz_is_utc(desk_tz(d)) ? xstrdup(desk_tz(d)) : NULL;
	ev->categories = xstrdup("window");
}

int plan_export_ics(struct desk *d, wb_time from, char **out, struct wb_err *err)
{
	*out = NULL;
	struct ics_event *ev = NULL;
	size_t n = 0, cap = 0;
	int rc = store_begin_read(d->store, err);
	if (rc)
		return rc;
	int64_t after = 0;
	for (;;) {
		struct plan *v;
		size_t k;
		if ((rc = store_plan_page(d->store, after, PAGE, false, &v, &k, err)))
			break;
		for (size_t i = 0; i < k; i++) {
			if (n == cap) {
				cap = cap ? cap * 2 : 16;
				ev = xrealloc(ev, cap * sizeof *ev);
			}
			plan_event(d, &v[i], &ev[n++], NULL);
		}
		if (k)
			after = v[k - 1].id;
		plans_free(&v, k);
		if (k < PAGE)
			break;
	}
	struct plan_key key;
	bool have = false;
	while (rc == WB_OK) {
		struct maint_window *v;
		size_t k;
		if ((rc = store_window_page(d->store, from, INT64_C(253402300799), have ? &key : NULL, PAGE, &v, &k,
					    err)))
			break;
		for (size_t i = 0; i < k; i++) {
			if (n == cap) {
				cap = cap ? cap * 2 : 16;
				ev = xrealloc(ev, cap * sizeof *ev);
			}
			window_event(d, &v[i], &ev[n++]);
		}
		if (k) {
			key.start = v[k - 1].start;
			key.id = v[k - 1].id;
			have = true;
		}
		maint_windows_free(&v, k);
		if (k < PAGE)
			break;
	}
	store_end_read(d->store);
	if (rc == WB_OK)
		rc = ics_export(ev, n, out, err);
	ics_events_free(&ev, n);
	return rc;
}

/* "1. disk space" / "- disk space" / "[ ] disk space" -> "disk space". */
static void checklist_from_description(struct plan *p, const char *desc)
{
	plan_set_checklist(p, NULL);
	if (!desc)
		return;
	const char *s = desc;
	while (*s) {
		size_t len = strcspn(s, "\n");
		const char *q = s, *e = s + len;
		while (q < e && isspace((unsigned char)*q))
			q++;
		const char *digits = q;
		while (q < e && isdigit((unsigned char)*q))
			q++;
		if (q > digits && q < e && (*q == '.' || *q == ')'))
			q++;
		else if (q < e && (*q == '-' || *q == '*'))
			q++;
		else
			q = digits;
		while (q < e && isspace((unsigned char)*q))
			q++;
		if (e - q >= 3 && q[0] == '[' && q[2] == ']')
			q += 3;
		char *item = trimmed(q, (size_t)(e - q));
		if (*item && p->n_items < PLAN_ITEMS_MAX) {
			p->items = xrealloc(p->items, (p->n_items + 1) * sizeof *p->items);
			p->items[p->n_items++] = item;
		} else {
			free(item);
		}
		s = *e ? e + 1 : e;
	}
}

/* True when uid is one of this desk's exported UIDs ("plan-12@domain") and that entry still exists. */
static int own_uid(struct desk *d, const char *uid, bool *exists, struct wb_err *err)
{
	*exists = false;
	long long id;
	char kind[8];
	int used = 0;
	if (sscanf(uid, "%7[a-z]-%lld@%n", kind, &id, &used) != 2 || !used || strcmp(uid + used, uid_domain(d)))
		return WB_OK;
	if (!strcmp(kind, "plan")) {
		struct plan p;
		int rc = store_plan_get(d->store, id, &p, NULL);
		if (rc == WB_OK)
			plan_clear(&p);
		*exists = rc == WB_OK;
	} else if (!strcmp(kind, "window")) {
		struct maint_window w;
		int rc = store_window_get(d->store, id, &w, NULL);
		if (rc == WB_OK)
			maint_window_clear(&w);
		*exists = rc == WB_OK;
	}
	(void)err;
	return WB_OK;
}

static int import_event(struct desk *d, const struct ics_event *ev, const struct system_info *y, int *plans,
			int *windows, int *skipped, struct wb_err *err)
{
	bool exists = false;
	int64_t id = 0;
	const char *uid = ev->uid ? ev->uid : "";
	int rc = *uid ? own_uid(d, uid, &exists, err) : WB_OK;
	if (rc == WB_OK && !exists && *uid)
		rc = ev->rrule ? store_plan_by_uid(d->store, uid, &id, err) : store_window_by_uid(d->store, uid, &id, err);
	if (rc)
		return rc;
	if (exists || id) {
		(*skipped)++;
		return WB_OK;
	}
	const char *title = ev->summary && *ev->summary ? ev->summary : _("maintenance");
	if (!ev->rrule) {
		struct maint_window w = { 0 };
		w.title = (char *)title;
		w.description = ev->description;
		w.system_id = y->id;
		w.org_id = y->org_id;
		w.start = ev->start;
		w.end = ev->end > ev->start ? ev->end : ev->start + 3600;
		w.lead_hours = 24;
		w.ics_uid = *uid ? (char *)uid : NULL;
		if ((rc = plan_window_add(d, &w, NULL, err)) == WB_OK)
			(*windows)++;
		return rc;
	}
	struct plan p = { 0 };
	p.name = (char *)title;
	enum plan_kind k = PLAN_OTHER;
	if (ev->categories) {
		char **cats = NULL;
		size_t nc = split_list(ev->categories, &cats);
		for (size_t i = 0; i < nc; i++)
			if (plan_kind_parse(cats[i], &k, NULL) == WB_OK)
				break;
		plan_spec_free(&cats, nc);
	}
	p.kind = (char *)plan_kind_name(k);
	p.system_id = y->id;
	p.rrule = ev->rrule;
	/* a time in UTC stays UTC; an all-day event keeps its dates in the organisation's zone */
	p.tz = ev->tz ? ev->tz : ev->all_day ? NULL : (char *)"UTC";
	char local[20];
	if ((rc = recur_utc_to_local(ev->start, ev->tz, local, sizeof local, err)))
		return rc;
	p.dtstart = local;
	p.duration_min = ev->end > ev->start ? (int)((ev->end - ev->start + 59) / 60) : 60;
	struct strbuf ex = STRBUF_INIT;
	for (size_t i = 0; i < ev->n_exdates; i++)
		strbuf_addf(&ex, "%s%s", i ? "," : "", ev->exdates[i]);
	p.exdates = ex.len ? ex.s : NULL;
	p.lead_hours = 24;
	p.notify = (char *)"none";
	p.ics_uid = *uid ? (char *)uid : NULL;
	checklist_from_description(&p, ev->description);
	rc = plan_add(d, &p, NULL, err);
	if (rc == WB_OK)
		(*plans)++;
	strbuf_free(&ex);
	for (size_t i = 0; i < p.n_items; i++)
		free(p.items[i]);
	free(p.items);
	return rc;
}

int plan_import_ics(struct desk *d, const char *text, const char *system, int *plans, int *windows, int *skipped,
		    struct wb_err *err)
{
	int np = 0, nw = 0, ns = 0;
	int rc = desk_require(d, ROLE_OPERATOR, err);
	if (rc)
		return rc;
	if (!system || !*system)
		return wb_err_set(err, WB_EINVAL, _("say which system the imported plans and windows belong to (--system)"));
	struct ics_event *ev = NULL;
	size_t n = 0;
	if ((rc = ics_import(text, &ev, &n, err)))
		return rc;
	if ((rc = store_begin(d->store, err))) {
		ics_events_free(&ev, n);
		return rc;
	}
	struct system_info y;
	rc = store_system_find(d->store, system, 0, &y, err);
	for (size_t i = 0; i < n && rc == WB_OK; i++) {
		rc = import_event(d, &ev[i], &y, &np, &nw, &ns, err);
		if (rc)
			wb_err_prefix(err, rc, _("event %s"), ev[i].uid ? ev[i].uid : ev[i].summary ? ev[i].summary : "?");
	}
	system_info_clear(&y);
	ics_events_free(&ev, n);
	if (rc) {
		store_rollback(d->store);
		return rc;
	}
	if ((rc = store_commit(d->store, err)))
		return rc;
	if (plans)
		*plans = np;
	if (windows)
		*windows = nw;
	if (skipped)
		*skipped = ns;
	return WB_OK;
}

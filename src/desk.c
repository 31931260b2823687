#include "desk.h"

#include "i18n.h"
#include "store_dir.h"
#include "store_plan.h"
#include "store_search.h"
#include "strbuf.h"
#include "utf8.h"
#include "xmalloc.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- opening ---- */

static char *current_login(void)
{
	const char *env = getenv("WEIBAO_USER");
	if (env && *env)
		return xstrdup(env);
	struct passwd *pw = getpwuid(geteuid());
	if (pw && pw->pw_name)
		return xstrdup(pw->pw_name);
	env = getenv("USER");
	return xstrdup(env && *env ? env : "operator");
}

static char *login_display_name(const char *login)
{
	struct passwd *pw = getpwnam(login);
	if (pw && pw->pw_gecos && *pw->pw_gecos) {
		char *name = xstrdup(pw->pw_gecos);
		char *comma = strchr(name, ',');
		if (comma)
			*comma = '\0';
		if (*name)
			return name;
		free(name);
	}
	return xstrdup(login);
}

/* A new database: its first user is the admin (the program's own agents never are); the desk
 * gets a queue and SLA policies. */
static int seed_desk(struct desk *d, const char *login, bool no_admin, bool seeded, struct wb_err *err)
{
	int rc;
	if (!no_admin) {
		struct user u = { 0 };
		u.login = (char *)login;
		u.name = login_display_name(login);
		u.role = ROLE_ADMIN;
		rc = store_user_add(d->store, &u, NULL, err);
		free(u.name);
		if (rc)
			return rc;
	}
	if (seeded)
		return WB_OK;
	struct queue_info q = { 0 };
	q.name = (char *)"General";
	q.from_addr = d->cfg->mail_from;
	q.description = (char *)_("Everything that has no queue of its own");
	if ((rc = store_queue_add(d->store, &q, NULL, err)))
		return rc;
	size_t n;
	const struct sla_target *t = sla_default_targets(&n);
	for (size_t i = 0; i < n; i++)
		if ((rc = store_sla_policy_set(d->store, t[i].level, t[i].priority, t[i].response_min,
					       t[i].resolve_min, t[i].always, err)))
			return rc;
	const char *keys[] = { "sla.workdays", "sla.hours", "sla.timezone", "sla.holidays" };
	const char *vals[] = { d->cfg->workdays, d->cfg->hours, d->cfg->timezone, d->cfg->holidays };
	for (size_t i = 0; i < 4; i++)
		if ((rc = store_setting_set(d->store, keys[i], vals[i] ? vals[i] : "", err)))
			return rc;
	return store_audit_add(d->store, 0, 0, "desk created", NULL, login, err);
}

static int load_calendar(struct desk *d, struct wb_err *err)
{
	const char *keys[] = { "sla.workdays", "sla.hours", "sla.timezone", "sla.holidays" };
	char *v[4] = { 0 };
	int rc = WB_OK;
	for (size_t i = 0; i < 4 && rc == WB_OK; i++)
		rc = store_setting_get(d->store, keys[i], &v[i], err);
	if (rc == WB_OK) {
		sla_calendar_init(&d->cal, v[2] ? v[2] : d->cfg->timezone);
		rc = sla_calendar_set(&d->cal, v[0] ? v[0] : d->cfg->workdays, v[1] ? v[1] : d->cfg->hours,
				      NULL, v[3] ? v[3] : d->cfg->holidays, err);
		if (rc)
			wb_err_prefix(err, rc, _("the desk's SLA calendar"));
	}
	for (size_t i = 0; i < 4; i++)
		free(v[i]);
	sla_calendar_init(&d->always, "UTC");
	d->always.always = true;
	return rc;
}

int desk_open(const struct wb_config *cfg, const char *db_path, const char *login, struct desk **out,
	      struct wb_err *err)
{
	struct desk *d = xcalloc(1, sizeof *d);
	d->policies = xcalloc(1, sizeof *d->policies);
	d->cfg = cfg;
	d->risk = cfg->risk > 0 && cfg->risk < 1 ? cfg->risk : 0.75;
	int rc = store_open(db_path, &d->store, err);
	if (rc) {
		free(d);
		return rc;
	}
	char *who = login ? xstrdup(login) : current_login();
	/* "@mailgate", "@automation": the program's own agents act as operators */
	bool agent = who[0] == '@';
	bool empty = false;
	/* the common case, a known operator, needs no write lock */
	if (store_user_find(d->store, who, &d->me, NULL) == WB_OK) {
		free(who);
		rc = load_calendar(d, err);
		if (rc)
			desk_close(&d);
		*out = d;
		return rc;
	}
	rc = store_begin(d->store, err);
	if (rc == WB_OK)
		rc = store_is_empty(d->store, &empty, err);
	if (rc == WB_OK) {
		struct queue_info q;
		bool seeded = store_queue_find(d->store, "1", &q, NULL) == WB_OK;
		if (seeded)
			queue_info_clear(&q);
		/* the desk's defaults once; the first human to come becomes its admin */
		if (!seeded || (empty && !agent))
			rc = seed_desk(d, who, agent || !empty, seeded, err);
	}
	if (rc == WB_OK && store_user_find(d->store, who, &d->me, NULL) == WB_ENOTFOUND) {
		struct user u = { 0 };
		u.login = who;
		u.name = agent ? xstrdup(who + 1) : login_display_name(who);
		u.role = agent ? ROLE_OPERATOR : ROLE_VIEWER;
		rc = store_user_add(d->store, &u, NULL, err);
		free(u.name);
		if (rc == WB_OK)
			rc = store_user_find(d->store, who, &d->me, err);
	}
	if (rc == WB_OK)
		rc = store_commit(d->store, err);
	else
		store_rollback(d->store);
	free(who);
	if (rc == WB_OK)
		rc = load_calendar(d, err);
	if (rc) {
		desk_close(&d);
		return rc;
	}
	*out = d;
	return WB_OK;
}

void desk_close(struct desk **dp)
{
	if (!dp || !*dp)
		return;
	struct desk *d = *dp;
	store_close(&d->store);
	user_clear(&d->me);
	sla_calendar_clear(&d->cal);
	sla_calendar_clear(&d->always);
	free(d->policies);
	free(d);
	*dp = NULL;
}

int desk_require(const struct desk *d, enum user_role need, struct wb_err *err)
{
	if (d->me.role >= (int)need)
		return WB_OK;
	return wb_err_set(err, WB_EREFUSED, _("%s is a %s; this needs the %s role (ask an admin: weibao user set %s role %s)"),
			  d->me.login, user_role_name((enum user_role)d->me.role), user_role_name(need),
			  d->me.login, user_role_name(need));
}

/* ---- SLA ---- */

/* The SLA targets of a contract level and priority: the desk's policy table, else the built-in
 * defaults. Cached for a minute, since every row drawn on a queue screen asks. Returns false
 * when neither has a target. */
static bool policy_of(const struct desk *d, const char *level, int priority, int *resp, int *res, bool *always)
{
	struct desk_policy_cache *c = d->policies;
	wb_time now = clock_now();
	if (c->loaded_at && (now - c->loaded_at > 60 || now < c->loaded_at))
		c->n = 0;
	for (size_t i = 0; i < c->n; i++)
		if (c->p[i].priority == priority && !strcmp(c->p[i].level, level)) {
			*resp = c->p[i].resp;
			*res = c->p[i].res;
			*always = c->p[i].always;
			return c->p[i].found;
		}
	struct desk_policy p = { .priority = priority };
	snprintf(p.level, sizeof p.level, "%s", level);
	p.found = store_sla_policy_get(d->store, level, priority, &p.resp, &p.res, &p.always, NULL) == WB_OK;
	if (!p.found) {
		const struct sla_target *def = sla_default_target(level, priority);
		p.found = def != NULL;
		p.resp = def ? def->response_min : 0;
		p.res = def ? def->resolve_min : 0;
		p.always = def && def->always;
	}
	if (!c->n)
		c->loaded_at = now;
	if (c->n < sizeof c->p / sizeof c->p[0])
		c->p[c->n++] = p;
	*resp = p.resp;
	*res = p.res;
	*always = p.always;
	return p.found;
}

static const char *level_of(const struct ticket *t)
{
	return t->sla_level && *t->sla_level ? t->sla_level : "standard";
}

/* Recomputes the targets from the creation time, the policy of the organisation's contract
 * level and priority, and the time spent waiting on the customer. */
static void sla_recompute(struct desk *d, struct ticket *t)
{
	int resp = 0, res = 0;
	bool always = false;
	if (!policy_of(d, level_of(t), t->priority, &resp, &res, &always)) {
		t->response_due = t->resolve_due = t->sla_due = t->sla_risk_at = 0;
		return;
	}
	const struct sla_calendar *cal = always ? &d->always : &d->cal;
	int64_t pause = t->paused_secs;
	/* once answered, the response target is history: later waits do not move it */
	if (!t->first_response_at || !t->response_due)
		t->response_due = sla_add(cal, t->created_at, (int64_t)resp * 60 + pause);
	t->resolve_due = sla_add(cal, t->created_at, (int64_t)res * 60 + pause);
	int64_t target = t->first_response_at ? (int64_t)res * 60 : (int64_t)resp * 60;
	t->sla_due = t->first_response_at ? t->resolve_due : t->response_due;
	t->sla_risk_at = sla_add(cal, t->created_at, (int64_t)(target * d->risk) + pause);
}

static const struct sla_calendar *ticket_calendar(const struct desk *d, const struct ticket *t)
{
	int resp, res;
	bool always = false;
	policy_of(d, level_of(t), t->priority, &resp, &res, &always);
	return always ? &d->always : &d->cal;
}

enum sla_state desk_ticket_sla(const struct desk *d, const struct ticket *t, wb_time now)
{
	if (!t->sla_due)
		return SLA_NONE;
	wb_time done = t->first_response_at && t->sla_due == t->response_due ? t->first_response_at
		     : !ticket_status_is_open(t->status) ? (t->resolved_at ? t->resolved_at : t->closed_at) : 0;
	return sla_evaluate(ticket_calendar(d, t), t->created_at, t->sla_due, done, now, t->paused_at, d->risk);
}

/* ---- contacts ---- */

int desk_contact_for_email(struct desk *d, const char *email, const char *name, int64_t *id,
			   struct wb_err *err)
{
	char *addr;
	int rc = contact_email_normalise(email, &addr, err);
	if (rc)
		return rc;
	struct contact c;
	rc = store_contact_by_email(d->store, addr, &c, NULL);
	if (rc == WB_OK) {
		*id = c.id;
		contact_clear(&c);
		free(addr);
		return WB_OK;
	}
	memset(&c, 0, sizeof c);
	c.email = addr;
	c.name = (char *)(name && *name ? name : addr);
	rc = store_org_by_domain(d->store, strchr(addr, '@') + 1, &c.org_id, err);
	if (rc == WB_OK)
		rc = store_contact_add(d->store, &c, id, err);
	if (rc == WB_OK)
		rc = store_audit_add(d->store, d->me.id, 0, "contact added", NULL, addr, err);
	free(addr);
	return rc;
}

int desk_contact_for_phone(struct desk *d, const char *phone, const char *name, int64_t *id,
			   struct wb_err *err)
{
	char *num;
	int rc = contact_phone_normalise(phone, d->cfg->country_code, &num, err);
	if (rc)
		return rc;
	struct contact c;
	rc = store_contact_by_phone(d->store, num, &c, NULL);
	if (rc == WB_OK) {
		*id = c.id;
		contact_clear(&c);
		free(num);
		return WB_OK;
	}
	memset(&c, 0, sizeof c);
	c.phone = num;
	c.name = (char *)(name && *name ? name : phone);
	rc = store_contact_add(d->store, &c, id, err);
	if (rc == WB_OK)
		rc = store_audit_add(d->store, d->me.id, 0, "contact added", NULL, num, err);
	free(num);
	return rc;
}

/* ---- tickets ---- */

void ticket_draft_init(struct ticket_draft *t)
{
	memset(t, 0, sizeof *t);
	t->kind = KIND_QUESTION;
	t->priority = 3;
	t->channel = CHANNEL_EMAIL;
	t->first.kind = MSG_COUNT; /* derived from the channel */
}

void ticket_change_init(struct ticket_change *c)
{
	memset(c, 0, sizeof *c);
	c->kind = -1;
}

static int add_attachments(struct desk *d, int64_t msg_id, const struct desk_message *m, struct wb_err *err)
{
	for (size_t i = 0; i < m->n_att; i++) {
		const struct desk_attachment *a = &m->att[i];
		int rc = store_attachment_add(d->store, msg_id, a->filename, a->content_type, a->content_id,
					      a->is_inline, a->data, a->size, err);
		if (rc)
			return rc;
	}
	return WB_OK;
}

static int event(struct desk *d, int64_t ticket_id, const char *what, const char *old_value,
		 const char *new_value, bool visible, struct wb_err *err)
{
	int rc = store_audit_add(d->store, d->me.id, ticket_id, what, old_value, new_value, err);
	if (rc || !visible)
		return rc;
	char *body = old_value ? xasprintf("%s: %s → %s", what, old_value, new_value ? new_value : "-")
			       : xasprintf("%s: %s", what, new_value ? new_value : "-");
	struct message_new m = { 0 };
	m.ticket_id = ticket_id;
	m.kind = MSG_EVENT;
	m.author_user_id = d->me.id;
	m.body = body;
	rc = store_message_add(d->store, &m, NULL, err);
	free(body);
	return rc;
}

static int resolve_requester(struct desk *d, const struct ticket_draft *t, int64_t *id, struct wb_err *err)
{
	*id = t->requester_id;
	if (*id)
		return WB_OK;
	if (t->requester_email && *t->requester_email)
		return desk_contact_for_email(d, t->requester_email, t->requester_name, id, err);
	if (t->requester_phone && *t->requester_phone)
		return desk_contact_for_phone(d, t->requester_phone, t->requester_name, id, err);
	return WB_OK;
}

static enum message_kind first_message_kind(const struct ticket_draft *t)
{
	if (t->first.kind != MSG_COUNT)
		return t->first.kind;
	switch (t->channel) {
	case CHANNEL_PHONE: return MSG_CALL;
	case CHANNEL_INTERNAL: return MSG_NOTE;
	default: return MSG_INBOUND;
	}
}

static int create_in_tx(struct desk *d, const struct ticket_draft *t, int64_t *id, struct wb_err *err)
{
	struct ticket nt;
	memset(&nt, 0, sizeof nt);
	int rc = resolve_requester(d, t, &nt.requester_id, err);
	if (rc)
		return rc;
	if (nt.requester_id) {
		struct contact c;
		if ((rc = store_contact_get(d->store, nt.requester_id, &c, err)))
			return rc;
		nt.org_id = c.org_id;
		contact_clear(&c);
	}
	if (nt.org_id) {
		char key[32];
		snprintf(key, sizeof key, "%lld", (long long)nt.org_id);
		struct organisation o;
		if ((rc = store_org_find(d->store, key, &o, err)))
			return rc;
		nt.sla_level = o.sla_level;
		o.sla_level = NULL;
		organisation_clear(&o);
	}
	struct queue_info q;
	rc = store_queue_find(d->store, t->queue && *t->queue ? t->queue : "1", &q, err);
	if (rc)
		goto out;
	nt.queue_id = q.id;
	queue_info_clear(&q);
	if (t->system && *t->system) {
		struct system_info y;
		if ((rc = store_system_find(d->store, t->system, nt.org_id, &y, err)))
			goto out;
		nt.system_id = y.id;
		if (!nt.org_id)
			nt.org_id = y.org_id;
		system_info_clear(&y);
	}
	if (t->assignee && *t->assignee) {
		struct user u;
		if ((rc = store_user_find(d->store, t->assignee, &u, err)))
			goto out;
		nt.assignee_id = u.id;
		user_clear(&u);
	}
	nt.subject = xstrdup(t->subject);
	utf8_flatten(nt.subject);
	nt.kind = t->kind;
	nt.priority = t->priority ? t->priority : 3;
	nt.channel = t->channel;
	nt.status = STATUS_NEW;
	nt.created_at = nt.updated_at = t->first.at ? t->first.at : clock_now();
	/* opened while a maintenance window covers its organisation/system */
	if ((rc = store_window_covering(d->store, nt.org_id, nt.system_id, nt.created_at, &nt.in_window, err)))
		goto out;
	nt.affected_version = (char *)t->affected_version;
	sla_recompute(d, &nt);
	rc = store_ticket_insert(d->store, &nt, id, err);
	nt.affected_version = NULL;
	if (rc)
		goto out;
	nt.id = *id;
	const char *body = t->body ? t->body : t->first.body;
	int64_t msg_id = 0;
	if ((body && *body) || t->first.email_message_id || t->first.n_att) {
		struct message_new m = { 0 };
		m.ticket_id = *id;
		m.kind = first_message_kind(t);
		m.author_contact_id = m.kind == MSG_INBOUND || m.kind == MSG_CALL ? nt.requester_id : 0;
		m.author_user_id = m.kind == MSG_INBOUND ? 0 : d->me.id;
		m.body = body ? body : "";
		m.quoted = t->first.quoted;
		m.minutes = t->first.minutes;
		m.email_message_id = t->first.email_message_id;
		m.flagged = t->first.flagged;
		m.created_at = nt.created_at;
		if ((rc = store_message_add(d->store, &m, &msg_id, err)))
			goto out;
		if ((rc = add_attachments(d, msg_id, &t->first, err)))
			goto out;
		if (t->first.minutes) {
			nt.minutes_worked = t->first.minutes;
			if ((rc = store_ticket_update(d->store, &nt, 0, err)))
				goto out;
		}
	}
	rc = store_audit_add(d->store, d->me.id, *id, "created", NULL, nt.subject, err);
	if (rc == WB_OK && d->notify && nt.requester_id && !t->no_ack)
		rc = d->notify(d, DESK_EV_CREATED, &nt, msg_id, body, d->notify_ctx, err);
out:
	ticket_clear(&nt);
	return rc;
}

int desk_ticket_create(struct desk *d, const struct ticket_draft *t, int64_t *id, struct wb_err *err)
{
	int rc = desk_require(d, ROLE_OPERATOR, err);
	if (rc)
		return rc;
	if ((rc = ticket_subject_check(t->subject, err)) ||
	    (rc = ticket_body_check(t->body ? t->body : t->first.body, err)))
		return rc;
	if (t->priority < 0 || t->priority > 4)
		return wb_err_set(err, WB_EINVAL, _("unknown priority '%d' (allowed: P1, P2, P3, P4)"), t->priority);
	if ((rc = store_begin(d->store, err)))
		return rc;
	rc = create_in_tx(d, t, id, err);
	if (rc) {
		store_rollback(d->store);
		return rc;
	}
	return store_commit(d->store, err);
}

int desk_ticket_get(struct desk *d, int64_t id, struct ticket **out, struct wb_err *err)
{
	struct ticket *t = xcalloc(1, sizeof *t);
	int rc = store_ticket_get(d->store, id, t, err);
	if (rc) {
		free(t);
		return rc;
	}
	*out = t;
	return WB_OK;
}

int desk_ticket_messages(struct desk *d, int64_t id, struct message_list *out, struct wb_err *err)
{
	return store_message_list(d->store, id, out, err);
}

int desk_ticket_page(struct desk *d, const struct ticket_filter *f, enum ticket_sort sort,
		     const struct ticket_key *key, bool backward, size_t limit, struct ticket_list *out,
		     struct wb_err *err)
{
	return store_ticket_page(d->store, f, sort, key, backward, limit, out, err);
}

int desk_ticket_search(struct desk *d, const char *typed, size_t limit, struct ticket_list *out,
		       struct wb_err *err)
{
	char *q;
	int rc = store_search_query(typed, &q, err);
	if (rc)
		return rc;
	rc = store_ticket_search(d->store, q, limit, out, err);
	free(q);
	return rc;
}

int desk_counts(struct desk *d, struct ticket_counts *c, struct wb_err *err)
{
	return store_ticket_counts(d->store, d->me.id, clock_now(), c, err);
}

int desk_set_cache_kib(struct desk *d, int kib, struct wb_err *err)
{
	return store_set_cache_kib(d->store, kib, err);
}

int desk_data_version(struct desk *d, int64_t *v, struct wb_err *err)
{
	return store_data_version(d->store, v, err);
}

int desk_ticket_read(struct desk *d, int64_t id, struct ticket **t, struct message_list *msgs,
		     struct wb_err *err)
{
	*t = NULL;
	memset(msgs, 0, sizeof *msgs);
	int rc = store_begin_read(d->store, err);
	if (rc)
		return rc;
	rc = desk_ticket_get(d, id, t, err);
	if (rc == WB_OK && (rc = desk_ticket_messages(d, id, msgs, err)))
		ticket_free(t);
	store_end_read(d->store);
	return rc;
}

#define EACH_PAGE 200 /* tickets per keyset query in desk_ticket_each */

int desk_ticket_each(struct desk *d, const struct ticket_filter *f, enum ticket_sort sort, size_t limit,
		     desk_ticket_fn fn, void *ctx, struct wb_err *err)
{
	int rc = store_begin_read(d->store, err);
	if (rc)
		return rc;
	struct ticket_key key;
	bool have_key = false;
	size_t done = 0;
	for (;;) {
		size_t want = EACH_PAGE;
		if (limit && limit - done < want)
			want = limit - done;
		if (!want)
			break;
		struct ticket_list page;
		rc = store_ticket_page(d->store, f, sort, have_key ? &key : NULL, false, want, &page, err);
		if (rc)
			break;
		for (size_t i = 0; i < page.n && rc == WB_OK; i++)
			rc = fn(&page.items[i], ctx);
		done += page.n;
		if (page.n)
			ticket_key_of(&page.items[page.n - 1], sort, &key);
		have_key = true;
		size_t got = page.n;
		ticket_list_free(&page);
		if (rc || got < want)
			break;
	}
	store_end_read(d->store);
	return rc;
}

int desk_check(const char *db_path, char **report, struct wb_err *err)
{
	struct store *s;
	*report = NULL;
	int rc = store_open_existing(db_path, &s, err);
	if (rc)
		return rc;
	rc = store_check(s, report, err);
	store_close(&s);
	return rc;
}

int desk_backup(struct desk *d, const char *path, struct wb_err *err)
{
	return store_backup(d->store, path, err);
}

int desk_schema_version(struct desk *d, int *version, struct wb_err *err)
{
	return store_schema_version(d->store, version, err);
}

/* Loads a ticket for a change; refuses a version mismatch and merged tickets. */
static int load_for_change(struct desk *d, int64_t id, int64_t expect_version, struct ticket *t,
			   struct wb_err *err)
{
	int rc = store_ticket_get(d->store, id, t, err);
	if (rc)
		return rc;
	if (expect_version && t->version != expect_version) {
		ticket_clear(t);
		return wb_err_set(err, WB_ECONFLICT,
				  _("ticket #%lld was changed by someone else meanwhile; reload it and try again"),
				  (long long)id);
	}
	return WB_OK;
}

/* Leaving "waiting on customer": the paused business time extends the targets. */
static void resume_clock(struct desk *d, struct ticket *t, wb_time now)
{
	if (!t->paused_at)
		return;
	t->paused_secs += sla_elapsed(ticket_calendar(d, t), t->paused_at, now);
	t->paused_at = 0;
	sla_recompute(d, t);
}

static int apply_status(struct desk *d, struct ticket *t, enum ticket_status to, wb_time now,
			struct wb_err *err)
{
	enum ticket_status from = t->status;
	if (from == to)
		return WB_OK;
	int rc = ticket_transition_check(from, to, err);
	if (rc)
		return wb_err_prefix(err, rc, _("ticket #%lld"), (long long)t->id);
	if (from == STATUS_WAITING)
		resume_clock(d, t, now);
	if (to == STATUS_WAITING)
		t->paused_at = now;
	if (to == STATUS_RESOLVED)
		t->resolved_at = now;
	if (to == STATUS_CLOSED)
		t->closed_at = now;
	if (to == STATUS_REOPENED) {
		t->resolved_at = 0;
		t->closed_at = 0;
	}
	t->status = to;
	rc = event(d, t->id, "status", ticket_status_name(from), ticket_status_name(to), true, err);
	if (rc == WB_OK && to == STATUS_RESOLVED && d->notify && t->requester_id)
		rc = d->notify(d, DESK_EV_RESOLVED, t, 0, NULL, d->notify_ctx, err);
	return rc;
}

int desk_ticket_add_message(struct desk *d, int64_t id, const struct desk_message *m,
			    int64_t expect_version, int64_t *msg_id, struct wb_err *err)
{
	int rc = desk_require(d, ROLE_OPERATOR, err);
	if (rc)
		return rc;
	if ((rc = ticket_body_check(m->body, err)))
		return rc;
	if (m->kind == MSG_EVENT)
		return wb_err_set(err, WB_EINVAL, _("events are written by weibao itself"));
	if (m->kind != MSG_INBOUND && (!m->body || !*m->body) && !m->n_att)
		return wb_err_set(err, WB_EINVAL, _("the message is empty"));
	if (m->minutes < 0 || m->minutes > 100000)
		return wb_err_set(err, WB_EINVAL, _("minutes worked must be 0 to 100000, not %d"), m->minutes);
	if ((rc = store_begin(d->store, err)))
		return rc;
	struct ticket t;
	rc = load_for_change(d, id, expect_version, &t, err);
	if (rc) {
		store_rollback(d->store);
		return rc;
	}
	wb_time now = m->at ? m->at : clock_now();
	struct message_new nm = { 0 };
	nm.ticket_id = id;
	nm.kind = m->kind;
	nm.author_contact_id = m->author_contact_id;
	nm.author_user_id = m->author_contact_id && m->kind == MSG_INBOUND ? 0 : d->me.id;
	nm.body = m->body;
	nm.quoted = m->quoted;
	nm.minutes = m->minutes;
	nm.email_message_id = m->email_message_id;
	nm.flagged = m->flagged;
	nm.created_at = now;
	int64_t mid = 0;
	rc = store_message_add(d->store, &nm, &mid, err);
	if (rc == WB_OK)
		rc = add_attachments(d, mid, m, err);
	if (rc == WB_OK) {
		t.updated_at = now > t.updated_at ? now : t.updated_at;
		t.minutes_worked += m->minutes;
		if ((m->kind == MSG_REPLY || m->kind == MSG_CALL) && !t.first_response_at) {
			t.first_response_at = now;
			sla_recompute(d, &t);
		}
		if (m->kind == MSG_INBOUND && t.status == STATUS_WAITING)
			rc = apply_status(d, &t, STATUS_IN_PROGRESS, now, err);
	}
	if (rc == WB_OK)
		rc = store_ticket_update(d->store, &t, 0, err);
	if (rc == WB_OK)
		rc = store_audit_add(d->store, d->me.id, id, message_kind_name(m->kind), NULL, NULL, err);
	if (rc == WB_OK && m->kind == MSG_REPLY && d->notify)
		rc = d->notify(d, DESK_EV_REPLY, &t, mid, m->body, d->notify_ctx, err);
	ticket_clear(&t);
	if (rc) {
		store_rollback(d->store);
		return rc;
	}
	if ((rc = store_commit(d->store, err)))
		return rc;
	if (msg_id)
		*msg_id = mid;
	return WB_OK;
}

/* Sets a text field, recording old and new in the audit log and the conversation. */
static int change_text(struct desk *d, struct ticket *t, char **field, const char *value, const char *what,
		       struct wb_err *err)
{
	if (!value)
		return WB_OK;
	if (*field && strcmp(*field, value) == 0)
		return WB_OK;
	int rc = event(d, t->id, what, *field ? *field : "-", value, true, err);
	free(*field);
	*field = *value ? xstrdup(value) : NULL;
	return rc;
}

static int change_one(struct desk *d, int64_t id, const struct ticket_change *c, int64_t expect_version,
		      struct wb_err *err)
{
	struct ticket t;
	int rc = load_for_change(d, id, expect_version, &t, err);
	if (rc)
		return rc;
	wb_time now = clock_now();
	if (c->subject) {
		if ((rc = ticket_subject_check(c->subject, err)))
			goto out;
		rc = change_text(d, &t, &t.subject, c->subject, "subject", err);
	}
	if (rc == WB_OK && c->priority && c->priority != t.priority) {
		char a[4], b[4];
		snprintf(a, sizeof a, "P%d", t.priority);
		snprintf(b, sizeof b, "P%d", c->priority);
		t.priority = c->priority;
		sla_recompute(d, &t);
		rc = event(d, id, "priority", a, b, true, err);
	}
	if (rc == WB_OK && c->kind >= 0 && c->kind != (int)t.kind) {
		rc = event(d, id, "kind", ticket_kind_name(t.kind), ticket_kind_name((enum ticket_kind)c->kind), true, err);
		t.kind = (enum ticket_kind)c->kind;
	}
	if (rc == WB_OK && c->queue) {
		struct queue_info q;
		rc = store_queue_find(d->store, c->queue, &q, err);
		if (rc == WB_OK && q.id != t.queue_id) {
			rc = event(d, id, "queue", t.queue, q.name, true, err);
			t.queue_id = q.id;
		}
		if (rc == WB_OK)
			queue_info_clear(&q);
	}
	if (rc == WB_OK && (c->assignee || c->take)) {
		struct user u = { 0 };
		if (c->take)
			rc = store_user_get(d->store, d->me.id, &u, err);
		else if (*c->assignee)
			rc = store_user_find(d->store, c->assignee, &u, err);
		if (rc == WB_OK && u.id != t.assignee_id) {
			if (u.id && u.role < ROLE_OPERATOR)
				rc = wb_err_set(err, WB_EREFUSED, _("%s is a viewer and cannot be assigned tickets"), u.login);
			else
				rc = event(d, id, "assignee", t.assignee ? t.assignee : "-", u.login ? u.login : "-", true, err);
			t.assignee_id = u.id;
		}
		user_clear(&u);
	}
	if (rc == WB_OK && c->system) {
		struct system_info y = { 0 };
		if (*c->system)
			rc = store_system_find(d->store, c->system, t.org_id, &y, err);
		if (rc == WB_OK && y.id != t.system_id) {
			rc = event(d, id, "system", t.system ? t.system : "-", y.name ? y.name : "-", true, err);
			t.system_id = y.id;
		}
		system_info_clear(&y);
	}
	if (rc == WB_OK)
		rc = change_text(d, &t, &t.affected_version, c->affected_version, "affected version", err);
	if (rc == WB_OK)
		rc = change_text(d, &t, &t.fixed_version, c->fixed_version, "fixed in", err);
	if (rc == WB_OK)
		rc = change_text(d, &t, &t.review_ref, c->review_ref, "review", err);
	if (rc == WB_OK)
		rc = change_text(d, &t, &t.test_result, c->test_result, "test result", err);
	if (rc == WB_OK && c->set_status)
		rc = apply_status(d, &t, c->status, now, err);
	if (rc == WB_OK && c->note && *c->note) {
		struct message_new m = { 0 };
		m.ticket_id = id;
		m.kind = MSG_NOTE;
		m.author_user_id = d->me.id;
		m.body = c->note;
		m.minutes = c->minutes;
		t.minutes_worked += c->minutes;
		rc = store_message_add(d->store, &m, NULL, err);
	}
	if (rc == WB_OK) {
		t.updated_at = now;
		rc = store_ticket_update(d->store, &t, 0, err);
	}
out:
	ticket_clear(&t);
	return rc;
}

int desk_ticket_change(struct desk *d, const int64_t *ids, size_t n, const struct ticket_change *c,
		       int64_t expect_version, struct wb_err *err)
{
	int rc = desk_require(d, ROLE_OPERATOR, err);
	if (rc)
		return rc;
	if (c->priority < 0 || c->priority > 4)
		return wb_err_set(err, WB_EINVAL, _("unknown priority '%d' (allowed: P1, P2, P3, P4)"), c->priority);
	if ((rc = ticket_body_check(c->note, err)))
		return rc;
	if ((rc = store_begin(d->store, err)))
		return rc;
	for (size_t i = 0; i < n && rc == WB_OK; i++)
		rc = change_one(d, ids[i], c, n == 1 ? expect_version : 0, err);
	if (rc) {
		store_rollback(d->store);
		return rc;
	}
	return store_commit(d->store, err);
}

int desk_ticket_link(struct desk *d, int64_t from_id, int64_t to_id, enum link_kind kind, struct wb_err *err)
{
	int rc = desk_require(d, ROLE_OPERATOR, err);
	if (rc)
		return rc;
	if (from_id == to_id)
		return wb_err_set(err, WB_EINVAL, _("a ticket cannot be linked to itself (#%lld)"), (long long)from_id);
	if ((rc = store_begin(d->store, err)))
		return rc;
	struct ticket a, b;
	rc = store_ticket_get(d->store, from_id, &a, err);
	if (rc == WB_OK) {
		rc = store_ticket_get(d->store, to_id, &b, err);
		if (rc == WB_OK)
			ticket_clear(&b);
		ticket_clear(&a);
	}
	char other[32];
	snprintf(other, sizeof other, "#%lld", (long long)to_id);
	if (rc == WB_OK)
		rc = store_link_add(d->store, from_id, to_id, kind, err);
	if (rc == WB_OK)
		rc = event(d, from_id, link_kind_name(kind), NULL, other, true, err);
	if (rc) {
		store_rollback(d->store);
		return rc;
	}
	return store_commit(d->store, err);
}

int desk_ticket_merge(struct desk *d, int64_t dup_id, int64_t orig_id, struct wb_err *err)
{
	int rc = desk_require(d, ROLE_SUPERVISOR, err);
	if (rc)
		return rc;
	if (dup_id == orig_id)
		return wb_err_set(err, WB_EINVAL, _("a ticket cannot be merged into itself (#%lld)"), (long long)dup_id);
	if ((rc = store_begin(d->store, err)))
		return rc;
	struct ticket dup, orig;
	memset(&dup, 0, sizeof dup);
	memset(&orig, 0, sizeof orig);
	rc = store_ticket_get(d->store, dup_id, &dup, err);
	if (rc == WB_OK)
		rc = store_ticket_get(d->store, orig_id, &orig, err);
	if (rc == WB_OK && dup.merged_into)
		rc = wb_err_set(err, WB_EREFUSED, _("ticket #%lld was already merged into #%lld"),
				(long long)dup_id, (long long)dup.merged_into);
	if (rc == WB_OK && orig.merged_into)
		rc = wb_err_set(err, WB_EREFUSED, _("ticket #%lld was itself merged into #%lld; merge into that one"),
				(long long)orig_id, (long long)orig.merged_into);
	if (rc == WB_OK)
		rc = store_ticket_move_messages(d->store, dup_id, orig_id, err);
	char a[32], b[32];
	snprintf(a, sizeof a, "#%lld", (long long)dup_id);
	snprintf(b, sizeof b, "#%lld", (long long)orig_id);
	wb_time now = clock_now();
	if (rc == WB_OK) {
		dup.merged_into = orig_id;
		if (dup.status == STATUS_WAITING)
			resume_clock(d, &dup, now);
		dup.status = STATUS_CLOSED;
		dup.closed_at = now;
		dup.updated_at = now;
		orig.minutes_worked += dup.minutes_worked;
		orig.updated_at = now;
		rc = store_ticket_update(d->store, &dup, 0, err);
	}
	if (rc == WB_OK)
		rc = store_ticket_update(d->store, &orig, 0, err);
	if (rc == WB_OK)
		rc = store_link_add(d->store, dup_id, orig_id, LINK_DUPLICATE, err);
	if (rc == WB_OK)
		rc = event(d, dup_id, "merged into", NULL, b, true, err);
	if (rc == WB_OK)
		rc = event(d, orig_id, "merged", NULL, a, true, err);
	ticket_clear(&dup);
	ticket_clear(&orig);
	if (rc) {
		store_rollback(d->store);
		return rc;
	}
	return store_commit(d->store, err);
}

int desk_rating_add(struct desk *d, int64_t id, int score, const char *source, struct wb_err *err)
{
	int rc = desk_require(d, ROLE_OPERATOR, err);
	if (rc)
		return rc;
	if (score < 1 || score > 5)
		return wb_err_set(err, WB_EINVAL, _("a rating is 1 to 5, not %d"), score);
	if ((rc = store_begin(d->store, err)))
		return rc;
	struct ticket t;
	rc = store_ticket_get(d->store, id, &t, err);
	if (rc == WB_OK) {
		ticket_clear(&t);
		rc = store_rating_add(d->store, id, score, source, NULL, err);
	}
	char v[8];
	snprintf(v, sizeof v, "%d", score);
	if (rc == WB_OK)
		rc = event(d, id, "rating", NULL, v, true, err);
	if (rc) {
		store_rollback(d->store);
		return rc;
	}
	return store_commit(d->store, err);
}

/* ---- saved searches ---- */

/* The report narrowings of a filter (a dashboard figure's list) in the order a saved search keeps them
 * after its first fields; a search saved without them reads back without narrowing. */
#define VIEW_NARROWINGS 21
static void view_narrowing_values(const struct ticket_filter *f, long long v[VIEW_NARROWINGS])
{
	const long long x[VIEW_NARROWINGS] = {
		f->channel, f->system_id, f->created_from, f->created_to, f->resolved_from, f->resolved_to,
		f->resolved_only, f->responded_from, f->responded_to, f->target, f->due_from, f->due_to,
		f->due_outcomes, f->open_at, f->reopened_from, f->reopened_to, f->rated_from, f->rated_to, f->rating,
		f->worked_from, f->worked_to,
	};
	memcpy(v, x, sizeof x);
}

static void view_narrowing_set(struct ticket_filter *f, const long long v[VIEW_NARROWINGS])
{
	int i = 0;
	f->channel = (int)v[i++];
	f->system_id = v[i++];
	f->created_from = v[i++];
	f->created_to = v[i++];
	f->resolved_from = v[i++];
	f->resolved_to = v[i++];
	f->resolved_only = v[i++] != 0;
	f->responded_from = v[i++];
	f->responded_to = v[i++];
	f->target = (int)v[i++];
	f->due_from = v[i++];
	f->due_to = v[i++];
	f->due_outcomes = (unsigned)v[i++];
	f->open_at = v[i++];
	f->reopened_from = v[i++];
	f->reopened_to = v[i++];
	f->rated_from = v[i++];
	f->rated_to = v[i++];
	f->rating = (int)v[i++];
	f->worked_from = v[i++];
	f->worked_to = v[i];
}

static char *view_key(const struct desk *d, const char *name)
{
	return xasprintf("view:%s:%s", d->me.login, name ? name : "");
}

int desk_view_save(struct desk *d, const char *name, const struct ticket_filter *f, struct wb_err *err)
{
	if (!name || !*name || ticket_subject_check(name, NULL) != WB_OK || strlen(name) > 60)
		return wb_err_set(err, WB_EINVAL, _("'%s' is not a name for a saved search"), name ? name : "");
	/* one line: the filter's fields, then the subject text after a '|' */
	long long nv[VIEW_NARROWINGS];
	view_narrowing_values(f, nv);
	struct strbuf nb = STRBUF_INIT;
	for (int i = 0; i < VIEW_NARROWINGS; i++)
		strbuf_addf(&nb, " %lld", nv[i]);
	char *value = xasprintf("1 %u %lld %lld %d %d %lld %lld %d%s|%s", f->status_mask, (long long)f->queue_id,
				(long long)f->assignee_id, f->unassigned, f->kind, (long long)f->requester_id,
				(long long)f->org_id, f->sla, strbuf_str(&nb), f->text ? f->text : "");
	strbuf_free(&nb);
	char *key = view_key(d, name);
	int rc = store_begin(d->store, err);
	if (rc == WB_OK)
		rc = store_setting_set(d->store, key, value, err);
	if (rc == WB_OK)
		rc = store_audit_add(d->store, d->me.id, 0, "saved search", NULL, name, err);
	if (rc == WB_OK)
		rc = store_commit(d->store, err);
	else
		store_rollback(d->store);
	free(key);
	free(value);
	return rc;
}

int desk_view_delete(struct desk *d, const char *name, struct wb_err *err)
{
	char *key = view_key(d, name);
	char *old = NULL;
	int rc = store_setting_get(d->store, key, &old, err);
	if (rc == WB_OK && !old)
		rc = wb_err_set(err, WB_ENOTFOUND, _("no saved search '%s'"), name);
	if (rc == WB_OK)
		rc = store_setting_set(d->store, key, NULL, err);
	free(old);
	free(key);
	return rc;
}

int desk_view_list(struct desk *d, struct saved_view **out, size_t *n, struct wb_err *err)
{
	char *prefix = view_key(d, NULL);
	char **keys, **values;
	size_t cnt;
	int rc = store_setting_list(d->store, prefix, &keys, &values, &cnt, err);
	size_t plen = strlen(prefix);
	free(prefix);
	if (rc)
		return rc;
	struct saved_view *v = cnt ? xcalloc(cnt, sizeof *v) : NULL;
	size_t k = 0;
	for (size_t i = 0; i < cnt; i++) {
		struct ticket_filter f;
		ticket_filter_init(&f);
		long long q, a, r, o;
		int un, kind, sla, used = 0;
		const char *bar = strchr(values[i], '|');
		if (bar && sscanf(values[i], "1 %u %lld %lld %d %d %lld %lld %d%n", &f.status_mask, &q, &a, &un, &kind,
				  &r, &o, &sla, &used) == 8) {
			f.queue_id = q;
			f.assignee_id = a;
			f.unassigned = un != 0;
			f.kind = kind;
			f.requester_id = r;
			f.org_id = o;
			f.sla = sla;
			/* the narrowings, when the search was saved with them */
			long long nv[VIEW_NARROWINGS];
			const char *p = values[i] + used;
			int got = 0;
			while (got < VIEW_NARROWINGS && p < bar) {
				char *end;
				nv[got] = strtoll(p, &end, 10);
				if (end == p || end > bar)
					break;
				p = end;
				got++;
			}
			if (got == VIEW_NARROWINGS)
				view_narrowing_set(&f, nv);
			v[k].name = xstrdup(keys[i] + plen);
			v[k].text = *(bar + 1) ? xstrdup(bar + 1) : NULL;
			f.text = v[k].text;
			v[k].filter = f;
			k++;
		}
		free(keys[i]);
		free(values[i]);
	}
	free(keys);
	free(values);
	*out = v;
	*n = k;
	return WB_OK;
}

void desk_views_free(struct saved_view **v, size_t n)
{
	if (!v || !*v)
		return;
	for (size_t i = 0; i < n; i++) {
		free((*v)[i].name);
		free((*v)[i].text);
	}
	free(*v);
	*v = NULL;
}

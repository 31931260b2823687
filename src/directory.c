#include "directory.h"

#include "i18n.h"
#include "ticket.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const sla_levels[] = { "basic", "standard", "premium" };

static int check_sla_level(const char *level, struct wb_err *err)
{
	for (size_t i = 0; i < 3; i++)
		if (level && !strcmp(level, sla_levels[i]))
			return WB_OK;
	return wb_err_set(err, WB_EINVAL, _("unknown SLA level '%s' (allowed: basic, standard, premium)"),
			  level ? level : "");
}

static int check_date(const char *what, const char *v, struct wb_err *err)
{
	wb_time t;
	if (!v || !*v)
		return WB_OK;
	if (strlen(v) != 10 || clock_parse_iso(v, &t) != WB_OK)
		return wb_err_set(err, WB_EINVAL, _("%s '%s' is not a date (YYYY-MM-DD)"), what, v);
	return WB_OK;
}

static int check_name(const char *what, const char *v, struct wb_err *err)
{
	if (!v || !*v)
		return wb_err_set(err, WB_EINVAL, _("a %s name is required"), what);
	return ticket_subject_check(v, err) == WB_OK ? WB_OK
	       : wb_err_set(err, WB_EINVAL, _("%s name '%s' must be one line of UTF-8 text"), what, v);
}

/* Runs fn inside a transaction with an audit entry. */
#define IN_TX(d, err, body) \
	do { \
		int rc_ = store_begin((d)->store, err); \
		if (rc_) \
			return rc_; \
		rc_ = (body); \
		if (rc_) { \
			store_rollback((d)->store); \
			return rc_; \
		} \
		return store_commit((d)->store, err); \
	} while (0)

static int user_add_tx(struct desk *d, const struct user *u, int64_t *id, struct wb_err *err)
{
	int rc = store_user_add(d->store, u, id, err);
	return rc ? rc : store_audit_add(d->store, d->me.id, 0, "user added", NULL, u->login, err);
}

int directory_user_add(struct desk *d, const struct user *u, int64_t *id, struct wb_err *err)
{
	int rc = desk_require(d, ROLE_ADMIN, err);
	if (rc)
		return rc;
	if (!u->login || !*u->login || strpbrk(u->login, " \t\r\n#@"))
		return wb_err_set(err, WB_EINVAL, _("'%s' is not a login name"), u->login ? u->login : "");
	IN_TX(d, err, user_add_tx(d, u, id, err));
}

static int org_add_tx(struct desk *d, const struct organisation *o, int64_t *id, struct wb_err *err)
{
	int rc = store_org_add(d->store, o, id, err);
	return rc ? rc : store_audit_add(d->store, d->me.id, 0, "organisation added", NULL, o->name, err);
}

int directory_org_add(struct desk *d, const struct organisation *o, int64_t *id, struct wb_err *err)
{
	int rc = desk_require(d, ROLE_OPERATOR, err);
	if (!rc)
		rc = check_name(_("organisation"), o->name, err);
	if (!rc && o->sla_level)
		rc = check_sla_level(o->sla_level, err);
	if (!rc && o->sla_level && strcmp(o->sla_level, "standard"))
		rc = desk_require(d, ROLE_SUPERVISOR, err);
	if (!rc)
		rc = check_date(_("contract start"), o->contract_start, err);
	if (!rc)
		rc = check_date(_("contract end"), o->contract_end, err);
	if (rc)
		return rc;
	IN_TX(d, err, org_add_tx(d, o, id, err));
}

static int contact_add_tx(struct desk *d, struct contact *c, int64_t *id, struct wb_err *err)
{
	if (c->org && *c->org) {
		struct organisation o;
		int rc = store_org_find(d->store, c->org, &o, err);
		if (rc)
			return rc;
		c->org_id = o.id;
		organisation_clear(&o);
	}
	int rc = store_contact_add(d->store, c, id, err);
	return rc ? rc : store_audit_add(d->store, d->me.id, 0, "contact added", NULL, c->name, err);
}

int directory_contact_add(struct desk *d, const struct contact *in, int64_t *id, struct wb_err *err)
{
	int rc = desk_require(d, ROLE_OPERATOR, err);
	if (rc)
		return rc;
	struct contact c = *in;
	c.email = c.phone = NULL;
	if (!in->email && !in->phone && (!in->name || !*in->name))
		return wb_err_set(err, WB_EINVAL, _("a contact needs a name, an email address or a phone number"));
	if (in->email && (rc = contact_email_normalise(in->email, &c.email, err)))
		return rc;
	if (in->phone && (rc = contact_phone_normalise(in->phone, d->cfg->country_code, &c.phone, err))) {
		free(c.email);
		return rc;
	}
	if ((rc = store_begin(d->store, err)) == WB_OK) {
		rc = contact_add_tx(d, &c, id, err);
		if (rc)
			store_rollback(d->store);
		else
			rc = store_commit(d->store, err);
	}
	free(c.email);
	free(c.phone);
	return rc;
}

static int system_add_tx(struct desk *d, const struct system_info *in, int64_t *id, struct wb_err *err)
{
	struct system_info y = *in;
	struct organisation o;
	int rc = store_org_find(d->store, in->org ? in->org : "", &o, err);
	if (rc)
		return rc;
	y.org_id = o.id;
	organisation_clear(&o);
	rc = store_system_add(d->store, &y, id, err);
	return rc ? rc : store_audit_add(d->store, d->me.id, 0, "system added", NULL, in->name, err);
}

int directory_system_add(struct desk *d, const struct system_info *y, int64_t *id, struct wb_err *err)
{
	int rc = desk_require(d, ROLE_OPERATOR, err);
	if (!rc)
		rc = check_name(_("system"), y->name, err);
	if (!rc && (!y->org || !*y->org))
		rc = wb_err_set(err, WB_EINVAL, _("a system belongs to an organisation: give --org"));
	if (rc)
		return rc;
	IN_TX(d, err, system_add_tx(d, y, id, err));
}

static int queue_add_tx(struct desk *d, const struct queue_info *q, int64_t *id, struct wb_err *err)
{
	int rc = store_queue_add(d->store, q, id, err);
	return rc ? rc : store_audit_add(d->store, d->me.id, 0, "queue added", NULL, q->name, err);
}

int directory_queue_add(struct desk *d, const struct queue_info *q, int64_t *id, struct wb_err *err)
{
	int rc = desk_require(d, ROLE_SUPERVISOR, err);
	if (!rc)
		rc = check_name(_("queue"), q->name, err);
	if (!rc && q->from_addr) {
		char *norm;
		if ((rc = contact_email_normalise(q->from_addr, &norm, err)) == WB_OK)
			free(norm);
	}
	if (rc)
		return rc;
	IN_TX(d, err, queue_add_tx(d, q, id, err));
}

int directory_contact_find(struct desk *d, const char *key, struct contact *out, struct wb_err *err)
{
	char *end;
	long long id = strtoll(key[0] == '#' ? key + 1 : key, &end, 10);
	if (*end == '\0' && id > 0 && (key[0] == '#' || strlen(key) < 7))
		return store_contact_get(d->store, id, out, err);
	if (strchr(key, '@')) {
		char *e;
		int rc = contact_email_normalise(key, &e, err);
		if (rc)
			return rc;
		rc = store_contact_by_email(d->store, e, out, err);
		free(e);
		return rc;
	}
	char *p;
	int rc = contact_phone_normalise(key, d->cfg->country_code, &p, err);
	if (rc)
		return wb_err_set(err, WB_ENOTFOUND, _("no contact '%s'"), key);
	rc = store_contact_by_phone(d->store, p, out, err);
	free(p);
	return rc;
}

int directory_user_find(struct desk *d, const char *login, struct user *out, struct wb_err *err)
{
	return store_user_find(d->store, login, out, err);
}

int directory_org_find(struct desk *d, const char *name, struct organisation *out, struct wb_err *err)
{
	return store_org_find(d->store, name, out, err);
}

int directory_system_find(struct desk *d, const char *name, struct system_info *out, struct wb_err *err)
{
	return store_system_find(d->store, name, 0, out, err);
}

int directory_queue_find(struct desk *d, const char *name, struct queue_info *out, struct wb_err *err)
{
	return store_queue_find(d->store, name, out, err);
}

int directory_user_list(struct desk *d, struct user **out, size_t *n, struct wb_err *err)
{
	return store_user_list(d->store, out, n, err);
}

int directory_org_list(struct desk *d, struct organisation **out, size_t *n, struct wb_err *err)
{
	return store_org_list(d->store, out, n, err);
}

int directory_system_list(struct desk *d, struct system_info **out, size_t *n, struct wb_err *err)
{
	return store_system_list(d->store, out, n, err);
}

int directory_queue_list(struct desk *d, struct queue_info **out, size_t *n, struct wb_err *err)
{
	return store_queue_list(d->store, out, n, err);
}

int directory_contact_page(struct desk *d, int64_t after_id, size_t limit, struct contact **out, size_t *n,
			   struct wb_err *err)
{
	return store_contact_list(d->store, after_id, limit, out, n, err);
}

/* The id of the entry named by key. */
static int entity_id(struct desk *d, enum store_entity e, const char *key, int64_t *id, struct wb_err *err)
{
	int rc;
	switch (e) {
	case ENTITY_USER: {
		struct user u;
		if ((rc = store_user_find(d->store, key, &u, err)) == WB_OK) {
			*id = u.id;
			user_clear(&u);
		}
		return rc;
	}
	case ENTITY_ORG: {
		struct organisation o;
		if ((rc = store_org_find(d->store, key, &o, err)) == WB_OK) {
			*id = o.id;
			organisation_clear(&o);
		}
		return rc;
	}
	case ENTITY_CONTACT: {
		struct contact c;
		if ((rc = directory_contact_find(d, key, &c, err)) == WB_OK) {
			*id = c.id;
			contact_clear(&c);
		}
		return rc;
	}
	case ENTITY_SYSTEM: {
		struct system_info y;
		if ((rc = store_system_find(d->store, key, 0, &y, err)) == WB_OK) {
			*id = y.id;
			system_info_clear(&y);
		}
		return rc;
	}
	case ENTITY_QUEUE: {
		struct queue_info q;
		if ((rc = store_queue_find(d->store, key, &q, err)) == WB_OK) {
			*id = q.id;
			queue_info_clear(&q);
		}
		return rc;
	}
	}
	return WB_EINVAL;
}

/* Checks and normalises a value; *norm (caller frees) is what gets stored. */
static int normalise_value(struct desk *d, enum store_entity e, const char *field, const char *value,
			   char **norm, struct wb_err *err)
{
	*norm = NULL;
	if (!strcmp(field, "email") && value && *value)
		return contact_email_normalise(value, norm, err);
	if (!strcmp(field, "phone") && value && *value)
		return contact_phone_normalise(value, d->cfg->country_code, norm, err);
	if (!strcmp(field, "from") && value && *value)
		return contact_email_normalise(value, norm, err);
	if (!strcmp(field, "role")) {
		enum user_role r;
		int rc = user_role_parse(value, &r, err);
		if (rc == WB_OK)
			*norm = xstrdup(user_role_name(r));
		return rc;
	}
	if (!strcmp(field, "sla_level")) {
		int rc = check_sla_level(value, err);
		if (rc == WB_OK)
			*norm = xstrdup(value);
		return rc;
	}
	if (!strcmp(field, "contract_start") || !strcmp(field, "contract_end")) {
		int rc = check_date(field, value, err);
		if (rc == WB_OK)
			*norm = xstrdup(value);
		return rc;
	}
	if (!strcmp(field, "org") && e == ENTITY_CONTACT) {
		if (!value || !*value)
			return WB_OK;
		struct organisation o;
		int rc = store_org_find(d->store, value, &o, err);
		if (rc == WB_OK) {
			*norm = xasprintf("%lld", (long long)o.id);
			organisation_clear(&o);
		}
		return rc;
	}
	if (!strcmp(field, "name") && (!value || !*value))
		return wb_err_set(err, WB_EINVAL, _("a name cannot be empty"));
	if (value && ticket_subject_check(value, NULL) != WB_OK && *value)
		return wb_err_set(err, WB_EINVAL, _("%s must be one line of UTF-8 text"), field);
	*norm = value ? xstrdup(value) : NULL;
	return WB_OK;
}

static int set_tx(struct desk *d, enum store_entity e, const char *key, const char *field, const char *value,
		  struct wb_err *err)
{
	int64_t id;
	int rc = entity_id(d, e, key, &id, err);
	if (rc)
		return rc;
	if (e == ENTITY_USER && id == d->me.id && !strcmp(field, "role") && strcmp(value, "admin"))
		return wb_err_set(err, WB_EREFUSED, _("you cannot take the admin role from yourself"));
	char *norm, *old = NULL;
	if ((rc = normalise_value(d, e, field, value, &norm, err)))
		return rc;
	rc = store_entity_set(d->store, e, id, field, norm, &old, err);
	if (rc == WB_OK) {
		char *what = xasprintf("%s %s", key, field);
		rc = store_audit_add(d->store, d->me.id, 0, what, old, norm, err);
		free(what);
	}
	free(norm);
	free(old);
	return rc;
}

int directory_set(struct desk *d, enum store_entity e, const char *key, const char *field,
		  const char *value, struct wb_err *err)
{
	enum user_role need = ROLE_OPERATOR;
	if (e == ENTITY_USER)
		need = ROLE_ADMIN;
	if (e == ENTITY_QUEUE || (e == ENTITY_ORG && !strcmp(field, "sla_level")))
		need = ROLE_SUPERVISOR;
	/* operators may change their own name, email and language */
	if (e == ENTITY_USER && !strcmp(key, d->me.login) && strcmp(field, "role"))
		need = ROLE_VIEWER;
	int rc = desk_require(d, need, err);
	if (rc)
		return rc;
	IN_TX(d, err, set_tx(d, e, key, field, value, err));
}

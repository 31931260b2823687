#include "store_dir.h"

#include "clock.h"
#include "i18n.h"
#include "store_priv.h"
#include "ticket.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Runs an INSERT already bound; returns the new rowid. Unique violations become WB_EREFUSED. */
static int insert_row(struct store *s, sqlite3_stmt *st, const char *what, const char *name,
		      int64_t *id, struct wb_err *err)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_CONSTRAINT) {
		rc = wb_err_set(err, WB_EREFUSED, _("%s '%s' already exists"), what, name ? name : "");
	} else if (rc != SQLITE_DONE) {
		rc = sp_fail(s, rc, err);
	} else {
		rc = WB_OK;
		if (id)
			*id = sqlite3_last_insert_rowid(s->db);
	}
	sqlite3_finalize(st);
	return rc;
}

/* Steps a single-row query; WB_ENOTFOUND (naming what and key) when no row. */
static int one_row(struct store *s, sqlite3_stmt *st, const char *what, const char *key,
		   struct wb_err *err)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		return WB_OK;
	if (rc == SQLITE_DONE)
		return wb_err_set(err, WB_ENOTFOUND, _("no %s '%s'"), what, key ? key : "");
	return sp_fail(s, rc, err);
}

/* "42" or "#42" -> 42; anything else -> 0. */
static int64_t numeric_id(const char *s)
{
	if (!s)
		return 0;
	if (*s == '#')
		s++;
	if (!*s)
		return 0;
	char *end;
	long long v = strtoll(s, &end, 10);
	return *end == '\0' && v > 0 ? v : 0;
}

/* ---- users ---- */

#define USER_COLS "id, login, name, email, role, language"

static void read_user(sqlite3_stmt *st, struct user *u)
{
	u->id = sqlite3_column_int64(st, 0);
	u->login = sp_col_text(st, 1);
	u->name = sp_col_text(st, 2);
	u->email = sp_col_text(st, 3);
	enum user_role r = ROLE_VIEWER;
	user_role_parse((const char *)sqlite3_column_text(st, 4), &r, NULL);
	u->role = (int)r;
	u->language = sp_col_text(st, 5);
}

static void read_user_row(sqlite3_stmt *st, void *item)
{
	read_user(st, item);
}

int store_user_add(struct store *s, const struct user *u, int64_t *id, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "INSERT INTO users(login, name, email, role, language, created_at) "
			       "VALUES (?, ?, ?, ?, ?, ?)", &st, err);
	if (rc)
		return rc;
	sp_bind_text(st, 1, u->login);
	sp_bind_text(st, 2, u->name && *u->name ? u->name : u->login);
	sp_bind_text(st, 3, u->email);
	sp_bind_text(st, 4, user_role_name((enum user_role)u->role));
	sp_bind_text(st, 5, u->language);
	sqlite3_bind_int64(st, 6, clock_now());
	return insert_row(s, st, _("user"), u->login, id, err);
}

static int user_query(struct store *s, const char *sql, const char *key, int64_t id,
		      struct user *out, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, sql, &st, err);
	if (rc)
		return rc;
	if (id)
		sqlite3_bind_int64(st, 1, id);
	else
		sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = one_row(s, st, _("user"), key, err);
	if (rc == WB_OK)
		read_user(st, out);
	sqlite3_finalize(st);
	return rc;
}

int store_user_find(struct store *s, const char *login, struct user *out, struct wb_err *err)
{
	memset(out, 0, sizeof *out);
	int64_t id = numeric_id(login);
	if (id && login[0] == '#')
		return user_query(s, "SELECT " USER_COLS " FROM users WHERE id = ?", login, id, out, err);
	return user_query(s, "SELECT " USER_COLS " FROM users WHERE login = ?", login, 0, out, err);
}

int store_user_get(struct store *s, int64_t id, struct user *out, struct wb_err *err)
{
	memset(out, 0, sizeof *out);
	char key[32];
	snprintf(key, sizeof key, "#%lld", (long long)id);
	return user_query(s, "SELECT " USER_COLS " FROM users WHERE id = ?", key, id, out, err);
}

int store_user_list(struct store *s, struct user **out, size_t *n, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "SELECT " USER_COLS " FROM users ORDER BY login", &st, err);
	if (rc)
		return rc;
	return sp_collect(s, st, sizeof(struct user), read_user_row, (void **)out, n, err);
}

/* ---- organisations ---- */

#define ORG_COLS "id, name, domain, sla_level, contract_start, contract_end, timezone"

static void read_org(sqlite3_stmt *st, struct organisation *o)
{
	o->id = sqlite3_column_int64(st, 0);
	o->name = sp_col_text(st, 1);
	o->domain = sp_col_text(st, 2);
	o->sla_level = sp_col_text(st, 3);
	o->contract_start = sp_col_text(st, 4);
	o->contract_end = sp_col_text(st, 5);
	o->timezone = sp_col_text(st, 6);
}

static void read_org_row(sqlite3_stmt *st, void *item)
{
	read_org(st, item);
}

int store_org_add(struct store *s, const struct organisation *o, int64_t *id, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "INSERT INTO organisations(name, domain, sla_level, contract_start, "
			       "contract_end, timezone, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)", &st, err);
	if (rc)
		return rc;
	sp_bind_text(st, 1, o->name);
	sp_bind_text(st, 2, o->domain);
	sqlite3_bind_text(st, 3, o->sla_level && *o->sla_level ? o->sla_level : "standard", -1,
			  SQLITE_TRANSIENT);
	sp_bind_text(st, 4, o->contract_start);
	sp_bind_text(st, 5, o->contract_end);
	sp_bind_text(st, 6, o->timezone);
	sqlite3_bind_int64(st, 7, clock_now());
	return insert_row(s, st, _("organisation"), o->name, id, err);
}

int store_org_find(struct store *s, const char *name, struct organisation *out, struct wb_err *err)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "SELECT " ORG_COLS " FROM organisations WHERE name = ?1 OR id = ?2", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, numeric_id(name));
	rc = one_row(s, st, _("organisation"), name, err);
	if (rc == WB_OK)
		read_org(st, out);
	sqlite3_finalize(st);
	return rc;
}

int store_org_by_domain(struct store *s, const char *domain, int64_t *id, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "SELECT id FROM organisations WHERE domain = ? ORDER BY id LIMIT 1", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, domain, -1, SQLITE_STATIC);
	*id = 0;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	rc = (rc == SQLITE_ROW || rc == SQLITE_DONE) ? WB_OK : sp_fail(s, rc, err);
	sqlite3_finalize(st);
	return rc;
}

int store_org_list(struct store *s, struct organisation **out, size_t *n, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "SELECT " ORG_COLS " FROM organisations ORDER BY name", &st, err);
	if (rc)
		return rc;
	return sp_collect(s, st, sizeof(struct organisation), read_org_row, (void **)out, n, err);
}

/* ---- contacts ---- */

#define CONTACT_COLS "c.id, c.name, c.email, c.phone, c.org_id, o.name, c.language, c.timezone, c.created_at"
#define CONTACT_FROM " FROM contacts c LEFT JOIN organisations o ON o.id = c.org_id "

static void read_contact(sqlite3_stmt *st, struct contact *c)
{
	c->id = sqlite3_column_int64(st, 0);
	c->name = sp_col_text(st, 1);
	c->email = sp_col_text(st, 2);
	c->phone = sp_col_text(st, 3);
	c->org_id = sqlite3_column_int64(st, 4);
	c->org = sp_col_text(st, 5);
	c->language = sp_col_text(st, 6);
	c->timezone = sp_col_text(st, 7);
	c->created_at = sqlite3_column_int64(st, 8);
}

static void read_contact_row(sqlite3_stmt *st, void *item)
{
	read_contact(st, item);
}

int store_contact_add(struct store *s, const struct contact *c, int64_t *id, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "INSERT INTO contacts(name, email, phone, org_id, language, timezone, "
			       "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)", &st, err);
	if (rc)
		return rc;
	const char *name = c->name && *c->name ? c->name : c->email ? c->email : c->phone;
	sp_bind_text(st, 1, name ? name : "?");
	sp_bind_text(st, 2, c->email);
	sp_bind_text(st, 3, c->phone);
	sp_bind_id(st, 4, c->org_id);
	sp_bind_text(st, 5, c->language);
	sp_bind_text(st, 6, c->timezone);
	sqlite3_bind_int64(st, 7, clock_now());
	return insert_row(s, st, _("contact"), c->email ? c->email : c->phone, id, err);
}

static int contact_query(struct store *s, const char *where, const char *key, int64_t id,
			 struct contact *out, struct wb_err *err)
{
	memset(out, 0, sizeof *out);
	char *sql = xasprintf("SELECT " CONTACT_COLS CONTACT_FROM "WHERE %s", where);
	sqlite3_stmt *st;
	int rc = sp_prepare(s, sql, &st, err);
	free(sql);
	if (rc)
		return rc;
	if (id)
		sqlite3_bind_int64(st, 1, id);
	else
		sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = one_row(s, st, _("contact"), key, err);
	if (rc == WB_OK)
		read_contact(st, out);
	sqlite3_finalize(st);
	return rc;
}

int store_contact_get(struct store *s, int64_t id, struct contact *out, struct wb_err *err)
{
	char key[32];
	snprintf(key, sizeof key, "#%lld", (long long)id);
	return contact_query(s, "c.id = ?", key, id, out, err);
}

int store_contact_by_email(struct store *s, const char *email, struct contact *out, struct wb_err *err)
{
	return contact_query(s, "c.email = ?", email, 0, out, err);
}

int store_contact_by_phone(struct store *s, const char *phone, struct contact *out, struct wb_err *err)
{
	return contact_query(s, "c.phone = ?", phone, 0, out, err);
}

static int contact_rows(struct store *s, sqlite3_stmt *st, struct contact **out, size_t *n,
			struct wb_err *err)
{
	return sp_collect(s, st, sizeof(struct contact), read_contact_row, (void **)out, n, err);
}

int store_contact_lookup(struct store *s, const char *prefix, size_t limit, struct contact **out,
			 size_t *n, struct wb_err *err)
{
	sqlite3_stmt *st;
	/* prefix ranges use the unique indexes; the name match scans only as far as the limit */
	int rc = sp_prepare(s, "SELECT " CONTACT_COLS CONTACT_FROM
			       "WHERE c.id IN (SELECT id FROM (SELECT id FROM contacts WHERE phone >= ?2 AND phone < ?2 || x'ff' LIMIT ?4)"
			       " UNION SELECT id FROM (SELECT id FROM contacts WHERE email >= ?1 AND email < ?1 || x'ff' LIMIT ?4)"
			       " UNION SELECT id FROM (SELECT id FROM contacts WHERE instr(name, ?1) > 0 LIMIT ?4)"
			       " UNION SELECT id FROM (SELECT id FROM contacts WHERE ?3 != '' AND instr(phone, ?3) > 0 LIMIT ?4))"
			       " ORDER BY c.name LIMIT ?4", &st, err);
	if (rc)
		return rc;
	/* digits typed so far: also match inside the number (local part without country code) */
	char digits[40];
	size_t d = 0;
	for (const char *p = prefix; *p && d + 1 < sizeof digits; p++)
		if (*p >= '0' && *p <= '9')
			digits[d++] = *p;
	digits[d] = '\0';
	sqlite3_bind_text(st, 1, prefix, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, digits, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, d >= 4 ? digits : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)limit);
	return contact_rows(s, st, out, n, err);
}

int store_contact_list(struct store *s, int64_t after_id, size_t limit, struct contact **out,
		       size_t *n, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "SELECT " CONTACT_COLS CONTACT_FROM "WHERE c.id > ? ORDER BY c.id LIMIT ?",
			    &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, after_id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)limit);
	return contact_rows(s, st, out, n, err);
}

void store_contacts_free(struct contact **c, size_t n)
{
	if (!c || !*c)
		return;
	for (size_t i = 0; i < n; i++)
		contact_clear(&(*c)[i]);
	free(*c);
	*c = NULL;
}

/* ---- systems ---- */

#define SYSTEM_COLS "y.id, y.name, y.org_id, o.name, y.version, y.description"
#define SYSTEM_FROM " FROM systems y JOIN organisations o ON o.id = y.org_id "

static void read_system(sqlite3_stmt *st, struct system_info *y)
{
	y->id = sqlite3_column_int64(st, 0);
	y->name = sp_col_text(st, 1);
	y->org_id = sqlite3_column_int64(st, 2);
	y->org = sp_col_text(st, 3);
	y->version = sp_col_text(st, 4);
	y->description = sp_col_text(st, 5);
}

static void read_system_row(sqlite3_stmt *st, void *item)
{
	read_system(st, item);
}

int store_system_add(struct store *s, const struct system_info *y, int64_t *id, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "INSERT INTO systems(name, org_id, version, description) VALUES (?, ?, ?, ?)",
			    &st, err);
	if (rc)
		return rc;
	sp_bind_text(st, 1, y->name);
	sp_bind_id(st, 2, y->org_id);
	sp_bind_text(st, 3, y->version);
	sp_bind_text(st, 4, y->description);
	return insert_row(s, st, _("system"), y->name, id, err);
}

int store_system_find(struct store *s, const char *name, int64_t org_id, struct system_info *out,
		      struct wb_err *err)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "SELECT " SYSTEM_COLS SYSTEM_FROM
			       "WHERE (y.name = ?1 AND (?3 = 0 OR y.org_id = ?3)) OR y.id = ?2 "
			       "ORDER BY y.id LIMIT 2", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, numeric_id(name));
	sqlite3_bind_int64(st, 3, org_id);
	rc = one_row(s, st, _("system"), name, err);
	if (rc == WB_OK) {
		read_system(st, out);
		if (sqlite3_step(st) == SQLITE_ROW) {
			system_info_clear(out);
			rc = wb_err_set(err, WB_EINVAL,
					_("system name '%s' is used by several organisations; give its number"), name);
		}
	}
	sqlite3_finalize(st);
	return rc;
}

int store_system_list(struct store *s, struct system_info **out, size_t *n, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "SELECT " SYSTEM_COLS SYSTEM_FROM "ORDER BY o.name, y.name", &st, err);
	if (rc)
		return rc;
	return sp_collect(s, st, sizeof(struct system_info), read_system_row, (void **)out, n, err);
}

/* ---- queues ---- */

static void read_queue(sqlite3_stmt *st, struct queue_info *q)
{
	q->id = sqlite3_column_int64(st, 0);
	q->name = sp_col_text(st, 1);
	q->from_addr = sp_col_text(st, 2);
	q->description = sp_col_text(st, 3);
}

static void read_queue_row(sqlite3_stmt *st, void *item)
{
	read_queue(st, item);
}

int store_queue_add(struct store *s, const struct queue_info *q, int64_t *id, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "INSERT INTO queues(name, from_addr, description) VALUES (?, ?, ?)", &st, err);
	if (rc)
		return rc;
	sp_bind_text(st, 1, q->name);
	sp_bind_text(st, 2, q->from_addr);
	sp_bind_text(st, 3, q->description);
	return insert_row(s, st, _("queue"), q->name, id, err);
}

int store_queue_find(struct store *s, const char *name, struct queue_info *out, struct wb_err *err)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "SELECT id, name, from_addr, description FROM queues WHERE name = ?1 OR id = ?2",
			    &st, err);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, numeric_id(name));
	rc = one_row(s, st, _("queue"), name, err);
	if (rc == WB_OK)
		read_queue(st, out);
	sqlite3_finalize(st);
	return rc;
}

int store_queue_list(struct store *s, struct queue_info **out, size_t *n, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "SELECT id, name, from_addr, description FROM queues ORDER BY id", &st, err);
	if (rc)
		return rc;
	return sp_collect(s, st, sizeof(struct queue_info), read_queue_row, (void **)out, n, err);
}

/* ---- changing one field ---- */

struct field_map {
	enum store_entity e;
	const char *field;  /* as the user names it */
	const char *column; /* fixed SQL identifier: never from input */
};

static const struct field_map fields[] = {
	{ ENTITY_USER, "name", "name" }, { ENTITY_USER, "email", "email" },
	{ ENTITY_USER, "role", "role" }, { ENTITY_USER, "language", "language" },
	{ ENTITY_ORG, "name", "name" }, { ENTITY_ORG, "domain", "domain" },
	{ ENTITY_ORG, "sla_level", "sla_level" }, { ENTITY_ORG, "contract_start", "contract_start" },
	{ ENTITY_ORG, "contract_end", "contract_end" }, { ENTITY_ORG, "timezone", "timezone" },
	{ ENTITY_CONTACT, "name", "name" }, { ENTITY_CONTACT, "email", "email" },
	{ ENTITY_CONTACT, "phone", "phone" }, { ENTITY_CONTACT, "org", "org_id" },
	{ ENTITY_CONTACT, "language", "language" }, { ENTITY_CONTACT, "timezone", "timezone" },
	{ ENTITY_SYSTEM, "name", "name" }, { ENTITY_SYSTEM, "version", "version" },
	{ ENTITY_SYSTEM, "description", "description" },
	{ ENTITY_QUEUE, "name", "name" }, { ENTITY_QUEUE, "from", "from_addr" },
	{ ENTITY_QUEUE, "description", "description" },
};

static const char *const tables[] = { "users", "organisations", "contacts", "systems", "queues" };

int store_entity_set(struct store *s, enum store_entity e, int64_t id, const char *field,
		     const char *value, char **old, struct wb_err *err)
{
	const char *column = NULL;
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (fields[i].e == e && strcmp(fields[i].field, field) == 0)
			column = fields[i].column;
	if (!column)
		return wb_err_set(err, WB_EINVAL, _("unknown field '%s'"), field);
	char *sql = xasprintf("SELECT %s FROM %s WHERE id = ?", column, tables[e]);
	sqlite3_stmt *st;
	int rc = sp_prepare(s, sql, &st, err);
	free(sql);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	char key[32];
	snprintf(key, sizeof key, "#%lld", (long long)id);
	rc = one_row(s, st, tables[e], key, err);
	if (rc == WB_OK && old)
		*old = sp_col_text(st, 0);
	sqlite3_finalize(st);
	if (rc)
		return rc;
	sql = xasprintf("UPDATE %s SET %s = ? WHERE id = ?", tables[e], column);
	rc = sp_prepare(s, sql, &st, err);
	free(sql);
	if (rc)
		return rc;
	sp_bind_text(st, 1, value);
	sqlite3_bind_int64(st, 2, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_CONSTRAINT)
		rc = wb_err_set(err, WB_EREFUSED, _("%s '%s' is already used"), field, value ? value : "");
	else
		rc = rc == SQLITE_DONE ? WB_OK : sp_fail(s, rc, err);
	sqlite3_finalize(st);
	return rc;
}

/* ---- SLA policies ---- */

int store_sla_policy_get(struct store *s, const char *level, int priority, int *response_min,
			 int *resolve_min, bool *always, struct wb_err *err)
{
	sqlite3_stmt *st;
	/* asked for each contract level and priority the queue screen shows, again every minute */
	int rc = sp_prepare_cached(s, "SELECT response_min, resolve_min, always FROM sla_policies "
				      "WHERE level = ? AND priority = ?", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, level, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, priority);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*response_min = sqlite3_column_int(st, 0);
		*resolve_min = sqlite3_column_int(st, 1);
		*always = sqlite3_column_int(st, 2) != 0;
		rc = WB_OK;
	} else if (rc == SQLITE_DONE) {
		rc = wb_err_set(err, WB_ENOTFOUND, _("no SLA policy for level %s priority P%d"), level, priority);
	} else {
		rc = sp_fail(s, rc, err);
	}
	sp_release(s, st);
	return rc;
}

int store_sla_policy_set(struct store *s, const char *level, int priority, int response_min,
			 int resolve_min, bool always, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "INSERT INTO sla_policies(level, priority, response_min, resolve_min, always) "
			       "VALUES (?, ?, ?, ?, ?) ON CONFLICT(level, priority) DO UPDATE SET "
			       "response_min = excluded.response_min, resolve_min = excluded.resolve_min, "
			       "always = excluded.always", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, level, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, priority);
	sqlite3_bind_int(st, 3, response_min);
	sqlite3_bind_int(st, 4, resolve_min);
	sqlite3_bind_int(st, 5, always);
	rc = sqlite3_step(st);
	rc = rc == SQLITE_DONE ? WB_OK : sp_fail(s, rc, err);
	sqlite3_finalize(st);
	return rc;
}

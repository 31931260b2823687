/* cli_dir.c — `weibao contact|org|system|queue|user add|list|show|set`. */
#include "cli_opt.h"

#include "directory.h"
#include "i18n.h"
#include "strbuf.h"
#include "utf8.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ID_LEN 24 /* room for a record's number as text */

/* One printable record: labels and values in order. */
struct rec {
	const char *keys[10];
	const char *vals[10];
	size_t n;
};

static void rec_add(struct rec *r, const char *key, const char *val)
{
	r->keys[r->n] = key;
	r->vals[r->n++] = val;
}

static void rec_print(const struct rec *r, bool json, bool first, bool table_row, const int *widths)
{
	struct strbuf b = STRBUF_INIT;
	if (json) {
		strbuf_adds(&b, first ? "[{" : ",{");
		for (size_t i = 0; i < r->n; i++) {
			strbuf_addf(&b, "%s\"%s\":", i ? "," : "", r->keys[i]);
			strbuf_add_json(&b, r->vals[i]);
		}
		strbuf_addc(&b, '}');
	} else if (table_row) {
		for (size_t i = 0; i < r->n; i++) {
			char *p = utf8_pad(r->vals[i] ? r->vals[i] : "-", widths[i]);
			strbuf_adds(&b, p);
			strbuf_addc(&b, ' ');
			free(p);
		}
		while (b.len && b.s[b.len - 1] == ' ')
			b.s[--b.len] = '\0';
	} else {
		for (size_t i = 0; i < r->n; i++) {
			char *p = utf8_pad(r->keys[i], 16);
			strbuf_addf(&b, "%s%s %s", i ? "\n" : "", p, r->vals[i] ? r->vals[i] : "-");
			free(p);
		}
	}
	puts(strbuf_str(&b));
	strbuf_free(&b);
}

/* The record of one item of each group; idbuf holds its number as text. */
static void user_rec(const void *item, char *idbuf, struct rec *r)
{
	const struct user *u = item;
	(void)idbuf; /* users are known by their login */
	rec_add(r, "login", u->login);
	rec_add(r, "name", u->name);
	rec_add(r, "email", u->email);
	rec_add(r, "role", user_role_name((enum user_role)u->role));
	rec_add(r, "language", u->language);
}

static void org_rec(const void *item, char *idbuf, struct rec *r)
{
	const struct organisation *o = item;
	(void)idbuf; /* organisations are known by their name */
	rec_add(r, "name", o->name);
	rec_add(r, "domain", o->domain);
	rec_add(r, "sla_level", o->sla_level);
	rec_add(r, "contract_start", o->contract_start);
	rec_add(r, "contract_end", o->contract_end);
	rec_add(r, "timezone", o->timezone);
}

static void contact_rec(const void *item, char *idbuf, struct rec *r)
{
	const struct contact *c = item;
	snprintf(idbuf, ID_LEN, "%lld", (long long)c->id);
	rec_add(r, "id", idbuf);
	rec_add(r, "name", c->name);
	rec_add(r, "email", c->email);
	rec_add(r, "phone", c->phone);
	rec_add(r, "org", c->org);
	rec_add(r, "language", c->language);
}

static void system_rec(const void *item, char *idbuf, struct rec *r)
{
	const struct system_info *y = item;
	snprintf(idbuf, ID_LEN, "%lld", (long long)y->id);
	rec_add(r, "id", idbuf);
	rec_add(r, "name", y->name);
	rec_add(r, "org", y->org);
	rec_add(r, "version", y->version);
	rec_add(r, "description", y->description);
}

static void queue_rec(const void *item, char *idbuf, struct rec *r)
{
	const struct queue_info *q = item;
	snprintf(idbuf, ID_LEN, "%lld", (long long)q->id);
	rec_add(r, "id", idbuf);
	rec_add(r, "name", q->name);
	rec_add(r, "from", q->from_addr);
	rec_add(r, "description", q->description);
}

static void user_item_clear(void *item)
{
	user_clear(item);
}

static void org_item_clear(void *item)
{
	organisation_clear(item);
}

static void contact_item_clear(void *item)
{
	contact_clear(item);
}

static void system_item_clear(void *item)
{
	system_info_clear(item);
}

static void queue_item_clear(void *item)
{
	queue_info_clear(item);
}

/* What list, show and set need of each group. */
struct dir_kind {
	const char *group;
	enum store_entity entity;
	size_t size; /* of one item */
	void (*rec)(const void *item, char *idbuf, struct rec *r);
	void (*clear)(void *item);
	int widths[6]; /* of the list's columns */
};

static const struct dir_kind dir_kinds[] = {
	{ "user", ENTITY_USER, sizeof(struct user), user_rec, user_item_clear, { 12, 20, 28, 10, 6 } },
	{ "org", ENTITY_ORG, sizeof(struct organisation), org_rec, org_item_clear, { 24, 18, 9, 10, 10, 14 } },
	{ "contact", ENTITY_CONTACT, sizeof(struct contact), contact_rec, contact_item_clear,
	  { 6, 16, 28, 15, 20, 6 } },
	{ "system", ENTITY_SYSTEM, sizeof(struct system_info), system_rec, system_item_clear, { 4, 24, 24, 10, 20 } },
	{ "queue", ENTITY_QUEUE, sizeof(struct queue_info), queue_rec, queue_item_clear, { 4, 16, 28, 30 } },
};

/* cli.c only sends the five group words here; anything else counts as a queue, as before. */
static const struct dir_kind *kind_of(const char *group)
{
	size_t n = sizeof dir_kinds / sizeof dir_kinds[0];
	for (size_t i = 0; i + 1 < n; i++)
		if (!strcmp(group, dir_kinds[i].group))
			return &dir_kinds[i];
	return &dir_kinds[n - 1];
}

static struct cli_opt add_opts[] = {
	{ "name", "NAME", N_("display name"), NULL },
	{ "email", "EMAIL", N_("email address"), NULL },
	{ "phone", "NUMBER", N_("phone number (contacts)"), NULL },
	{ "org", "ORG", N_("organisation (contacts, systems)"), NULL },
	{ "role", "ROLE", N_("viewer, operator, supervisor, admin (users)"), NULL },
	{ "language", "LANG", N_("preferred language, e.g. zh_CN or en"), NULL },
	{ "domain", "DOMAIN", N_("mail domain whose senders belong to it (organisations)"), NULL },
	{ "sla", "LEVEL", N_("contract level: basic, standard, premium (organisations)"), NULL },
	{ "start", "DATE", N_("contract start YYYY-MM-DD (organisations)"), NULL },
	{ "end", "DATE", N_("contract end YYYY-MM-DD (organisations)"), NULL },
	{ "timezone", "TZ", N_("time zone, e.g. Asia/Shanghai"), NULL },
	{ "version", "V", N_("current version (systems)"), NULL },
	{ "description", "TEXT", N_("description (systems, queues)"), NULL },
	{ "from", "EMAIL", N_("From address of replies (queues)"), NULL },
	{ NULL, NULL, NULL, NULL },
};

static int dir_add(struct desk *d, const char *group, const char *name, const struct cli_cmd *cmd)
{
	struct wb_err err = { 0 };
	int64_t id = 0;
	int rc;
	if (!strcmp(group, "user")) {
		struct user u = { 0 };
		u.login = (char *)name;
		u.name = (char *)cli_get(cmd, "name");
		u.email = (char *)cli_get(cmd, "email");
		u.language = (char *)cli_get(cmd, "language");
		enum user_role r = ROLE_OPERATOR;
		rc = cli_has(cmd, "role") ? user_role_parse(cli_get(cmd, "role"), &r, &err) : WB_OK;
		u.role = (int)r;
		if (rc == WB_OK)
			rc = directory_user_add(d, &u, &id, &err);
	} else if (!strcmp(group, "org")) {
		struct organisation o = { 0 };
		o.name = (char *)name;
		o.domain = (char *)cli_get(cmd, "domain");
		o.sla_level = (char *)cli_get(cmd, "sla");
		o.contract_start = (char *)cli_get(cmd, "start");
		o.contract_end = (char *)cli_get(cmd, "end");
		o.timezone = (char *)cli_get(cmd, "timezone");
		rc = directory_org_add(d, &o, &id, &err);
	} else if (!strcmp(group, "contact")) {
		struct contact c = { 0 };
		c.name = (char *)(name ? name : cli_get(cmd, "name"));
		c.email = (char *)cli_get(cmd, "email");
		c.phone = (char *)cli_get(cmd, "phone");
		c.org = (char *)cli_get(cmd, "org");
		c.language = (char *)cli_get(cmd, "language");
		c.timezone = (char *)cli_get(cmd, "timezone");
		rc = directory_contact_add(d, &c, &id, &err);
	} else if (!strcmp(group, "system")) {
		struct system_info y = { 0 };
		y.name = (char *)name;
		y.org = (char *)cli_get(cmd, "org");
		y.version = (char *)cli_get(cmd, "version");
		y.description = (char *)cli_get(cmd, "description");
		rc = directory_system_add(d, &y, &id, &err);
	} else {
		struct queue_info q = { 0 };
		q.name = (char *)name;
		q.from_addr = (char *)cli_get(cmd, "from");
		q.description = (char *)cli_get(cmd, "description");
		rc = directory_queue_add(d, &q, &id, &err);
	}
	if (rc)
		return cli_fail(&err);
	printf("%lld\n", (long long)id);
	return 0;
}

/* Prints n items of kind k as list rows (JSON after the first when *any), then frees them. */
static void print_rows(void *v, size_t n, const struct dir_kind *k, bool json, bool *any)
{
	char idbuf[ID_LEN];
	for (size_t i = 0; i < n; i++) {
		struct rec r = { 0 };
		void *item = (char *)v + i * k->size;
		k->rec(item, idbuf, &r);
		rec_print(&r, json, !*any, true, k->widths);
		*any = true;
		k->clear(item);
	}
	free(v);
}

static int dir_list(struct desk *d, const char *group, bool json)
{
	struct wb_err err = { 0 };
	const struct dir_kind *k = kind_of(group);
	bool any = false;
	size_t n = 0;
	int rc;
	if (k->entity == ENTITY_USER) {
		struct user *v;
		if ((rc = directory_user_list(d, &v, &n, &err)) == WB_OK)
			print_rows(v, n, k, json, &any);
	} else if (k->entity == ENTITY_ORG) {
		struct organisation *v;
		if ((rc = directory_org_list(d, &v, &n, &err)) == WB_OK)
			print_rows(v, n, k, json, &any);
	} else if (k->entity == ENTITY_CONTACT) {
		/* in pages: there can be very many */
		int64_t after = 0;
		do {
			struct contact *v;
			if ((rc = directory_contact_page(d, after, 500, &v, &n, &err)))
				break;
			if (n)
				after = v[n - 1].id;
			print_rows(v, n, k, json, &any);
		} while (n == 500);
	} else if (k->entity == ENTITY_SYSTEM) {
		struct system_info *v;
		if ((rc = directory_system_list(d, &v, &n, &err)) == WB_OK)
			print_rows(v, n, k, json, &any);
	} else {
		struct queue_info *v;
		if ((rc = directory_queue_list(d, &v, &n, &err)) == WB_OK)
			print_rows(v, n, k, json, &any);
	}
	if (rc)
		return cli_fail(&err);
	if (json)
		puts(any ? "]" : "[]");
	return 0;
}

static int dir_show(struct desk *d, const char *group, const char *key, bool json)
{
	struct wb_err err = { 0 };
	const struct dir_kind *k = kind_of(group);
	union {
		struct user u;
		struct organisation o;
		struct contact c;
		struct system_info y;
		struct queue_info q;
	} x;
	memset(&x, 0, sizeof x);
	int rc;
	if (k->entity == ENTITY_USER)
		rc = directory_user_find(d, key, &x.u, &err);
	else if (k->entity == ENTITY_ORG)
		rc = directory_org_find(d, key, &x.o, &err);
	else if (k->entity == ENTITY_CONTACT)
		rc = directory_contact_find(d, key, &x.c, &err);
	else if (k->entity == ENTITY_SYSTEM)
		rc = directory_system_find(d, key, &x.y, &err);
	else
		rc = directory_queue_find(d, key, &x.q, &err);
	if (rc)
		return cli_fail(&err);
	struct rec r = { 0 };
	char idbuf[ID_LEN];
	k->rec(&x, idbuf, &r);
	rec_print(&r, json, true, false, NULL);
	if (json)
		puts("]");
	k->clear(&x);
	return 0;
}

static struct cli_opt json_opts[] = {
	{ "json", NULL, N_("print JSON"), NULL },
	{ NULL, NULL, NULL, NULL },
};

int cli_directory(struct cli_ctx *ctx, const char *group, int argc, char **argv)
{
	const char *verb = argc > 0 ? argv[0] : "";
	char usage[96];
	if (!strcmp(verb, "add")) {
		snprintf(usage, sizeof usage, "%s add %s [options]", group,
			 !strcmp(group, "user") ? "LOGIN" : !strcmp(group, "contact") ? "[NAME]" : "NAME");
		bool contact = !strcmp(group, "contact");
		struct cli_cmd cmd = { usage, NULL, add_opts, contact ? 0 : 1, 1 };
		char **args;
		int nargs, ex;
		if (cli_parse(&cmd, argc - 1, argv + 1, &args, &nargs, &ex))
			return ex;
		struct desk *d;
		ex = cli_desk(ctx, &d);
		if (!ex)
			ex = dir_add(d, group, nargs ? args[0] : NULL, &cmd);
		free(args);
		return ex;
	}
	if (!strcmp(verb, "list") || !strcmp(verb, "show")) {
		bool show = !strcmp(verb, "show");
		snprintf(usage, sizeof usage, "%s %s%s [--json]", group, verb, show ? " NAME|ID" : "");
		struct cli_cmd cmd = { usage, NULL, json_opts, show, show };
		char **args;
		int nargs, ex;
		if (cli_parse(&cmd, argc - 1, argv + 1, &args, &nargs, &ex))
			return ex;
		struct desk *d;
		ex = cli_desk(ctx, &d);
		if (!ex)
			ex = show ? dir_show(d, group, args[0], cli_has(&cmd, "json"))
				  : dir_list(d, group, cli_has(&cmd, "json"));
		free(args);
		return ex;
	}
	if (!strcmp(verb, "set")) {
		snprintf(usage, sizeof usage, "%s set NAME|ID FIELD VALUE", group);
		struct cli_cmd cmd = { usage, NULL, NULL, 3, 3 };
		char **args;
		int nargs, ex;
		if (cli_parse(&cmd, argc - 1, argv + 1, &args, &nargs, &ex))
			return ex;
		struct desk *d;
		struct wb_err err = { 0 };
		ex = cli_desk(ctx, &d);
		if (!ex && directory_set(d, kind_of(group)->entity, args[0], args[1], args[2], &err))
			ex = cli_fail(&err);
		free(args);
		return ex;
	}
	if (!strcmp(verb, "--help") || !strcmp(verb, "-h")) {
		printf(_("usage: weibao %s add|list|show|set ... (each takes --help)\n"), group);
		return 0;
	}
	return cli_usage_error(_("unknown command '%s %s' (allowed: add, list, show, set)"), group, verb);
}

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

static void user_rec(const struct user *u, struct rec *r)
{
	rec_add(r, "login", u->login);
	rec_add(r, "name", u->name);
	rec_add(r, "email", u->email);
	rec_add(r, "role", user_role_name((enum user_role)u->role));
	rec_add(r, "language", u->language);
}

static void org_rec(const struct organisation *o, struct rec *r)
{
	rec_add(r, "name", o->name);
	rec_add(r, "domain", o->domain);
	rec_add(r, "sla_level", o->sla_level);
	rec_add(r, "contract_start", o->contract_start);
	rec_add(r, "contract_end", o->contract_end);
	rec_add(r, "timezone", o->timezone);
}

static void contact_rec(const struct contact *c, char *idbuf, struct rec *r)
{
	rec_add(r, "id", idbuf);
	rec_add(r, "name", c->name);
	rec_add(r, "email", c->email);
	rec_add(r, "phone", c->phone);
	rec_add(r, "org", c->org);
	rec_add(r, "language", c->language);
}

static void system_rec(const struct system_info *y, char *idbuf, struct rec *r)
{
	rec_add(r, "id", idbuf);
	rec_add(r, "name", y->name);
	rec_add(r, "org", y->org);
	rec_add(r, "version", y->version);
	rec_add(r, "description", y->description);
}

static void queue_rec(const struct queue_info *q, char *idbuf, struct rec *r)
{
	rec_add(r, "id", idbuf);
	rec_add(r, "name", q->name);
	rec_add(r, "from", q->from_addr);
	rec_add(r, "description", q->description);
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

static int dir_list(struct desk *d, const char *group, bool json)
{
	struct wb_err err = { 0 };
	char idbuf[24];
	bool any = false;
	int rc = WB_OK;
	if (!strcmp(group, "user")) {
		struct user *v;
		size_t n;
		static const int w[] = { 12, 20, 28, 10, 6 };
		if ((rc = store_user_list(d->store, &v, &n, &err)) == WB_OK) {
			for (size_t i = 0; i < n; i++) {
				struct rec r = { 0 };
				user_rec(&v[i], &r);
				rec_print(&r, json, !any, true, w);
				any = true;
				user_clear(&v[i]);
			}
			free(v);
		}
	} else if (!strcmp(group, "org")) {
		struct organisation *v;
		size_t n;
		static const int w[] = { 24, 18, 9, 10, 10, 14 };
		if ((rc = store_org_list(d->store, &v, &n, &err)) == WB_OK) {
			for (size_t i = 0; i < n; i++) {
				struct rec r = { 0 };
				org_rec(&v[i], &r);
				rec_print(&r, json, !any, true, w);
				any = true;
				organisation_clear(&v[i]);
			}
			free(v);
		}
	} else if (!strcmp(group, "contact")) {
		static const int w[] = { 6, 16, 28, 15, 20, 6 };
		int64_t after = 0;
		for (;;) {
			struct contact *v;
			size_t n;
			if ((rc = store_contact_list(d->store, after, 500, &v, &n, &err)))
				break;
			for (size_t i = 0; i < n; i++) {
				struct rec r = { 0 };
				snprintf(idbuf, sizeof idbuf, "%lld", (long long)v[i].id);
				contact_rec(&v[i], idbuf, &r);
				rec_print(&r, json, !any, true, w);
				any = true;
				after = v[i].id;
			}
			store_contacts_free(&v, n);
			if (n < 500)
				break;
		}
	} else if (!strcmp(group, "system")) {
		struct system_info *v;
		size_t n;
		static const int w[] = { 4, 24, 24, 10, 20 };
		if ((rc = store_system_list(d->store, &v, &n, &err)) == WB_OK) {
			for (size_t i = 0; i < n; i++) {
				struct rec r = { 0 };
				snprintf(idbuf, sizeof idbuf, "%lld", (long long)v[i].id);
				system_rec(&v[i], idbuf, &r);
				rec_print(&r, json, !any, true, w);
				any = true;
				system_info_clear(&v[i]);
			}
			free(v);
		}
	} else {
		struct queue_info *v;
		size_t n;
		static const int w[] = { 4, 16, 28, 30 };
		if ((rc = store_queue_list(d->store, &v, &n, &err)) == WB_OK) {
			for (size_t i = 0; i < n; i++) {
				struct rec r = { 0 };
				snprintf(idbuf, sizeof idbuf, "%lld", (long long)v[i].id);
				queue_rec(&v[i], idbuf, &r);
				rec_print(&r, json, !any, true, w);
				any = true;
				queue_info_clear(&v[i]);
			}
			free(v);
		}
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
	struct rec r = { 0 };
	char idbuf[24];
	int rc;
	union {
		struct user u;
		struct organisation o;
		struct contact c;
		struct system_info y;
		struct queue_info q;
	} x;
	memset(&x, 0, sizeof x);
	if (!strcmp(group, "user")) {
		if ((rc = store_user_find(d->store, key, &x.u, &err)) == WB_OK)
			user_rec(&x.u, &r);
	} else if (!strcmp(group, "org")) {
		if ((rc = store_org_find(d->store, key, &x.o, &err)) == WB_OK)
			org_rec(&x.o, &r);
	} else if (!strcmp(group, "contact")) {
		if ((rc = directory_contact_find(d, key, &x.c, &err)) == WB_OK) {
			snprintf(idbuf, sizeof idbuf, "%lld", (long long)x.c.id);
			contact_rec(&x.c, idbuf, &r);
		}
	} else if (!strcmp(group, "system")) {
		if ((rc = store_system_find(d->store, key, 0, &x.y, &err)) == WB_OK) {
			snprintf(idbuf, sizeof idbuf, "%lld", (long long)x.y.id);
			system_rec(&x.y, idbuf, &r);
		}
	} else {
		if ((rc = store_queue_find(d->store, key, &x.q, &err)) == WB_OK) {
			snprintf(idbuf, sizeof idbuf, "%lld", (long long)x.q.id);
			queue_rec(&x.q, idbuf, &r);
		}
	}
	if (rc)
		return cli_fail(&err);
	rec_print(&r, json, true, false, NULL);
	if (json)
		puts("]");
	if (!strcmp(group, "user"))
		user_clear(&x.u);
	else if (!strcmp(group, "org"))
		organisation_clear(&x.o);
	else if (!strcmp(group, "contact"))
		contact_clear(&x.c);
	else if (!strcmp(group, "system"))
		system_info_clear(&x.y);
	else
		queue_info_clear(&x.q);
	return 0;
}

static enum store_entity entity_of(const char *group)
{
	return !strcmp(group, "user") ? ENTITY_USER : !strcmp(group, "org") ? ENTITY_ORG
	       : !strcmp(group, "contact") ? ENTITY_CONTACT : !strcmp(group, "system") ? ENTITY_SYSTEM
										 : ENTITY_QUEUE;
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
		if (!ex && directory_set(d, entity_of(group), args[0], args[1], args[2], &err))
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

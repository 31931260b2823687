/* outbox.c — notifications into the outbox, and the sender that empties it. See outbox.h. */
#include "outbox.h"

#include "automate.h"
#include "fmt.h"
#include "i18n.h"
#include "mail_compose.h"
#include "report.h"
#include "smtp.h"
#include "store_dir.h"
#include "strbuf.h"
#include "utf8.h"
#include "xmalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef WB_DATADIR
#define WB_DATADIR "/usr/local/share/weibao"
#endif

#define OUTBOX_THREAD_MAX 20 /* References: the newest this many Message-IDs of the ticket */

/* ---- templates ---- */

static bool is_dir(const char *p)
{
	struct stat st;
	return p && stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

int outbox_template_path(const struct wb_config *cfg, const char *lang, const char *name, char **path,
			 struct wb_err *err)
{
	*path = NULL;
	/* languages, most wanted first: zh_CN.UTF-8 -> zh_CN, zh, (zh_CN), en */
	char full[32] = "", base[32] = "";
	if (lang && *lang) {
		snprintf(full, sizeof full, "%s", lang);
		full[strcspn(full, ".@")] = '\0';
		snprintf(base, sizeof base, "%s", full);
		base[strcspn(base, "_-")] = '\0';
	}
	const char *langs[] = { full, base, !strcmp(base, "zh") ? "zh_CN" : "", "en" };
	/* beside the program in its source tree (./weibao run from elsewhere) */
	char exe[4096], *beside = NULL;
	ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (len > 0) {
		exe[len] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			beside = xasprintf("%s/docs/templates", exe);
			if (!is_dir(beside))
				xfree_str(&beside);
		}
	}
	const char *dirs[] = { cfg && cfg->templates_dir && *cfg->templates_dir ? cfg->templates_dir : NULL,
			       is_dir("docs/templates") ? "docs/templates" : NULL, beside, WB_DATADIR "/templates" };
	for (size_t l = 0; l < sizeof langs / sizeof langs[0]; l++) {
		if (!*langs[l] || strchr(langs[l], '/'))
			continue;
		for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
			if (!dirs[i])
				continue;
			char *p = xasprintf("%s/%s/%s.txt", dirs[i], langs[l], name);
			if (access(p, R_OK) == 0) {
				*path = p;
				free(beside);
				return WB_OK;
			}
			free(p);
		}
	}
	free(beside);
	return wb_err_set(err, WB_ENOTFOUND, _("no mail template '%s' in %s%s%s (set [mail] templates)"), name,
			  dirs[0] ? dirs[0] : "", dirs[0] ? ", " : "", WB_DATADIR "/templates");
}

/* Plain last resorts when no template files are installed at all: mail still goes out. */
static const char *builtin_template(const char *name)
{
	static const char *const t[][2] = {
		{ "ack", "Subject: We received your request: {{ticket.subject}}\n\nDear {{requester.name}},\n\n"
			 "your request is registered as ticket {{ticket.id}}. Reply to this email to add to it.\n\n"
			 "{{desk.name}}\n" },
		{ "reply", "Subject: Re: {{ticket.subject}}\n\n{{reply.body}}\n\n{{operator.name}}\n{{desk.name}}\n" },
		{ "resolved", "Subject: Resolved: {{ticket.subject}}\n\nTicket {{ticket.id}} is resolved "
			      "(fixed in: {{ticket.fixed_version}}).\nReply with a rating from 1 (poor) to 5 (excellent).\n\n"
			      "{{desk.name}}\n" },
		{ "sla_at_risk", "Subject: SLA at risk: {{ticket.subject}}\n\nTicket {{ticket.id}} is close to its SLA "
				 "target.\n\n{{desk.name}}\n" },
		{ "sla_breached", "Subject: SLA breached: {{ticket.subject}}\n\nTicket {{ticket.id}} missed its SLA "
				  "target.\n\n{{desk.name}}\n" },
		{ "window_ahead", "Subject: Planned maintenance: {{notice.title}} ({{notice.start}})\n\n"
				  "Planned maintenance on {{notice.system}}.\n\nStart: {{notice.start}}\n"
				  "End:   {{notice.end}}\n(times in {{notice.zone}})\n{{notice.details}}\n{{desk.name}}\n" },
		{ "window_closed", "Subject: Maintenance finished: {{notice.title}}\n\nThe maintenance on "
				   "{{notice.system}} has ended ({{notice.end}}, times in {{notice.zone}}).\n\n"
				   "{{desk.name}}\n" },
		{ "plan_ahead", "Subject: Planned maintenance: {{notice.title}} ({{notice.start}})\n\n"
				"Planned maintenance ({{notice.kind}}) on {{notice.system}}.\n\nStart: {{notice.start}}\n"
				"End:   {{notice.end}}\n(times in {{notice.zone}})\n\n{{desk.name}}\n" },
		{ "remind", "Subject: Waiting for your answer: {{ticket.subject}}\n\nTicket {{ticket.id}} waits for your "
			    "reply. Reply to this email to go on.\n\n{{desk.name}}\n" },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (!strcmp(t[i][0], name))
			return t[i][1];
	return NULL;
}

static char *read_file(const char *path, struct wb_err *err)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		wb_err_set(err, WB_EIO, _("cannot read %s: %s"), path, strerror(errno));
		return NULL;
	}
	struct strbuf b = STRBUF_INIT;
	strbuf_read(&b, f, TICKET_BODY_MAX);
	fclose(f);
	return strbuf_detach(&b);
}

static const char *field_value(const struct outbox_fields *f, const char *name, size_t n)
{
	static const struct {
		const char *name;
		size_t off;
	} map[] = {
		{ "ticket.id", offsetof(struct outbox_fields, ticket_id) },
		{ "ticket.subject", offsetof(struct outbox_fields, ticket_subject) },
		{ "requester.name", offsetof(struct outbox_fields, requester_name) },
		{ "operator.name", offsetof(struct outbox_fields, operator_name) },
		{ "desk.name", offsetof(struct outbox_fields, desk_name) },
		{ "reply.body", offsetof(struct outbox_fields, reply_body) },
		{ "ticket.fixed_version", offsetof(struct outbox_fields, fixed_version) },
		{ "notice.title", offsetof(struct outbox_fields, notice_title) },
		{ "notice.system", offsetof(struct outbox_fields, notice_system) },
		{ "notice.start", offsetof(struct outbox_fields, notice_start) },
		{ "notice.end", offsetof(struct outbox_fields, notice_end) },
		{ "notice.zone", offsetof(struct outbox_fields, notice_zone) },
		{ "notice.kind", offsetof(struct outbox_fields, notice_kind) },
		{ "notice.details", offsetof(struct outbox_fields, notice_details) },
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strlen(map[i].name) == n && !memcmp(map[i].name, name, n)) {
			const char *v = *(const char *const *)((const char *)f + map[i].off);
			return v ? v : "";
		}
	return NULL;
}

static int render_text(char *text, const char *path, const struct outbox_fields *f, char **subject, char **body,
		       struct wb_err *err);

int outbox_render(const char *path, const struct outbox_fields *f, char **subject, char **body,
		  struct wb_err *err)
{
	*subject = *body = NULL;
	char *text = read_file(path, err);
	if (!text)
		return WB_EIO;
	return render_text(text, path, f, subject, body, err);
}

/* Renders text (freed here); path names it in errors. */
static int render_text(char *text, const char *path, const struct outbox_fields *f, char **subject, char **body,
		       struct wb_err *err)
{
	*subject = *body = NULL;
	if (!utf8_valid(text, strlen(text))) {
		free(text);
		return wb_err_set(err, WB_EINVAL, _("mail template %s is not valid UTF-8"), path);
	}
	struct strbuf out = STRBUF_INIT;
	int line = 1, rc = WB_OK;
	for (const char *p = text; *p && rc == WB_OK;) {
		if (p[0] == '{' && p[1] == '{') {
			const char *end = strstr(p + 2, "}}");
			const char *a = p + 2;
			while (a < (end ? end : a) && *a == ' ')
				a++;
			const char *z = end;
			while (z && z > a && z[-1] == ' ')
				z--;
			const char *v = end && !memchr(a, '\n', (size_t)(z - a)) ? field_value(f, a, (size_t)(z - a)) : NULL;
			if (!v) {
				int len = end ? (int)(end + 2 - p) : (int)strcspn(p, "\n");
				rc = wb_err_set(err, WB_EINVAL, _("%s:%d: unknown placeholder %.*s (known: ticket.id, ticket.subject,"
								  " requester.name, operator.name, desk.name, reply.body,"
								  " ticket.fixed_version; in maintenance notices notice.title,"
								  " notice.system, notice.start, notice.end, notice.zone,"
								  " notice.kind, notice.details)"),
						path, line, len > 60 ? 60 : len, p);
				break;
			}
			strbuf_adds(&out, v);
			p = end + 2;
			continue;
		}
		if (*p == '\n')
			line++;
		strbuf_addc(&out, *p++);
	}
	free(text);
	char *all = strbuf_detach(&out);
	if (rc) {
		free(all);
		return rc;
	}
	if (strncasecmp(all, "Subject:", 8) != 0) {
		free(all);
		return wb_err_set(err, WB_EINVAL, _("%s:1: a mail template starts with a line 'Subject: ...'"), path);
	}
	char *nl = strchr(all, '\n');
	const char *rest = nl ? nl + 1 : "";
	if (nl)
		*nl = '\0';
	char *s = all + 8;
	while (*s == ' ' || *s == '\t')
		s++;
	*subject = xstrdup(s);
	utf8_flatten(*subject);
	/* one blank line between the subject and the body is optional */
	if (*rest == '\n')
		rest++;
	else if (rest[0] == '\r' && rest[1] == '\n')
		rest += 2;
	*body = xstrdup(rest);
	free(all);
	return WB_OK;
}

/* ---- queueing ---- */

static const struct wb_config *cfg_of(struct desk *d, void *ctx)
{
	return ctx ? (const struct wb_config *)ctx : d->cfg;
}

/* True when addr is the desk's own address or one of its queues' (mail to itself loops). */
static int is_desk_addr(struct desk *d, const struct wb_config *cfg, const char *addr, bool *own,
			struct wb_err *err)
{
	*own = cfg->mail_from && !strcasecmp(cfg->mail_from, addr);
	if (*own)
		return WB_OK;
	struct queue_info *q;
	size_t n;
	int rc = store_queue_list(d->store, &q, &n, err);
	if (rc)
		return rc;
	for (size_t i = 0; i < n; i++) {
		if (q[i].from_addr && !strcasecmp(q[i].from_addr, addr))
			*own = true;
		queue_info_clear(&q[i]);
	}
	free(q);
	return WB_OK;
}

static char *from_addr_for(struct desk *d, const struct wb_config *cfg, int64_t queue_id)
{
	char key[32];
	snprintf(key, sizeof key, "%lld", (long long)queue_id);
	struct queue_info q;
	char *from = NULL;
	if (queue_id && store_queue_find(d->store, key, &q, NULL) == WB_OK) {
		if (q.from_addr && *q.from_addr)
			from = xstrdup(q.from_addr);
		queue_info_clear(&q);
	}
	return from ? from : xstrdup(cfg->mail_from ? cfg->mail_from : "");
}

struct queue_req {
	const char *tmpl;
	const char *lang;
	struct outbox_fields f;
	int64_t ticket_id, queue_id, message_id;
	const char *const *to;    /* "Name <addr>" */
	const char *const *rcpts; /* bare addresses */
	size_t n;
	const struct mail_out_attachment *att;
	size_t n_att;
	const char *subject, *body; /* given text instead of a template (tmpl NULL) */
};

/* Renders, composes and stores one mail (inside the caller's transaction). */
static int queue_mail(struct desk *d, const struct wb_config *cfg, const struct queue_req *q, struct wb_err *err)
{
	char *path = NULL, *subject = NULL, *body = NULL, *from = NULL, *raw = NULL, *mid = NULL, *tagged = NULL;
	char **refs = NULL;
	size_t n_refs = 0;
	int rc = WB_OK;
	if (!q->tmpl) {
		subject = xstrdup(q->subject ? q->subject : "");
		utf8_flatten(subject);
		body = xstrdup(q->body ? q->body : "");
		path = xstrdup("(text)");
		goto rendered;
	}
	rc = outbox_template_path(cfg, q->lang, q->tmpl, &path, err);
	struct stat st;
	if (rc == WB_OK && strcmp(q->tmpl, "reply") != 0 && stat(path, &st) == 0 && st.st_size == 0)
		goto out; /* an empty template file switches that notification off */
	if (rc == WB_OK)
		rc = outbox_render(path, &q->f, &subject, &body, err);
	else if (rc == WB_ENOTFOUND && builtin_template(q->tmpl) &&
		 !(cfg->templates_dir && *cfg->templates_dir)) {
		path = xasprintf("(built-in %s)", q->tmpl);
		rc = render_text(xstrdup(builtin_template(q->tmpl)), path, &q->f, &subject, &body, err);
	}
	if (rc)
		goto out;
rendered:
	from = from_addr_for(d, cfg, q->queue_id);
	if (!mail_addr_valid(from)) {
		rc = wb_err_set(err, WB_EINVAL, _("the desk's mail address '%s' is not a valid address;"
						  " set [mail] from in %s (or the queue's from)"),
				from, cfg->path ? cfg->path : _("the config file"));
		goto out;
	}
	char tag[64] = "";
	if (q->ticket_id)
		snprintf(tag, sizeof tag, "[%s%lld]", cfg->tag_prefix ? cfg->tag_prefix : "#", (long long)q->ticket_id);
	tagged = !*tag || strstr(subject, tag) ? xstrdup(subject) : xasprintf("%s %s", subject, tag);
	if (q->ticket_id && (rc = store_outbox_thread(d->store, q->ticket_id, OUTBOX_THREAD_MAX, &refs, &n_refs, err)))
		goto out;
	struct mail_out m = { 0 };
	m.from_name = cfg->desk_name;
	m.from_addr = from;
	m.to = q->to;
	m.n_to = q->n;
	m.subject = tagged;
	m.body = body;
	m.signature = cfg->signature && *cfg->signature ? cfg->signature : NULL;
	m.msgid_domain = cfg->mail_domain;
	m.in_reply_to = n_refs ? refs[n_refs - 1] : NULL;
	m.references = (const char *const *)refs;
	m.n_references = n_refs;
	m.date = clock_now();
	m.att = q->att;
	m.n_att = q->n_att;
	if ((rc = mail_compose(&m, &raw, &mid, err))) {
		wb_err_prefix(err, rc, _("mail for ticket #%lld (template %s)"), (long long)q->ticket_id, path);
		goto out;
	}
	struct outbox_new o = { 0 };
	o.ticket_id = q->ticket_id;
	o.message_id = q->message_id;
	o.email_message_id = mid;
	o.envelope_from = from;
	o.raw = raw;
	o.rcpts = q->rcpts;
	o.n_rcpts = q->n;
	o.at = m.date;
	rc = store_outbox_enqueue(d->store, &o, NULL, err);
out:
	for (size_t i = 0; i < n_refs; i++)
		free(refs[i]);
	free(refs);
	free(path);
	free(subject);
	free(body);
	free(from);
	free(raw);
	free(mid);
	free(tagged);
	return rc;
}

/* One mail to the ticket's requester from template tmpl; ev decides what is strict. */
static int notify_requester(struct desk *d, const struct wb_config *cfg, const char *tmpl, enum desk_event ev,
			    const struct ticket *t, int64_t message_id, const char *body, struct wb_err *err);

int outbox_notify(struct desk *d, enum desk_event ev, const struct ticket *t, int64_t message_id,
		  const char *body, void *ctx, struct wb_err *err)
{
	switch (ev) {
	case DESK_EV_SLA_AT_RISK:
	case DESK_EV_SLA_BREACHED:
		return outbox_notify_sla(d, t, ev == DESK_EV_SLA_BREACHED, NULL, err);
	case DESK_EV_REMIND:
		return notify_requester(d, cfg_of(d, ctx), "remind", DESK_EV_RESOLVED, t, 0, NULL, err);
	default:
		break;
	}
	const char *tmpl = ev == DESK_EV_CREATED ? "ack" : ev == DESK_EV_REPLY ? "reply" : "resolved";
	return notify_requester(d, cfg_of(d, ctx), tmpl, ev, t, message_id, body, err);
}

static int notify_requester(struct desk *d, const struct wb_config *cfg, const char *tmpl, enum desk_event ev,
			    const struct ticket *t, int64_t message_id, const char *body, struct wb_err *err)
{
	if (!t->requester_id)
		return WB_OK;
	struct contact c;
	int rc = store_contact_get(d->store, t->requester_id, &c, err);
	if (rc)
		return rc;
	bool own = false;
	if (!c.email || !*c.email)
		goto out; /* a phone-only customer: nothing to mail */
	if ((rc = is_desk_addr(d, cfg, c.email, &own, err)) || own)
		goto out;
	if (!mail_addr_valid(c.email)) {
		/* an explicit reply must reach the customer; an acknowledgement may be skipped */
		if (ev == DESK_EV_REPLY)
			rc = wb_err_set(err, WB_EINVAL, _("cannot mail %s: the address is not one weibao can send to;"
							  " correct it with: weibao contact set %lld email ADDRESS"),
					c.email, (long long)c.id);
		goto out;
	}
	char idbuf[32];
	snprintf(idbuf, sizeof idbuf, "%lld", (long long)t->id);
	char *to = c.name && *c.name ? xasprintf("%s <%s>", c.name, c.email) : xstrdup(c.email);
	struct queue_req q = { 0 };
	q.tmpl = tmpl;
	q.lang = c.language && *c.language ? c.language : cfg->language;
	q.f.ticket_id = idbuf;
	q.f.ticket_subject = t->subject;
	q.f.requester_name = c.name;
	q.f.operator_name = d->me.name ? d->me.name : d->me.login;
	q.f.desk_name = cfg->desk_name;
	q.f.reply_body = ev == DESK_EV_REPLY ? body : NULL;
	q.f.fixed_version = t->fixed_version;
	q.ticket_id = t->id;
	q.queue_id = t->queue_id;
	q.message_id = ev == DESK_EV_REPLY ? message_id : 0;
	const char *tos[] = { to };
	const char *rcpts[] = { c.email };
	q.to = tos;
	q.rcpts = rcpts;
	q.n = 1;
	/* a reply's files go with it */
	struct outbox_attachment *files = NULL;
	size_t n_files = 0;
	struct mail_out_attachment *att = NULL;
	if (ev == DESK_EV_REPLY && message_id)
		rc = store_outbox_attachments(d->store, message_id, &files, &n_files, err);
	if (rc == WB_OK && n_files) {
		att = xcalloc(n_files, sizeof *att);
		for (size_t i = 0; i < n_files; i++) {
			att[i].filename = files[i].filename ? files[i].filename : "attachment";
			att[i].content_type = files[i].content_type;
			att[i].data = files[i].data;
			att[i].size = files[i].size;
		}
		q.att = att;
		q.n_att = n_files;
	}
	if (rc == WB_OK)
		rc = queue_mail(d, cfg, &q, err);
	free(att);
	outbox_attachments_free(&files, n_files);
	free(to);
out:
	contact_clear(&c);
	return rc;
}

int outbox_notify_sla(struct desk *d, const struct ticket *t, bool breached, int *queued, struct wb_err *err)
{
	const struct wb_config *cfg = d->cfg;
	if (queued)
		*queued = 0;
	struct user *u = NULL;
	size_t n = 0;
	int rc = store_user_list(d->store, &u, &n, err);
	if (rc)
		return rc;
	if ((rc = store_begin(d->store, err)))
		goto out;
	char idbuf[32];
	snprintf(idbuf, sizeof idbuf, "%lld", (long long)t->id);
	for (size_t i = 0; i < n && rc == WB_OK; i++) {
		bool want = u[i].id == t->assignee_id || u[i].role >= ROLE_SUPERVISOR;
		if (!want || !u[i].email || !mail_addr_valid(u[i].email))
			continue;
		char *to = xasprintf("%s <%s>", u[i].name ? u[i].name : u[i].login, u[i].email);
		struct queue_req q = { 0 };
		q.tmpl = breached ? "sla_breached" : "sla_at_risk";
		q.lang = u[i].language && *u[i].language ? u[i].language : cfg->language;
		q.f.ticket_id = idbuf;
		q.f.ticket_subject = t->subject;
		q.f.requester_name = t->requester_name;
		q.f.operator_name = u[i].name;
		q.f.desk_name = cfg->desk_name;
		q.f.fixed_version = t->fixed_version;
		q.ticket_id = t->id;
		q.queue_id = t->queue_id;
		const char *tos[] = { to };
		const char *rcpts[] = { u[i].email };
		q.to = tos;
		q.rcpts = rcpts;
		q.n = 1;
		rc = queue_mail(d, cfg, &q, err);
		if (rc == WB_OK && queued)
			(*queued)++;
		free(to);
	}
	if (rc == WB_OK)
		rc = store_commit(d->store, err);
	else
		store_rollback(d->store);
out:
	for (size_t i = 0; i < n; i++)
		user_clear(&u[i]);
	free(u);
	return rc;
}

int outbox_report_mail(struct desk *d, const char *to, const char *subject, const char *body, const char *att_name,
		       const char *att_type, const char *att, size_t att_len, struct wb_err *err)
{
	const struct wb_config *cfg = d->notify_ctx ? d->notify_ctx : d->cfg;
	if (!cfg->smtp_host || !*cfg->smtp_host)
		return wb_err_set(err, WB_EREFUSED, "%s", _("mail is not configured")); /* no [smtp] host */
	char *name = NULL, *addr = NULL;
	int rc = mail_addr_split(to, &name, &addr, err);
	if (rc)
		return rc;
	struct mail_out_attachment a = { 0 };
	a.filename = att_name ? att_name : "report";
	a.content_type = att_type;
	a.data = (const unsigned char *)att;
	a.size = att_len;
	struct queue_req q = { 0 };
	q.subject = subject;
	q.body = body;
	const char *tos[] = { to };
	const char *rcpts[] = { addr };
	q.to = tos;
	q.rcpts = rcpts;
	q.n = 1;
	if (att) {
		q.att = &a;
		q.n_att = 1;
	}
	rc = store_begin(d->store, err);
	if (rc == WB_OK)
		rc = queue_mail(d, cfg, &q, err);
	if (rc == WB_OK)
		rc = store_commit(d->store, err);
	else
		store_rollback(d->store);
	free(name);
	free(addr);
	return rc;
}

/* The language a template for (lang, name) is written in: the folder it was found in, "en" for the
 * built-in one. The values put into it must speak the same language. */
static void template_language(const struct wb_config *cfg, const char *lang, const char *name, char *out,
			      size_t n)
{
	char *path = NULL;
	snprintf(out, n, "en");
	if (outbox_template_path(cfg, lang, name, &path, NULL) == WB_OK) {
		char *slash = strrchr(path, '/'); /* DIR/<lang>/<name>.txt */
		if (slash) {
			*slash = '\0';
			char *dir = strrchr(path, '/');
			snprintf(out, n, "%s", dir ? dir + 1 : path);
		}
	}
	free(path);
}

/* A notice's values as the reader sees them. */
struct notice_words {
	char start[128], end[128], zone[96], kind[96], *details;
};

/* Formats the values of notice n in language lang (day and month names, the plan's kind). The one
 * place the mail layer switches the message language: it is restored before returning, whatever
 * happens, so nothing else ever runs in the reader's language. details: caller frees. */
static void notice_words(const struct plan_notice *n, const char *lang, struct notice_words *w)
{
	char *prev = i18n_set_language(lang);
	fmt_long_datetime_in(n->start, n->tz, w->start, sizeof w->start);
	fmt_long_datetime_in(n->end, n->tz, w->end, sizeof w->end);
	fmt_zone(n->tz, n->start, w->zone, sizeof w->zone);
	snprintf(w->kind, sizeof w->kind, "%s", n->plan_kind ? plan_kind_label_of(n->plan_kind) : "");
	free(i18n_set_language(prev));
	free(prev);
	w->details = n->details && *n->details ? xasprintf("\n%s\n", n->details) : xstrdup("");
}

int outbox_plan_mail(struct desk *d, const struct contact *to, const struct plan_notice *n, void *ctx,
		     bool *queued, struct wb_err *err)
{
	(void)ctx;
	*queued = false;
	if (!to->email || !*to->email)
		return WB_OK;
	const struct wb_config *cfg = d->notify_ctx ? d->notify_ctx : d->cfg;
	if (!mail_addr_valid(to->email))
		return WB_OK; /* not an address mail can reach; the notice must not block the others */
	bool own = false;
	int rc = is_desk_addr(d, cfg, to->email, &own, err);
	if (rc || own)
		return rc; /* mail to the desk itself would loop */
	const char *tmpl = n->kind == PLAN_NOTICE_WINDOW_CLOSED ? "window_closed"
			   : n->kind == PLAN_NOTICE_OCC_AHEAD   ? "plan_ahead"
								 : "window_ahead";
	const char *want = to->language && *to->language ? to->language : cfg->language;
	char lang[64];
	template_language(cfg, want, tmpl, lang, sizeof lang);
	struct notice_words w;
	notice_words(n, lang, &w);
	char *spec = to->name && *to->name ? xasprintf("%s <%s>", to->name, to->email) : xstrdup(to->email);
	struct queue_req q = { 0 };
	q.tmpl = tmpl;
	q.lang = lang;
	q.f.requester_name = to->name;
	q.f.operator_name = d->me.name ? d->me.name : d->me.login;
	q.f.desk_name = cfg->desk_name;
	q.f.notice_title = n->title;
	q.f.notice_system = n->what;
	q.f.notice_start = w.start;
	q.f.notice_end = w.end;
	q.f.notice_zone = w.zone;
	q.f.notice_kind = w.kind;
	q.f.notice_details = w.details;
	const char *tos[] = { spec };
	const char *rcpts[] = { to->email };
	q.to = tos;
	q.rcpts = rcpts;
	q.n = 1;
	rc = store_begin(d->store, err);
	if (rc == WB_OK)
		rc = queue_mail(d, cfg, &q, err);
	if (rc == WB_OK)
		rc = store_commit(d->store, err);
	else
		store_rollback(d->store);
	*queued = rc == WB_OK;
	free(spec);
	free(w.details);
	return rc;
}

void outbox_attach(struct desk *d, const struct wb_config *cfg)
{
	d->notify = outbox_notify;
	d->notify_ctx = (void *)cfg;
}

/* ---- managing the queue ---- */

int outbox_list(struct desk *d, bool filter_state, enum outbox_state state, int64_t before_id, size_t limit,
		struct outbox_item **out, size_t *n, struct wb_err *err)
{
	return store_outbox_list(d->store, filter_state, state, before_id, limit, out, n, err);
}

/* retry or cancel one message, with its audit entry, in one transaction */
static int retry_or_cancel(struct desk *d, int64_t id, bool retry, struct wb_err *err)
{
	int rc = desk_require(d, ROLE_OPERATOR, err);
	if (rc || (rc = store_begin(d->store, err)))
		return rc;
	rc = retry ? store_outbox_retry(d->store, id, clock_now(), err) : store_outbox_cancel(d->store, id, err);
	char what[24];
	snprintf(what, sizeof what, "%lld", (long long)id);
	if (rc == WB_OK)
		rc = store_audit_add(d->store, d->me.id, 0, retry ? "outbox retry" : "outbox cancel", NULL, what, err);
	if (rc) {
		store_rollback(d->store);
		return rc;
	}
	return store_commit(d->store, err);
}

int outbox_retry(struct desk *d, int64_t id, struct wb_err *err)
{
	return retry_or_cancel(d, id, true, err);
}

int outbox_cancel(struct desk *d, int64_t id, struct wb_err *err)
{
	return retry_or_cancel(d, id, false, err);
}

/* ---- sending ---- */

bool outbox_backoff(int attempts, wb_time *delay)
{
	wb_time waited = 0, step = 60;
	for (int i = 1; i < attempts; i++) {
		waited += step;
		step = step * 2 > 3600 ? 3600 : step * 2;
	}
	*delay = step;
	return attempts >= 1 && waited + step <= OUTBOX_GIVE_UP;
}

void outbox_report_clear(struct outbox_report *r)
{
	for (size_t i = 0; i < r->n_notices; i++)
		free(r->notices[i]);
	free(r->notices);
	memset(r, 0, sizeof *r);
}

static void add_notice(struct outbox_report *r, char *line)
{
	r->notices = xrealloc(r->notices, (r->n_notices + 1) * sizeof *r->notices);
	r->notices[r->n_notices++] = line;
}

/* The SMTP settings of the config, with the password (from password_command when set). */
struct sender {
	struct smtp_settings s;
	char *password; /* owned */
	bool ready;
};

static void sender_clear(struct sender *x)
{
	if (x->password) {
		memset(x->password, 0, strlen(x->password));
		free(x->password);
	}
	memset(x, 0, sizeof *x);
}

static int run_password_command(const char *cmd, char **out, struct wb_err *err)
{
	FILE *p = popen(cmd, "r");
	if (!p)
		return wb_err_set(err, WB_EINVAL, _("[smtp] password_command cannot run: %s"), strerror(errno));
	char buf[1024] = "";
	bool got = fgets(buf, sizeof buf, p) != NULL;
	/* read the rest so the command does not die of a broken pipe */
	char sink[256];
	while (fgets(sink, sizeof sink, p))
		;
	int status = pclose(p);
	buf[strcspn(buf, "\r\n")] = '\0';
	if (status != 0 || !got || !buf[0]) {
		memset(buf, 0, sizeof buf);
		return wb_err_set(err, WB_EINVAL,
				  status != 0 ? _("[smtp] password_command '%s' failed (exit status %d)")
					      : _("[smtp] password_command '%s' printed no password"),
				  cmd, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	}
	*out = xstrdup(buf);
	memset(buf, 0, sizeof buf);
	return WB_OK;
}

static int sender_prepare(struct sender *x, const struct wb_config *cfg, struct wb_err *err)
{
	if (x->ready)
		return WB_OK;
	memset(&x->s, 0, sizeof x->s);
	enum smtp_tls tls;
	int rc = smtp_tls_parse(cfg->smtp_tls ? cfg->smtp_tls : "starttls", &tls, err);
	if (rc)
		return wb_err_prefix(err, rc, "[smtp] tls");
	x->s.host = cfg->smtp_host;
	x->s.port = cfg->smtp_port;
	x->s.tls = tls;
	x->s.verify = cfg->smtp_verify;
	x->s.ca_file = cfg->smtp_ca_file && *cfg->smtp_ca_file ? cfg->smtp_ca_file : NULL;
	x->s.user = cfg->smtp_user;
	x->s.timeout_ms = cfg->smtp_timeout > 0 ? cfg->smtp_timeout * 1000 : 0;
	if (cfg->smtp_user && *cfg->smtp_user) {
		if (cfg->smtp_password_command && *cfg->smtp_password_command) {
			if ((rc = run_password_command(cfg->smtp_password_command, &x->password, err)))
				return rc;
		} else if (cfg->smtp_password) {
			x->password = xstrdup(cfg->smtp_password);
		}
		x->s.password = x->password;
	}
	x->ready = true;
	return WB_OK;
}

/* One claim holds at most OUTBOX_BATCH messages, and they go out over one SMTP session each
 * OUTBOX_SESSION_BYTES of mail (a session per message would cost a connection, EHLO and
 * QUIT each time: the server's session rate, not its message rate, would be the limit). */
#define OUTBOX_BATCH 100
#define OUTBOX_SESSION_BYTES (10 << 20)

struct pass {
	struct desk *d;
	const struct wb_config *cfg;
	const struct outbox_send_opts *o;
	struct outbox_report *r;
	struct sender snd;
	wb_time now;
	/* the current claim */
	struct outbox_item *v;
	size_t n;
	bool *tried;     /* per claimed message: its attempt is over (recorded, or left to the lease) */
	wb_time lease;
	wb_time renewed; /* when the claim's lease was last set */
};

/* Writes one message to DIR/NNNNNN.eml (complete or not at all). */
static int write_eml(const char *dir, const struct outbox_item *it, char **path, struct wb_err *err)
{
	*path = xasprintf("%s/%06lld.eml", dir, (long long)it->id);
	char *tmp = xasprintf("%s.tmp", *path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int rc = WB_OK;
	if (fd < 0) {
		rc = wb_err_set(err, WB_EIO, _("cannot write %s: %s"), tmp, strerror(errno));
	} else {
		size_t len = strlen(it->raw), off = 0;
		while (off < len) {
			ssize_t w = write(fd, it->raw + off, len - off);
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0) {
				rc = wb_err_set(err, WB_EIO, _("cannot write %s: %s"), tmp, strerror(errno));
				break;
			}
			off += (size_t)w;
		}
		if (close(fd) != 0 && rc == WB_OK)
			rc = wb_err_set(err, WB_EIO, _("cannot write %s: %s"), tmp, strerror(errno));
		if (rc == WB_OK && rename(tmp, *path) != 0)
			rc = wb_err_set(err, WB_EIO, _("cannot write %s: %s"), *path, strerror(errno));
		if (rc)
			unlink(tmp);
	}
	free(tmp);
	if (rc)
		xfree_str(path);
	return rc;
}

/* A visible event on the ticket and the audit log: a recipient failed for good. */
static int failure_event(struct pass *p, const struct outbox_item *it, const char *line, struct wb_err *err)
{
	if (!it->ticket_id)
		return WB_OK;
	struct message_new m = { 0 };
	m.ticket_id = it->ticket_id;
	m.kind = MSG_EVENT;
	m.author_user_id = p->d->me.id;
	m.body = line;
	m.created_at = p->now;
	int rc = store_message_add(p->d->store, &m, NULL, err);
	if (rc == WB_OK)
		rc = store_audit_add(p->d->store, p->d->me.id, it->ticket_id, "mail failed", NULL, line, err);
	return rc;
}

static char *rcpt_line(const struct outbox_item *it, const char *addr, int code, const char *reply)
{
	if (it->ticket_id)
		return xasprintf(_("mail to %s failed for ticket #%lld (outbox %lld): %d %s"), addr,
				 (long long)it->ticket_id, (long long)it->id, code, reply ? reply : "");
	return xasprintf(_("mail to %s failed (outbox %lld): %d %s"), addr, (long long)it->id, code,
			 reply ? reply : "");
}

/* Records what one SMTP session did to a claimed message, in one transaction. */
static int record(struct pass *p, const struct outbox_item *it, const struct smtp_result *res, int send_rc,
		  const char *problem, struct wb_err *err)
{
	struct store *s = p->d->store;
	int rc = store_begin(s, err);
	if (rc)
		return rc;
	wb_time delay = 0;
	bool keep_trying = outbox_backoff(it->attempts, &delay);
	bool any_retry = false, any_failed = false;
	char *first_failure = NULL;
	char **lines = NULL;
	size_t n_lines = 0;
	for (size_t i = 0; i < it->n_rcpt && rc == WB_OK; i++) {
		const char *addr = it->rcpt[i].addr;
		enum smtp_outcome oc = SMTP_TEMPFAIL;
		int code = 0;
		const char *reply = problem;
		if (send_rc == WB_OK && i < res->n_rcpt) {
			oc = res->rcpt[i].outcome;
			code = res->rcpt[i].code;
			reply = res->rcpt[i].reply && *res->rcpt[i].reply ? res->rcpt[i].reply : res->reply;
			if (oc != SMTP_SENT && code >= 200 && code < 300 && res->code) {
				/* the recipient was taken but the message was not: DATA's reply decides */
				code = res->code;
				reply = res->reply;
			}
		}
		enum outbox_state st = oc == SMTP_SENT ? OUTBOX_SENT : oc == SMTP_PERMFAIL ? OUTBOX_FAILED : OUTBOX_RETRYING;
		char *gave_up = NULL;
		if (st == OUTBOX_RETRYING && !keep_trying) {
			st = OUTBOX_FAILED;
			gave_up = xasprintf(_("gave up after %d attempts: %s"), it->attempts, reply ? reply : "");
			reply = gave_up;
		}
		if (st == OUTBOX_RETRYING)
			any_retry = true;
		if (st == OUTBOX_FAILED) {
			any_failed = true;
			char *line = rcpt_line(it, addr, code, reply);
			if (!first_failure)
				first_failure = xasprintf("%s: %d %s", addr, code, reply ? reply : "");
			lines = xrealloc(lines, (n_lines + 1) * sizeof *lines);
			lines[n_lines++] = line;
			rc = failure_event(p, it, line, err);
		}
		if (rc == WB_OK)
			rc = store_outbox_rcpt_set(s, it->id, addr, st, code, reply, err);
		free(gave_up);
	}
	enum outbox_state final = any_retry ? OUTBOX_RETRYING : any_failed ? OUTBOX_FAILED : OUTBOX_SENT;
	/* a message whose recipients all failed earlier and none is left (should not happen) */
	const char *last = final == OUTBOX_RETRYING ? (problem ? problem : res && res->reply ? res->reply : NULL)
						    : first_failure;
	char *retry_err = NULL;
	if (final == OUTBOX_RETRYING && send_rc == WB_OK && res->code)
		last = retry_err = xasprintf("%d %s", res->code, res->reply ? res->reply : "");
	if (rc == WB_OK)
		rc = store_outbox_finish(s, it->id, it->attempts, final,
					 final == OUTBOX_RETRYING ? p->now + delay : it->next_attempt_at, last,
					 final == OUTBOX_SENT ? p->now : 0, err);
	if (rc == WB_OK)
		rc = store_commit(s, err);
	else
		store_rollback(s);
	if (rc == WB_OK) {
		if (final == OUTBOX_SENT)
			p->r->sent++;
		else if (final == OUTBOX_RETRYING)
			p->r->retrying++;
		else
			p->r->failed++;
		for (size_t i = 0; i < n_lines; i++)
			add_notice(p->r, lines[i]);
	} else {
		for (size_t i = 0; i < n_lines; i++)
			free(lines[i]);
	}
	free(lines);
	free(first_failure);
	free(retry_err);
	return rc;
}

static int record_written(struct pass *p, const struct outbox_item *it, const char *path, struct wb_err *err)
{
	struct store *s = p->d->store;
	int rc = store_begin(s, err);
	if (rc)
		return rc;
	char *note = xasprintf(_("written to %s"), path);
	for (size_t i = 0; i < it->n_rcpt && rc == WB_OK; i++)
		rc = store_outbox_rcpt_set(s, it->id, it->rcpt[i].addr, OUTBOX_SENT, 0, note, err);
	if (rc == WB_OK)
		rc = store_outbox_finish(s, it->id, it->attempts, OUTBOX_SENT, it->next_attempt_at, NULL, p->now, err);
	free(note);
	if (rc == WB_OK)
		rc = store_commit(s, err);
	else
		store_rollback(s);
	if (rc == WB_OK)
		p->r->written++;
	return rc;
}

/* Keeps the claim on the messages still to go while a long session makes progress, so that no
 * other sender takes them over meanwhile (each renewal buys a whole lease again). */
static void renew_claim(struct pass *p)
{
	if (p->now - p->renewed < p->lease / 4)
		return;
	struct store *s = p->d->store;
	if (store_begin(s, NULL) != WB_OK)
		return;
	for (size_t k = 0; k < p->n; k++)
		if (!p->tried[k])
			store_outbox_extend(s, p->v[k].id, p->v[k].attempts, p->now + p->lease, NULL);
	if (store_commit(s, NULL) == WB_OK)
		p->renewed = p->now;
	else
		store_rollback(s);
}

/* Outcomes heard during a session could be written in groups (one transaction for those that
 * came in within OUTBOX_RECORD_MS, at most OUTBOX_RECORD_MAX); on the loopback bench that was
 * about a quarter faster than a commit per mail (728/s against 558/s for 2,000 mails). But a
 * sender killed mid-session would then send again everything the server took in its last group,
 * and the outbox promises that a killed sender resends at most the one mail in flight. So each
 * outcome is written as soon as the server answered it: OUTBOX_RECORD_MAX stays 1. The write
 * happens between two messages, so no transaction waits on the network. */
#define OUTBOX_RECORD_MS 100
#define OUTBOX_RECORD_MAX 1

struct outcome {
	size_t k;                 /* claimed message */
	int send_rc;              /* WB_OK: res says; WB_ETEMP: the session broke during it */
	struct smtp_result res;
	char problem[512];
};

/* One SMTP session over claimed messages [from, to). */
struct session {
	struct pass *p;
	size_t *idx;     /* the session's i-th message is claimed message idx[i] */
	size_t reported;
	struct outcome pending[OUTBOX_RECORD_MAX];
	size_t n_pending;
	long first_ms;   /* when the oldest pending outcome came in */
	int rc;          /* the first failure to record an outcome */
	struct wb_err err;
};

static long mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Writes the pending outcomes in one transaction (each message in its own savepoint, so one
 * that another sender took over meanwhile changes nothing and the others still count). */
static void session_flush(struct session *ss)
{
	struct pass *p = ss->p;
	if (ss->n_pending == 0)
		return;
	p->now = clock_now();
	struct outbox_report before = *p->r;
	struct wb_err e = { 0 };
	int rc = store_begin(p->d->store, &e);
	for (size_t i = 0; i < ss->n_pending && rc == WB_OK; i++) {
		struct outcome *o = &ss->pending[i];
		int r = record(p, &p->v[o->k], &o->res, o->send_rc, o->send_rc == WB_OK ? NULL : o->problem, &e);
		if (r != WB_OK && r != WB_ECONFLICT) /* WB_ECONFLICT: another sender owns it now */
			rc = r;
	}
	if (rc == WB_OK)
		rc = store_commit(p->d->store, &e);
	else
		store_rollback(p->d->store);
	if (rc != WB_OK) {
		/* none of it stands: those messages stay "sending" until their lease runs out */
		for (size_t i = before.n_notices; i < p->r->n_notices; i++)
			free(p->r->notices[i]);
		p->r->sent = before.sent;
		p->r->retrying = before.retrying;
		p->r->failed = before.failed;
		p->r->n_notices = before.n_notices;
		if (ss->rc == WB_OK) {
			ss->rc = rc;
			ss->err = e;
		}
	}
	for (size_t i = 0; i < ss->n_pending; i++)
		smtp_result_clear(&ss->pending[i].res);
	ss->n_pending = 0;
	renew_claim(p);
}

/* smtp_send_batch's report of one message, while the session goes on. */
static void session_done(size_t i, int rc, struct smtp_result *res, const struct wb_err *e, void *ctx)
{
	struct session *ss = ctx;
	struct pass *p = ss->p;
	p->tried[ss->idx[i]] = true;
	ss->reported++;
	if (ss->n_pending == 0)
		ss->first_ms = mono_ms();
	struct outcome *o = &ss->pending[ss->n_pending++];
	o->k = ss->idx[i];
	/* WB_EINVAL comes with every recipient PERMFAIL: recorded as any refusal */
	o->send_rc = rc == WB_ETEMP ? WB_ETEMP : WB_OK;
	o->res = *res;
	memset(res, 0, sizeof *res);
	snprintf(o->problem, sizeof o->problem, "%s", e ? e->msg : "");
	if (ss->n_pending == OUTBOX_RECORD_MAX || mono_ms() - ss->first_ms >= OUTBOX_RECORD_MS)
		session_flush(ss);
}

/* Sends claimed messages [from, to) over one SMTP session. Returns WB_OK to go on, WB_ETEMP
 * when the pass should stop (server unreachable, session broken: r->problem says why), or a
 * settings or storage error. Messages left untried are the caller's to give back. */
static int send_session(struct pass *p, size_t from, size_t to, struct wb_err *err)
{
	int rc = sender_prepare(&p->snd, p->cfg, err);
	if (rc)
		return rc;
	struct session ss = { 0 };
	ss.p = p;
	ss.idx = xcalloc(to - from, sizeof *ss.idx);
	struct smtp_message *msgs = xcalloc(to - from, sizeof *msgs);
	const char ***rcpts = xcalloc(to - from, sizeof *rcpts);
	size_t m = 0;
	for (size_t k = from; k < to; k++) {
		struct outbox_item *it = &p->v[k];
		if (it->n_rcpt == 0) {
			/* nothing left to send to (should not happen): done */
			struct smtp_result none = { 0 };
			p->tried[k] = true;
			rc = record(p, it, &none, WB_OK, NULL, err);
			if (rc == WB_ECONFLICT)
				rc = WB_OK;
			if (rc)
				break;
			continue;
		}
		rcpts[m] = xcalloc(it->n_rcpt, sizeof *rcpts[m]);
		for (size_t i = 0; i < it->n_rcpt; i++)
			rcpts[m][i] = it->rcpt[i].addr;
		msgs[m].envelope_from = it->envelope_from;
		msgs[m].rcpts = rcpts[m];
		msgs[m].n_rcpts = it->n_rcpt;
		msgs[m].raw_crlf = it->raw;
		ss.idx[m++] = k;
	}
	struct wb_err e = { 0 };
	int send_rc = rc == WB_OK && m ? smtp_send_batch(&p->snd.s, msgs, m, session_done, &ss, &e) : WB_OK;
	session_flush(&ss);
	if (rc == WB_OK && send_rc == WB_ETEMP && ss.reported == 0 && ss.rc == WB_OK) {
		/* nothing was tried: the first message carries the failed attempt (and its backoff),
		 * the others stay as they were */
		struct smtp_result none = { 0 };
		size_t k = ss.idx[0];
		p->tried[k] = true;
		p->now = clock_now();
		rc = record(p, &p->v[k], &none, WB_ETEMP, e.msg, err);
		if (rc == WB_ECONFLICT)
			rc = WB_OK;
	}
	for (size_t i = 0; i < m; i++)
		free(rcpts[i]);
	free(rcpts);
	free(msgs);
	free(ss.idx);
	if (rc)
		return rc;
	if (ss.rc) {
		if (err)
			*err = ss.err;
		return ss.rc;
	}
	if (send_rc == WB_ETEMP) {
		snprintf(p->r->problem, sizeof p->r->problem, "%s", e.msg);
		return WB_ETEMP;
	}
	if (send_rc && err)
		*err = e;
	return send_rc;
}

int outbox_send_pass(struct desk *d, const struct outbox_send_opts *o, struct outbox_report *r,
		     struct wb_err *err)
{
	memset(r, 0, sizeof *r);
	struct pass p = { 0 };
	p.d = d;
	p.cfg = d->cfg;
	p.o = o;
	p.r = r;
	bool to_dir = o && o->to_dir;
	int rc = WB_OK;
	if (to_dir && !is_dir(o->to_dir))
		rc = wb_err_set(err, WB_EIO, _("no folder %s to write mail to"), o->to_dir);
	if (rc == WB_OK && !to_dir && (!d->cfg->smtp_host || !*d->cfg->smtp_host))
		r->no_smtp = true;
	size_t batch = o && o->batch ? o->batch : OUTBOX_BATCH;
	/* a claim must outlive the slowest message it may wait for (every step timing out); it is
	 * renewed while a session makes progress */
	p.lease = OUTBOX_LEASE;
	if (!to_dir && (wb_time)d->cfg->smtp_timeout * 8 + 60 > p.lease)
		p.lease = (wb_time)d->cfg->smtp_timeout * 8 + 60;
	while (rc == WB_OK && !r->no_smtp) {
		p.now = clock_now();
		if ((rc = store_outbox_claim(d->store, p.now, p.lease, batch, &p.v, &p.n, err)))
			break;
		if (p.n == 0) {
			free(p.v);
			break;
		}
		p.tried = xcalloc(p.n, sizeof *p.tried);
		p.renewed = p.now;
		for (size_t i = 0; i < p.n && rc == WB_OK;) {
			p.now = clock_now();
			if (p.now - p.renewed > p.lease / 2)
				break; /* slow going: give the rest back before another sender may take them */
			if (to_dir) {
				char *path;
				rc = write_eml(o->to_dir, &p.v[i], &path, err);
				if (rc == WB_OK) {
					rc = record_written(&p, &p.v[i], path, err);
					free(path);
				}
				p.tried[i++] = rc == WB_OK;
				continue;
			}
			size_t j = i, bytes = 0;
			while (j < p.n && j - i < OUTBOX_BATCH) {
				size_t len = p.v[j].raw ? strlen(p.v[j].raw) : 0;
				if (j > i && bytes + len > OUTBOX_SESSION_BYTES)
					break;
				bytes += len;
				j++;
			}
			rc = send_session(&p, i, j, err);
			i = j;
		}
		/* whatever was not tried goes back as it was */
		const char *why = rc == WB_ETEMP ? r->problem : rc && err ? err->msg : NULL;
		for (size_t k = 0; k < p.n; k++)
			if (!p.tried[k])
				store_outbox_unclaim(d->store, p.v[k].id, p.v[k].attempts, p.now, why, NULL);
		free(p.tried);
		p.tried = NULL;
		outbox_items_free(&p.v, p.n);
		p.n = 0;
		if (rc == WB_ETEMP) {
			rc = WB_OK;
			break;
		}
	}
	sender_clear(&p.snd);
	struct outbox_counts c;
	if (store_outbox_counts(d->store, &c, NULL) == WB_OK)
		r->waiting = c.n[OUTBOX_QUEUED] + c.n[OUTBOX_RETRYING];
	return rc;
}

/* ---- background sending ---- */

int outbox_kick(const char *program, const char *db_path, const char *config_path, struct wb_err *err)
{
	pid_t pid = fork();
	if (pid < 0)
		return wb_err_set(err, WB_EIO, _("cannot start the mail sender: %s"), strerror(errno));
	if (pid == 0) {
		/* the middle process exits at once; its child is adopted by init (no zombie) */
		setsid();
		if (fork() != 0)
			_exit(0);
		int fd = open("/dev/null", O_RDWR | O_CLOEXEC);
		if (fd >= 0) {
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
		}
		const char *argv[9];
		int n = 0;
		argv[n++] = "weibao";
		argv[n++] = "--db";
		argv[n++] = db_path;
		if (config_path) {
			argv[n++] = "--config";
			argv[n++] = config_path;
		}
		argv[n++] = "outbox";
		argv[n++] = "send";
		argv[n] = NULL;
		execv(program, (char *const *)argv);
		_exit(127);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return WB_OK;
}

/* ---- the daemon ---- */

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL); /* a signal ends it early: the caller looks at *stop */
}

int outbox_daemon(struct desk *d, const struct outbox_send_opts *o, volatile sig_atomic_t *stop,
		  outbox_pass_fn on_pass, void *ctx, struct wb_err *err)
{
	int64_t seen = 0;
	while (!*stop) {
		if (desk_data_version(d, &seen, err))
			return err ? err->code : WB_EDB;
		struct outbox_report r;
		struct wb_err e = { 0 };
		int rc = outbox_send_pass(d, o, &r, &e);
		if (on_pass)
			on_pass(&r, rc, &e, ctx);
		bool trouble = rc != WB_OK || r.problem[0] || r.no_smtp;
		outbox_report_clear(&r);
		wb_time due = 0;
		if (store_outbox_next_due(d->store, &due, err))
			return err ? err->code : WB_EDB;
		/* waits count on the real clock (WEIBAO_NOW may hold clock_now still) */
		int quiet_ticks = trouble ? 120 : 0; /* a minute of 500 ms naps */
		for (;;) {
			if (*stop)
				return WB_OK;
			sleep_ms(500);
			if (quiet_ticks > 0 && --quiet_ticks > 0)
				continue;
			if (due && due <= clock_now())
				break;
			int64_t v;
			if (desk_data_version(d, &v, err))
				return err ? err->code : WB_EDB;
			if (v != seen)
				break;
			/* another process may have queued mail due later than our last look */
			if (trouble)
				break;
		}
	}
	return WB_OK;
}

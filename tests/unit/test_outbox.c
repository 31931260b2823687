/* The outbox end to end: the desk queues mail in the transaction of a reply, the sender hands
 * it to a real SMTP server (tests/smtpd.py, aiosmtpd on 127.0.0.1), and what arrived is parsed. */
#include "testdesk.h"

#include "config.h"
#include "desk.h"
#include "outbox.h"
#include "smtp.h"
#include "store_dir.h"
#include "store_outbox.h"
#include "xmalloc.h"

#include <arpa/inet.h>
#include <gmime/gmime.h>
#include <locale.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>

#define T0 1795572000 /* Wednesday 2026-11-25 02:00 UTC */

static GMimeMessage *parse(const char *raw)
{
	GMimeStream *st = g_mime_stream_mem_new_with_buffer(raw, strlen(raw));
	GMimeParser *p = g_mime_parser_new_with_stream(st);
	GMimeMessage *m = g_mime_parser_construct_message(p, NULL);
	g_object_unref(p);
	g_object_unref(st);
	assert_non_null(m);
	return m;
}

/* The decoded text of a single-part message, without CRs; caller frees. */
static char *body_text(GMimeMessage *m)
{
	char *text = g_mime_text_part_get_text(GMIME_TEXT_PART(g_mime_message_get_body(m)));
	char *out = strdup(text);
	char *w = out;
	for (char *p = text; *p; p++)
		if (*p != '\r')
			*w++ = *p;
	*w = '\0';
	g_free(text);
	return out;
}

/* The raw value of header `name` (first occurrence, unfolded no further); caller frees. */
static char *raw_header(const char *raw, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = raw; p && *p && !(p[0] == '\r' && p[1] == '\n'); p = strstr(p, "\r\n") ? strstr(p, "\r\n") + 2 : NULL)
		if (!strncasecmp(p, name, n) && p[n] == ':') {
			const char *v = p + n + 1;
			while (*v == ' ')
				v++;
			/* unfold continuation lines */
			char *out = calloc(1, strlen(v) + 1), *w = out;
			for (;;) {
				size_t len = strcspn(v, "\r");
				memcpy(w, v, len);
				w += len;
				v += len;
				if (v[0] == '\r' && v[1] == '\n' && (v[2] == ' ' || v[2] == '\t')) {
					v += 3;
					*w++ = ' ';
				}
				else
					break;
			}
			*w = '\0';
			return out;
		}
	return NULL;
}

/* ---- the desk ---- */

struct fx {
	char *dir, *db;
	struct wb_config cfg;
	struct desk *d;
	struct smtpd sv;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	test_desk_prepare(&f->dir, &f->db, &f->cfg);
	struct wb_err err = { 0 };
	test_desk_mail_config(&f->cfg);
	test_cfg_set(&f->cfg.desk_name, "维保支持");
	test_cfg_set(&f->cfg.smtp_host, "127.0.0.1");
	test_cfg_set(&f->cfg.smtp_tls, "none");
	f->cfg.smtp_timeout = 5;
	clock_set_fixed(T0);
	assert_int_equal(desk_open(&f->cfg, f->db, "admin1", &f->d, &err), 0);
	outbox_attach(f->d, &f->cfg);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	smtpd_stop(&f->sv);
	test_desk_close(&f->dir, &f->db, &f->cfg, &f->d);
	free(f);
	return 0;
}

/* Asserts that ticket id has an event line naming both a and b (the refused address and the code). */
static void assert_event(struct fx *f, int64_t id, const char *a, const char *b)
{
	struct message_list ml;
	struct wb_err err = { 0 };
	assert_int_equal(desk_ticket_messages(f->d, id, &ml, &err), 0);
	bool seen = false;
	for (size_t i = 0; i < ml.n; i++)
		if (ml.items[i].kind == MSG_EVENT && strstr(ml.items[i].body, a) && strstr(ml.items[i].body, b))
			seen = true;
	assert_true(seen);
	message_list_free(&ml);
}

static void use_server(struct fx *f, const char *const *extra)
{
	smtpd_start(&f->sv, extra);
	f->cfg.smtp_port = f->sv.port;
}

static int64_t new_ticket(struct fx *f, const char *subject, const char *email, const char *inbound_id)
{
	struct ticket_draft t;
	ticket_draft_init(&t);
	t.subject = subject;
	t.requester_email = email;
	t.requester_name = "王丽";
	t.body = "系统升级后无法登录，请帮忙。";
	t.first.email_message_id = inbound_id;
	int64_t id = 0;
	struct wb_err err = { 0 };
	int rc = desk_ticket_create(f->d, &t, &id, &err);
	if (rc)
		fprintf(stderr, "create: %s\n", err.msg);
	assert_int_equal(rc, 0);
	return id;
}

static int reply(struct fx *f, int64_t id, const char *body, int64_t expect, struct wb_err *err)
{
	struct desk_message m = { 0 };
	m.kind = MSG_REPLY;
	m.body = body;
	return desk_ticket_add_message(f->d, id, &m, expect, NULL, err);
}

static int64_t count_state(struct fx *f, enum outbox_state s)
{
	struct outbox_counts c;
	assert_int_equal(store_outbox_counts(f->d->store, &c, NULL), 0);
	return s == OUTBOX_STATE_COUNT ? c.n[0] + c.n[1] + c.n[2] + c.n[3] + c.n[4] + c.n[5] : c.n[s];
}

static void pass_ok(struct fx *f, struct outbox_report *r)
{
	struct wb_err err = { 0 };
	int rc = outbox_send_pass(f->d, NULL, r, &err);
	if (rc)
		fprintf(stderr, "pass: %s\n", err.msg);
	assert_int_equal(rc, 0);
}

static void set_contact_language(struct fx *f, const char *email, const char *lang)
{
	struct contact c;
	assert_int_equal(store_contact_by_email(f->d->store, email, &c, NULL), 0);
	assert_int_equal(store_entity_set(f->d->store, ENTITY_CONTACT, c.id, "language", lang, NULL, NULL), 0);
	contact_clear(&c);
}

/* ---- tests ---- */

/* Plain SMTP: the acknowledgement and a reply arrive once, in Chinese, threaded. */
static void test_plain_threaded_chinese(void **state)
{
	struct fx *f = *state;
	use_server(f, NULL);
	struct wb_err err = { 0 };
	int64_t cid;
	assert_int_equal(store_begin(f->d->store, &err), 0);
	assert_int_equal(desk_contact_for_email(f->d, "wang.li@example.cn", "王丽", &cid, &err), 0);
	assert_int_equal(store_commit(f->d->store, &err), 0);
	set_contact_language(f, "wang.li@example.cn", "zh_CN");
	int64_t id = new_ticket(f, "软件维保方案 升级失败", "wang.li@example.cn", "cust-1@mail.example.cn");
	assert_int_equal(reply(f, id, "您好，\n补丁已经发布，请升级到 2.4.1。\n", 0, &err), 0);
	assert_int_equal(count_state(f, OUTBOX_QUEUED), 2);

	struct outbox_report r;
	pass_ok(f, &r);
	assert_int_equal(r.sent, 2);
	assert_int_equal(r.retrying + r.failed, 0);
	assert_int_equal(r.waiting, 0);
	outbox_report_clear(&r);
	assert_int_equal(smtpd_count(&f->sv), 2);
	/* nothing more to send: a second pass sends nothing twice */
	pass_ok(f, &r);
	assert_int_equal(r.sent, 0);
	outbox_report_clear(&r);
	assert_int_equal(smtpd_count(&f->sv), 2);

	char *env1, *env2;
	char *ack = smtpd_received(&f->sv, 1, &env1), *rep = smtpd_received(&f->sv, 2, &env2);
	assert_string_equal(env1, "support@weibao.example.cn\nwang.li@example.cn\n");
	assert_string_equal(env2, env1);
	GMimeMessage *a = parse(ack), *b = parse(rep);
	char tag[32];
	snprintf(tag, sizeof tag, "[#%lld]", (long long)id);
	/* the tag stays readable in the raw header; the Chinese words are RFC 2047-encoded */
	char *subj = raw_header(rep, "Subject");
	assert_non_null(strstr(subj, tag));
	assert_non_null(strstr(subj, "=?UTF-8?"));
	for (const unsigned char *p = (const unsigned char *)rep; *p; p++)
		assert_true(*p < 0x80); /* 7-bit on the wire */
	free(subj);
	char want[200];
	snprintf(want, sizeof want, "我们已收到您的请求：软件维保方案 升级失败 %s", tag);
	assert_string_equal(g_mime_message_get_subject(a), want);
	snprintf(want, sizeof want, "回复：软件维保方案 升级失败 %s", tag);
	assert_string_equal(g_mime_message_get_subject(b), want);
	char *text = body_text(b);
	assert_non_null(strstr(text, "补丁已经发布，请升级到 2.4.1。"));
	assert_non_null(strstr(text, "王丽，您好"));
	free(text);
	text = body_text(a);
	snprintf(want, sizeof want, "工单 %lld", (long long)id);
	assert_non_null(strstr(text, want));
	free(text);
	/* From: the desk's name and address; To: the requester */
	char *from = raw_header(rep, "From"), *to = raw_header(rep, "To");
	assert_non_null(strstr(from, "<support@weibao.example.cn>"));
	assert_non_null(strstr(to, "<wang.li@example.cn>"));
	free(from);
	free(to);
	/* threading: ack answers the customer's mail; the reply answers the ack */
	const char *ack_id = g_mime_message_get_message_id(a);
	const char *rep_id = g_mime_message_get_message_id(b);
	assert_string_not_equal(ack_id, rep_id);
	char *irt = raw_header(ack, "In-Reply-To");
	assert_string_equal(irt, "<cust-1@mail.example.cn>");
	free(irt);
	irt = raw_header(rep, "In-Reply-To");
	snprintf(want, sizeof want, "<%s>", ack_id);
	assert_string_equal(irt, want);
	free(irt);
	char *refs = raw_header(rep, "References");
	snprintf(want, sizeof want, "<cust-1@mail.example.cn> <%s>", ack_id);
	assert_string_equal(refs, want);
	free(refs);
	/* the stored row knows the Message-ID; the reply shows "sent" in the conversation */
	struct outbox_item it;
	assert_int_equal(store_outbox_find(f->d->store, rep_id, &it, &err), 0);
	assert_int_equal(it.state, OUTBOX_SENT);
	assert_int_equal(it.attempts, 1);
	assert_int_equal(it.rcpt[0].state, OUTBOX_SENT);
	assert_int_equal(it.rcpt[0].code, 250);
	assert_string_equal(it.raw, rep);
	outbox_item_clear(&it);
	struct message_list ml;
	assert_int_equal(desk_ticket_messages(f->d, id, &ml, &err), 0);
	bool seen = false;
	for (size_t i = 0; i < ml.n; i++)
		if (ml.items[i].kind == MSG_REPLY) {
			assert_string_equal(ml.items[i].outbox_state, "sent");
			seen = true;
		}
	assert_true(seen);
	message_list_free(&ml);
	g_object_unref(a);
	g_object_unref(b);
	free(ack);
	free(rep);
	free(env1);
	free(env2);
}

/* STARTTLS with the self-signed certificate, AUTH with a password from password_command. */
static void test_starttls_auth(void **state)
{
	struct fx *f = *state;
	const char *args[] = { "--tls", "--auth", "agent:s3cret 密码", NULL };
	use_server(f, args);
	test_cfg_set(&f->cfg.smtp_host, "localhost");
	test_cfg_set(&f->cfg.smtp_tls, "starttls");
	test_cfg_set(&f->cfg.smtp_ca_file, f->sv.ca);
	test_cfg_set(&f->cfg.smtp_user, "agent");
	test_cfg_set(&f->cfg.smtp_password_command, "printf 's3cret 密码\\nsecond line\\n'");
	new_ticket(f, "TLS 测试", "ops@example.cn", NULL);
	struct outbox_report r;
	pass_ok(f, &r);
	assert_int_equal(r.sent, 1);
	outbox_report_clear(&r);
	assert_int_equal(smtpd_count(&f->sv), 1);
	char *got = smtpd_received(&f->sv, 1, NULL);
	GMimeMessage *m = parse(got);
	assert_non_null(strstr(g_mime_message_get_subject(m), "TLS 测试 [#1]"));
	g_object_unref(m);
	free(got);

	/* a password command that fails is a clear settings error; mail stays queued */
	test_cfg_set(&f->cfg.smtp_password_command, "exit 3");
	new_ticket(f, "again", "ops@example.cn", NULL);
	struct wb_err err = { 0 };
	assert_int_equal(outbox_send_pass(f->d, NULL, &r, &err), WB_EINVAL);
	assert_non_null(strstr(err.msg, "password_command"));
	assert_non_null(strstr(err.msg, "exit status 3"));
	outbox_report_clear(&r);
	assert_int_equal(count_state(f, OUTBOX_QUEUED), 1);
	assert_int_equal(smtpd_count(&f->sv), 1);
}

/* A wrong password: a clear error, nothing sent, the mail stays queued and goes once fixed. */
static void test_wrong_password(void **state)
{
	struct fx *f = *state;
	const char *args[] = { "--tls", "--auth", "agent:right", NULL };
	use_server(f, args);
	test_cfg_set(&f->cfg.smtp_host, "localhost");
	test_cfg_set(&f->cfg.smtp_tls, "starttls");
	test_cfg_set(&f->cfg.smtp_ca_file, f->sv.ca);
	test_cfg_set(&f->cfg.smtp_user, "agent");
	test_cfg_set(&f->cfg.smtp_password, "wrong");
	new_ticket(f, "pw 1", "ops@example.cn", NULL);
	new_ticket(f, "pw 2", "ops@example.cn", NULL);
	struct outbox_report r;
	struct wb_err err = { 0 };
	assert_int_equal(outbox_send_pass(f->d, NULL, &r, &err), WB_EREFUSED);
	assert_non_null(strstr(err.msg, "refused the login"));
	assert_null(strstr(err.msg, "wrong"));
	assert_int_equal(r.waiting, 2);
	outbox_report_clear(&r);
	assert_int_equal(count_state(f, OUTBOX_QUEUED), 2);
	assert_int_equal(smtpd_count(&f->sv), 0);
	struct outbox_item *v;
	size_t n;
	assert_int_equal(store_outbox_list(f->d->store, false, 0, 0, 10, &v, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(v[0].attempts + v[1].attempts, 0); /* not counted as tries */
	outbox_items_free(&v, n);

	test_cfg_set(&f->cfg.smtp_password, "right");
	pass_ok(f, &r);
	assert_int_equal(r.sent, 2);
	outbox_report_clear(&r);
	assert_int_equal(smtpd_count(&f->sv), 2);
}

static int free_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	socklen_t len = sizeof a;
	getsockname(fd, (struct sockaddr *)&a, &len);
	close(fd);
	return ntohs(a.sin_port);
}

/* The server is down, then up: every mail arrives exactly once. */
static void test_server_down_then_up(void **state)
{
	struct fx *f = *state;
	f->cfg.smtp_port = free_port();
	for (int i = 0; i < 3; i++)
		new_ticket(f, "down", "ops@example.cn", NULL);
	struct outbox_report r;
	pass_ok(f, &r);
	assert_int_equal(r.sent, 0);
	assert_int_equal(r.retrying, 1); /* the first try found the server down; the rest were not tried */
	assert_non_null(strstr(r.problem, "127.0.0.1"));
	assert_int_equal(r.waiting, 3);
	outbox_report_clear(&r);
	assert_int_equal(count_state(f, OUTBOX_RETRYING), 1);
	assert_int_equal(count_state(f, OUTBOX_QUEUED), 2);

	use_server(f, NULL);
	pass_ok(f, &r);
	assert_int_equal(r.sent, 2); /* the retrying one waits for its backoff */
	outbox_report_clear(&r);
	clock_set_fixed(T0 + 61);
	pass_ok(f, &r);
	assert_int_equal(r.sent, 1);
	outbox_report_clear(&r);
	clock_set_fixed(T0 + 3600);
	pass_ok(f, &r);
	assert_int_equal(r.sent, 0);
	outbox_report_clear(&r);
	assert_int_equal(smtpd_count(&f->sv), 3);
	/* three different mails, each once */
	char *ids[3];
	for (int i = 0; i < 3; i++) {
		char *raw = smtpd_received(&f->sv, i + 1, NULL);
		ids[i] = raw_header(raw, "Message-Id");
		free(raw);
	}
	assert_string_not_equal(ids[0], ids[1]);
	assert_string_not_equal(ids[0], ids[2]);
	assert_string_not_equal(ids[1], ids[2]);
	for (int i = 0; i < 3; i++)
		free(ids[i]);
	assert_int_equal(count_state(f, OUTBOX_SENT), 3);
}

/* 451 to DATA, then success after the backoff. */
static void test_tempfail_then_success(void **state)
{
	struct fx *f = *state;
	const char *args[] = { "--tempfail-data", "1", NULL };
	use_server(f, args);
	int64_t id = new_ticket(f, "4xx", "ops@example.cn", NULL);
	struct outbox_report r;
	pass_ok(f, &r);
	assert_int_equal(r.retrying, 1);
	outbox_report_clear(&r);
	struct outbox_item *v;
	size_t n;
	struct wb_err err = { 0 };
	assert_int_equal(store_outbox_list(f->d->store, false, 0, 0, 10, &v, &n, &err), 0);
	assert_int_equal(v[0].state, OUTBOX_RETRYING);
	assert_int_equal(v[0].next_attempt_at, T0 + 60);
	assert_non_null(strstr(v[0].last_error, "451"));
	assert_int_equal(v[0].rcpt[0].state, OUTBOX_RETRYING);
	outbox_items_free(&v, n);
	/* not due yet */
	pass_ok(f, &r);
	assert_int_equal(r.sent + r.retrying, 0);
	outbox_report_clear(&r);
	clock_set_fixed(T0 + 60);
	pass_ok(f, &r);
	assert_int_equal(r.sent, 1);
	outbox_report_clear(&r);
	assert_int_equal(smtpd_count(&f->sv), 1);
	char *raw = smtpd_received(&f->sv, 1, NULL);
	assert_non_null(strstr(raw, "[#1]"));
	free(raw);
	assert_int_equal(store_outbox_list(f->d->store, false, 0, 0, 10, &v, &n, &err), 0);
	assert_int_equal(v[0].state, OUTBOX_SENT);
	assert_int_equal(v[0].attempts, 2);
	assert_int_equal(v[0].ticket_id, id);
	outbox_items_free(&v, n);
}

/* 550 for the recipient: failed, a notice, and an event on the ticket. */
static void test_permfail_reported(void **state)
{
	struct fx *f = *state;
	const char *args[] = { "--reject-rcpt", "gone@example.cn", NULL };
	use_server(f, args);
	int64_t id = new_ticket(f, "5xx", "gone@example.cn", NULL);
	struct outbox_report r;
	pass_ok(f, &r);
	assert_int_equal(r.failed, 1);
	assert_int_equal(r.n_notices, 1);
	assert_non_null(strstr(r.notices[0], "gone@example.cn"));
	assert_non_null(strstr(r.notices[0], "550"));
	outbox_report_clear(&r);
	assert_int_equal(count_state(f, OUTBOX_FAILED), 1);
	assert_int_equal(smtpd_count(&f->sv), 0);
	assert_event(f, id, "gone@example.cn", "550");
	/* never retried by itself */
	clock_set_fixed(T0 + 86400);
	pass_ok(f, &r);
	assert_int_equal(r.sent + r.failed + r.retrying, 0);
	outbox_report_clear(&r);
}

/* 200 messages in one pass, each once. */
static void test_200_in_one_pass(void **state)
{
	struct fx *f = *state;
	use_server(f, NULL);
	struct wb_err err = { 0 };
	for (int i = 0; i < 200; i++) {
		char addr[64];
		snprintf(addr, sizeof addr, "user%d@example.cn", i);
		new_ticket(f, "批量", addr, NULL);
	}
	struct outbox_report r;
	pass_ok(f, &r);
	assert_int_equal(r.sent, 200);
	outbox_report_clear(&r);
	assert_int_equal(smtpd_count(&f->sv), 200);
	assert_int_equal(count_state(f, OUTBOX_SENT), 200);
	assert_int_equal(smtpd_sessions(&f->sv), 2); /* at most 100 mails per session */
	/* each recipient got its own mail */
	char *env = NULL;
	free(smtpd_received(&f->sv, 200, &env));
	assert_non_null(strstr(env, "@example.cn"));
	free(env);
	(void)err;
}

/* Every outbox message arrived exactly once (matched by Message-ID), and nothing else did. */
static void assert_outbox_delivered_once(struct fx *f, size_t n)
{
	assert_int_equal(smtpd_count(&f->sv), n);
	struct outbox_item *v;
	size_t nv;
	struct wb_err err = { 0 };
	assert_int_equal(store_outbox_list(f->d->store, false, 0, 0, 1000, &v, &nv, &err), 0);
	assert_int_equal(nv, n);
	int *seen = calloc(nv, sizeof *seen);
	for (size_t i = 1; i <= n; i++) {
		char *raw = smtpd_received(&f->sv, (int)i, NULL);
		assert_non_null(raw);
		char *mid = raw_header(raw, "Message-Id");
		for (size_t k = 0; k < nv; k++) {
			char want[300];
			snprintf(want, sizeof want, "<%s>", v[k].email_message_id);
			if (!strcmp(mid, want))
				seen[k]++;
		}
		free(mid);
		free(raw);
	}
	for (size_t k = 0; k < nv; k++) {
		assert_int_equal(seen[k], 1);
		assert_int_equal(v[k].state, OUTBOX_SENT);
	}
	free(seen);
	outbox_items_free(&v, nv);
}

/* A pass sends its batch over one SMTP session, each mail once. */
static void test_batch_one_session(void **state)
{
	struct fx *f = *state;
	use_server(f, NULL);
	enum { N = 60 };
	for (int i = 0; i < N; i++) {
		char addr[64];
		snprintf(addr, sizeof addr, "batch%d@example.cn", i);
		new_ticket(f, "同一会话", addr, NULL);
	}
	struct outbox_report r;
	pass_ok(f, &r);
	assert_int_equal(r.sent, N);
	assert_int_equal(r.retrying + r.failed, 0);
	outbox_report_clear(&r);
	assert_int_equal(smtpd_sessions(&f->sv), 1);
	assert_outbox_delivered_once(f, N);
	/* nothing left: no new session, nothing twice */
	pass_ok(f, &r);
	assert_int_equal(r.sent, 0);
	outbox_report_clear(&r);
	assert_int_equal(smtpd_sessions(&f->sv), 1);
	assert_int_equal(smtpd_count(&f->sv), N);
}

/* A 550 for the recipient of one mail in the middle of a batch: that mail fails (notice and
 * event on its ticket), the others of the same session are delivered. */
static void test_batch_permfail_middle(void **state)
{
	struct fx *f = *state;
	const char *args[] = { "--reject-rcpt", "gone@example.cn", NULL };
	use_server(f, args);
	int64_t gone = 0;
	for (int i = 0; i < 7; i++) {
		char addr[64];
		snprintf(addr, sizeof addr, "ok%d@example.cn", i);
		int64_t id = new_ticket(f, "批量拒收", i == 3 ? "gone@example.cn" : addr, NULL);
		if (i == 3)
			gone = id;
	}
	struct outbox_report r;
	pass_ok(f, &r);
	assert_int_equal(r.sent, 6);
	assert_int_equal(r.failed, 1);
	assert_int_equal(r.retrying, 0);
	assert_int_equal(r.n_notices, 1);
	assert_non_null(strstr(r.notices[0], "gone@example.cn"));
	assert_non_null(strstr(r.notices[0], "550"));
	outbox_report_clear(&r);
	assert_int_equal(smtpd_sessions(&f->sv), 1);
	assert_int_equal(smtpd_count(&f->sv), 6);
	assert_int_equal(count_state(f, OUTBOX_SENT), 6);
	assert_int_equal(count_state(f, OUTBOX_FAILED), 1);
	for (int i = 1; i <= 6; i++) {
		char *env = NULL;
		free(smtpd_received(&f->sv, i, &env));
		assert_null(strstr(env, "gone@"));
		free(env);
	}
	assert_event(f, gone, "gone@example.cn", "550");
}

/* A 451 to one mail of a batch: it waits for its backoff, the others of the session go. */
static void test_batch_tempfail_one(void **state)
{
	struct fx *f = *state;
	const char *args[] = { "--tempfail-data", "1", NULL };
	use_server(f, args);
	for (int i = 0; i < 4; i++) {
		char addr[64];
		snprintf(addr, sizeof addr, "temp%d@example.cn", i);
		new_ticket(f, "暂时失败", addr, NULL);
	}
	struct outbox_report r;
	pass_ok(f, &r);
	assert_int_equal(r.sent, 3);
	assert_int_equal(r.retrying, 1);
	assert_int_equal(r.failed, 0);
	outbox_report_clear(&r);
	assert_int_equal(smtpd_sessions(&f->sv), 1);
	assert_int_equal(smtpd_count(&f->sv), 3);
	struct outbox_item *v;
	size_t n;
	struct wb_err err = { 0 };
	assert_int_equal(store_outbox_list(f->d->store, true, OUTBOX_RETRYING, 0, 10, &v, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].next_attempt_at, T0 + 60);
	assert_non_null(strstr(v[0].last_error, "451"));
	outbox_items_free(&v, n);
	clock_set_fixed(T0 + 60);
	pass_ok(f, &r);
	assert_int_equal(r.sent, 1);
	outbox_report_clear(&r);
	assert_outbox_delivered_once(f, 4);
}

/* The server hangs up in the middle of a batch: what it took is marked sent, the rest stay
 * queued (no attempt counted) and go out on the next pass, nothing twice. */
static void test_batch_dropped(void **state)
{
	struct fx *f = *state;
	const char *args[] = { "--drop-after", "3", NULL };
	use_server(f, args);
	enum { N = 8 };
	for (int i = 0; i < N; i++) {
		char addr[64];
		snprintf(addr, sizeof addr, "drop%d@example.cn", i);
		new_ticket(f, "断线", addr, NULL);
	}
	struct outbox_report r;
	pass_ok(f, &r);
	assert_int_equal(r.sent, 3);
	assert_int_equal(r.retrying + r.failed, 0);
	assert_non_null(strstr(r.problem, "127.0.0.1"));
	assert_int_equal(r.waiting, N - 3);
	outbox_report_clear(&r);
	assert_int_equal(smtpd_sessions(&f->sv), 1);
	assert_int_equal(smtpd_count(&f->sv), 3);
	assert_int_equal(count_state(f, OUTBOX_SENT), 3);
	assert_int_equal(count_state(f, OUTBOX_QUEUED), N - 3);
	struct outbox_item *v;
	size_t n;
	struct wb_err err = { 0 };
	assert_int_equal(store_outbox_list(f->d->store, true, OUTBOX_QUEUED, 0, 100, &v, &n, &err), 0);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(v[i].attempts, 0);
	outbox_items_free(&v, n);
	/* the next pass (no time has passed) sends the rest over a new session */
	pass_ok(f, &r);
	assert_int_equal(r.sent, N - 3);
	assert_int_equal(r.waiting, 0);
	outbox_report_clear(&r);
	assert_int_equal(smtpd_sessions(&f->sv), 2);
	assert_outbox_delivered_once(f, N);
	clock_set_fixed(T0 + 10 * OUTBOX_LEASE);
	pass_ok(f, &r);
	assert_int_equal(r.sent, 0);
	outbox_report_clear(&r);
	assert_int_equal(smtpd_count(&f->sv), N);
}

/* A busy sender keeps its claim: a renewed lease holds off other senders until it runs out. */
static void test_claim_extend(void **state)
{
	struct fx *f = *state;
	new_ticket(f, "lease", "ops@example.cn", NULL);
	struct outbox_item *v, *w;
	size_t n, m;
	struct wb_err err = { 0 };
	assert_int_equal(store_outbox_claim(f->d->store, T0, 100, 10, &v, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(store_outbox_extend(f->d->store, v[0].id, v[0].attempts, T0 + 300, &err), 0);
	assert_int_equal(store_outbox_claim(f->d->store, T0 + 100, 100, 10, &w, &m, &err), 0);
	assert_int_equal(m, 0); /* the first lease alone would have run out */
	free(w);
	assert_int_equal(store_outbox_claim(f->d->store, T0 + 300, 100, 10, &w, &m, &err), 0);
	assert_int_equal(m, 1); /* the renewed one did: taken over */
	/* the first sender lost it: it can neither renew nor finish */
	assert_int_equal(store_outbox_extend(f->d->store, v[0].id, v[0].attempts, T0 + 900, &err), WB_ECONFLICT);
	assert_int_equal(store_outbox_finish(f->d->store, v[0].id, v[0].attempts, OUTBOX_SENT, 0, NULL, T0, &err),
			 WB_ECONFLICT);
	outbox_items_free(&v, n);
	outbox_items_free(&w, m);
}

/* A sender that died after the server took the mail leaves it "sending": after the lease it
 * is sent once more, with the same Message-ID and bytes, and never again. */
static void test_lease_resend(void **state)
{
	struct fx *f = *state;
	use_server(f, NULL);
	new_ticket(f, "lease", "ops@example.cn", NULL);
	struct outbox_item *v;
	size_t n;
	struct wb_err err = { 0 };
	assert_int_equal(store_outbox_claim(f->d->store, T0, OUTBOX_LEASE, 10, &v, &n, &err), 0);
	assert_int_equal(n, 1);
	/* the doomed sender delivers, then dies before recording anything */
	struct smtp_settings s = { .host = "127.0.0.1", .port = f->sv.port, .tls = SMTP_TLS_NONE, .timeout_ms = 5000 };
	const char *rc[] = { v[0].rcpt[0].addr };
	struct smtp_result res;
	assert_int_equal(smtp_send(&s, v[0].envelope_from, rc, 1, v[0].raw, &res, &err), 0);
	smtp_result_clear(&res);
	outbox_items_free(&v, n);
	assert_int_equal(count_state(f, OUTBOX_SENDING), 1);
	/* within the lease nobody touches it */
	struct outbox_report r;
	clock_set_fixed(T0 + OUTBOX_LEASE - 1);
	pass_ok(f, &r);
	assert_int_equal(r.sent, 0);
	outbox_report_clear(&r);
	clock_set_fixed(T0 + OUTBOX_LEASE);
	pass_ok(f, &r);
	assert_int_equal(r.sent, 1);
	outbox_report_clear(&r);
	clock_set_fixed(T0 + 10 * OUTBOX_LEASE);
	pass_ok(f, &r);
	assert_int_equal(r.sent, 0);
	outbox_report_clear(&r);
	assert_int_equal(smtpd_count(&f->sv), 2);
	char *a = smtpd_received(&f->sv, 1, NULL), *b = smtpd_received(&f->sv, 2, NULL);
	assert_string_equal(a, b);
	free(a);
	free(b);
}

/* A reply queues exactly one mail in its transaction; a failed reply queues none. */
static void test_reply_transaction(void **state)
{
	struct fx *f = *state;
	int64_t id = new_ticket(f, "tx", "ops@example.cn", NULL);
	struct wb_err err = { 0 };
	assert_int_equal(count_state(f, OUTBOX_STATE_COUNT), 1);
	assert_int_equal(reply(f, id, "one", 0, &err), 0);
	assert_int_equal(count_state(f, OUTBOX_STATE_COUNT), 2);
	/* a stale version: refused, no mail */
	assert_int_equal(reply(f, id, "two", 1, &err), WB_ECONFLICT);
	assert_int_equal(count_state(f, OUTBOX_STATE_COUNT), 2);
	/* the mail cannot be made (bad Message-ID domain): the reply itself is refused, not stored */
	test_cfg_set(&f->cfg.mail_domain, "bad domain");
	assert_int_equal(reply(f, id, "three", 0, &err), WB_EINVAL);
	assert_non_null(strstr(err.msg, "bad domain"));
	assert_int_equal(count_state(f, OUTBOX_STATE_COUNT), 2);
	struct message_list ml;
	assert_int_equal(desk_ticket_messages(f->d, id, &ml, &err), 0);
	for (size_t i = 0; i < ml.n; i++)
		assert_string_not_equal(ml.items[i].body, "three");
	message_list_free(&ml);
	test_cfg_set(&f->cfg.mail_domain, "weibao.example.cn");
	/* a reply's attachments go out with it */
	struct desk_attachment att = { 0 };
	att.filename = "升级说明.pdf";
	att.content_type = "application/pdf";
	att.data = "%PDF-1.4 fake";
	att.size = 13;
	struct desk_message rm = { 0 };
	rm.kind = MSG_REPLY;
	rm.body = "见附件。";
	rm.att = &att;
	rm.n_att = 1;
	int64_t rmid;
	assert_int_equal(desk_ticket_add_message(f->d, id, &rm, 0, &rmid, &err), 0);
	{
		struct outbox_item *v;
		size_t n;
		assert_int_equal(store_outbox_list(f->d->store, false, 0, 0, 1, &v, &n, &err), 0);
		assert_int_equal(v[0].message_id, rmid);
		struct outbox_item it;
		assert_int_equal(store_outbox_get(f->d->store, v[0].id, &it, &err), 0);
		outbox_items_free(&v, n);
		GMimeMessage *pm = parse(it.raw);
		GMimeObject *top = g_mime_message_get_mime_part(pm);
		assert_true(GMIME_IS_MULTIPART(top));
		GMimeObject *part = g_mime_multipart_get_part(GMIME_MULTIPART(top), 1);
		assert_string_equal(g_mime_part_get_filename(GMIME_PART(part)), "升级说明.pdf");
		g_object_unref(pm);
		outbox_item_clear(&it);
	}
	assert_int_equal(count_state(f, OUTBOX_STATE_COUNT), 3);
	/* notes and calls send nothing */
	struct desk_message m = { 0 };
	m.kind = MSG_NOTE;
	m.body = "internal";
	assert_int_equal(desk_ticket_add_message(f->d, id, &m, 0, NULL, &err), 0);
	assert_int_equal(count_state(f, OUTBOX_STATE_COUNT), 3);
	/* resolving sends the resolved notice with the fixed-in version and a rating invitation */
	struct ticket_change c;
	ticket_change_init(&c);
	c.set_status = true;
	c.status = STATUS_IN_PROGRESS;
	assert_int_equal(desk_ticket_change(f->d, &id, 1, &c, 0, &err), 0);
	c.status = STATUS_RESOLVED;
	c.fixed_version = "2.4.1";
	assert_int_equal(desk_ticket_change(f->d, &id, 1, &c, 0, &err), 0);
	assert_int_equal(count_state(f, OUTBOX_STATE_COUNT), 4);
	struct outbox_item *v;
	size_t n;
	assert_int_equal(store_outbox_list(f->d->store, false, 0, 0, 1, &v, &n, &err), 0);
	struct outbox_item it;
	assert_int_equal(store_outbox_get(f->d->store, v[0].id, &it, &err), 0);
	outbox_items_free(&v, n);
	GMimeMessage *pm = parse(it.raw);
	char *text = body_text(pm);
	assert_non_null(strstr(text, "2.4.1"));
	assert_non_null(strstr(text, "1 (very unhappy) to 5"));
	assert_non_null(strstr(g_mime_message_get_subject(pm), "Resolved: tx [#1]"));
	free(text);
	g_object_unref(pm);
	outbox_item_clear(&it);
}

/* Never mail the desk itself; phone-only customers get no mail; queue From and tag prefix. */
static void test_addresses_and_tag(void **state)
{
	struct fx *f = *state;
	new_ticket(f, "loop", "Support@Weibao.Example.cn", NULL);
	assert_int_equal(count_state(f, OUTBOX_STATE_COUNT), 0);
	struct ticket_draft t;
	ticket_draft_init(&t);
	t.subject = "phone";
	t.requester_phone = "138 0013 8000";
	t.channel = CHANNEL_PHONE;
	int64_t id;
	struct wb_err err = { 0 };
	assert_int_equal(desk_ticket_create(f->d, &t, &id, &err), 0);
	assert_int_equal(count_state(f, OUTBOX_STATE_COUNT), 0);
	/* a queue with its own From; that address is the desk's too */
	struct queue_info q = { 0 };
	q.name = (char *)"Billing";
	q.from_addr = (char *)"billing@weibao.example.cn";
	assert_int_equal(store_queue_add(f->d->store, &q, NULL, &err), 0);
	test_cfg_set(&f->cfg.tag_prefix, "Desk #");
	ticket_draft_init(&t);
	t.subject = "invoice";
	t.requester_email = "cfo@example.cn";
	t.queue = "Billing";
	assert_int_equal(desk_ticket_create(f->d, &t, &id, &err), 0);
	ticket_draft_init(&t);
	t.subject = "loop 2";
	t.requester_email = "billing@weibao.example.cn";
	assert_int_equal(desk_ticket_create(f->d, &t, &id, &err), 0);
	assert_int_equal(count_state(f, OUTBOX_STATE_COUNT), 1);
	struct outbox_item *v;
	size_t n;
	assert_int_equal(store_outbox_list(f->d->store, false, 0, 0, 1, &v, &n, &err), 0);
	struct outbox_item it;
	assert_int_equal(store_outbox_get(f->d->store, v[0].id, &it, &err), 0);
	outbox_items_free(&v, n);
	assert_string_equal(it.envelope_from, "billing@weibao.example.cn");
	char *from = raw_header(it.raw, "From");
	assert_non_null(strstr(from, "<billing@weibao.example.cn>"));
	free(from);
	char *subj = raw_header(it.raw, "Subject");
	assert_non_null(strstr(subj, "invoice [Desk #3]"));
	free(subj);
	outbox_item_clear(&it);
}

/* Retry, cancel and the --to-dir writer. */
static void test_retry_cancel_to_dir(void **state)
{
	struct fx *f = *state;
	new_ticket(f, "a", "a@example.cn", NULL);
	new_ticket(f, "b", "b@example.cn", NULL);
	struct wb_err err = { 0 };
	assert_int_equal(store_outbox_cancel(f->d->store, 2, &err), 0);
	assert_int_equal(store_outbox_cancel(f->d->store, 2, &err), WB_EREFUSED);
	assert_int_equal(store_outbox_cancel(f->d->store, 99, &err), WB_ENOTFOUND);
	char out[400];
	snprintf(out, sizeof out, "%s/out", f->dir);
	assert_int_equal(mkdir(out, 0700), 0);
	struct outbox_send_opts o = { .to_dir = out };
	struct outbox_report r;
	assert_int_equal(outbox_send_pass(f->d, &o, &r, &err), 0);
	assert_int_equal(r.written, 1);
	outbox_report_clear(&r);
	char path[500];
	snprintf(path, sizeof path, "%s/000001.eml", out);
	char *raw = test_slurp(path);
	assert_non_null(raw);
	struct outbox_item it;
	assert_int_equal(store_outbox_get(f->d->store, 1, &it, &err), 0);
	assert_string_equal(raw, it.raw);
	assert_int_equal(it.state, OUTBOX_SENT);
	outbox_item_clear(&it);
	free(raw);
	/* a sent mail cannot be retried or cancelled; a cancelled one can be retried */
	assert_int_equal(store_outbox_retry(f->d->store, 1, T0, &err), WB_EREFUSED);
	assert_int_equal(store_outbox_cancel(f->d->store, 1, &err), WB_EREFUSED);
	assert_int_equal(store_outbox_retry(f->d->store, 2, T0, &err), 0);
	assert_int_equal(outbox_send_pass(f->d, &o, &r, &err), 0);
	assert_int_equal(r.written, 1);
	outbox_report_clear(&r);
	/* the writer refuses a missing folder, leaving mail queued */
	new_ticket(f, "c", "c@example.cn", NULL);
	o.to_dir = "/nonexistent/dir";
	assert_int_equal(outbox_send_pass(f->d, &o, &r, &err), WB_EIO);
	outbox_report_clear(&r);
	assert_int_equal(count_state(f, OUTBOX_QUEUED), 1);
	/* no SMTP host and no folder: nothing tried */
	test_cfg_set(&f->cfg.smtp_host, NULL);
	assert_int_equal(outbox_send_pass(f->d, NULL, &r, &err), 0);
	assert_true(r.no_smtp);
	assert_int_equal(r.waiting, 1);
	outbox_report_clear(&r);
}

static void test_backoff(void **state)
{
	(void)state;
	wb_time d;
	assert_true(outbox_backoff(1, &d));
	assert_int_equal(d, 60);
	assert_true(outbox_backoff(2, &d));
	assert_int_equal(d, 120);
	assert_true(outbox_backoff(3, &d));
	assert_int_equal(d, 240);
	assert_true(outbox_backoff(8, &d));
	assert_int_equal(d, 3600);
	/* the waits add up to about two days, then it gives up */
	wb_time total = 0;
	int k = 1;
	while (outbox_backoff(k, &d)) {
		total += d;
		k++;
	}
	assert_true(total <= OUTBOX_GIVE_UP);
	assert_true(total > OUTBOX_GIVE_UP - 3600);
}

static void test_templates(void **state)
{
	struct fx *f = *state;
	const char *names[] = { "ack", "reply", "resolved", "sla_at_risk", "sla_breached", "remind" };
	const char *langs[] = { "en", "zh_CN" };
	struct outbox_fields fl = { "42", "升级失败", "王丽", "张三", "维保支持", "REPLY-BODY", "2.4.1",
				    NULL, NULL, NULL, NULL, NULL, NULL, NULL };
	struct wb_err err = { 0 };
	for (size_t l = 0; l < 2; l++)
		for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
			char *path, *subj, *body;
			assert_int_equal(outbox_template_path(&f->cfg, langs[l], names[i], &path, &err), 0);
			assert_non_null(strstr(path, langs[l]));
			int rc = outbox_render(path, &fl, &subj, &body, &err);
			if (rc)
				fprintf(stderr, "%s\n", err.msg);
			assert_int_equal(rc, 0);
			assert_non_null(strstr(subj, "升级失败"));
			assert_null(strstr(body, "{{"));
			assert_non_null(strstr(body, "维保支持"));
			free(path);
			free(subj);
			free(body);
		}
	/* language fallbacks */
	char *path;
	assert_int_equal(outbox_template_path(&f->cfg, "zh", "ack", &path, &err), 0);
	assert_non_null(strstr(path, "/zh_CN/"));
	free(path);
	assert_int_equal(outbox_template_path(&f->cfg, "fr_FR.UTF-8", "ack", &path, &err), 0);
	assert_non_null(strstr(path, "/en/"));
	free(path);
	assert_int_equal(outbox_template_path(&f->cfg, "en", "nosuch", &path, &err), WB_ENOTFOUND);
	/* a desk override of one file; the others still come from the defaults */
	char dir[400], file[500];
	snprintf(dir, sizeof dir, "%s/tpl/en", f->dir);
	snprintf(file, sizeof file, "mkdir -p %s", dir);
	assert_int_equal(system(file), 0);
	snprintf(file, sizeof file, "%s/ack.txt", dir);
	FILE *fp = fopen(file, "w");
	fputs("Subject: Got it {{ ticket.id }}\n\nHello {{requester.name}}\n{{bogus}}\n", fp);
	fclose(fp);
	snprintf(dir, sizeof dir, "%s/tpl", f->dir);
	test_cfg_set(&f->cfg.templates_dir, dir);
	assert_int_equal(outbox_template_path(&f->cfg, "en", "ack", &path, &err), 0);
	assert_string_equal(path, file);
	char *subj, *body;
	assert_int_equal(outbox_render(path, &fl, &subj, &body, &err), WB_EINVAL);
	assert_non_null(strstr(err.msg, ":4:"));
	assert_non_null(strstr(err.msg, "{{bogus}}"));
	free(path);
	assert_int_equal(outbox_template_path(&f->cfg, "en", "reply", &path, &err), 0);
	assert_null(strstr(path, "/tpl/"));
	free(path);
	/* an empty template file switches that notification off (the reply's cannot be) */
	struct ticket_draft t;
	int64_t id;
	snprintf(file, sizeof file, "%s/tpl/en/ack.txt", f->dir);
	fp = fopen(file, "w");
	fclose(fp);
	ticket_draft_init(&t);
	t.subject = "quiet";
	t.requester_email = "q@example.cn";
	assert_int_equal(desk_ticket_create(f->d, &t, &id, &err), 0);
	assert_int_equal(count_state(f, OUTBOX_STATE_COUNT), 0);
	assert_int_equal(reply(f, id, "still mailed", 0, &err), 0);
	assert_int_equal(count_state(f, OUTBOX_STATE_COUNT), 1);
	fp = fopen(file, "w");
	fputs("Subject: Got it {{ ticket.id }}\n\nHello {{requester.name}}\n{{bogus}}\n", fp);
	fclose(fp);
	/* the broken template refuses the ticket's acknowledgement rather than send junk */
	ticket_draft_init(&t);
	t.subject = "x";
	t.requester_email = "x@example.cn";
	assert_int_equal(desk_ticket_create(f->d, &t, &id, &err), WB_EINVAL);
	assert_non_null(strstr(err.msg, "bogus"));
}

/* SLA warnings go to the assignee and the supervisors; window notices to each contact. */
static void test_sla_and_window(void **state)
{
	struct fx *f = *state;
	struct wb_err err = { 0 };
	struct user u = { 0 };
	u.login = (char *)"zhang";
	u.name = (char *)"张三";
	u.email = (char *)"zhang@weibao.example.cn";
	u.role = ROLE_OPERATOR;
	int64_t zhang;
	assert_int_equal(store_user_add(f->d->store, &u, &zhang, &err), 0);
	u.login = (char *)"boss";
	u.name = (char *)"Boss";
	u.email = (char *)"boss@weibao.example.cn";
	u.role = ROLE_SUPERVISOR;
	u.language = (char *)"en";
	assert_int_equal(store_user_add(f->d->store, &u, NULL, &err), 0);
	u.login = (char *)"other";
	u.email = (char *)"other@weibao.example.cn";
	u.role = ROLE_OPERATOR;
	assert_int_equal(store_user_add(f->d->store, &u, NULL, &err), 0);
	int64_t id = new_ticket(f, "数据库宕机", "ops@example.cn", NULL);
	struct ticket *t;
	assert_int_equal(desk_ticket_get(f->d, id, &t, &err), 0);
	t->assignee_id = zhang;
	int queued = 0;
	assert_int_equal(outbox_notify_sla(f->d, t, true, &queued, &err), 0);
	ticket_free(&t);
	assert_int_equal(queued, 2); /* zhang (assignee) and boss (supervisor); not "other" */
	struct outbox_item *v;
	size_t n;
	assert_int_equal(store_outbox_list(f->d->store, false, 0, 0, 2, &v, &n, &err), 0);
	assert_int_equal(n, 2);
	bool boss = false, zh = false;
	for (size_t i = 0; i < n; i++) {
		struct outbox_item it;
		assert_int_equal(store_outbox_get(f->d->store, v[i].id, &it, &err), 0);
		GMimeMessage *m = parse(it.raw);
		const char *subj = g_mime_message_get_subject(m);
		if (!strcmp(it.rcpt[0].addr, "boss@weibao.example.cn"))
			boss = strstr(subj, "SLA breached: 数据库宕机 [#1]") != NULL;
		if (!strcmp(it.rcpt[0].addr, "zhang@weibao.example.cn"))
			zh = strstr(subj, "SLA breached: 数据库宕机 [#1]") != NULL;
		g_object_unref(m);
		outbox_item_clear(&it);
	}
	assert_true(boss);
	assert_true(zh);
	outbox_items_free(&v, n);

}

/* A recipient marked sent is never handed out again; a lost claim changes nothing. */
static void test_store_recipients(void **state)
{
	struct fx *f = *state;
	struct store *s = f->d->store;
	struct wb_err err = { 0 };
	const char *rc[] = { "a@example.cn", "b@example.cn", "A@example.cn" };
	struct outbox_new o = { 0 };
	o.email_message_id = "x1@weibao.example.cn";
	o.envelope_from = "support@weibao.example.cn";
	o.raw = "Subject: x\r\n\r\nx\r\n";
	o.rcpts = rc;
	o.n_rcpts = 3;
	int64_t id;
	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(store_outbox_enqueue(s, &o, &id, &err), 0);
	assert_int_equal(store_outbox_enqueue(s, &o, NULL, &err), WB_ECONFLICT); /* same Message-ID */
	store_rollback(s);
	assert_int_equal(store_outbox_enqueue(s, &o, &id, &err), 0);
	struct outbox_item *v;
	size_t n;
	assert_int_equal(store_outbox_claim(s, T0, 600, 10, &v, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].n_rcpt, 2); /* a@ and A@ are one recipient */
	int attempts = v[0].attempts;
	assert_int_equal(attempts, 1);
	outbox_items_free(&v, n);
	/* claimed: nobody else gets it */
	assert_int_equal(store_outbox_claim(s, T0, 600, 10, &v, &n, &err), 0);
	assert_int_equal(n, 0);
	free(v);
	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(store_outbox_rcpt_set(s, id, "a@example.cn", OUTBOX_SENT, 250, "ok", &err), 0);
	assert_int_equal(store_outbox_rcpt_set(s, id, "b@example.cn", OUTBOX_RETRYING, 450, "busy", &err), 0);
	assert_int_equal(store_outbox_finish(s, id, attempts, OUTBOX_RETRYING, T0 + 60, "450 busy", 0, &err), 0);
	assert_int_equal(store_commit(s, &err), 0);
	/* a stale claim token cannot finish it again */
	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(store_outbox_finish(s, id, attempts, OUTBOX_SENT, 0, NULL, T0, &err), WB_ECONFLICT);
	store_rollback(s);
	assert_int_equal(store_outbox_claim(s, T0 + 59, 600, 10, &v, &n, &err), 0);
	assert_int_equal(n, 0);
	free(v);
	assert_int_equal(store_outbox_claim(s, T0 + 60, 600, 10, &v, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].n_rcpt, 1);
	assert_string_equal(v[0].rcpt[0].addr, "b@example.cn");
	assert_string_equal(v[0].raw, o.raw);
	outbox_items_free(&v, n);
	/* retry after a failure keeps the sent recipient sent */
	assert_int_equal(store_outbox_retry(s, id, T0, &err), WB_EREFUSED); /* being sent */
	struct outbox_item it;
	assert_int_equal(store_outbox_find(s, "x1@weibao.example.cn", &it, &err), 0);
	assert_int_equal(it.state, OUTBOX_SENDING);
	assert_int_equal(it.attempts, 2);
	assert_int_equal(it.rcpt[0].state, OUTBOX_SENT);
	outbox_item_clear(&it);
	assert_int_equal(store_outbox_find(s, "nope@x.cn", &it, &err), WB_ENOTFOUND);
	/* keyset pages of the list */
	for (int i = 0; i < 5; i++) {
		char mid[32];
		snprintf(mid, sizeof mid, "p%d@weibao.example.cn", i);
		o.email_message_id = mid;
		assert_int_equal(store_outbox_enqueue(s, &o, NULL, &err), 0);
	}
	assert_int_equal(store_outbox_list(s, true, OUTBOX_QUEUED, 0, 3, &v, &n, &err), 0);
	assert_int_equal(n, 3);
	int64_t last = v[2].id;
	assert_true(v[0].id > v[1].id && v[1].id > v[2].id);
	outbox_items_free(&v, n);
	assert_int_equal(store_outbox_list(s, true, OUTBOX_QUEUED, last, 3, &v, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_true(v[0].id < last);
	outbox_items_free(&v, n);
	struct outbox_counts c;
	assert_int_equal(store_outbox_counts(s, &c, &err), 0);
	assert_int_equal(c.n[OUTBOX_QUEUED], 5);
	assert_int_equal(c.n[OUTBOX_SENDING], 1);
	wb_time due;
	assert_int_equal(store_outbox_next_due(s, &due, &err), 0);
	assert_int_equal(due, T0); /* the queued ones */
}

/* The UI's background sender: returns at once, the mail arrives shortly after. */
static void test_kick(void **state)
{
	struct fx *f = *state;
	use_server(f, NULL);
	char prog[512], conf[512];
	snprintf(prog, sizeof prog, "%s/weibao", test_root());
	if (access(prog, X_OK) != 0) {
		fprintf(stderr, "skipping: %s is not built\n", prog);
		skip();
	}
	snprintf(conf, sizeof conf, "%s/config", f->dir);
	FILE *fp = fopen(conf, "w");
	fprintf(fp, "[mail]\nfrom = support@weibao.example.cn\ndomain = weibao.example.cn\n"
		    "templates = %s\n[smtp]\nhost = 127.0.0.1\nport = %d\ntls = none\ntimeout = 5\n",
		f->cfg.templates_dir, f->sv.port);
	fclose(fp);
	new_ticket(f, "后台发送", "ops@example.cn", NULL);
	clock_set_fixed(0); /* the sender runs on the real clock; the mail is due since T0 */
	struct wb_err err = { 0 };
	long t0 = test_now_ms();
	assert_int_equal(outbox_kick(prog, f->db, conf, &err), 0);
	assert_true(test_now_ms() - t0 < 500);
	while (smtpd_count(&f->sv) < 1 && test_now_ms() - t0 < 10000)
		usleep(50000);
	assert_int_equal(smtpd_count(&f->sv), 1);
	long t1 = test_now_ms();
	while (count_state(f, OUTBOX_SENT) < 1 && test_now_ms() - t1 < 5000)
		usleep(50000);
	assert_int_equal(count_state(f, OUTBOX_SENT), 1);
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	g_mime_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backoff),
		cmocka_unit_test_setup_teardown(test_templates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_recipients, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reply_transaction, setup, teardown),
		cmocka_unit_test_setup_teardown(test_addresses_and_tag, setup, teardown),
		cmocka_unit_test_setup_teardown(test_retry_cancel_to_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sla_and_window, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plain_threaded_chinese, setup, teardown),
		cmocka_unit_test_setup_teardown(test_starttls_auth, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_password, setup, teardown),
		cmocka_unit_test_setup_teardown(test_server_down_then_up, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tempfail_then_success, setup, teardown),
		cmocka_unit_test_setup_teardown(test_permfail_reported, setup, teardown),
		cmocka_unit_test_setup_teardown(test_200_in_one_pass, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lease_resend, setup, teardown),
		cmocka_unit_test_setup_teardown(test_batch_one_session, setup, teardown),
		cmocka_unit_test_setup_teardown(test_batch_permfail_middle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_batch_tempfail_one, setup, teardown),
		cmocka_unit_test_setup_teardown(test_batch_dropped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_claim_extend, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kick, setup, teardown),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	g_mime_shutdown();
	return rc;
}

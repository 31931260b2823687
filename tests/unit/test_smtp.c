/* SMTP delivery against a real server: tests/smtpd.py (aiosmtpd) on 127.0.0.1. */
#include "testutil.h"

#include "mail_compose.h"
#include "smtp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <gmime/gmime.h>
#include <locale.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>

#define T0 1795000000

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

static char *compose_simple(const char *subject, const char *body, char **id)
{
	const char *to[] = {"ops@example.cn"};
	struct mail_out m = {
		.from_name = "维保支持", .from_addr = "support@weibao.example.cn",
		.to = to, .n_to = 1, .subject = subject, .body = body,
		.msgid_domain = "weibao.example.cn", .date = T0,
	};
	char *raw;
	struct wb_err err = {0};
	int rc = mail_compose(&m, &raw, id, &err);
	if (rc)
		fprintf(stderr, "compose: %s\n", err.msg);
	assert_int_equal(rc, WB_OK);
	return raw;
}

static struct smtp_settings plain_settings(const struct smtpd *sv)
{
	struct smtp_settings s = {.host = "127.0.0.1", .port = sv->port, .tls = SMTP_TLS_NONE, .timeout_ms = 5000,
				  .helo = "weibao.test"};
	return s;
}

static void test_plain_chinese(void **state)
{
	(void)state;
	struct smtpd sv;
	smtpd_start(&sv, NULL);

	const char *to[] = {"王丽 <wang.li@example.cn>", "ops@example.cn"};
	const char *cc[] = {"Zhang San <zhang@example.cn>"};
	const char *body = "您好，\n\n软件维保方案已经更新。\n.\n..leading dots survive\n谢谢！\n";
	struct mail_out m = {
		.from_name = "维保支持", .from_addr = "support@weibao.example.cn",
		.to = to, .n_to = 2, .cc = cc, .n_cc = 1,
		.subject = "软件维保方案 [#42]", .body = body,
		.msgid_domain = "weibao.example.cn", .date = T0,
	};
	char *raw, *id;
	assert_int_equal(mail_compose(&m, &raw, &id, NULL), WB_OK);

	const char *rcpts[] = {"wang.li@example.cn", "ops@example.cn", "zhang@example.cn", "boss@example.cn"};
	struct smtp_settings s = plain_settings(&sv);
	struct smtp_result r;
	struct wb_err err = {0};
	int rc = smtp_send(&s, "support@weibao.example.cn", rcpts, 4, raw, &r, &err);
	if (rc)
		fprintf(stderr, "smtp_send: %s\n", err.msg);
	assert_int_equal(rc, WB_OK);
	assert_int_equal(r.outcome, SMTP_SENT);
	assert_int_equal(r.code, 250);
	assert_int_equal(r.n_rcpt, 4);
	for (size_t i = 0; i < 4; i++) {
		assert_string_equal(r.rcpt[i].addr, rcpts[i]);
		assert_int_equal(r.rcpt[i].code, 250);
		assert_int_equal(r.rcpt[i].outcome, SMTP_SENT);
	}
	smtp_result_clear(&r);

	assert_int_equal(smtpd_count(&sv), 1);
	char *env;
	char *got = smtpd_received(&sv, 1, &env);
	assert_non_null(got);
	/* byte for byte what we composed (dot-stuffing undone by the server) */
	assert_string_equal(got, raw);
	assert_string_equal(env, "support@weibao.example.cn\nwang.li@example.cn\nops@example.cn\n"
				 "zhang@example.cn\nboss@example.cn\n");
	/* the Bcc recipient is in the envelope only */
	assert_null(strstr(got, "boss@"));
	assert_null(strstr(got, "Bcc"));

	GMimeMessage *pm = parse(got);
	assert_string_equal(g_mime_message_get_subject(pm), "软件维保方案 [#42]");
	assert_string_equal(g_mime_message_get_message_id(pm), id);
	char *text = g_mime_text_part_get_text(GMIME_TEXT_PART(g_mime_message_get_body(pm)));
	char *w = text;
	for (char *p = text; *p; p++)
		if (*p != '\r')
			*w++ = *p;
	*w = '\0';
	assert_string_equal(text, body);
	g_free(text);
	g_object_unref(pm);
	free(got);
	free(env);
	free(raw);
	free(id);
	smtpd_stop(&sv);
}

static void test_starttls_auth(void **state)
{
	(void)state;
	struct smtpd sv;
	const char *args[] = {"--tls", "--auth", "agent:s3cret 密码", NULL};
	smtpd_start(&sv, args);
	char *id, *raw = compose_simple("TLS [#7]", "over STARTTLS\n", &id);
	const char *rcpts[] = {"ops@example.cn"};
	struct smtp_result r;
	struct wb_err err = {0};

	/* verify on, with the server's CA file */
	struct smtp_settings s = {.host = "localhost", .port = sv.port, .tls = SMTP_TLS_STARTTLS, .verify = true,
				  .ca_file = sv.ca, .user = "agent", .password = "s3cret 密码", .timeout_ms = 5000};
	int rc = smtp_send(&s, "support@weibao.example.cn", rcpts, 1, raw, &r, &err);
	if (rc)
		fprintf(stderr, "smtp_send: %s\n", err.msg);
	assert_int_equal(rc, WB_OK);
	assert_int_equal(r.outcome, SMTP_SENT);
	smtp_result_clear(&r);
	assert_int_equal(smtpd_count(&sv), 1);
	char *got = smtpd_received(&sv, 1, NULL);
	assert_string_equal(got, raw);
	free(got);

	/* verify off: the self-signed certificate is accepted without a CA file */
	s.verify = false;
	s.ca_file = NULL;
	rc = smtp_send(&s, "support@weibao.example.cn", rcpts, 1, raw, &r, &err);
	if (rc)
		fprintf(stderr, "smtp_send: %s\n", err.msg);
	assert_int_equal(rc, WB_OK);
	assert_int_equal(r.outcome, SMTP_SENT);
	smtp_result_clear(&r);
	assert_int_equal(smtpd_count(&sv), 2);

	/* verify on against the system store: the self-signed certificate is refused, nothing sent */
	s.verify = true;
	rc = smtp_send(&s, "support@weibao.example.cn", rcpts, 1, raw, &r, &err);
	assert_int_equal(rc, WB_ETEMP);
	assert_non_null(strstr(err.msg, "not trusted"));
	assert_int_equal(r.outcome, SMTP_TEMPFAIL);
	smtp_result_clear(&r);

	/* verify on with the right CA but the wrong name (127.0.0.1 is not in the certificate) */
	s.host = "127.0.0.1";
	s.ca_file = sv.ca;
	rc = smtp_send(&s, "support@weibao.example.cn", rcpts, 1, raw, &r, &err);
	assert_int_equal(rc, WB_ETEMP);
	smtp_result_clear(&r);
	assert_int_equal(smtpd_count(&sv), 2);

	/* a missing CA file is a settings error naming the file */
	s.host = "localhost";
	s.ca_file = "/nonexistent/ca.pem";
	rc = smtp_send(&s, "support@weibao.example.cn", rcpts, 1, raw, &r, &err);
	assert_int_equal(rc, WB_EINVAL);
	assert_non_null(strstr(err.msg, "/nonexistent/ca.pem"));
	smtp_result_clear(&r);

	/* no STARTTLS and no login: the server requires both; a settings problem, not the message's */
	struct smtp_settings p = {.host = "127.0.0.1", .port = sv.port, .tls = SMTP_TLS_NONE, .timeout_ms = 5000};
	rc = smtp_send(&p, "support@weibao.example.cn", rcpts, 1, raw, &r, &err);
	assert_int_equal(rc, WB_EREFUSED);
	assert_non_null(strstr(err.msg, "530"));
	assert_non_null(strstr(err.msg, "set user and password"));
	smtp_result_clear(&r);
	assert_int_equal(smtpd_count(&sv), 2);

	free(raw);
	free(id);
	smtpd_stop(&sv);
}

static void test_wrong_password(void **state)
{
	(void)state;
	struct smtpd sv;
	const char *args[] = {"--tls", "--auth", "agent:right", NULL};
	smtpd_start(&sv, args);
	char *id, *raw = compose_simple("pw", "x\n", &id);
	const char *rcpts[] = {"ops@example.cn"};
	struct smtp_settings s = {.host = "localhost", .port = sv.port, .tls = SMTP_TLS_STARTTLS, .verify = true,
				  .ca_file = sv.ca, .user = "agent", .password = "wrong", .timeout_ms = 5000};
	struct smtp_result r;
	struct wb_err err = {0};
	int rc = smtp_send(&s, "support@weibao.example.cn", rcpts, 1, raw, &r, &err);
	if (rc != WB_EREFUSED)
		fprintf(stderr, "smtp_send: %s\n", err.msg);
	assert_int_equal(rc, WB_EREFUSED);
	assert_non_null(strstr(err.msg, "refused the login"));
	assert_non_null(strstr(err.msg, "agent"));
	assert_null(strstr(err.msg, "wrong")); /* the password is never echoed */
	assert_int_not_equal(r.outcome, SMTP_SENT);
	smtp_result_clear(&r);
	assert_int_equal(smtpd_count(&sv), 0);
	free(raw);
	free(id);
	smtpd_stop(&sv);
}

static void test_server_down(void **state)
{
	(void)state;
	/* a port that was free a moment ago: nobody listens there */
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	socklen_t len = sizeof a;
	getsockname(fd, (struct sockaddr *)&a, &len);
	int port = ntohs(a.sin_port);
	close(fd);

	char *id, *raw = compose_simple("down", "x\n", &id);
	const char *rcpts[] = {"ops@example.cn"};
	struct smtp_settings s = {.host = "127.0.0.1", .port = port, .timeout_ms = 2000};
	struct smtp_result r;
	struct wb_err err = {0};
	long t0 = test_now_ms();
	int rc = smtp_send(&s, "support@weibao.example.cn", rcpts, 1, raw, &r, &err);
	assert_int_equal(rc, WB_ETEMP);
	assert_true(test_now_ms() - t0 < 5000);
	char want[32];
	snprintf(want, sizeof want, "127.0.0.1:%d", port);
	assert_non_null(strstr(err.msg, want));
	assert_int_equal(r.outcome, SMTP_TEMPFAIL);
	assert_int_equal(r.n_rcpt, 1);
	assert_int_equal(r.rcpt[0].outcome, SMTP_TEMPFAIL);
	smtp_result_clear(&r);
	free(raw);
	free(id);
}

/* A server that takes the connection but never says a word: WB_ETEMP after the timeout. */
static void test_server_silent(void **state)
{
	(void)state;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(listen(fd, 4), 0); /* the kernel completes the handshake; nobody answers */
	socklen_t len = sizeof a;
	getsockname(fd, (struct sockaddr *)&a, &len);

	char *id, *raw = compose_simple("silent", "x\n", &id);
	const char *rcpts[] = {"ops@example.cn"};
	struct smtp_settings s = {.host = "127.0.0.1", .port = ntohs(a.sin_port), .timeout_ms = 1000};
	struct smtp_result r;
	struct wb_err err = {0};
	long t0 = test_now_ms();
	assert_int_equal(smtp_send(&s, "support@weibao.example.cn", rcpts, 1, raw, &r, &err), WB_ETEMP);
	long took = test_now_ms() - t0;
	assert_true(took >= 900 && took < 4000);
	assert_non_null(strstr(err.msg, "no answer within 1000 ms"));
	smtp_result_clear(&r);
	close(fd);
	free(raw);
	free(id);
}

/* The server wants a login but offers no mechanism we may use: refused, nothing sent. */
static void test_auth_not_offered(void **state)
{
	(void)state;
	struct smtpd sv;
	const char *args[] = {"--tls", "--auth", "agent:pw", "--no-auth-mechs", NULL};
	smtpd_start(&sv, args);
	char *id, *raw = compose_simple("nomech", "x\n", &id);
	const char *rcpts[] = {"ops@example.cn"};
	struct smtp_settings s = {.host = "localhost", .port = sv.port, .tls = SMTP_TLS_STARTTLS, .verify = true,
				  .ca_file = sv.ca, .user = "agent", .password = "pw", .timeout_ms = 5000};
	struct smtp_result r;
	struct wb_err err = {0};
	assert_int_equal(smtp_send(&s, "support@weibao.example.cn", rcpts, 1, raw, &r, &err), WB_EREFUSED);
	assert_non_null(strstr(err.msg, "PLAIN or LOGIN"));
	smtp_result_clear(&r);
	assert_int_equal(smtpd_count(&sv), 0);
	free(raw);
	free(id);
	smtpd_stop(&sv);
}

static void test_settings_refused(void **state)
{
	(void)state;
	const char *rcpts[] = {"ops@example.cn"};
	const char *raw = "Subject: x\r\n\r\nx\r\n";
	struct smtp_result r;
	struct wb_err err = {0};

	struct smtp_settings s = {.host = "mail.example.cn", .port = 465, .tls = SMTP_TLS_STARTTLS};
	assert_int_equal(smtp_send(&s, "a@example.cn", rcpts, 1, raw, &r, &err), WB_EINVAL);
	assert_non_null(strstr(err.msg, "587"));
	smtp_result_clear(&r);

	enum smtp_tls t;
	assert_int_equal(smtp_tls_parse("smtps", &t, &err), WB_EINVAL);
	assert_non_null(strstr(err.msg, "587"));
	assert_int_equal(smtp_tls_parse("STARTTLS", &t, &err), WB_OK);
	assert_int_equal(t, SMTP_TLS_STARTTLS);
	assert_int_equal(smtp_tls_parse("none", &t, &err), WB_OK);
	assert_int_equal(t, SMTP_TLS_NONE);
	assert_int_equal(smtp_tls_parse("maybe", &t, &err), WB_EINVAL);

	/* outcome names round-trip (the outbox stores them) */
	enum smtp_outcome o;
	for (int i = SMTP_SENT; i <= SMTP_PERMFAIL; i++) {
		assert_int_equal(smtp_outcome_parse(smtp_outcome_name((enum smtp_outcome)i), &o), WB_OK);
		assert_int_equal(o, i);
	}
	assert_string_equal(smtp_outcome_name(SMTP_TEMPFAIL), "tempfail");
	assert_int_equal(smtp_outcome_parse("bounced", &o), WB_EINVAL);

	/* a password never goes over a plain connection */
	struct smtp_settings p = {.host = "mail.example.cn", .port = 25, .user = "u", .password = "p"};
	assert_int_equal(smtp_send(&p, "a@example.cn", rcpts, 1, raw, &r, &err), WB_EINVAL);
	assert_non_null(strstr(err.msg, "without TLS"));
	smtp_result_clear(&r);

	/* bare LF, bad addresses, an IPv6 literal the library cannot parse */
	struct smtp_settings q = {.host = "mail.example.cn", .port = 587};
	assert_int_equal(smtp_send(&q, "a@example.cn", rcpts, 1, "Subject: x\n\nx\n", &r, &err), WB_EINVAL);
	assert_non_null(strstr(err.msg, "CRLF"));
	const char *bad[] = {"ops@example.cn\r\nRCPT TO:<evil@x.cn>"};
	assert_int_equal(smtp_send(&q, "a@example.cn", bad, 1, raw, &r, &err), WB_EINVAL);
	assert_int_equal(smtp_send(&q, "a@example.cn>", rcpts, 1, raw, &r, &err), WB_EINVAL);
	q.host = "::1";
	assert_int_equal(smtp_send(&q, "a@example.cn", rcpts, 1, raw, &r, &err), WB_EINVAL);
	smtp_result_clear(&r);
}

static void test_tempfail_then_success(void **state)
{
	(void)state;
	struct smtpd sv;
	const char *args[] = {"--tempfail-data", "1", NULL};
	smtpd_start(&sv, args);
	char *id, *raw = compose_simple("retry [#9]", "first try fails\n", &id);
	const char *rcpts[] = {"ops@example.cn", "dev@example.cn"};
	struct smtp_settings s = plain_settings(&sv);
	struct smtp_result r;
	struct wb_err err = {0};

	assert_int_equal(smtp_send(&s, "support@weibao.example.cn", rcpts, 2, raw, &r, &err), WB_OK);
	assert_int_equal(r.outcome, SMTP_TEMPFAIL);
	assert_int_equal(r.code, 451);
	assert_non_null(strstr(r.reply, "try again"));
	for (size_t i = 0; i < 2; i++) {
		assert_int_equal(r.rcpt[i].code, 250); /* RCPT was fine, DATA was not */
		assert_int_equal(r.rcpt[i].outcome, SMTP_TEMPFAIL);
	}
	smtp_result_clear(&r);
	assert_int_equal(smtpd_count(&sv), 0);

	assert_int_equal(smtp_send(&s, "support@weibao.example.cn", rcpts, 2, raw, &r, &err), WB_OK);
	assert_int_equal(r.outcome, SMTP_SENT);
	assert_int_equal(r.code, 250);
	smtp_result_clear(&r);
	assert_int_equal(smtpd_count(&sv), 1);
	char *got = smtpd_received(&sv, 1, NULL);
	assert_string_equal(got, raw);
	free(got);
	free(raw);
	free(id);
	smtpd_stop(&sv);
}

static void test_rejected_recipient(void **state)
{
	(void)state;
	struct smtpd sv;
	const char *args[] = {"--reject-rcpt", "gone@example.cn", NULL};
	smtpd_start(&sv, args);
	char *id, *raw = compose_simple("partial", "one of two\n", &id);
	const char *rcpts[] = {"gone@example.cn", "ops@example.cn"};
	struct smtp_settings s = plain_settings(&sv);
	struct smtp_result r;
	struct wb_err err = {0};
	assert_int_equal(smtp_send(&s, "support@weibao.example.cn", rcpts, 2, raw, &r, &err), WB_OK);
	assert_int_equal(r.outcome, SMTP_PERMFAIL);
	assert_int_equal(r.rcpt[0].code, 550);
	assert_int_equal(r.rcpt[0].outcome, SMTP_PERMFAIL);
	assert_non_null(strstr(r.rcpt[0].reply, "no such user"));
	assert_int_equal(r.rcpt[1].code, 250);
	assert_int_equal(r.rcpt[1].outcome, SMTP_SENT);
	smtp_result_clear(&r);
	assert_int_equal(smtpd_count(&sv), 1);
	char *env, *got = smtpd_received(&sv, 1, &env);
	assert_string_equal(env, "support@weibao.example.cn\nops@example.cn\n");
	free(env);
	free(got);

	/* every recipient refused: no DATA at all, nothing stored */
	const char *only[] = {"gone@example.cn"};
	assert_int_equal(smtp_send(&s, "support@weibao.example.cn", only, 1, raw, &r, &err), WB_OK);
	assert_int_equal(r.outcome, SMTP_PERMFAIL);
	assert_int_equal(r.code, 550);
	smtp_result_clear(&r);
	assert_int_equal(smtpd_count(&sv), 1);
	free(raw);
	free(id);
	smtpd_stop(&sv);
}

/* Every Message-ID in ids[0..n) appears in exactly one received message. */
static void assert_each_once(const struct smtpd *sv, char **ids, size_t n)
{
	assert_int_equal(smtpd_count(sv), n);
	int *seen = calloc(n, sizeof *seen);
	for (size_t i = 1; i <= n; i++) {
		char *got = smtpd_received(sv, (int)i, NULL);
		assert_non_null(got);
		for (size_t k = 0; k < n; k++) {
			char want[300];
			snprintf(want, sizeof want, "Message-Id: <%s>\r\n", ids[k]);
			if (strstr(got, want))
				seen[k]++;
		}
		free(got);
	}
	for (size_t k = 0; k < n; k++)
		assert_int_equal(seen[k], 1);
	free(seen);
}

static void test_200_messages(void **state)
{
	(void)state;
	struct smtpd sv;
	smtpd_start(&sv, NULL);
	enum { N = 200 };
	char *ids[N];
	struct smtp_settings s = plain_settings(&sv);
	const char *rcpts[] = {"ops@example.cn"};
	for (int i = 0; i < N; i++) {
		char subj[64];
		snprintf(subj, sizeof subj, "工单 [#%d]", i + 1);
		char *raw = compose_simple(subj, "批量发送测试\n", &ids[i]);
		struct smtp_result r;
		struct wb_err err = {0};
		int rc = smtp_send(&s, "support@weibao.example.cn", rcpts, 1, raw, &r, &err);
		if (rc)
			fprintf(stderr, "message %d: %s\n", i + 1, err.msg);
		assert_int_equal(rc, WB_OK);
		assert_int_equal(r.outcome, SMTP_SENT);
		smtp_result_clear(&r);
		free(raw);
	}
	assert_each_once(&sv, ids, N);
	for (int i = 0; i < N; i++)
		free(ids[i]);
	smtpd_stop(&sv);
}

/* What smtp_send_batch reported, per message. */
struct batch_seen {
	int calls[8];
	int rc[8];
	struct smtp_result r[8];
	char err[8][512];
};

static void batch_done(size_t i, int rc, struct smtp_result *r, const struct wb_err *err, void *ctx)
{
	struct batch_seen *b = ctx;
	assert_true(i < 8);
	b->calls[i]++;
	b->rc[i] = rc;
	b->r[i] = *r; /* keep it: move the contents out */
	memset(r, 0, sizeof *r);
	snprintf(b->err[i], sizeof b->err[i], "%s", err ? err->msg : "");
}

/* One session for several messages: a 4xx to one, a message that cannot be sent, a refused
 * recipient next to an accepted one: each is reported on its own and the others go through. */
static void test_batch_one_session(void **state)
{
	(void)state;
	struct smtpd sv;
	const char *args[] = {"--reject-rcpt", "gone@example.cn", "--tempfail-data", "1", NULL};
	smtpd_start(&sv, args);
	struct smtp_settings s = plain_settings(&sv);
	enum { N = 5 };
	char *ids[N], *raw[N];
	for (int i = 0; i < N; i++) {
		char subj[64];
		snprintf(subj, sizeof subj, "批量 [#%d]", i + 1);
		raw[i] = compose_simple(subj, "同一会话\n", &ids[i]);
	}
	/* message 2 has a bare LF: it must not be handed to the server */
	char *bad = strstr(raw[1], "\r\n\r\n");
	assert_non_null(bad);
	memmove(bad + 2, bad + 3, strlen(bad + 3) + 1);
	const char *one[] = {"ops@example.cn"};
	const char *mixed[] = {"gone@example.cn", "ops2@example.cn"};
	struct smtp_message m[N];
	for (int i = 0; i < N; i++)
		m[i] = (struct smtp_message){.envelope_from = "support@weibao.example.cn", .rcpts = one, .n_rcpts = 1,
					     .raw_crlf = raw[i]};
	m[2].rcpts = mixed;
	m[2].n_rcpts = 2;
	struct batch_seen b;
	memset(&b, 0, sizeof b);
	struct wb_err err = {0};
	int rc = smtp_send_batch(&s, m, N, batch_done, &b, &err);
	if (rc)
		fprintf(stderr, "batch: %s\n", err.msg);
	assert_int_equal(rc, WB_OK);
	for (int i = 0; i < N; i++)
		assert_int_equal(b.calls[i], 1);
	/* 1: 451 to its data (the server's first DATA) */
	assert_int_equal(b.rc[0], WB_OK);
	assert_int_equal(b.r[0].outcome, SMTP_TEMPFAIL);
	assert_int_equal(b.r[0].code, 451);
	assert_int_equal(b.r[0].rcpt[0].outcome, SMTP_TEMPFAIL);
	/* 2: refused here, not sent */
	assert_int_equal(b.rc[1], WB_EINVAL);
	assert_int_equal(b.r[1].rcpt[0].outcome, SMTP_PERMFAIL);
	assert_non_null(strstr(b.err[1], "CRLF"));
	/* 3: one recipient refused, the other took the mail */
	assert_int_equal(b.rc[2], WB_OK);
	assert_int_equal(b.r[2].n_rcpt, 2);
	assert_string_equal(b.r[2].rcpt[0].addr, "gone@example.cn");
	assert_int_equal(b.r[2].rcpt[0].outcome, SMTP_PERMFAIL);
	assert_int_equal(b.r[2].rcpt[0].code, 550);
	assert_int_equal(b.r[2].rcpt[1].outcome, SMTP_SENT);
	assert_int_equal(b.r[2].rcpt[1].code, 250);
	/* 4, 5: sent */
	assert_int_equal(b.r[3].outcome, SMTP_SENT);
	assert_int_equal(b.r[4].outcome, SMTP_SENT);
	/* all over one connection; the server has 3, 4 and 5, each once */
	assert_int_equal(smtpd_sessions(&sv), 1);
	char *want[] = {ids[2], ids[3], ids[4]};
	assert_each_once(&sv, want, 3);
	char *env = NULL;
	free(smtpd_received(&sv, 1, &env));
	assert_string_equal(env, "support@weibao.example.cn\nops2@example.cn\n");
	free(env);
	for (int i = 0; i < N; i++) {
		smtp_result_clear(&b.r[i]);
		free(raw[i]);
		free(ids[i]);
	}
	smtpd_stop(&sv);
}

/* The server hangs up at the fourth MAIL FROM: three were reported sent, the rest never
 * reached (not reported), and the call says the session broke. */
static void test_batch_dropped(void **state)
{
	(void)state;
	struct smtpd sv;
	const char *args[] = {"--drop-after", "3", NULL};
	smtpd_start(&sv, args);
	struct smtp_settings s = plain_settings(&sv);
	enum { N = 6 };
	char *ids[N], *raw[N];
	const char *one[] = {"ops@example.cn"};
	struct smtp_message m[N];
	for (int i = 0; i < N; i++) {
		raw[i] = compose_simple("断线", "中途断开\n", &ids[i]);
		m[i] = (struct smtp_message){.envelope_from = "support@weibao.example.cn", .rcpts = one, .n_rcpts = 1,
					     .raw_crlf = raw[i]};
	}
	struct batch_seen b;
	memset(&b, 0, sizeof b);
	struct wb_err err = {0};
	int rc = smtp_send_batch(&s, m, N, batch_done, &b, &err);
	assert_int_equal(rc, WB_ETEMP);
	assert_non_null(strstr(err.msg, "127.0.0.1"));
	for (int i = 0; i < 3; i++) {
		assert_int_equal(b.calls[i], 1);
		assert_int_equal(b.r[i].outcome, SMTP_SENT);
	}
	for (int i = 3; i < N; i++)
		assert_int_equal(b.calls[i], 0);
	assert_each_once(&sv, ids, 3);
	assert_int_equal(smtpd_sessions(&sv), 1);
	for (int i = 0; i < N; i++) {
		smtp_result_clear(&b.r[i]);
		free(raw[i]);
		free(ids[i]);
	}
	smtpd_stop(&sv);
}

/* Several messages over one STARTTLS + AUTH session. */
static void test_batch_tls_auth(void **state)
{
	(void)state;
	struct smtpd sv;
	const char *args[] = {"--tls", "--auth", "agent:pw", NULL};
	smtpd_start(&sv, args);
	struct smtp_settings s = {.host = "localhost", .port = sv.port, .tls = SMTP_TLS_STARTTLS, .verify = true,
				  .ca_file = sv.ca, .user = "agent", .password = "pw", .timeout_ms = 5000};
	enum { N = 8 };
	char *ids[N], *raw[N];
	const char *one[] = {"ops@example.cn"};
	struct smtp_message m[N];
	for (int i = 0; i < N; i++) {
		raw[i] = compose_simple("加密批量", "一次登录\n", &ids[i]);
		m[i] = (struct smtp_message){.envelope_from = "support@weibao.example.cn", .rcpts = one, .n_rcpts = 1,
					     .raw_crlf = raw[i]};
	}
	struct batch_seen b;
	memset(&b, 0, sizeof b);
	struct wb_err err = {0};
	int rc = smtp_send_batch(&s, m, N, batch_done, &b, &err);
	if (rc)
		fprintf(stderr, "batch: %s\n", err.msg);
	assert_int_equal(rc, WB_OK);
	for (int i = 0; i < N; i++) {
		assert_int_equal(b.calls[i], 1);
		assert_int_equal(b.r[i].outcome, SMTP_SENT);
	}
	assert_each_once(&sv, ids, N);
	assert_int_equal(smtpd_sessions(&sv), 1);
	for (int i = 0; i < N; i++) {
		smtp_result_clear(&b.r[i]);
		free(raw[i]);
		free(ids[i]);
	}
	smtpd_stop(&sv);
}

/* Real servers send TLS 1.3 session tickets, and plain libESMTP then reports a dropped
 * connection on ~1 send in 4 after waiting out the timeout (NOTES.md; measured here: 8-11 of 40).
 * smtp.c swallows the tickets after the handshake. The outbox still retries WB_ETEMP, as
 * this loop does; every message must arrive exactly once, and retries must stay rare. */
static void test_tls_repeat_with_tickets(void **state)
{
	(void)state;
	struct smtpd sv;
	const char *args[] = {"--tls", "--tickets", "--auth", "agent:pw", NULL};
	smtpd_start(&sv, args);
	enum { N = 40, TRIES = 5 };
	char *ids[N];
	int retries = 0;
	struct smtp_settings s = {.host = "localhost", .port = sv.port, .tls = SMTP_TLS_STARTTLS, .verify = true,
				  .ca_file = sv.ca, .user = "agent", .password = "pw", .timeout_ms = 2000};
	const char *rcpts[] = {"ops@example.cn"};
	for (int i = 0; i < N; i++) {
		char subj[64];
		snprintf(subj, sizeof subj, "repeat [#%d]", i + 1);
		char *raw = compose_simple(subj, "again\n", &ids[i]);
		int rc = WB_ETEMP;
		struct smtp_result r = {0};
		for (int t = 0; t < TRIES && rc == WB_ETEMP; t++) {
			struct wb_err err = {0};
			smtp_result_clear(&r);
			rc = smtp_send(&s, "support@weibao.example.cn", rcpts, 1, raw, &r, &err);
			if (rc == WB_ETEMP) {
				retries++;
				fprintf(stderr, "message %d try %d: %s\n", i + 1, t + 1, err.msg);
			}
		}
		assert_int_equal(rc, WB_OK);
		assert_int_equal(r.outcome, SMTP_SENT);
		smtp_result_clear(&r);
		free(raw);
	}
	fprintf(stderr, "STARTTLS with session tickets: %d message(s), %d retr%s\n", N, retries,
		retries == 1 ? "y" : "ies");
	assert_true(retries <= 2); /* 8-11 of 40 without smtp.c's ticket draining */
	assert_each_once(&sv, ids, N);
	for (int i = 0; i < N; i++)
		free(ids[i]);
	smtpd_stop(&sv);
}

static int teardown(void **state)
{
	(void)state;
	if (smtpd_running)
		smtpd_stop(smtpd_running);
	return 0;
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	g_mime_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_settings_refused, teardown),
		cmocka_unit_test_teardown(test_server_down, teardown),
		cmocka_unit_test_teardown(test_server_silent, teardown),
		cmocka_unit_test_teardown(test_auth_not_offered, teardown),
		cmocka_unit_test_teardown(test_plain_chinese, teardown),
		cmocka_unit_test_teardown(test_starttls_auth, teardown),
		cmocka_unit_test_teardown(test_wrong_password, teardown),
		cmocka_unit_test_teardown(test_tempfail_then_success, teardown),
		cmocka_unit_test_teardown(test_rejected_recipient, teardown),
		cmocka_unit_test_teardown(test_200_messages, teardown),
		cmocka_unit_test_teardown(test_batch_one_session, teardown),
		cmocka_unit_test_teardown(test_batch_dropped, teardown),
		cmocka_unit_test_teardown(test_batch_tls_auth, teardown),
		cmocka_unit_test_teardown(test_tls_repeat_with_tickets, teardown),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	g_mime_shutdown();
	return rc;
}

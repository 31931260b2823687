#include "smtp.h"

#include "i18n.h"
#include "mail_compose.h"
#include "strbuf.h"
#include "xmalloc.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
/* auth-client.h before libesmtp.h, so smtp_auth_set_context is declared (NOTES.md) */
#include <auth-client.h>
#include <libesmtp.h>

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define SMTP_DEFAULT_TIMEOUT_MS 30000
#define SMTP_MIN_TIMEOUT_MS 1000

/* What one session observed, filled by the libESMTP callbacks. */
struct smtp_ctx {
	const struct smtp_settings *s;
	bool host_is_ip;
	/* AUTH: values handed to libESMTP must outlive the session, so they live here */
	char *user, *password;
	bool in_auth, auth_sent, auth_ok, mail_sent;
	int auth_code;             /* first failing reply to AUTH (4xx/5xx), 0 if none */
	char auth_reply[256];
	/* TLS */
	bool starttls_missing;
	int tickets;               /* TLS 1.3 session tickets seen */
	char tls_msg[256];         /* first TLS/certificate problem, "" if none */
	/* server replies, reassembled from the monitor's chunks */
	struct strbuf line;
	int last_code;             /* the last error reply (4xx/5xx) */
	char last_reply[256];
	size_t bytes_read;
};

static void smtp_tls_problem(struct smtp_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void smtp_tls_problem(struct smtp_ctx *c, const char *fmt, ...)
{
	if (c->tls_msg[0])
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->tls_msg, sizeof c->tls_msg, fmt, ap);
	va_end(ap);
}

static void smtp_reply_line(struct smtp_ctx *c, const char *l)
{
	size_t n = strlen(l);
	while (n && (l[n - 1] == '\r' || l[n - 1] == '\n'))
		n--;
	if (n < 3 || l[0] < '2' || l[0] > '5' || l[1] < '0' || l[1] > '9' || l[2] < '0' || l[2] > '9')
		return;
	if (n > 3 && l[3] == '-')
		return; /* continuation: the last line carries the final word */
	int code = (l[0] - '0') * 100 + (l[1] - '0') * 10 + (l[2] - '0');
	if (code >= 400) {
		c->last_code = code;
		snprintf(c->last_reply, sizeof c->last_reply, "%.*s", (int)n, l);
	}
	if (c->in_auth) {
		if (code == 235) {
			c->auth_ok = true;
		} else if (code >= 400 && !c->auth_code) {
			c->auth_code = code;
			snprintf(c->auth_reply, sizeof c->auth_reply, "%.*s", (int)n, l);
		}
	}
}

/* Sees the protocol as it goes by: what we wrote (to know when AUTH is under way)
 * and what the server answered. The AUTH line itself is never stored. */
static void smtp_monitor_cb(const char *buf, int buflen, int writing, void *arg)
{
	struct smtp_ctx *c = arg;
	if (buflen <= 0)
		return;
	if (writing) {
		if (c->mail_sent)
			return; /* what follows MAIL (RCPT, the message itself) is not looked at */
		if (buflen >= 5 && strncasecmp(buf, "AUTH ", 5) == 0) {
			c->in_auth = true;
			c->auth_sent = true;
		} else if (buflen >= 4 && (strncasecmp(buf, "MAIL", 4) == 0 || strncasecmp(buf, "EHLO", 4) == 0 ||
					   strncasecmp(buf, "QUIT", 4) == 0 || strncasecmp(buf, "RSET", 4) == 0)) {
			c->in_auth = false;
			c->mail_sent = strncasecmp(buf, "MAIL", 4) == 0;
		}
		return;
	}
	c->bytes_read += (size_t)buflen;
	for (int i = 0; i < buflen; i++) {
		strbuf_addc(&c->line, buf[i]);
		if (buf[i] == '\n') {
			smtp_reply_line(c, c->line.s);
			strbuf_reset(&c->line);
		}
	}
}

/* TLS 1.3 servers send session tickets just after the handshake. libESMTP then sees the
 * socket readable before it has flushed EHLO, blocks reading a reply that cannot come, and
 * gives up at the timeout ("dropped connection", NOTES.md). Right after the handshake we
 * let OpenSSL swallow the tickets: wait until one arrived (or SMTP_TICKET_WAIT_MS passed),
 * SSL_peek()ing so nothing the server might say is consumed. */
#define SMTP_TICKET_WAIT_MS 300
#define SMTP_TICKET_GRACE_MS 20

static int smtp_new_session_cb(SSL *ssl, SSL_SESSION *sess)
{
	struct smtp_ctx *c = SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl));
	if (c)
		c->tickets++;
	(void)sess;
	return 0; /* we do not keep the session */
}

static long smtp_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void smtp_drain_tickets(struct smtp_ctx *c, SSL *ssl)
{
	if (!ssl || SSL_version(ssl) < TLS1_3_VERSION)
		return;
	int fd = SSL_get_rfd(ssl);
	long start = smtp_ms(), deadline = start + SMTP_TICKET_WAIT_MS;
	for (;;) {
		long now = smtp_ms();
		if (now >= deadline)
			break;
		struct pollfd p = {.fd = fd, .events = POLLIN};
		int r = poll(&p, 1, (int)(deadline - now));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0 || !(p.revents & POLLIN))
			break;
		char b;
		int n = SSL_peek(ssl, &b, 1);
		if (n > 0)
			break; /* the server said something: leave it to libESMTP */
		int e = SSL_get_error(ssl, n);
		if (e != SSL_ERROR_WANT_READ)
			break;
		if (c->tickets > 0 && deadline > smtp_ms() + SMTP_TICKET_GRACE_MS)
			deadline = smtp_ms() + SMTP_TICKET_GRACE_MS; /* a second ticket usually follows at once */
	}
	ERR_clear_error();
}

static void smtp_event_cb(smtp_session_t session, int event, void *arg, ...)
{
	struct smtp_ctx *c = arg;
	bool verify = c->s->verify;
	va_list ap;
	va_start(ap, arg);
	switch (event) {
	case SMTP_EV_INVALID_PEER_CERTIFICATE: {
		long vfy = va_arg(ap, long);
		int *ok = va_arg(ap, int *);
		if (verify)
			smtp_tls_problem(c, _("the certificate of %s is not trusted (%s)"), c->s->host,
					 X509_verify_cert_error_string(vfy));
		*ok = !verify;
		break;
	}
	case SMTP_EV_WRONG_PEER_CERTIFICATE: {
		int *ok = va_arg(ap, int *);
		const char *name = va_arg(ap, const char *);
		SSL *ssl = va_arg(ap, SSL *);
		/* libESMTP compares DNS names only; for an IP address OpenSSL already checked
		 * the certificate's IP entries during the handshake (X509_VERIFY_PARAM_set1_ip_asc). */
		bool ip_checked = c->host_is_ip && ssl && SSL_get_verify_result(ssl) == X509_V_OK;
		if (verify && !ip_checked)
			smtp_tls_problem(c, _("the certificate of %s is made out to \"%s\", not to that host"),
					 c->s->host, name ? name : "");
		*ok = !verify || ip_checked;
		break;
	}
	case SMTP_EV_NO_PEER_CERTIFICATE: {
		int *ok = va_arg(ap, int *);
		if (verify)
			smtp_tls_problem(c, _("%s sent no certificate"), c->s->host);
		*ok = !verify;
		break;
	}
	case SMTP_EV_WEAK_CIPHER: {
		int bits = va_arg(ap, int);
		int *ok = va_arg(ap, int *);
		smtp_tls_problem(c, _("%s offered only a weak cipher (%d bits)"), c->s->host, bits);
		*ok = 0;
		break;
	}
	case SMTP_EV_STARTTLS_OK: {
		SSL *ssl = va_arg(ap, SSL *);
		smtp_drain_tickets(c, ssl);
		break;
	}
	case SMTP_EV_EXTNA_STARTTLS:
		c->starttls_missing = true;
		break;
	case SMTP_EV_NO_CLIENT_CERTIFICATE:
	case SMTP_EV_UNUSABLE_CLIENT_CERTIFICATE:
		smtp_tls_problem(c, _("libESMTP found an unusable client certificate for %s in your home directory"),
				 c->s->host);
		break;
	case SMTP_EV_UNUSABLE_CA_LIST:
		smtp_tls_problem(c, _("the CA list for %s cannot be used"), c->s->host);
		break;
	default:
		break;
	}
	va_end(ap);
	(void)session;
}

static int smtp_verify_cb(int preverify_ok, X509_STORE_CTX *x)
{
	if (!preverify_ok) {
		SSL *ssl = X509_STORE_CTX_get_ex_data(x, SSL_get_ex_data_X509_STORE_CTX_idx());
		struct smtp_ctx *c = ssl ? SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl)) : NULL;
		if (c)
			smtp_tls_problem(c, _("the certificate of %s is not trusted (%s)"), c->s->host,
					 X509_verify_cert_error_string(X509_STORE_CTX_get_error(x)));
	}
	return preverify_ok;
}

static int smtp_interact_cb(auth_client_request_t req, char **result, int fields, void *arg)
{
	struct smtp_ctx *c = arg;
	for (int i = 0; i < fields; i++) {
		if (req[i].flags & AUTH_PASS)
			result[i] = c->password;
		else if (req[i].flags & AUTH_USER)
			result[i] = c->user;
		else
			result[i] = NULL;
		if (!result[i])
			return 0;
	}
	return 1;
}

/* Own SSL_CTX (NOTES.md): predictable CA source, TLS 1.2 or newer. */
static int smtp_tls_ctx(struct smtp_ctx *c, SSL_CTX **out, struct wb_err *err)
{
	const struct smtp_settings *s = c->s;
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	if (!ctx)
		return wb_err_set(err, WB_EIO, _("cannot set up TLS (OpenSSL failed)"));
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_app_data(ctx, c);
	/* only to notice tickets arriving (smtp_drain_tickets); nothing is cached */
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL);
	SSL_CTX_sess_set_new_cb(ctx, smtp_new_session_cb);
	if (s->verify) {
		if (s->ca_file && *s->ca_file) {
			if (SSL_CTX_load_verify_locations(ctx, s->ca_file, NULL) != 1) {
				SSL_CTX_free(ctx);
				ERR_clear_error();
				return wb_err_set(err, WB_EINVAL, _("cannot read CA certificates from \"%s\""), s->ca_file);
			}
		} else if (SSL_CTX_set_default_verify_paths(ctx) != 1) {
			SSL_CTX_free(ctx);
			ERR_clear_error();
			return wb_err_set(err, WB_EIO, _("cannot load the system's CA certificates"));
		}
		X509_VERIFY_PARAM *param = SSL_CTX_get0_param(ctx);
		if (c->host_is_ip)
			X509_VERIFY_PARAM_set1_ip_asc(param, s->host);
		else
			X509_VERIFY_PARAM_set1_host(param, s->host, 0);
		SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, smtp_verify_cb);
	} else {
		SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	}
	*out = ctx;
	return WB_OK;
}

static bool smtp_host_ok(const char *h)
{
	if (!h || !*h || strlen(h) > 253)
		return false;
	for (const char *p = h; *p; p++) {
		unsigned char ch = (unsigned char)*p;
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		      ch == '-' || ch == '.' || ch == '_'))
			return false;
	}
	return true;
}

static int smtp_check_input(const struct smtp_settings *s, const char *from, const char *const *rcpts,
			    size_t n, const char *raw, bool *eight_bit, struct wb_err *err)
{
	if (!smtp_host_ok(s->host))
		return wb_err_set(err, WB_EINVAL, _("SMTP host \"%s\" is not a host name or IPv4 address"),
				  s->host ? s->host : "");
	if (s->port == 465)
		return wb_err_set(err, WB_EINVAL,
				  _("port 465 means implicit TLS (SMTPS), which weibao does not support: "
				    "use port 587 with tls = starttls"));
	if (s->port < 0 || s->port > 65535)
		return wb_err_set(err, WB_EINVAL, _("SMTP port %d is out of range"), s->port);
	if (s->tls != SMTP_TLS_NONE && s->tls != SMTP_TLS_STARTTLS)
		return wb_err_set(err, WB_EINVAL, _("unknown TLS mode %d: use starttls (port 587) or none"), (int)s->tls);
	bool has_user = s->user && *s->user;
	if (has_user && s->tls != SMTP_TLS_STARTTLS)
		return wb_err_set(err, WB_EINVAL,
				  _("refusing to send the password for \"%s\" without TLS: set tls = starttls"), s->user);
	if (has_user && (!s->password || !*s->password))
		return wb_err_set(err, WB_EINVAL, _("SMTP user \"%s\" is set but the password is empty"), s->user);
	if (!has_user && s->password && *s->password)
		return wb_err_set(err, WB_EINVAL, _("an SMTP password is set but no user"));
	if (!mail_addr_valid(from))
		return wb_err_set(err, WB_EINVAL, _("sender address \"%s\" is not a usable e-mail address"),
				  from ? from : "");
	if (n == 0)
		return wb_err_set(err, WB_EINVAL, _("the message has no recipients"));
	for (size_t i = 0; i < n; i++)
		if (!mail_addr_valid(rcpts[i]))
			return wb_err_set(err, WB_EINVAL, _("recipient \"%s\" is not a usable e-mail address"),
					  rcpts[i] ? rcpts[i] : "");
	if (!raw || !*raw)
		return wb_err_set(err, WB_EINVAL, _("the message is empty"));
	*eight_bit = false;
	for (const char *p = raw; *p; p++) {
		if ((*p == '\n' && (p == raw || p[-1] != '\r')) || (*p == '\r' && p[1] != '\n'))
			return wb_err_set(err, WB_EINVAL,
					  _("the message must use CRLF line ends (bare CR or LF at byte %zu)"),
					  (size_t)(p - raw));
		if ((unsigned char)*p >= 0x80)
			*eight_bit = true;
	}
	return WB_OK;
}

static enum smtp_outcome smtp_outcome_of(int code)
{
	if (code >= 200 && code < 300)
		return SMTP_SENT;
	if (code >= 500 && code < 600)
		return SMTP_PERMFAIL;
	return SMTP_TEMPFAIL; /* 4xx, 0 (not reached) or nonsense */
}

static const char *const smtp_outcome_names[] = {
#define SMTP_OUTCOME_NAME(id, name) [id] = name,
	SMTP_OUTCOMES(SMTP_OUTCOME_NAME)
#undef SMTP_OUTCOME_NAME
};

const char *smtp_outcome_name(enum smtp_outcome o)
{
	if ((size_t)o < sizeof smtp_outcome_names / sizeof *smtp_outcome_names)
		return smtp_outcome_names[o];
	return "?";
}

int smtp_outcome_parse(const char *s, enum smtp_outcome *out)
{
	for (size_t i = 0; s && i < sizeof smtp_outcome_names / sizeof *smtp_outcome_names; i++)
		if (strcmp(s, smtp_outcome_names[i]) == 0) {
			*out = (enum smtp_outcome)i;
			return WB_OK;
		}
	return WB_EINVAL;
}

int smtp_tls_parse(const char *s, enum smtp_tls *out, struct wb_err *err)
{
	static const char *const starttls[] = {"starttls", "tls", "yes", "true", "on"};
	static const char *const none[] = {"none", "plain", "no", "false", "off"};
	static const char *const implicit[] = {"smtps", "ssl", "implicit", "tls-implicit"};
	for (size_t i = 0; s && i < sizeof starttls / sizeof *starttls; i++)
		if (strcasecmp(s, starttls[i]) == 0) {
			*out = SMTP_TLS_STARTTLS;
			return WB_OK;
		}
	for (size_t i = 0; s && i < sizeof none / sizeof *none; i++)
		if (strcasecmp(s, none[i]) == 0) {
			*out = SMTP_TLS_NONE;
			return WB_OK;
		}
	for (size_t i = 0; s && i < sizeof implicit / sizeof *implicit; i++)
		if (strcasecmp(s, implicit[i]) == 0)
			return wb_err_set(err, WB_EINVAL,
					  _("tls = %s (implicit TLS, port 465) is not supported: use port 587 with tls = starttls"), s);
	return wb_err_set(err, WB_EINVAL, _("tls = \"%s\" is not understood: use starttls or none"), s ? s : "");
}

void smtp_result_clear(struct smtp_result *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n_rcpt; i++) {
		free(r->rcpt[i].addr);
		free(r->rcpt[i].reply);
	}
	free(r->rcpt);
	free(r->reply);
	memset(r, 0, sizeof *r);
}

static char *smtp_status_text(const smtp_status_t *st)
{
	if (!st || !st->text)
		return xstrdup("");
	char *t = xstrdup(st->text);
	size_t n = strlen(t);
	while (n && (t[n - 1] == '\r' || t[n - 1] == '\n' || t[n - 1] == ' '))
		t[--n] = '\0';
	return t;
}

/* Fills r from libESMTP's statuses. Returns false when MAIL FROM was never answered,
 * i.e. the session broke down before any transaction. */
static bool smtp_collect(smtp_message_t msg, smtp_recipient_t *rh, size_t n, struct smtp_result *r)
{
	const smtp_status_t *rp = smtp_reverse_path_status(msg);
	const smtp_status_t *mt = smtp_message_transfer_status(msg);
	int rp_code = rp ? rp->code : 0;
	int mt_code = mt ? mt->code : 0;
	if (rp_code == 0)
		return false;

	bool rp_ok = rp_code >= 200 && rp_code < 300;
	enum smtp_outcome msg_out = smtp_outcome_of(mt_code);
	bool any_temp = false, all_sent = true, any_rcpt_ok = false;
	const smtp_status_t *first_fail = NULL;
	for (size_t i = 0; i < n; i++) {
		struct smtp_rcpt_status *o = &r->rcpt[i];
		const smtp_status_t *st = rp_ok ? smtp_recipient_status(rh[i]) : rp;
		o->code = st ? st->code : 0;
		o->reply = smtp_status_text(st);
		o->outcome = smtp_outcome_of(o->code);
		if (o->outcome == SMTP_SENT) {
			any_rcpt_ok = true;
			o->outcome = msg_out; /* RCPT accepted: the fate of DATA decides */
		}
		else if (!first_fail)
			first_fail = st;
		if (o->outcome != SMTP_SENT)
			all_sent = false;
		if (o->outcome == SMTP_TEMPFAIL)
			any_temp = true;
	}
	r->outcome = all_sent ? SMTP_SENT : any_temp ? SMTP_TEMPFAIL : SMTP_PERMFAIL;
	/* the deciding reply: MAIL's if refused; the first refused RCPT's if none was accepted
	 * (whatever DATA then got is noise); else DATA's */
	const smtp_status_t *decider = !rp_ok ? rp : !any_rcpt_ok && first_fail ? first_fail
						   : mt_code ? mt : first_fail ? first_fail : rp;
	r->code = decider ? decider->code : 0;
	r->reply = smtp_status_text(decider);
	return true;
}

int smtp_send(const struct smtp_settings *s, const char *envelope_from, const char *const *rcpts,
	      size_t n_rcpts, const char *raw_crlf, struct smtp_result *result, struct wb_err *err)
{
	memset(result, 0, sizeof *result);
	bool eight_bit = false;
	int rc = smtp_check_input(s, envelope_from, rcpts, n_rcpts, raw_crlf, &eight_bit, err);
	if (rc)
		return rc;

	struct smtp_ctx c = {.s = s};
	struct in_addr ip4;
	c.host_is_ip = inet_pton(AF_INET, s->host, &ip4) == 1;
	int port = s->port ? s->port : s->tls == SMTP_TLS_STARTTLS ? 587 : 25;
	long timeout = s->timeout_ms > 0 ? s->timeout_ms : SMTP_DEFAULT_TIMEOUT_MS;
	if (timeout < SMTP_MIN_TIMEOUT_MS)
		timeout = SMTP_MIN_TIMEOUT_MS;

	SSL_CTX *ssl_ctx = NULL;
	if (s->tls == SMTP_TLS_STARTTLS && (rc = smtp_tls_ctx(&c, &ssl_ctx, err)))
		return rc;

	smtp_session_t session = smtp_create_session();
	auth_context_t auth = NULL;
	smtp_recipient_t *rh = xcalloc(n_rcpts, sizeof *rh);
	char *hostport = xasprintf("%s:%d", s->host, port);
	if (!session) {
		rc = wb_err_set(err, WB_EIO, _("cannot create an SMTP session"));
		goto out;
	}
	smtp_set_server(session, hostport);
	if (s->helo && *s->helo)
		smtp_set_hostname(session, s->helo);
	smtp_set_eventcb(session, smtp_event_cb, &c);
	smtp_set_monitorcb(session, smtp_monitor_cb, &c, 0);
	for (int which = Timeout_GREETING; which <= Timeout_DATA2; which++)
		smtp_set_timeout(session, which | Timeout_OVERRIDE_RFC2822_MINIMUM, timeout);

	if (s->tls == SMTP_TLS_STARTTLS) {
		smtp_starttls_enable(session, Starttls_REQUIRED); /* never ENABLED: it can be downgraded */
		smtp_starttls_set_ctx(session, ssl_ctx);         /* libESMTP holds its own reference */
	} else {
		smtp_starttls_enable(session, Starttls_DISABLED);
	}
	if (s->user && *s->user) {
		static bool auth_inited;
		if (!auth_inited) {
			auth_client_init();
			auth_inited = true;
		}
		c.user = xstrdup(s->user);
		c.password = xstrdup(s->password);
		auth = auth_create_context();
		auth_set_mechanism_flags(auth, AUTH_PLUGIN_PLAIN, 0);
		auth_set_interact_cb(auth, smtp_interact_cb, &c);
		smtp_auth_set_context(session, auth);
	}

	smtp_message_t msg = smtp_add_message(session);
	smtp_set_reverse_path(msg, envelope_from);
	smtp_set_message_str(msg, (void *)(uintptr_t)raw_crlf);
	if (eight_bit)
		smtp_8bitmime_set_body(msg, E8bitmime_8BITMIME);
	for (size_t i = 0; i < n_rcpts; i++)
		rh[i] = smtp_add_recipient(msg, rcpts[i]);

	/* A server that hangs up while we write must not kill the program with SIGPIPE:
	 * block it for the session and swallow one raised meanwhile. */
	sigset_t pipe_set, old_set, pending;
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	sigprocmask(SIG_BLOCK, &pipe_set, &old_set);
	sigpending(&pending);
	bool was_pending = sigismember(&pending, SIGPIPE);

	ERR_clear_error();
	int started = smtp_start_session(session);
	int serr = smtp_errno();

	sigpending(&pending);
	if (!was_pending && sigismember(&pending, SIGPIPE)) {
		struct timespec zero = {0, 0};
		sigtimedwait(&pipe_set, NULL, &zero);
	}
	sigprocmask(SIG_SETMASK, &old_set, NULL);

	result->rcpt = xcalloc(n_rcpts, sizeof *result->rcpt);
	result->n_rcpt = n_rcpts;
	for (size_t i = 0; i < n_rcpts; i++)
		result->rcpt[i].addr = xstrdup(rcpts[i]);

	char ebuf[128];
	if (c.tls_msg[0]) {
		rc = wb_err_set(err, WB_ETEMP, _("%s; nothing was sent (set ca_file to the server's CA, or verify = false "
						 "only for a test server)"), c.tls_msg);
	} else if (c.starttls_missing) {
		rc = wb_err_set(err, WB_ETEMP, _("%s does not offer STARTTLS; nothing was sent"), hostport);
	} else if (c.auth_sent && !c.auth_ok && c.auth_code >= 500) {
		rc = wb_err_set(err, WB_EREFUSED, _("the SMTP server refused the login for \"%s\" (%s): check user and password"),
				s->user, c.auth_reply);
	} else if (c.auth_sent && !c.auth_ok && c.auth_code >= 400) {
		rc = wb_err_set(err, WB_ETEMP, _("the SMTP server could not check the login now (%s); try again later"),
				c.auth_reply);
	} else if (smtp_reverse_path_status(msg) && smtp_reverse_path_status(msg)->code == 530) {
		/* 530 to MAIL is about our settings (login, TLS), never about this message */
		char *t = smtp_status_text(smtp_reverse_path_status(msg));
		if (s->user && *s->user && !c.auth_sent)
			rc = wb_err_set(err, WB_EREFUSED,
					_("%s requires a login but offered no method weibao can use (PLAIN or LOGIN): 530 %s"),
					hostport, t);
		else
			rc = wb_err_set(err, WB_EREFUSED,
					_("%s refused to take mail without a login (530 %s): set user and password, with tls = starttls"),
					hostport, t);
		free(t);
	} else if (!started || !smtp_collect(msg, rh, n_rcpts, result)) {
		char silent[128];
		const char *why = c.last_code >= 400 ? c.last_reply : smtp_strerror(serr, ebuf, sizeof ebuf);
		if (!started && serr == 0)
			why = strerror(errno ? errno : ECONNREFUSED);
		if (started && c.bytes_read == 0) {
			snprintf(silent, sizeof silent, _("no answer within %ld ms"), timeout);
			why = silent;
		}
		if (s->tls == SMTP_TLS_STARTTLS && !c.tls_msg[0] && ERR_peek_last_error()) {
			char sslbuf[160];
			ERR_error_string_n(ERR_peek_last_error(), sslbuf, sizeof sslbuf);
			rc = wb_err_set(err, WB_ETEMP, _("SMTP to %s failed during TLS: %s (%s); try again later"), hostport,
					why ? why : "", sslbuf);
		} else {
			rc = wb_err_set(err, WB_ETEMP, _("SMTP to %s failed: %s; try again later"), hostport, why ? why : "");
		}
	} else {
		rc = WB_OK;
	}
	if (rc != WB_OK) {
		/* nothing was sent: every recipient may be retried (or not, for a refused login) */
		enum smtp_outcome o = rc == WB_EREFUSED ? SMTP_PERMFAIL : SMTP_TEMPFAIL;
		result->outcome = o;
		free(result->reply);
		result->reply = xstrdup(err ? err->msg : "");
		for (size_t i = 0; i < n_rcpts; i++) {
			result->rcpt[i].outcome = o;
			if (!result->rcpt[i].reply)
				result->rcpt[i].reply = xstrdup("");
		}
	}
out:
	ERR_clear_error();
	if (session)
		smtp_destroy_session(session);
	if (auth)
		auth_destroy_context(auth);
	SSL_CTX_free(ssl_ctx);
	free(rh);
	free(hostport);
	strbuf_free(&c.line);
	if (c.password) {
		explicit_bzero(c.password, strlen(c.password));
		free(c.password);
	}
	free(c.user);
	return rc;
}

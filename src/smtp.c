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
	/* the batch: each message is handed to done as soon as its fate is known */
	smtp_done_fn done;
	void *done_ctx;
	bool batch;                /* inside smtp_start_session */
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

static void smtp_progress(struct smtp_ctx *c, int event, va_list ap);

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
	case SMTP_EV_MESSAGESENT:
	case SMTP_EV_MAILSTATUS:
		if (c->batch)
			smtp_progress(c, event, ap);
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

static int smtp_check_settings(const struct smtp_settings *s, struct wb_err *err)
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
	return WB_OK;
}

static int smtp_check_message(const struct smtp_message *m, bool *eight_bit, struct wb_err *err)
{
	const char *from = m->envelope_from, *raw = m->raw_crlf;
	if (!mail_addr_valid(from))
		return wb_err_set(err, WB_EINVAL, _("sender address \"%s\" is not a usable e-mail address"),
				  from ? from : "");
	if (m->n_rcpts == 0)
		return wb_err_set(err, WB_EINVAL, _("the message has no recipients"));
	for (size_t i = 0; i < m->n_rcpts; i++)
		if (!mail_addr_valid(m->rcpts[i]))
			return wb_err_set(err, WB_EINVAL, _("recipient \"%s\" is not a usable e-mail address"),
					  m->rcpts[i] ? m->rcpts[i] : "");
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

/* One message of a batch as libESMTP holds it. */
struct smtp_slot {
	const struct smtp_message *m;
	size_t index;           /* in the caller's array */
	smtp_message_t msg;     /* NULL: not handed to the session (invalid) */
	smtp_recipient_t *rh;
	bool eight_bit;         /* raw UTF-8 in the body: ask for 8BITMIME */
	bool reported;
};

static void smtp_result_init(struct smtp_result *r, const struct smtp_message *m)
{
	memset(r, 0, sizeof *r);
	r->rcpt = xcalloc(m->n_rcpts ? m->n_rcpts : 1, sizeof *r->rcpt);
	r->n_rcpt = m->n_rcpts;
	for (size_t i = 0; i < m->n_rcpts; i++)
		r->rcpt[i].addr = xstrdup(m->rcpts[i] ? m->rcpts[i] : "");
}

/* Tells the caller how slot sl ended: rc WB_OK with libESMTP's statuses, or rc (WB_ETEMP,
 * WB_EINVAL) with every recipient given outcome o and e's text. */
static void smtp_report(struct smtp_ctx *c, struct smtp_slot *sl, int rc, enum smtp_outcome o,
			const struct wb_err *e)
{
	struct smtp_result r;
	smtp_result_init(&r, sl->m);
	if (rc != WB_OK || !smtp_collect(sl->msg, sl->rh, sl->m->n_rcpts, &r)) {
		if (rc == WB_OK)
			rc = WB_ETEMP, o = SMTP_TEMPFAIL; /* not reached after all */
		r.outcome = o;
		r.reply = xstrdup(e ? e->msg : "");
		for (size_t i = 0; i < r.n_rcpt; i++) {
			r.rcpt[i].outcome = o;
			free(r.rcpt[i].reply);
			r.rcpt[i].reply = xstrdup("");
		}
	}
	sl->reported = true;
	int saved = errno; /* the caller's work must not change why the session failed */
	c->done(sl->index, rc, &r, rc == WB_OK ? NULL : e, c->done_ctx);
	errno = saved;
	smtp_result_clear(&r);
	/* an error reply belongs to that message, not to a later failure of the session */
	c->last_code = 0;
	c->last_reply[0] = '\0';
}

static struct smtp_slot *smtp_slot_of(struct smtp_ctx *c, smtp_message_t msg)
{
	struct smtp_slot *sl = msg ? smtp_message_get_application_data(msg) : NULL;
	return sl && !sl->reported ? sl : NULL;
}

/* Reports each message as soon as its fate is known, while the session goes on: after the
 * reply to its data (or to DATA), or a refused MAIL FROM (except 530: about our settings). */
static void smtp_progress(struct smtp_ctx *c, int event, va_list ap)
{
	if (event == SMTP_EV_MESSAGESENT) {
		struct smtp_slot *sl = smtp_slot_of(c, va_arg(ap, smtp_message_t));
		if (sl)
			smtp_report(c, sl, WB_OK, SMTP_SENT, NULL);
	} else if (event == SMTP_EV_MAILSTATUS) {
		(void)va_arg(ap, const char *);
		struct smtp_slot *sl = smtp_slot_of(c, va_arg(ap, smtp_message_t));
		const smtp_status_t *rp = sl ? smtp_reverse_path_status(sl->msg) : NULL;
		if (rp && rp->code && (rp->code < 200 || rp->code >= 300) && rp->code != 530)
			smtp_report(c, sl, WB_OK, SMTP_SENT, NULL);
	}
}

int smtp_send_batch(const struct smtp_settings *s, const struct smtp_message *msgs, size_t n, smtp_done_fn done,
		    void *done_ctx, struct wb_err *err)
{
	int rc = smtp_check_settings(s, err);
	if (rc)
		return rc;

	struct smtp_ctx c = {.s = s, .done = done, .done_ctx = done_ctx};
	struct in_addr ip4;
	c.host_is_ip = inet_pton(AF_INET, s->host, &ip4) == 1;
	int port = s->port ? s->port : s->tls == SMTP_TLS_STARTTLS ? 587 : 25;
	long timeout = s->timeout_ms > 0 ? s->timeout_ms : SMTP_DEFAULT_TIMEOUT_MS;
	if (timeout < SMTP_MIN_TIMEOUT_MS)
		timeout = SMTP_MIN_TIMEOUT_MS;

	/* a message that cannot be sent as it is fails alone, before anything is sent */
	struct smtp_slot *slots = xcalloc(n ? n : 1, sizeof *slots);
	size_t n_ok = 0;
	for (size_t i = 0; i < n; i++) {
		struct smtp_slot *sl = &slots[i];
		sl->m = &msgs[i];
		sl->index = i;
		struct wb_err e = {0};
		if (smtp_check_message(sl->m, &sl->eight_bit, &e) != WB_OK) {
			smtp_report(&c, sl, WB_EINVAL, SMTP_PERMFAIL, &e);
			continue;
		}
		n_ok++;
	}
	if (n_ok == 0) {
		free(slots);
		return WB_OK;
	}

	SSL_CTX *ssl_ctx = NULL;
	if (s->tls == SMTP_TLS_STARTTLS && (rc = smtp_tls_ctx(&c, &ssl_ctx, err))) {
		free(slots);
		return rc;
	}

	smtp_session_t session = smtp_create_session();
	auth_context_t auth = NULL;
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

	/* the messages go in order, each its own MAIL transaction on the one connection */
	for (size_t i = 0; i < n; i++) {
		struct smtp_slot *sl = &slots[i];
		if (sl->reported)
			continue;
		sl->msg = smtp_add_message(session);
		smtp_message_set_application_data_release(sl->msg, sl, NULL);
		smtp_set_reverse_path(sl->msg, sl->m->envelope_from);
		smtp_set_message_str(sl->msg, (void *)(uintptr_t)sl->m->raw_crlf);
		if (sl->eight_bit)
			smtp_8bitmime_set_body(sl->msg, E8bitmime_8BITMIME);
		sl->rh = xcalloc(sl->m->n_rcpts, sizeof *sl->rh);
		for (size_t k = 0; k < sl->m->n_rcpts; k++)
			sl->rh[k] = smtp_add_recipient(sl->msg, sl->m->rcpts[k]);
	}
	c.batch = true;

	/* A server that hangs up while we write must not kill the program with SIGPIPE:
	 * block it for the session and swallow one raised meanwhile. */
	sigset_t pipe_set, old_set, pending;
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	sigprocmask(SIG_BLOCK, &pipe_set, &old_set);
	sigpending(&pending);
	bool was_pending = sigismember(&pending, SIGPIPE);

	ERR_clear_error();
	errno = 0;
	int started = smtp_start_session(session);
	int saved_errno = errno;
	int serr = smtp_errno();
	c.batch = false;

	sigpending(&pending);
	if (!was_pending && sigismember(&pending, SIGPIPE)) {
		struct timespec zero = {0, 0};
		sigtimedwait(&pipe_set, NULL, &zero);
	}
	sigprocmask(SIG_SETMASK, &old_set, NULL);

	/* what is left: a MAIL refused with 530, the transaction under way when the session
	 * broke, and the messages never reached */
	struct smtp_slot *refused = NULL, *under_way = NULL;
	bool unreached = false;
	for (size_t i = 0; i < n; i++) {
		struct smtp_slot *sl = &slots[i];
		if (sl->reported)
			continue;
		const smtp_status_t *rp = smtp_reverse_path_status(sl->msg);
		int code = rp ? rp->code : 0;
		if (code == 530) {
			if (!refused)
				refused = sl;
		} else if (code == 0) {
			unreached = true;
		} else if (code >= 200 && code < 300) {
			if (!under_way)
				under_way = sl;
		} else {
			smtp_report(&c, sl, WB_OK, SMTP_SENT, NULL); /* a refused MAIL the event did not show */
		}
	}

	char ebuf[128];
	struct wb_err se = {0}; /* also told to the message under way */
	if (c.tls_msg[0]) {
		rc = wb_err_set(&se, WB_ETEMP, _("%s; nothing was sent (set ca_file to the server's CA, or verify = false "
						 "only for a test server)"), c.tls_msg);
	} else if (c.starttls_missing) {
		rc = wb_err_set(&se, WB_ETEMP, _("%s does not offer STARTTLS; nothing was sent"), hostport);
	} else if (c.auth_sent && !c.auth_ok && c.auth_code >= 500) {
		rc = wb_err_set(&se, WB_EREFUSED, _("the SMTP server refused the login for \"%s\" (%s): check user and password"),
				s->user, c.auth_reply);
	} else if (c.auth_sent && !c.auth_ok && c.auth_code >= 400) {
		rc = wb_err_set(&se, WB_ETEMP, _("the SMTP server could not check the login now (%s); try again later"),
				c.auth_reply);
	} else if (refused) {
		/* 530 to MAIL is about our settings (login, TLS), never about this message */
		char *t = smtp_status_text(smtp_reverse_path_status(refused->msg));
		if (s->user && *s->user && !c.auth_sent)
			rc = wb_err_set(&se, WB_EREFUSED,
					_("%s requires a login but offered no method weibao can use (PLAIN or LOGIN): 530 %s"),
					hostport, t);
		else
			rc = wb_err_set(&se, WB_EREFUSED,
					_("%s refused to take mail without a login (530 %s): set user and password, with tls = starttls"),
					hostport, t);
		free(t);
	} else if (!started || under_way || unreached) {
		char silent[128];
		const char *why = c.last_code >= 400 ? c.last_reply : smtp_strerror(serr, ebuf, sizeof ebuf);
		if (!started && serr == 0)
			why = strerror(saved_errno ? saved_errno : ECONNREFUSED);
		if (started && c.bytes_read == 0) {
			snprintf(silent, sizeof silent, _("no answer within %ld ms"), timeout);
			why = silent;
		}
		if (s->tls == SMTP_TLS_STARTTLS && !c.tls_msg[0] && ERR_peek_last_error()) {
			char sslbuf[160];
			ERR_error_string_n(ERR_peek_last_error(), sslbuf, sizeof sslbuf);
			rc = wb_err_set(&se, WB_ETEMP, _("SMTP to %s failed during TLS: %s (%s); try again later"), hostport,
					why ? why : "", sslbuf);
		} else {
			rc = wb_err_set(&se, WB_ETEMP, _("SMTP to %s failed: %s; try again later"), hostport, why ? why : "");
		}
		if (under_way)
			smtp_report(&c, under_way, WB_ETEMP, SMTP_TEMPFAIL, &se);
	} else {
		rc = WB_OK;
	}
	if (rc != WB_OK && err)
		*err = se;
out:
	ERR_clear_error();
	if (session)
		smtp_destroy_session(session);
	if (auth)
		auth_destroy_context(auth);
	SSL_CTX_free(ssl_ctx);
	for (size_t i = 0; i < n; i++)
		free(slots[i].rh);
	free(slots);
	free(hostport);
	strbuf_free(&c.line);
	if (c.password) {
		explicit_bzero(c.password, strlen(c.password));
		free(c.password);
	}
	free(c.user);
	return rc;
}

/* smtp_send's catch: the one message's outcome. */
struct smtp_one {
	struct smtp_result *r;
	int rc;
	struct wb_err err;
	bool got;
};

static void smtp_one_done(size_t i, int rc, struct smtp_result *r, const struct wb_err *err, void *ctx)
{
	struct smtp_one *one = ctx;
	(void)i;
	one->got = true;
	one->rc = rc;
	*one->r = *r;
	memset(r, 0, sizeof *r);
	if (err)
		one->err = *err;
}

int smtp_send(const struct smtp_settings *s, const char *envelope_from, const char *const *rcpts,
	      size_t n_rcpts, const char *raw_crlf, struct smtp_result *result, struct wb_err *err)
{
	memset(result, 0, sizeof *result);
	struct smtp_message m = {.envelope_from = envelope_from, .rcpts = rcpts, .n_rcpts = n_rcpts,
				 .raw_crlf = raw_crlf};
	struct smtp_one one = {.r = result};
	struct wb_err e = {0};
	int rc = smtp_send_batch(s, &m, 1, smtp_one_done, &one, &e);
	if (one.got && one.rc == WB_EINVAL) {
		/* as before: a message that cannot be sent is the caller's error, result untouched */
		smtp_result_clear(result);
		if (err)
			*err = one.err;
		return WB_EINVAL;
	}
	if (rc == WB_OK && one.got)
		return WB_OK;
	if (rc == WB_OK) /* cannot happen: a message that was tried is reported */
		rc = wb_err_set(&e, WB_ETEMP, _("SMTP to %s failed: %s; try again later"), s->host, "?");
	if (err)
		*err = e;
	if (rc == WB_EINVAL || rc == WB_EIO)
		return rc; /* nothing tried: settings */
	/* nothing was sent: every recipient may be retried (or not, for a refused login) */
	enum smtp_outcome o = rc == WB_EREFUSED ? SMTP_PERMFAIL : SMTP_TEMPFAIL;
	if (!one.got) {
		smtp_result_clear(result);
		smtp_result_init(result, &m);
		for (size_t i = 0; i < n_rcpts; i++)
			result->rcpt[i].reply = xstrdup("");
	}
	result->outcome = o;
	free(result->reply);
	result->reply = xstrdup(e.msg);
	for (size_t i = 0; i < result->n_rcpt; i++)
		result->rcpt[i].outcome = o;
	return rc;
}

/* smtp.h — hands rendered messages to a submission server (libESMTP).
 *
 * src/smtp.c is the only file that includes <libesmtp.h>. One call is one blocking
 * SMTP session: connect, optional STARTTLS (+ certificate check), optional AUTH, one
 * MAIL transaction per message, QUIT. No SQL, no retries: the outbox decides what to do
 * with the outcome. */
#ifndef WB_SMTP_H
#define WB_SMTP_H

#include "err.h"

#include <stdbool.h>
#include <stddef.h>

enum smtp_tls {
	SMTP_TLS_NONE,     /* plain SMTP (a local relay); AUTH is refused in this mode */
	SMTP_TLS_STARTTLS, /* STARTTLS required before anything else; never downgraded */
};

struct smtp_settings {
	const char *host;     /* a host name (checked against the certificate) or IPv4 address */
	int port;             /* 0 -> 587 with STARTTLS, 25 without */
	enum smtp_tls tls;
	bool verify;          /* check the server certificate (chain and host name) */
	const char *ca_file;  /* PEM file of trusted CAs; NULL -> the system's store */
	const char *user;     /* NULL or "" -> no AUTH */
	const char *password;
	int timeout_ms;       /* per protocol step; 0 -> 30000; at least 1000 */
	const char *helo;     /* EHLO name; NULL -> this host's name */
};

/* SMTP_SENT:     the server took responsibility
 * SMTP_TEMPFAIL: 4xx, not attempted, or the connection broke: try again later
 * SMTP_PERMFAIL: 5xx: do not retry as is */
#define SMTP_OUTCOMES(X) \
	X(SMTP_SENT, "sent") \
	X(SMTP_TEMPFAIL, "tempfail") \
	X(SMTP_PERMFAIL, "permfail")

enum smtp_outcome {
#define SMTP_OUTCOME_ENUM(id, name) id,
	SMTP_OUTCOMES(SMTP_OUTCOME_ENUM)
#undef SMTP_OUTCOME_ENUM
};

struct smtp_rcpt_status {
	char *addr;
	int code;       /* the server's reply code to RCPT TO (0: not reached) */
	char *reply;    /* its text, "" when none */
	enum smtp_outcome outcome; /* SENT only when RCPT and the message were both accepted */
};

struct smtp_result {
	enum smtp_outcome outcome; /* SENT only when every recipient and the message were accepted;
				      else TEMPFAIL when any recipient may be retried, else PERMFAIL */
	int code;                  /* the deciding reply: DATA's, else the first failing step's */
	char *reply;
	struct smtp_rcpt_status *rcpt; /* one per envelope recipient, in the order given */
	size_t n_rcpt;
};

/* Delivers raw_crlf (a whole message with CRLF line ends, e.g. from mail_compose) to rcpts.
 * Bcc recipients belong in rcpts only, never in the message.
 * Returns:
 *   WB_OK       the session ran: *result says what happened per recipient (it may be
 *               TEMPFAIL or PERMFAIL: a 451 to DATA, a 550 to one RCPT, ...).
 *   WB_ETEMP    nothing was delivered and trying later may help: cannot connect, timeout,
 *               dropped connection, STARTTLS missing or failed, certificate not trusted,
 *               AUTH answered 4xx. err says which.
 *   WB_EREFUSED a settings problem the server stated: it refused the login (535), wants a
 *               login we cannot or did not give (530 to MAIL FROM). Nothing was delivered;
 *               keep the message and show err (it never contains the password).
 *   WB_EINVAL   settings or input that cannot work (port 465 / implicit TLS, AUTH without
 *               STARTTLS, a bad address, bare LF in the message...); nothing was sent.
 * *result is always initialised; free it with smtp_result_clear(). */
int smtp_send(const struct smtp_settings *s, const char *envelope_from, const char *const *rcpts,
	      size_t n_rcpts, const char *raw_crlf, struct smtp_result *result, struct wb_err *err);

/* One message of a batch. The strings are borrowed for the call. */
struct smtp_message {
	const char *envelope_from;
	const char *const *rcpts;  /* envelope recipients (Bcc ones included) */
	size_t n_rcpts;
	const char *raw_crlf;      /* the whole message, CRLF line ends */
};

/* How message msgs[i] of smtp_send_batch ended, called once per message that was tried, as
 * soon as its fate is known (mostly while the session goes on, before the next message):
 *   rc WB_OK     the server answered: *r per recipient, as smtp_send's WB_OK
 *   rc WB_ETEMP  the connection broke during its transaction: every recipient TEMPFAIL,
 *                err says why (the server has not confirmed anything)
 *   rc WB_EINVAL the message cannot be sent as it is (bad address, bare LF, no recipients):
 *                it was not handed to the server; every recipient PERMFAIL, err says why
 * *r belongs to the callback for the call only (smtp_send_batch clears it afterwards; a
 * callback that keeps it moves the contents out and zeroes *r). */
typedef void (*smtp_done_fn)(size_t i, int rc, struct smtp_result *r, const struct wb_err *err, void *ctx);

/* Delivers msgs[0..n) in order over ONE SMTP session (one MAIL transaction each; a refused
 * message does not stop the others). done() hears of every message that was tried.
 * Returns:
 *   WB_OK       the session ran to its end: every message was reported to done().
 *   WB_ETEMP    the server could not be reached or the session broke (err says why): the
 *               messages never reported to done() were not delivered; try them later.
 *   WB_EREFUSED the server refused the login or wants one (as smtp_send); nothing delivered
 *               from the unreported messages.
 *   WB_EINVAL / WB_EIO  settings that cannot work; nothing was tried (nothing reported,
 *               except messages that are invalid in themselves).
 * The messages stay owned by the caller. */
int smtp_send_batch(const struct smtp_settings *s, const struct smtp_message *msgs, size_t n, smtp_done_fn done,
		    void *done_ctx, struct wb_err *err);

/* Frees what smtp_send put in r and zeroes it. */
void smtp_result_clear(struct smtp_result *r);

/* Parses a configuration value: "starttls" (also "tls", "yes") or "none" (also "plain", "no").
 * "smtps", "ssl" and "implicit" are refused with WB_EINVAL and a message saying to use
 * port 587 with STARTTLS. */
int smtp_tls_parse(const char *s, enum smtp_tls *out, struct wb_err *err);

/* "sent", "tempfail", "permfail" (stable: fit for storing). */
const char *smtp_outcome_name(enum smtp_outcome o);
/* The reverse; WB_EINVAL for anything else. */
int smtp_outcome_parse(const char *s, enum smtp_outcome *out);

#endif

/* outbox.h — the mail layer of the desk: notifications queued in the outbox, and the sender
 * that hands them to SMTP (smtp.c) or writes them to a folder.
 *
 * Queueing happens inside the transaction of the change that causes the mail (desk->notify),
 * so a mail exists if and only if the reply, the new ticket or the resolution commits.
 * Sending runs outside any transaction: claim a batch (short transaction), one SMTP session
 * for the batch (one MAIL transaction per message; a new session every 100 mails or 10 MiB),
 * and each outcome recorded per recipient as soon as the server answered (a short transaction
 * between two messages). A sender killed mid-session leaves the message whose outcome was not
 * yet recorded, and those not yet tried, "sending"; after OUTBOX_LEASE seconds another pass takes them again
 * and sends the same bytes (same Message-ID) once more, only to recipients not marked sent. */
#ifndef WB_OUTBOX_H
#define WB_OUTBOX_H

#include "automate.h"
#include "config.h"
#include "desk.h"
#include "err.h"
#include "plan.h"
#include "store_outbox.h"

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#define OUTBOX_LEASE (10 * 60)            /* seconds a claim may stay "sending" */
#define OUTBOX_GIVE_UP (2 * 24 * 60 * 60) /* total waiting before a temporary failure is final */

/* Makes the desk queue mail for its events (d->notify), `weibao automate`'s SLA escalations
 * and reminders among them. cfg is borrowed and must outlive d. */
void outbox_attach(struct desk *d, const struct wb_config *cfg);

/* The plan_mail_fn of the maintenance calendar: words notice n for contact `to` and queues it
 * (nothing when the contact has no address; ctx unused). Template window_ahead, window_closed or
 * plan_ahead in the contact's language (else [mail] language, else English); the dates, the zone
 * and the plan's kind come out in the language of the template that was found, with the times on
 * the wall clock of n->tz ("2026年11月27日 周五 04:00", "Thu 26 Nov 2026 21:00"). The message
 * language is switched only while those values are formatted, and always restored. */
int outbox_plan_mail(struct desk *d, const struct contact *to, const struct plan_notice *n, void *ctx,
		     bool *queued, struct wb_err *err);

/* Queues one mail with a report attached, no ticket. WB_EREFUSED "mail is not configured" when
 * no [smtp] host is set. */
int outbox_report_mail(struct desk *d, const char *to, const char *subject, const char *body, const char *att_name,
		       const char *att_type, const char *att, size_t att_len, struct wb_err *err);

/* The desk_notify_fn itself: renders the template for the event (ack, reply, resolved, remind;
 * SLA warnings go to staff through outbox_notify_sla) in the
 * requester's language, composes it threaded after the ticket's previous mail, and stores it
 * in the outbox. Nothing is queued when the requester has no email address or the address is
 * one of the desk's own. ctx is the struct wb_config (NULL: d->cfg). */
int outbox_notify(struct desk *d, enum desk_event ev, const struct ticket *t, int64_t message_id,
		  const char *body, void *ctx, struct wb_err *err);

/* SLA warnings for ticket t to its assignee and every supervisor/admin with an email address
 * (templates sla_at_risk / sla_breached). Runs its own transaction unless one is open.
 * *queued (may be NULL) is how many mails were queued. */
int outbox_notify_sla(struct desk *d, const struct ticket *t, bool breached, int *queued, struct wb_err *err);


/* Managing the queue. outbox_list: newest first, messages with id < before_id (0 = from the
 * newest), at most limit, only state `state` when filter_state; recipients included, raw not.
 * *out: outbox_items_free. outbox_retry sends a failed, retrying or cancelled message again (a
 * queued one becomes due now); outbox_cancel stops a queued, retrying or failed one. Both need an
 * operator, run in one transaction with their audit entry, and refuse (WB_EREFUSED) a message in
 * a state they cannot change; WB_ENOTFOUND names an unknown id. */
int outbox_list(struct desk *d, bool filter_state, enum outbox_state state, int64_t before_id, size_t limit,
		struct outbox_item **out, size_t *n, struct wb_err *err);
int outbox_retry(struct desk *d, int64_t id, struct wb_err *err);
int outbox_cancel(struct desk *d, int64_t id, struct wb_err *err);

/* The values a template can name: {{ticket.id}}, {{ticket.subject}}, {{requester.name}},
 * {{operator.name}}, {{desk.name}}, {{reply.body}}, {{ticket.fixed_version}}; in maintenance
 * notices also {{notice.title}}, {{notice.system}} (the system, else the organisation),
 * {{notice.start}}, {{notice.end}}, {{notice.zone}} ("Asia/Shanghai (UTC+8)"), {{notice.kind}}
 * (the plan's kind) and {{notice.details}} (the window's description between blank lines, or
 * nothing: put it on a line of its own). NULL -> "". */
struct outbox_fields {
	const char *ticket_id, *ticket_subject, *requester_name, *operator_name, *desk_name;
	const char *reply_body, *fixed_version;
	const char *notice_title, *notice_system, *notice_start, *notice_end, *notice_zone, *notice_kind;
	const char *notice_details;
};

/* Finds template `name` ("ack", "reply", "resolved", "remind", "sla_at_risk", "sla_breached", "window",
 * "window_ahead", "window_closed", "plan_ahead")
 * for language `lang` (e.g. "zh_CN"; falls back to its base language, then "en") in
 * cfg->templates_dir, else ./docs/templates when present, else WB_DATADIR/templates; returns
 * the path in *path (caller frees). WB_ENOTFOUND naming the places looked in. */
int outbox_template_path(const struct wb_config *cfg, const char *lang, const char *name, char **path,
			 struct wb_err *err);
/* Notifications are switched off one by one with an empty template file (e.g. an empty
 * ack.txt in [mail] templates): nothing is queued for that event. A reply always mails. */
/* Renders a template file: first line "Subject: ...", then the body. An unknown {{name}} or a
 * missing Subject line is WB_EINVAL naming the file and line. *subject and *body caller frees. */
int outbox_render(const char *path, const struct outbox_fields *f, char **subject, char **body,
		  struct wb_err *err);

/* How long to wait after the attempts-th failed attempt (1, 2, 4 ... minutes, at most an
 * hour). false when the waits so far add up to OUTBOX_GIVE_UP: give up. */
bool outbox_backoff(int attempts, wb_time *delay);

struct outbox_send_opts {
	const char *to_dir;   /* write NNNNNN.eml files there instead of SMTP (offline demo) */
	size_t batch;         /* messages per claim (and per SMTP session, at most 100); 0 -> 100 */
};

struct outbox_report {
	size_t sent, retrying, failed;   /* outcomes of this pass, per message */
	size_t written;                  /* --to-dir: files written */
	bool no_smtp;                    /* no [smtp] host and no to_dir: nothing was tried */
	int64_t waiting;                 /* queued + retrying after the pass */
	char problem[512];               /* the temporary problem that ended the pass, "" if none */
	char **notices;                  /* one line per recipient that failed for good */
	size_t n_notices;
};
void outbox_report_clear(struct outbox_report *r);

/* One pass: sends every message due now, oldest first. Returns WB_OK when the pass ran (even
 * if the server was down: then r->problem says so and the mail waits for a retry), or the
 * settings error that stopped it (WB_EREFUSED: the server refused the login; WB_EINVAL: bad
 * settings or password_command failed; WB_EIO: the folder cannot be written) with every
 * untried message left queued as it was. r is always filled (outbox_report_clear). */
int outbox_send_pass(struct desk *d, const struct outbox_send_opts *o, struct outbox_report *r,
		     struct wb_err *err);

/* Starts one `PROGRAM --db DB_PATH [--config CONFIG] outbox send` in the background, detached
 * (no zombie, no terminal output), and returns at once: the full-screen UI calls it after a
 * reply so the mail goes out without freezing the screen. program: the weibao binary
 * ("/proc/self/exe" from weibao itself). Concurrent senders never send a message twice
 * (claims are exclusive). WB_EIO when the process could not be started. */
int outbox_kick(const char *program, const char *db_path, const char *config_path, struct wb_err *err);

/* Called after each daemon pass with its result (rc, err when rc != WB_OK). */
typedef void (*outbox_pass_fn)(const struct outbox_report *r, int rc, const struct wb_err *err, void *ctx);

/* Keeps sending until *stop becomes non-zero: a pass, then sleep until mail is queued by any
 * process (PRAGMA data_version, checked every 500 ms) or the next retry is due. After a pass
 * that ended in a problem it waits at least a minute before trying again. */
int outbox_daemon(struct desk *d, const struct outbox_send_opts *o, volatile sig_atomic_t *stop,
		  outbox_pass_fn on_pass, void *ctx, struct wb_err *err);

#endif

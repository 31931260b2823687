#include "mailgate.h"

#include "i18n.h"
#include "mail_parse.h"
#include "mail_subject.h"
#include "store_bulk.h"
#include "store_dir.h"
#include "store_mail.h"
#include "strbuf.h"
#include "xmalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define EX_DATAERR 65
#define EX_TEMPFAIL 75

const char *mailgate_outcome_name(enum mailgate_outcome o)
{
	switch (o) {
	case GATE_CREATED: return "created";
	case GATE_APPENDED: return "appended";
	case GATE_DUPLICATE: return "duplicate";
	case GATE_HELD: return "held";
	case GATE_QUARANTINED: return "quarantined";
	}
	return "?";
}

int mailgate_exit_status(int rc, const struct mailgate_result *r)
{
	if (rc == WB_EBUSY || rc == WB_ETEMP || rc == WB_EIO || rc == WB_EDB)
		return EX_TEMPFAIL;
	if (rc)
		return EX_TEMPFAIL; /* not stored anywhere: the mail server must keep it */
	return r->outcome == GATE_QUARANTINED ? EX_DATAERR : 0;
}

/* Keeps the raw message whole; its own transaction. */
static int quarantine(struct desk *d, const char *raw, size_t len, const struct mail_in *m,
		      enum mailgate_outcome why, const char *reason, struct mailgate_result *r,
		      struct wb_err *err)
{
	int rc = store_begin(d->store, err);
	if (rc)
		return rc;
	rc = store_quarantine_add(d->store, reason, m ? m->from_addr : NULL, m ? m->subject : NULL, raw, len,
				  &r->quarantine_id, err);
	if (rc == WB_OK)
		rc = store_audit_add(d->store, d->me.id, 0, "mail quarantined", NULL, reason, err);
	if (rc) {
		store_rollback(d->store);
		return rc;
	}
	if ((rc = store_commit(d->store, err)))
		return rc;
	r->outcome = why;
	snprintf(r->reason, sizeof r->reason, "%s", reason);
	return WB_OK;
}

static bool is_desk_address(struct desk *d, const char *addr)
{
	if (d->cfg->mail_from && !strcasecmp(addr, d->cfg->mail_from))
		return true;
	struct queue_info *q;
	size_t n;
	bool own = false;
	if (store_queue_list(d->store, &q, &n, NULL) == WB_OK) {
		for (size_t i = 0; i < n; i++) {
			own |= q[i].from_addr && !strcasecmp(q[i].from_addr, addr);
			queue_info_clear(&q[i]);
		}
		free(q);
	}
	return own;
}

/* The ticket this message answers: a Message-ID we sent or stored, then the subject tag. */
static int find_thread(struct desk *d, const struct mail_in *m, int64_t *ticket_id, struct wb_err *err)
{
	*ticket_id = 0;
	int rc;
	if (m->in_reply_to && (rc = store_message_ticket_by_email_id(d->store, m->in_reply_to, ticket_id, err)))
		return rc;
	for (size_t i = m->n_references; i > 0 && !*ticket_id; i--)
		if ((rc = store_message_ticket_by_email_id(d->store, m->references[i - 1], ticket_id, err)))
			return rc;
	if (!*ticket_id) {
		int64_t tag;
		if (mail_subject_tag(m->subject, d->cfg->tag_prefix, &tag) == WB_OK) {
			struct ticket t;
			if (store_ticket_get(d->store, tag, &t, NULL) == WB_OK) {
				*ticket_id = tag;
				ticket_clear(&t);
			}
		}
	}
	/* follow merges to the ticket that holds the conversation now */
	for (int hops = 0; *ticket_id && hops < 10; hops++) {
		struct ticket t;
		if ((rc = store_ticket_get(d->store, *ticket_id, &t, err)))
			return rc;
		int64_t next = t.merged_into;
		ticket_clear(&t);
		if (!next)
			break;
		*ticket_id = next;
	}
	return WB_OK;
}

static struct desk_attachment *attachments_of(const struct mail_in *m)
{
	if (!m->n_att)
		return NULL;
	struct desk_attachment *a = xcalloc(m->n_att, sizeof *a);
	for (size_t i = 0; i < m->n_att; i++) {
		a[i].filename = m->att[i].filename;
		a[i].content_type = m->att[i].content_type;
		a[i].content_id = m->att[i].content_id;
		a[i].is_inline = m->att[i].is_inline;
		a[i].data = m->att[i].data;
		a[i].size = m->att[i].size;
	}
	return a;
}

static void fill_message(const struct mail_in *m, int64_t contact_id, const struct desk_attachment *att,
			 const struct mailgate_opts *o, struct desk_message *dm)
{
	memset(dm, 0, sizeof *dm);
	dm->kind = MSG_INBOUND;
	dm->body = m->text_visible && *m->text_visible ? m->text_visible : m->text;
	dm->quoted = m->text_quoted && *m->text_quoted ? m->text_quoted : NULL;
	dm->author_contact_id = contact_id;
	dm->email_message_id = m->message_id;
	dm->att = att;
	dm->n_att = m->n_att;
	if (o && o->keep_date && m->date)
		dm->at = m->date;
}

/* Adds the message to an existing ticket: a rating on a resolved ticket is recorded; other
 * mail to a finished ticket reopens it or opens a linked new one, per setting. */
static int append(struct desk *d, int64_t tid, const struct mail_in *m, int64_t contact_id,
		  const struct desk_attachment *att, const struct mailgate_opts *o, struct mailgate_result *r,
		  struct wb_err *err)
{
	struct ticket t;
	int rc = store_ticket_get(d->store, tid, &t, err);
	if (rc)
		return rc;
	struct desk_message dm;
	fill_message(m, contact_id, att, o, &dm);
	dm.flagged = t.requester_id != contact_id;
	bool finished = !ticket_status_is_open(t.status);
	int score;
	if (finished && !m->is_auto && mail_parse_rating(m->text_visible, &score) == WB_OK) {
		rc = desk_rating_add(d, tid, score, "email", err);
		r->rated = rc == WB_OK;
		finished = false; /* a rating does not reopen */
	}
	if (rc == WB_OK && finished && !m->is_auto && !d->cfg->reopen_closed) {
		/* a new linked ticket instead of reopening */
		struct ticket_draft nt;
		ticket_draft_init(&nt);
		nt.subject = *m->subject ? m->subject : t.subject;
		nt.requester_id = contact_id;
		nt.kind = t.kind;
		nt.queue = t.queue;
		nt.first = dm;
		nt.first.kind = MSG_COUNT;
		nt.no_ack = m->is_bulk;
		int64_t nid;
		rc = desk_ticket_create(d, &nt, &nid, err);
		if (rc == WB_OK)
			rc = desk_ticket_link(d, nid, tid, LINK_RELATED, err);
		ticket_clear(&t);
		r->outcome = GATE_CREATED;
		r->ticket_id = nid;
		return rc;
	}
	if (rc == WB_OK && finished && !m->is_auto) {
		struct ticket_change c;
		ticket_change_init(&c);
		c.set_status = true;
		c.status = STATUS_REOPENED;
		rc = desk_ticket_change(d, &tid, 1, &c, 0, err);
		r->reopened = rc == WB_OK;
	}
	ticket_clear(&t);
	if (rc == WB_OK)
		rc = desk_ticket_add_message(d, tid, &dm, 0, NULL, err);
	r->outcome = GATE_APPENDED;
	r->ticket_id = tid;
	return rc;
}

static int file_message(struct desk *d, const struct mail_in *m, const struct mailgate_opts *o,
			struct mailgate_result *r, bool *hold, struct wb_err *err)
{
	int64_t contact_id, tid;
	int rc = desk_contact_for_email(d, m->from_addr, m->from_name, &contact_id, err);
	if (rc)
		return rc;
	if ((rc = find_thread(d, m, &tid, err)))
		return rc;
	struct desk_attachment *att = attachments_of(m);
	if (tid) {
		rc = append(d, tid, m, contact_id, att, o, r, err);
		free(att);
		return rc;
	}
	/* no ticket to thread onto */
	if (m->is_auto) {
		free(att);
		*hold = true;
		snprintf(r->reason, sizeof r->reason, _("automatic message (%s) matched no ticket"),
			 m->auto_reason ? m->auto_reason : "auto");
		return WB_OK;
	}
	int64_t recent;
	wb_time now = clock_now();
	if ((rc = store_mail_recent_tickets(d->store, contact_id, now - 3600, &recent, err))) {
		free(att);
		return rc;
	}
	if (recent >= d->cfg->max_new_per_hour) {
		free(att);
		*hold = true;
		snprintf(r->reason, sizeof r->reason, _("held for review: %s opened %lld tickets in the last hour"),
			 m->from_addr, (long long)recent);
		return WB_OK;
	}
	struct ticket_draft nt;
	ticket_draft_init(&nt);
	char *clean = mail_subject_clean(m->subject, d->cfg->tag_prefix);
	nt.subject = clean && *clean ? clean : _("(no subject)");
	nt.requester_id = contact_id;
	nt.channel = CHANNEL_EMAIL;
	nt.queue = o ? o->queue : NULL;
	nt.no_ack = m->is_bulk;
	fill_message(m, contact_id, att, o, &nt.first);
	nt.first.kind = MSG_COUNT;
	rc = desk_ticket_create(d, &nt, &tid, err);
	free(clean);
	free(att);
	r->outcome = GATE_CREATED;
	r->ticket_id = tid;
	return rc;
}

/* Mail without a Message-ID still must not be stored twice when delivered or imported again:
 * name it by its content. */
static char *synthetic_id(const char *raw, size_t len)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)raw[i];
		h *= 1099511628211ull;
	}
	return xasprintf("%016llx.%zu@no-message-id.weibao", (unsigned long long)h, len);
}

int mailgate_deliver(struct desk *d, const char *raw, size_t len, const struct mailgate_opts *o,
		     struct mailgate_result *r, struct wb_err *err)
{
	memset(r, 0, sizeof *r);
	if ((long)len > d->cfg->max_message_bytes) {
		char reason[128];
		snprintf(reason, sizeof reason, _("message of %zu bytes is over the size limit of %ld bytes"), len,
			 d->cfg->max_message_bytes);
		return quarantine(d, raw, len, NULL, GATE_QUARANTINED, reason, r, err);
	}
	struct mail_in *m = NULL;
	struct wb_err perr = { 0 };
	if (mail_parse(raw, len, &m, &perr) != WB_OK || !m->from_addr) {
		const char *why = perr.msg[0] ? perr.msg : _("no usable From address");
		int rc = quarantine(d, raw, len, m, GATE_QUARANTINED, why, r, err);
		mail_in_free(&m);
		return rc;
	}
	if (!m->message_id)
		m->message_id = synthetic_id(raw, len);
	int rc = WB_OK;
	bool seen = false;
	if (m->message_id && (rc = store_mail_seen(d->store, m->message_id, &seen, err)) == WB_OK && seen) {
		r->outcome = GATE_DUPLICATE;
		int64_t tid = 0;
		store_message_ticket_by_email_id(d->store, m->message_id, &tid, NULL);
		r->ticket_id = tid;
		mail_in_free(&m);
		return WB_OK;
	}
	if (rc == WB_OK && is_desk_address(d, m->from_addr)) {
		char reason[160];
		snprintf(reason, sizeof reason, _("mail from the desk's own address %s (a loop?)"), m->from_addr);
		rc = quarantine(d, raw, len, m, GATE_HELD, reason, r, err);
		mail_in_free(&m);
		return rc;
	}
	bool hold = false;
	if (rc == WB_OK && (rc = store_begin(d->store, err)) == WB_OK) {
		rc = file_message(d, m, o, r, &hold, err);
		if (rc == WB_OK && !hold)
			rc = store_commit(d->store, err);
		else
			store_rollback(d->store);
	}
	if (rc == WB_OK && hold) {
		char reason[sizeof r->reason];
		snprintf(reason, sizeof reason, "%s", r->reason);
		rc = quarantine(d, raw, len, m, GATE_HELD, reason, r, err);
	} else if (rc == WB_EREFUSED && m->message_id) {
		/* delivered twice at the same moment: the other copy won */
		r->outcome = GATE_DUPLICATE;
		rc = WB_OK;
	} else if (rc && rc != WB_EBUSY) {
		/* the domain refused it (an invalid subject, ...): keep it for an operator */
		char reason[sizeof err->msg];
		snprintf(reason, sizeof reason, "%s", err ? err->msg : _("could not be filed"));
		rc = quarantine(d, raw, len, m, GATE_QUARANTINED, reason, r, err);
	}
	mail_in_free(&m);
	return rc;
}

/* ---- imports in batches ---- */

int mailgate_batch_deliver(struct mailgate_batch *b, const char *raw, size_t len, const struct mailgate_opts *o,
			   struct mailgate_result *r, struct wb_err *err)
{
	if (b->n == 0 && !b->bulk) {
		int rc = store_bulk_begin(b->d->store, 0, err);
		if (rc)
			return rc;
		b->bulk = true;
	}
	if (b->n % MAILGATE_BATCH == 0) {
		int rc = WB_OK;
		if (b->open) {
			b->open = false;
			rc = store_commit(b->d->store, err);
		}
		if (rc == WB_OK && (rc = store_begin(b->d->store, err)) == WB_OK)
			b->open = true;
		if (rc)
			return rc;
	}
	b->n++;
	return mailgate_deliver(b->d, raw, len, o, r, err);
}

int mailgate_batch_end(struct mailgate_batch *b, bool commit, struct wb_err *err)
{
	int rc = WB_OK;
	if (b->open) {
		b->open = false;
		if (commit)
			rc = store_commit(b->d->store, err);
		else
			store_rollback(b->d->store);
	}
	if (b->bulk) {
		/* also after a failure: what was committed becomes searchable */
		b->bulk = false;
		struct wb_err later = { 0 };
		int end = store_bulk_end(b->d->store, NULL, rc == WB_OK ? err : &later);
		if (rc == WB_OK)
			rc = end;
	}
	return rc;
}

/* ---- the quarantine ---- */

int mailgate_quarantine_list(struct desk *d, int64_t before_id, size_t limit, bool all, struct quarantined **out,
			     size_t *n, struct wb_err *err)
{
	return store_quarantine_list(d->store, before_id, limit, all, out, n, err);
}

int mailgate_quarantine_get(struct desk *d, int64_t id, struct quarantined *out, struct wb_err *err)
{
	return store_quarantine_get(d->store, id, out, err);
}

int mailgate_quarantine_drop(struct desk *d, int64_t id, struct wb_err *err)
{
	struct quarantined q;
	int rc = store_quarantine_get(d->store, id, &q, err); /* an unknown number is named first */
	if (rc)
		return rc;
	quarantined_clear(&q);
	rc = desk_require(d, ROLE_OPERATOR, err);
	return rc ? rc : store_quarantine_set_state(d->store, id, "dropped", err);
}

int mailgate_quarantine_retry(struct desk *d, int64_t id, struct mailgate_result *r, struct wb_err *err)
{
	memset(r, 0, sizeof *r);
	struct quarantined q;
	int rc = store_quarantine_get(d->store, id, &q, err);
	if (rc)
		return rc;
	rc = desk_require(d, ROLE_OPERATOR, err);
	/* through the gate again, as an operator decided; a flood hold does not apply twice */
	if (rc == WB_OK)
		rc = mailgate_deliver(d, (const char *)q.raw, (size_t)q.size, NULL, r, err);
	if (rc == WB_OK && (r->outcome == GATE_CREATED || r->outcome == GATE_APPENDED ||
			    r->outcome == GATE_DUPLICATE))
		rc = store_quarantine_set_state(d->store, id, "retried", err);
	else if (rc == WB_OK)
		rc = wb_err_set(err, WB_EREFUSED, _("still cannot be filed: %s"), r->reason);
	quarantined_clear(&q);
	return rc;
}

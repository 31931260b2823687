#include "ticket.h"

#include "i18n.h"
#include "strbuf.h"
#include "utf8.h"
#include "xmalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <ctype.h>

#define NAME_ITEM(e, name, label) name,
#define LABEL_ITEM(e, name, label) label,
static const char *const kind_names[] = { TICKET_KINDS(NAME_ITEM) };
static const char *const kind_labels[] = { TICKET_KINDS(LABEL_ITEM) };
static const char *const channel_names[] = { TICKET_CHANNELS(NAME_ITEM) };
static const char *const channel_labels[] = { TICKET_CHANNELS(LABEL_ITEM) };
static const char *const status_names[] = { TICKET_STATUSES(NAME_ITEM) };
static const char *const status_labels[] = { TICKET_STATUSES(LABEL_ITEM) };
static const char *const msg_names[] = { MESSAGE_KINDS(NAME_ITEM) };
static const char *const msg_labels[] = { MESSAGE_KINDS(LABEL_ITEM) };
static const char *const link_names[] = { LINK_KINDS(NAME_ITEM) };
static const char *const link_labels[] = { LINK_KINDS(LABEL_ITEM) };
static const char *const role_names[] = { ROLES(NAME_ITEM) };
static const char *const role_labels[] = { ROLES(LABEL_ITEM) };
#undef NAME_ITEM
#undef LABEL_ITEM

static const char *pick(const char *const *table, size_t n, int i)
{
	return i >= 0 && (size_t)i < n ? table[i] : "?";
}

#define NAMES(fn, type, table) \
	const char *fn(type v) { return pick(table, sizeof table / sizeof table[0], (int)v); }
#define LABELS(fn, type, table) \
	const char *fn(type v) { return _(pick(table, sizeof table / sizeof table[0], (int)v)); }
NAMES(ticket_kind_name, enum ticket_kind, kind_names)
LABELS(ticket_kind_label, enum ticket_kind, kind_labels)
NAMES(ticket_channel_name, enum ticket_channel, channel_names)
LABELS(ticket_channel_label, enum ticket_channel, channel_labels)
NAMES(ticket_status_name, enum ticket_status, status_names)
LABELS(ticket_status_label, enum ticket_status, status_labels)
NAMES(message_kind_name, enum message_kind, msg_names)
LABELS(message_kind_label, enum message_kind, msg_labels)
NAMES(link_kind_name, enum link_kind, link_names)
LABELS(link_kind_label, enum link_kind, link_labels)
NAMES(user_role_name, enum user_role, role_names)
LABELS(user_role_label, enum user_role, role_labels)

/* Finds s in a name table ('-' and '_' alike, case-insensitive). */
static int lookup(const char *const *table, size_t n, const char *s, const char *what,
		  int *out, struct wb_err *err)
{
	if (s) {
		for (size_t i = 0; i < n; i++) {
			const char *a = table[i], *b = s;
			while (*a && *b && (tolower((unsigned char)*a) == tolower((unsigned char)*b) ||
					    (*a == '_' && *b == '-')))
				a++, b++;
			if (!*a && !*b) {
				*out = (int)i;
				return WB_OK;
			}
		}
	}
	struct strbuf allowed = STRBUF_INIT;
	for (size_t i = 0; i < n; i++) {
		if (i)
			strbuf_adds(&allowed, ", ");
		strbuf_adds(&allowed, table[i]);
	}
	wb_err_set(err, WB_EINVAL, _("unknown %s '%s' (allowed: %s)"), what, s ? s : "",
		   strbuf_str(&allowed));
	strbuf_free(&allowed);
	return WB_EINVAL;
}

#define PARSER(fn, type, table, what) \
	int fn(const char *s, type *out, struct wb_err *err) \
	{ \
		int v; \
		int rc = lookup(table, sizeof table / sizeof table[0], s, what, &v, err); \
		if (rc == WB_OK) \
			*out = (type)v; \
		return rc; \
	}
PARSER(ticket_kind_parse, enum ticket_kind, kind_names, _("kind"))
PARSER(ticket_channel_parse, enum ticket_channel, channel_names, _("channel"))
PARSER(ticket_status_parse, enum ticket_status, status_names, _("status"))
PARSER(message_kind_parse, enum message_kind, msg_names, _("message kind"))
PARSER(link_kind_parse, enum link_kind, link_names, _("link kind"))
PARSER(user_role_parse, enum user_role, role_names, _("role"))

int ticket_priority_parse(const char *s, int *out, struct wb_err *err)
{
	static const char *const words[] = { "critical", "high", "normal", "low" };
	if (s) {
		const char *p = (s[0] == 'P' || s[0] == 'p') ? s + 1 : s;
		if (p[0] >= '1' && p[0] <= '4' && p[1] == '\0') {
			*out = p[0] - '0';
			return WB_OK;
		}
		for (int i = 0; i < 4; i++)
			if (strcasecmp(s, words[i]) == 0) {
				*out = i + 1;
				return WB_OK;
			}
	}
	return wb_err_set(err, WB_EINVAL, _("unknown priority '%s' (allowed: P1, P2, P3, P4)"),
			  s ? s : "");
}

const char *ticket_priority_label(int p)
{
	switch (p) {
	case 1: return _("P1 critical");
	case 2: return _("P2 high");
	case 3: return _("P3 normal");
	case 4: return _("P4 low");
	default: return "?";
	}
}

/* The workflow, as one table: from -> the statuses it may go to. */
static const enum ticket_status transitions[STATUS_COUNT][6] = {
	[STATUS_NEW] = { STATUS_TRIAGED, STATUS_IN_PROGRESS, STATUS_CLOSED, STATUS_COUNT },
	[STATUS_TRIAGED] = { STATUS_IN_PROGRESS, STATUS_WAITING, STATUS_CLOSED, STATUS_COUNT },
	[STATUS_IN_PROGRESS] = { STATUS_WAITING, STATUS_IN_REVIEW, STATUS_RESOLVED, STATUS_COUNT },
	[STATUS_WAITING] = { STATUS_IN_PROGRESS, STATUS_RESOLVED, STATUS_COUNT },
	[STATUS_IN_REVIEW] = { STATUS_TESTING, STATUS_IN_PROGRESS, STATUS_COUNT },
	[STATUS_TESTING] = { STATUS_RESOLVED, STATUS_IN_PROGRESS, STATUS_COUNT },
	[STATUS_RESOLVED] = { STATUS_CLOSED, STATUS_REOPENED, STATUS_COUNT },
	[STATUS_CLOSED] = { STATUS_REOPENED, STATUS_COUNT },
	[STATUS_REOPENED] = { STATUS_IN_PROGRESS, STATUS_TRIAGED, STATUS_WAITING, STATUS_RESOLVED, STATUS_COUNT },
};

bool ticket_status_is_open(enum ticket_status s)
{
	return s != STATUS_RESOLVED && s != STATUS_CLOSED;
}

size_t ticket_transitions(enum ticket_status from, enum ticket_status out[STATUS_COUNT])
{
	size_t n = 0;
	if ((int)from < 0 || from >= STATUS_COUNT)
		return 0;
	/* a zero-initialised tail would read as STATUS_NEW; every row ends with STATUS_COUNT */
	for (size_t i = 0; i < 6 && transitions[from][i] != STATUS_COUNT; i++)
		out[n++] = transitions[from][i];
	return n;
}

bool ticket_transition_allowed(enum ticket_status from, enum ticket_status to)
{
	enum ticket_status next[STATUS_COUNT];
	size_t n = ticket_transitions(from, next);
	for (size_t i = 0; i < n; i++)
		if (next[i] == to)
			return true;
	return false;
}

int ticket_transition_check(enum ticket_status from, enum ticket_status to, struct wb_err *err)
{
	if (ticket_transition_allowed(from, to))
		return WB_OK;
	enum ticket_status next[STATUS_COUNT];
	size_t n = ticket_transitions(from, next);
	struct strbuf allowed = STRBUF_INIT;
	for (size_t i = 0; i < n; i++) {
		if (i)
			strbuf_adds(&allowed, ", ");
		strbuf_adds(&allowed, ticket_status_name(next[i]));
	}
	wb_err_set(err, WB_EREFUSED, _("cannot go from %s to %s; allowed: %s"),
		   ticket_status_name(from), ticket_status_name(to),
		   n ? strbuf_str(&allowed) : _("none"));
	strbuf_free(&allowed);
	return WB_EREFUSED;
}

int ticket_subject_check(const char *subject, struct wb_err *err)
{
	if (!subject)
		return wb_err_set(err, WB_EINVAL, _("a subject is required"));
	size_t n = strlen(subject);
	if (!utf8_valid(subject, n))
		return wb_err_set(err, WB_EINVAL, _("subject is not valid UTF-8 text"));
	for (const char *p = subject; *p; p++)
		if (*p == '\n' || *p == '\r')
			return wb_err_set(err, WB_EINVAL, _("subject must be one line"));
	while (n && (subject[n - 1] == ' ' || subject[n - 1] == '\t'))
		n--;
	const char *s = subject;
	while (*s == ' ' || *s == '\t')
		s++, n--;
	if ((ptrdiff_t)n <= 0)
		return wb_err_set(err, WB_EINVAL, _("a subject is required"));
	if (n > 1200)
		return wb_err_set(err, WB_EINVAL, _("subject is too long (%zu bytes, at most 1200)"), n);
	return WB_OK;
}

int ticket_body_check(const char *body, struct wb_err *err)
{
	if (!body)
		return WB_OK;
	size_t n = strlen(body);
	if (n > TICKET_BODY_MAX)
		return wb_err_set(err, WB_EINVAL, _("message body is too large (%zu bytes, at most %d)"),
				  n, TICKET_BODY_MAX);
	if (!utf8_valid(body, n))
		return wb_err_set(err, WB_EINVAL, _("message body is not valid UTF-8 text"));
	return WB_OK;
}

void ticket_clear(struct ticket *t)
{
	char **strs[] = { &t->subject, &t->queue, &t->requester_name, &t->requester_email,
			  &t->requester_phone, &t->org, &t->sla_level, &t->system, &t->assignee,
			  &t->affected_version, &t->fixed_version, &t->review_ref, &t->test_result };
	for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
		xfree_str(strs[i]);
}

void ticket_free(struct ticket **t)
{
	if (!t || !*t)
		return;
	ticket_clear(*t);
	free(*t);
	*t = NULL;
}

void message_clear(struct message *m)
{
	xfree_str(&m->author);
	xfree_str(&m->author_email);
	xfree_str(&m->body);
	xfree_str(&m->email_message_id);
	xfree_str(&m->outbox_state);
}

void ticket_list_free(struct ticket_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		ticket_clear(&l->items[i]);
	free(l->items);
	l->items = NULL;
	l->n = 0;
}

void message_list_free(struct message_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		message_clear(&l->items[i]);
	free(l->items);
	l->items = NULL;
	l->n = 0;
}

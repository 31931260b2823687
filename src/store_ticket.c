#include "store_ticket.h"

#include "clock.h"
#include "i18n.h"
#include "store_priv.h"
#include "strbuf.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TICKET_COLS \
	"t.id, t.subject, t.kind, t.status, t.priority, t.channel, t.queue_id, q.name," \
	" t.requester_id, c.name, c.email, c.phone, t.org_id, o.name, coalesce(o.sla_level, 'standard')," \
	" t.system_id, y.name, t.assignee_id, u.login, t.created_at, t.updated_at, t.first_response_at," \
	" t.resolved_at, t.closed_at, t.response_due, t.resolve_due, t.sla_due, t.sla_risk_at, t.paused_at," \
	" t.paused_secs," \
	" t.affected_version, t.fixed_version, t.review_ref, t.test_result, t.merged_into, t.minutes_worked," \
	" t.version, t.in_window"
/* LEFT JOINs keep tickets as the outer loop, so the planner walks the ticket index in list order. */
#define TICKET_JOINS \
	" LEFT JOIN queues q ON q.id = t.queue_id LEFT JOIN contacts c ON c.id = t.requester_id" \
	" LEFT JOIN organisations o ON o.id = t.org_id LEFT JOIN systems y ON y.id = t.system_id" \
	" LEFT JOIN users u ON u.id = t.assignee_id"

#define OPEN_SQL "status NOT IN ('resolved','closed')"
#define RUNNING_SQL "status NOT IN ('resolved','closed','waiting')"

static void read_ticket(sqlite3_stmt *st, struct ticket *t)
{
	memset(t, 0, sizeof *t);
	int i = 0;
	t->id = sqlite3_column_int64(st, i++);
	t->subject = sp_col_text(st, i++);
	enum ticket_kind k = KIND_QUESTION;
	ticket_kind_parse((const char *)sqlite3_column_text(st, i++), &k, NULL);
	t->kind = k;
	enum ticket_status s = STATUS_NEW;
	ticket_status_parse((const char *)sqlite3_column_text(st, i++), &s, NULL);
	t->status = s;
	t->priority = sqlite3_column_int(st, i++);
	enum ticket_channel ch = CHANNEL_INTERNAL;
	ticket_channel_parse((const char *)sqlite3_column_text(st, i++), &ch, NULL);
	t->channel = ch;
	t->queue_id = sqlite3_column_int64(st, i++);
	t->queue = sp_col_text(st, i++);
	t->requester_id = sqlite3_column_int64(st, i++);
	t->requester_name = sp_col_text(st, i++);
	t->requester_email = sp_col_text(st, i++);
	t->requester_phone = sp_col_text(st, i++);
	t->org_id = sqlite3_column_int64(st, i++);
	t->org = sp_col_text(st, i++);
	t->sla_level = sp_col_text(st, i++);
	t->system_id = sqlite3_column_int64(st, i++);
	t->system = sp_col_text(st, i++);
	t->assignee_id = sqlite3_column_int64(st, i++);
	t->assignee = sp_col_text(st, i++);
	t->created_at = sqlite3_column_int64(st, i++);
	t->updated_at = sqlite3_column_int64(st, i++);
	t->first_response_at = sqlite3_column_int64(st, i++);
	t->resolved_at = sqlite3_column_int64(st, i++);
	t->closed_at = sqlite3_column_int64(st, i++);
	t->response_due = sqlite3_column_int64(st, i++);
	t->resolve_due = sqlite3_column_int64(st, i++);
	t->sla_due = sqlite3_column_int64(st, i++);
	t->sla_risk_at = sqlite3_column_int64(st, i++);
	t->paused_at = sqlite3_column_int64(st, i++);
	t->paused_secs = sqlite3_column_int64(st, i++);
	t->affected_version = sp_col_text(st, i++);
	t->fixed_version = sp_col_text(st, i++);
	t->review_ref = sp_col_text(st, i++);
	t->test_result = sp_col_text(st, i++);
	t->merged_into = sqlite3_column_int64(st, i++);
	t->minutes_worked = sqlite3_column_int(st, i++);
	t->version = sqlite3_column_int64(st, i++);
	t->in_window = sqlite3_column_int(st, i++) != 0;
}

static void bind_time(sqlite3_stmt *st, int i, wb_time v)
{
	if (v)
		sqlite3_bind_int64(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

void ticket_filter_init(struct ticket_filter *f)
{
	memset(f, 0, sizeof *f);
	f->kind = -1;
	f->channel = -1;
}

static const char *const sort_names[] = {
#define WB_SORT_NAME(e, name) name,
	TICKET_SORTS(WB_SORT_NAME)
#undef WB_SORT_NAME
};

const char *ticket_sort_name(enum ticket_sort s)
{
	return (unsigned)s < SORT_COUNT ? sort_names[s] : "?";
}

int ticket_sort_parse(const char *s, enum ticket_sort *out, struct wb_err *err)
{
	for (int i = 0; i < SORT_COUNT; i++)
		if (s && strcmp(s, sort_names[i]) == 0) {
			*out = (enum ticket_sort)i;
			return WB_OK;
		}
	return wb_err_set(err, WB_EINVAL, _("unknown sort '%s' (allowed: priority, updated, created, id, due)"),
			  s ? s : "");
}

void ticket_key_of(const struct ticket *t, enum ticket_sort sort, struct ticket_key *key)
{
	key->priority = t->priority;
	key->id = t->id;
	switch (sort) {
	case SORT_CREATED: key->value = t->created_at; break;
	case SORT_DUE: key->value = t->sla_due ? t->sla_due : INT64_MAX; break;
	default: key->value = t->updated_at; break;
	}
}

int store_ticket_insert(struct store *s, const struct ticket *t, int64_t *id, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare_cached(s,
		"INSERT INTO tickets(subject, kind, status, priority, channel, queue_id, requester_id, org_id,"
		" system_id, assignee_id, created_at, updated_at, response_due, resolve_due, sla_due, sla_risk_at,"
		" affected_version, in_window) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, t->subject, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, ticket_kind_name(t->kind), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, ticket_status_name(t->status), -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, t->priority);
	sqlite3_bind_text(st, 5, ticket_channel_name(t->channel), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, t->queue_id);
	sp_bind_id(st, 7, t->requester_id);
	sp_bind_id(st, 8, t->org_id);
	sp_bind_id(st, 9, t->system_id);
	sp_bind_id(st, 10, t->assignee_id);
	sqlite3_bind_int64(st, 11, t->created_at);
	sqlite3_bind_int64(st, 12, t->updated_at ? t->updated_at : t->created_at);
	bind_time(st, 13, t->response_due);
	bind_time(st, 14, t->resolve_due);
	bind_time(st, 15, t->sla_due);
	bind_time(st, 16, t->sla_risk_at);
	sp_bind_text(st, 17, t->affected_version);
	sqlite3_bind_int(st, 18, t->in_window);
	rc = sqlite3_step(st);
	rc = rc == SQLITE_DONE ? WB_OK : sp_fail(s, rc, err);
	sp_release(s, st);
	if (rc)
		return rc;
	int64_t new_id = sqlite3_last_insert_rowid(s->db);
	/* a bulk load indexes its tickets at the end (store_bulk_end) */
	if (s->bulk) {
		sp_bulk_mark(s, new_id);
	} else {
		rc = sp_prepare_cached(s, "INSERT INTO ticket_fts(rowid, subject, body) VALUES (?, ?, '')", &st, err);
		if (rc)
			return rc;
		sqlite3_bind_int64(st, 1, new_id);
		sqlite3_bind_text(st, 2, t->subject, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		rc = rc == SQLITE_DONE ? WB_OK : sp_fail(s, rc, err);
		sp_release(s, st);
		if (rc)
			return rc;
	}
	*id = new_id;
	return WB_OK;
}

int store_ticket_get(struct store *s, int64_t id, struct ticket *out, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "SELECT " TICKET_COLS " FROM tickets t" TICKET_JOINS " WHERE t.id = ?", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		read_ticket(st, out);
		rc = WB_OK;
	} else if (rc == SQLITE_DONE) {
		rc = wb_err_set(err, WB_ENOTFOUND, _("no ticket #%lld"), (long long)id);
	} else {
		rc = sp_fail(s, rc, err);
	}
	sqlite3_finalize(st);
	return rc;
}

int store_ticket_update(struct store *s, const struct ticket *t, int64_t expect_version,
			struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s,
		"UPDATE tickets SET subject = ?1, kind = ?2, status = ?3, priority = ?4, channel = ?5,"
		" queue_id = ?6, requester_id = ?7, org_id = ?8, system_id = ?9, assignee_id = ?10,"
		" updated_at = ?11, first_response_at = ?12, resolved_at = ?13, closed_at = ?14,"
		" response_due = ?15, resolve_due = ?16, sla_due = ?17, sla_risk_at = ?18, paused_at = ?19,"
		" affected_version = ?20, fixed_version = ?21, review_ref = ?22, test_result = ?23,"
		" merged_into = ?24, minutes_worked = ?25, in_window = ?26, paused_secs = ?29, version = version + 1"
		" WHERE id = ?27 AND (?28 = 0 OR version = ?28)", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, t->subject, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, ticket_kind_name(t->kind), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, ticket_status_name(t->status), -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, t->priority);
	sqlite3_bind_text(st, 5, ticket_channel_name(t->channel), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, t->queue_id);
	sp_bind_id(st, 7, t->requester_id);
	sp_bind_id(st, 8, t->org_id);
	sp_bind_id(st, 9, t->system_id);
	sp_bind_id(st, 10, t->assignee_id);
	sqlite3_bind_int64(st, 11, t->updated_at);
	bind_time(st, 12, t->first_response_at);
	bind_time(st, 13, t->resolved_at);
	bind_time(st, 14, t->closed_at);
	bind_time(st, 15, t->response_due);
	bind_time(st, 16, t->resolve_due);
	bind_time(st, 17, t->sla_due);
	bind_time(st, 18, t->sla_risk_at);
	bind_time(st, 19, t->paused_at);
	sp_bind_text(st, 20, t->affected_version);
	sp_bind_text(st, 21, t->fixed_version);
	sp_bind_text(st, 22, t->review_ref);
	sp_bind_text(st, 23, t->test_result);
	sp_bind_id(st, 24, t->merged_into);
	sqlite3_bind_int(st, 25, t->minutes_worked);
	sqlite3_bind_int(st, 26, t->in_window);
	sqlite3_bind_int64(st, 27, t->id);
	sqlite3_bind_int64(st, 28, expect_version);
	sqlite3_bind_int64(st, 29, t->paused_secs);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return sp_fail(s, rc, err);
	if (sqlite3_changes(s->db) == 0)
		return wb_err_set(err, WB_ECONFLICT,
				  _("ticket #%lld was changed by someone else meanwhile; reload it and try again"),
				  (long long)t->id);
	/* keep the subject searchable as it is now */
	rc = sp_prepare(s, "UPDATE ticket_fts SET subject = ?2 WHERE rowid = ?1 AND subject IS NOT ?2", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, t->id);
	sqlite3_bind_text(st, 2, t->subject, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? WB_OK : sp_fail(s, rc, err);
}

/* ---- lists ---- */

/* " AND expr >= :pfrom AND expr < :pto", each end only when set. */
static void add_range(struct strbuf *w, const char *expr, wb_time from, wb_time to, const char *pfrom,
		      const char *pto)
{
	if (from)
		strbuf_addf(w, " AND %s >= %s", expr, pfrom);
	if (to)
		strbuf_addf(w, " AND %s < %s", expr, pto);
}

#define DONE_SQL "coalesce(resolved_at, closed_at)"

/* Met, late, overdue and pending as the period report counts them (store_report.c): done is the
 * first response (response) or the end (resolution); a response target of a ticket closed
 * unanswered before its due time is neither overdue nor pending. */
static void add_due_sql(struct strbuf *w, const struct ticket_filter *f)
{
	bool resp = f->target == TICKET_TARGET_RESPONSE;
	const char *due = resp ? "response_due" : "resolve_due";
	const char *done = resp ? "first_response_at" : DONE_SQL;
	strbuf_addf(w, " AND %s IS NOT NULL", due);
	if (!resp && !(f->kind >= 0 && f->kind < KIND_COUNT)) {
		/* every kind, spelled out so the (kind, resolve_due) index serves the range */
		strbuf_adds(w, " AND kind IN (");
		for (int k = 0; k < KIND_COUNT; k++)
			strbuf_addf(w, "%s'%s'", k ? "," : "", ticket_kind_name((enum ticket_kind)k));
		strbuf_adds(w, ")");
	}
	add_range(w, due, f->due_from, f->due_to, ":df", ":dt");
	unsigned m = f->due_outcomes & 15u;
	if (!m || m == 15u)
		return;
	char *passed = xasprintf("(%s < :now AND (paused_at IS NULL OR paused_at > %s))", due, due);
	strbuf_adds(w, " AND (");
	const char *sep = "";
	if (m & TICKET_DUE_MET) {
		strbuf_addf(w, "%s%s <= %s", sep, done, due);
		sep = " OR ";
	}
	if (m & TICKET_DUE_LATE) {
		strbuf_addf(w, "%s%s > %s", sep, done, due);
		sep = " OR ";
	}
	if (m & TICKET_DUE_OVERDUE) {
		strbuf_addf(w, "%s(%s IS NULL AND %s", sep, done, passed);
		if (resp)
			strbuf_adds(w, " AND (" DONE_SQL " IS NULL OR " DONE_SQL " > response_due)");
		strbuf_adds(w, ")");
		sep = " OR ";
	}
	if (m & TICKET_DUE_PENDING) {
		strbuf_addf(w, "%s(%s IS NULL AND NOT %s", sep, done, passed);
		if (resp)
			strbuf_adds(w, " AND " DONE_SQL " IS NULL");
		strbuf_adds(w, ")");
	}
	strbuf_adds(w, ")");
	free(passed);
}

/* The report narrowings of a filter (store_ticket.h); nothing when none is set. */
static void add_narrowing_sql(struct strbuf *w, const struct ticket_filter *f)
{
	if (f->channel >= 0 && f->channel < CHANNEL_COUNT)
		strbuf_adds(w, " AND channel = :channel");
	if (f->system_id)
		strbuf_adds(w, " AND system_id = :sys");
	add_range(w, "created_at", f->created_from, f->created_to, ":cf", ":ct");
	add_range(w, DONE_SQL, f->resolved_from, f->resolved_to, ":rf", ":rt");
	if (f->resolved_only)
		strbuf_adds(w, " AND resolved_at IS NOT NULL");
	if (f->responded_from || f->responded_to)
		strbuf_adds(w, " AND first_response_at IS NOT NULL");
	add_range(w, "first_response_at", f->responded_from, f->responded_to, ":pf", ":pt");
	if (f->target == TICKET_TARGET_RESPONSE || f->target == TICKET_TARGET_RESOLVE)
		add_due_sql(w, f);
	/* open at an instant: open now, or done after it (two index ranges, as the report reads them) */
	if (f->open_at)
		strbuf_adds(w, " AND id IN (SELECT id FROM tickets WHERE " OPEN_SQL " AND created_at < :oa"
			    " UNION ALL SELECT id FROM tickets WHERE " DONE_SQL " >= :oa AND created_at < :oa)");
	/* events in a period: the tickets they belong to, read from the event's own date index */
	if (f->reopened_from || f->reopened_to) {
		strbuf_adds(w, " AND id IN (SELECT a.ticket_id FROM audit a WHERE a.what = 'status'"
			    " AND a.new_value = 'reopened'");
		add_range(w, "a.at", f->reopened_from, f->reopened_to, ":xf", ":xt");
		strbuf_adds(w, ")");
	}
	if (f->rated_from || f->rated_to || f->rating) {
		strbuf_adds(w, " AND id IN (SELECT r.ticket_id FROM ratings r WHERE 1");
		add_range(w, "r.created_at", f->rated_from, f->rated_to, ":gf", ":gt");
		if (f->rating)
			strbuf_adds(w, " AND r.score = :rating");
		strbuf_adds(w, ")");
	}
	if (f->worked_from || f->worked_to) {
		strbuf_adds(w, " AND id IN (SELECT m.ticket_id FROM messages m WHERE m.minutes > 0");
		add_range(w, "m.created_at", f->worked_from, f->worked_to, ":wf", ":wt");
		strbuf_adds(w, ")");
	}
}

/* True when f has a report narrowing set (store_ticket.h). */
static bool narrowed(const struct ticket_filter *f)
{
	return (f->channel >= 0 && f->channel < CHANNEL_COUNT) || f->system_id || f->created_from || f->created_to ||
	       f->resolved_from || f->resolved_to || f->resolved_only || f->responded_from || f->responded_to ||
	       f->target == TICKET_TARGET_RESPONSE || f->target == TICKET_TARGET_RESOLVE || f->open_at ||
	       f->reopened_from || f->reopened_to || f->rated_from || f->rated_to || f->rating || f->worked_from ||
	       f->worked_to;
}

/* The WHERE terms of a filter, with named parameters bound by bind_filter. */
static void add_filter_sql(struct strbuf *w, const struct ticket_filter *f)
{
	unsigned open_mask = 0;
	for (int i = 0; i < STATUS_COUNT; i++)
		if (ticket_status_is_open((enum ticket_status)i))
			open_mask |= 1u << i;
	unsigned mask = f->status_mask ? f->status_mask : open_mask;
	if (mask == open_mask) {
		/* spelled exactly as the partial indexes are, so the planner can use them */
		strbuf_adds(w, OPEN_SQL);
	} else if (mask == (1u << STATUS_COUNT) - 1 && narrowed(f)) {
		/* a figure's tickets of every status: no status term, so the narrowing's own date index
		 * leads (the filters without narrowings keep their SQL) */
		strbuf_adds(w, "1");
	} else {
		strbuf_adds(w, "status IN (");
		bool first = true;
		for (int i = 0; i < STATUS_COUNT; i++)
			if (mask & (1u << i)) {
				strbuf_addf(w, "%s'%s'", first ? "" : ",", ticket_status_name((enum ticket_status)i));
				first = false;
			}
		strbuf_adds(w, ")");
	}
	if (f->queue_id)
		strbuf_adds(w, " AND queue_id = :queue");
	if (f->assignee_id)
		strbuf_adds(w, " AND assignee_id = :assignee");
	if (f->unassigned)
		strbuf_adds(w, " AND assignee_id IS NULL");
	if (f->kind >= 0 && f->kind < KIND_COUNT)
		strbuf_adds(w, " AND kind = :kind");
	if (f->requester_id)
		strbuf_adds(w, " AND requester_id = :requester");
	if (f->org_id)
		strbuf_adds(w, " AND org_id = :org");
	if (f->sla == 1)
		strbuf_adds(w, " AND " RUNNING_SQL " AND sla_risk_at <= :now AND sla_due > :now");
	else if (f->sla == 2)
		strbuf_adds(w, " AND " RUNNING_SQL " AND sla_due <= :now");
	if (f->text && *f->text)
		strbuf_adds(w, " AND subject LIKE :text ESCAPE '\\'");
	add_narrowing_sql(w, f);
}

static void bind_named_int(sqlite3_stmt *st, const char *name, int64_t v)
{
	int i = sqlite3_bind_parameter_index(st, name);
	if (i)
		sqlite3_bind_int64(st, i, v);
}

static void bind_filter(sqlite3_stmt *st, const struct ticket_filter *f)
{
	bind_named_int(st, ":queue", f->queue_id);
	bind_named_int(st, ":assignee", f->assignee_id);
	if (f->kind >= 0 && f->kind < KIND_COUNT) {
		int i = sqlite3_bind_parameter_index(st, ":kind");
		if (i)
			sqlite3_bind_text(st, i, ticket_kind_name((enum ticket_kind)f->kind), -1, SQLITE_STATIC);
	}
	bind_named_int(st, ":requester", f->requester_id);
	bind_named_int(st, ":org", f->org_id);
	bind_named_int(st, ":now", f->now ? f->now : clock_now());
	if (f->channel >= 0 && f->channel < CHANNEL_COUNT) {
		int c = sqlite3_bind_parameter_index(st, ":channel");
		if (c)
			sqlite3_bind_text(st, c, ticket_channel_name((enum ticket_channel)f->channel), -1,
					  SQLITE_STATIC);
	}
	static const char *const names[] = { ":sys", ":cf", ":ct", ":rf", ":rt", ":pf", ":pt", ":df", ":dt",
					     ":oa", ":xf", ":xt", ":gf", ":gt", ":rating", ":wf", ":wt" };
	const int64_t values[] = { f->system_id, f->created_from, f->created_to, f->resolved_from,
				   f->resolved_to, f->responded_from, f->responded_to, f->due_from, f->due_to,
				   f->open_at, f->reopened_from, f->reopened_to, f->rated_from, f->rated_to,
				   f->rating, f->worked_from, f->worked_to };
	for (size_t n = 0; n < sizeof names / sizeof names[0]; n++)
		bind_named_int(st, names[n], values[n]);
	int i = sqlite3_bind_parameter_index(st, ":text");
	if (i) {
		struct strbuf pat = STRBUF_INIT;
		strbuf_addc(&pat, '%');
		for (const char *p = f->text; *p; p++) {
			if (*p == '%' || *p == '_' || *p == '\\')
				strbuf_addc(&pat, '\\');
			strbuf_addc(&pat, *p);
		}
		strbuf_addc(&pat, '%');
		sqlite3_bind_text(st, i, strbuf_str(&pat), -1, SQLITE_TRANSIENT);
		strbuf_free(&pat);
	}
}

struct sort_spec {
	const char *col;   /* the sort column other than priority and id */
	bool desc;         /* direction of col and id */
};

static struct sort_spec sort_spec(enum ticket_sort sort)
{
	switch (sort) {
	case SORT_CREATED: return (struct sort_spec){ "created_at", true };
	case SORT_ID: return (struct sort_spec){ NULL, true };
	case SORT_DUE: return (struct sort_spec){ "coalesce(sla_due, 9223372036854775807)", false };
	default: return (struct sort_spec){ "updated_at", true };
	}
}

/* Builds the id query for one page. For the default sort (priority up, then updated down) the
 * page after a key is "same priority, later in (updated, id)" UNION ALL "higher priority": each
 * branch walks an index in order and SQLite merges them, so any page costs what the first does. */
static char *page_sql(const struct ticket_filter *f, enum ticket_sort sort, bool have_key, bool backward,
		      const char **order_out)
{
	struct strbuf w = STRBUF_INIT, q = STRBUF_INIT;
	add_filter_sql(&w, f);
	struct sort_spec sp = sort_spec(sort);
	/* list order, and the reverse for reading backward */
	bool desc = sp.desc != backward;
	const char *dir = desc ? "DESC" : "ASC";
	const char *cmp = desc ? "<" : ">";
	const char *col = sp.col ? sp.col : "id";
	if (sort == SORT_DEFAULT) {
		const char *pdir = backward ? "DESC" : "ASC";
		if (have_key) {
			strbuf_addf(&q, "SELECT id, priority, updated_at AS v FROM tickets WHERE %s AND priority = :kp"
					" AND (updated_at, id) %s (:kv, :ki)"
					" UNION ALL SELECT id, priority, updated_at FROM tickets WHERE %s AND priority %s :kp",
				    strbuf_str(&w), cmp, strbuf_str(&w), backward ? "<" : ">");
		} else {
			strbuf_addf(&q, "SELECT id, priority, updated_at AS v FROM tickets WHERE %s", strbuf_str(&w));
		}
		strbuf_addf(&q, " ORDER BY 2 %s, 3 %s, 1 %s LIMIT :lim", pdir, dir, dir);
		*order_out = backward ? "p.priority DESC, p.v ASC, p.id ASC" : "p.priority ASC, p.v DESC, p.id DESC";
	} else {
		strbuf_addf(&q, "SELECT id, priority, %s AS v FROM tickets WHERE %s", col, strbuf_str(&w));
		if (have_key) {
			if (sp.col)
				strbuf_addf(&q, " AND (%s, id) %s (:kv, :ki)", col, cmp);
			else
				strbuf_addf(&q, " AND id %s :ki", cmp);
		}
		strbuf_addf(&q, " ORDER BY 3 %s, 1 %s LIMIT :lim", dir, dir);
		*order_out = desc ? "p.v DESC, p.id DESC" : "p.v ASC, p.id ASC";
	}
	strbuf_free(&w);
	return strbuf_detach(&q);
}

static int collect_tickets(struct store *s, sqlite3_stmt *st, struct ticket_list *out, bool reverse,
			   struct wb_err *err)
{
	size_t cap = 0;
	int rc;
	out->items = NULL;
	out->n = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (out->n == cap) {
			cap = cap ? cap * 2 : 16;
			out->items = xrealloc(out->items, cap * sizeof *out->items);
		}
		read_ticket(st, &out->items[out->n++]);
	}
	if (rc != SQLITE_DONE) {
		ticket_list_free(out);
		return sp_fail(s, rc, err);
	}
	if (reverse)
		for (size_t i = 0; i < out->n / 2; i++) {
			struct ticket tmp = out->items[i];
			out->items[i] = out->items[out->n - 1 - i];
			out->items[out->n - 1 - i] = tmp;
		}
	return WB_OK;
}

int store_ticket_page(struct store *s, const struct ticket_filter *f, enum ticket_sort sort,
		      const struct ticket_key *key, bool backward, size_t limit,
		      struct ticket_list *out, struct wb_err *err)
{
	const char *order;
	char *ids = page_sql(f, sort, key != NULL, backward, &order);
	char *sql = xasprintf("SELECT " TICKET_COLS " FROM (%s) AS p LEFT JOIN tickets t ON t.id = p.id"
			      TICKET_JOINS " ORDER BY %s", ids, order);
	free(ids);
	sqlite3_stmt *st;
	/* the same few shapes of SQL come back on every page the console shows: keep them compiled */
	int rc = sp_prepare_cached(s, sql, &st, err);
	free(sql);
	if (rc)
		return rc;
	bind_filter(st, f);
	if (key) {
		bind_named_int(st, ":kp", key->priority);
		bind_named_int(st, ":kv", key->value);
		bind_named_int(st, ":ki", key->id);
	}
	bind_named_int(st, ":lim", (int64_t)limit);
	rc = collect_tickets(s, st, out, backward, err);
	sp_release(s, st);
	return rc;
}

int store_ticket_page_plan(struct store *s, const struct ticket_filter *f, enum ticket_sort sort, bool have_key,
			   char **out, struct wb_err *err)
{
	const char *order;
	char *ids = page_sql(f, sort, have_key, false, &order);
	char *sql = xasprintf("EXPLAIN QUERY PLAN %s", ids);
	free(ids);
	sqlite3_stmt *st;
	int rc = sp_prepare(s, sql, &st, err);
	free(sql);
	if (rc)
		return rc;
	bind_filter(st, f);
	struct strbuf b = STRBUF_INIT;
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		strbuf_addf(&b, "%s\n", (const char *)sqlite3_column_text(st, 3));
	sqlite3_finalize(st);
	if (step != SQLITE_DONE) {
		strbuf_free(&b);
		return sp_fail(s, step, err);
	}
	*out = strbuf_detach(&b);
	return WB_OK;
}

/* Counts matches up to `cap` by walking the newest ones (cheap whatever the term). */
static int count_matches(struct store *s, const char *fts_query, int cap, int *n, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "SELECT count(*) FROM (SELECT rowid FROM ticket_fts WHERE ticket_fts MATCH ?1"
			       " ORDER BY rowid DESC LIMIT ?2)", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, fts_query, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, cap);
	rc = sqlite3_step(st);
	*n = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW) {
		rc = sp_fail(s, rc, err);
		if (rc == WB_EDB && err && strstr(err->msg, "fts5"))
			wb_err_set(err, WB_EINVAL, _("cannot search for %s"), fts_query);
		return rc;
	}
	return WB_OK;
}

#define SEARCH_RANK_MAX 200 /* matches ranked by relevance; a broader search lists newest first */

int store_ticket_search(struct store *s, const char *fts_query, size_t limit,
			struct ticket_list *out, struct wb_err *err)
{
	/* bm25 needs the number of documents holding each term, a walk over the whole list for a
	 * common word (30 ms at a million tickets): rank only selective searches */
	int n;
	int rc = count_matches(s, fts_query, SEARCH_RANK_MAX + 1, &n, err);
	if (rc)
		return rc;
	sqlite3_stmt *st;
	rc = sp_prepare(s, n <= SEARCH_RANK_MAX
			? "SELECT " TICKET_COLS " FROM (SELECT rowid AS id, rank AS r FROM ticket_fts"
			  " WHERE ticket_fts MATCH ?1) AS p JOIN tickets t ON t.id = p.id" TICKET_JOINS
			  " ORDER BY p.r, p.id DESC LIMIT ?2"
			: "SELECT " TICKET_COLS " FROM (SELECT rowid AS id FROM ticket_fts"
			  " WHERE ticket_fts MATCH ?1 ORDER BY rowid DESC LIMIT ?2) AS p"
			  " JOIN tickets t ON t.id = p.id" TICKET_JOINS " ORDER BY p.id DESC", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, fts_query, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)limit);
	rc = collect_tickets(s, st, out, false, err);
	sqlite3_finalize(st);
	return rc;
}

int store_ticket_counts(struct store *s, int64_t user_id, wb_time now, struct ticket_counts *c,
			struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s,
		"SELECT (SELECT count(*) FROM (SELECT 1 FROM tickets WHERE " OPEN_SQL " AND assignee_id = ?1 LIMIT ?3)),"
		" (SELECT count(*) FROM (SELECT 1 FROM tickets WHERE " OPEN_SQL " AND assignee_id IS NULL LIMIT ?3)),"
		" (SELECT count(*) FROM (SELECT 1 FROM tickets WHERE " RUNNING_SQL " AND sla_due > ?2"
		"   AND sla_risk_at <= ?2 LIMIT ?3)),"
		" (SELECT count(*) FROM (SELECT 1 FROM tickets WHERE " RUNNING_SQL " AND sla_due <= ?2 LIMIT ?3)),"
		" (SELECT count(*) FROM (SELECT 1 FROM tickets WHERE " OPEN_SQL " LIMIT ?3))", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int64(st, 3, TICKET_COUNT_CAP);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		c->mine = sqlite3_column_int64(st, 0);
		c->unassigned = sqlite3_column_int64(st, 1);
		c->at_risk = sqlite3_column_int64(st, 2);
		c->breached = sqlite3_column_int64(st, 3);
		c->open = sqlite3_column_int64(st, 4);
		rc = WB_OK;
	} else {
		rc = sp_fail(s, rc, err);
	}
	sqlite3_finalize(st);
	return rc;
}

int store_ticket_open_of(struct store *s, int64_t requester_id, size_t limit, struct ticket_list *out,
			 struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "SELECT " TICKET_COLS " FROM tickets t" TICKET_JOINS
			       " WHERE t.requester_id = ? AND t." OPEN_SQL " ORDER BY t.updated_at DESC LIMIT ?",
			    &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, requester_id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)limit);
	rc = collect_tickets(s, st, out, false, err);
	sqlite3_finalize(st);
	return rc;
}

/* ---- conversation ---- */

static int fts_append(struct store *s, int64_t ticket_id, const char *text, struct wb_err *err)
{
	/* a ticket of this bulk load has no entry yet: store_bulk_end writes it whole */
	if (sp_bulk_own(s, ticket_id))
		return WB_OK;
	sqlite3_stmt *st;
	int rc = sp_prepare_cached(s, "UPDATE ticket_fts SET body = body || char(10) || ?2 WHERE rowid = ?1", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, ticket_id);
	sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	rc = rc == SQLITE_DONE ? WB_OK : sp_fail(s, rc, err);
	sp_release(s, st);
	return rc;
}

int store_message_add(struct store *s, const struct message_new *m, int64_t *id, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare_cached(s, "INSERT INTO messages(ticket_id, kind, author_user_id, author_contact_id, body,"
			      " quoted, minutes, created_at, email_message_id, flagged) VALUES (?,?,?,?,?,?,?,?,?,?)",
			   &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, m->ticket_id);
	sqlite3_bind_text(st, 2, message_kind_name(m->kind), -1, SQLITE_STATIC);
	sp_bind_id(st, 3, m->author_user_id);
	sp_bind_id(st, 4, m->author_contact_id);
	sqlite3_bind_text(st, 5, m->body ? m->body : "", -1, SQLITE_STATIC);
	sp_bind_text(st, 6, m->quoted);
	sqlite3_bind_int(st, 7, m->minutes);
	sqlite3_bind_int64(st, 8, m->created_at ? m->created_at : clock_now());
	sp_bind_text(st, 9, m->email_message_id);
	sqlite3_bind_int(st, 10, m->flagged);
	rc = sqlite3_step(st);
	if (rc == SQLITE_CONSTRAINT && m->email_message_id)
		rc = wb_err_set(err, WB_EREFUSED, _("message <%s> is already stored"), m->email_message_id);
	else
		rc = rc == SQLITE_DONE ? WB_OK : sp_fail(s, rc, err);
	sp_release(s, st);
	if (rc)
		return rc;
	int64_t mid = sqlite3_last_insert_rowid(s->db);
	if (m->kind != MSG_EVENT && m->body && *m->body) {
		rc = fts_append(s, m->ticket_id, m->body, err);
		if (rc)
			return rc;
	}
	if (id)
		*id = mid;
	return WB_OK;
}

int store_message_list(struct store *s, int64_t ticket_id, struct message_list *out, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s,
		"SELECT m.id, m.ticket_id, m.kind, coalesce(u.login, c.name), coalesce(u.email, c.email), m.body,"
		" m.minutes, m.created_at, m.email_message_id,"
		" (SELECT state FROM outbox WHERE message_id = m.id ORDER BY id DESC LIMIT 1), m.flagged,"
		" (SELECT count(*) FROM attachments WHERE message_id = m.id)"
		" FROM messages m LEFT JOIN users u ON u.id = m.author_user_id"
		" LEFT JOIN contacts c ON c.id = m.author_contact_id WHERE m.ticket_id = ? ORDER BY m.created_at, m.id",
		&st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, ticket_id);
	size_t cap = 0;
	out->items = NULL;
	out->n = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (out->n == cap) {
			cap = cap ? cap * 2 : 16;
			out->items = xrealloc(out->items, cap * sizeof *out->items);
		}
		struct message *m = &out->items[out->n++];
		memset(m, 0, sizeof *m);
		m->id = sqlite3_column_int64(st, 0);
		m->ticket_id = sqlite3_column_int64(st, 1);
		enum message_kind k = MSG_NOTE;
		message_kind_parse((const char *)sqlite3_column_text(st, 2), &k, NULL);
		m->kind = k;
		m->author = sp_col_text(st, 3);
		m->author_email = sp_col_text(st, 4);
		m->body = sp_col_text(st, 5);
		m->minutes = sqlite3_column_int(st, 6);
		m->created_at = sqlite3_column_int64(st, 7);
		m->email_message_id = sp_col_text(st, 8);
		m->outbox_state = sp_col_text(st, 9);
		m->flagged = sqlite3_column_int(st, 10) != 0;
		m->n_attachments = sqlite3_column_int(st, 11);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		message_list_free(out);
		return sp_fail(s, rc, err);
	}
	return WB_OK;
}

int store_message_ticket_by_email_id(struct store *s, const char *email_message_id, int64_t *ticket_id,
				     struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "SELECT ticket_id FROM messages WHERE email_message_id = ?1"
			       " UNION ALL SELECT ticket_id FROM outbox WHERE email_message_id = ?1 LIMIT 1", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, email_message_id, -1, SQLITE_STATIC);
	*ticket_id = 0;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*ticket_id = sqlite3_column_int64(st, 0);
	rc = (rc == SQLITE_ROW || rc == SQLITE_DONE) ? WB_OK : sp_fail(s, rc, err);
	sqlite3_finalize(st);
	return rc;
}

int store_attachment_add(struct store *s, int64_t message_id, const char *filename,
			 const char *content_type, const char *content_id, bool is_inline,
			 const void *data, size_t size, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "INSERT INTO attachments(message_id, filename, content_type, content_id, is_inline,"
			       " size, data) VALUES (?,?,?,?,?,?,?)", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, message_id);
	sqlite3_bind_text(st, 2, filename && *filename ? filename : "attachment", -1, SQLITE_STATIC);
	sp_bind_text(st, 3, content_type);
	sp_bind_text(st, 4, content_id);
	sqlite3_bind_int(st, 5, is_inline);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)size);
	sqlite3_bind_blob64(st, 7, data, size, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? WB_OK : sp_fail(s, rc, err);
}

int store_attachment_list(struct store *s, int64_t ticket_id, struct attachment_info **out, size_t *n,
			  struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "SELECT a.id, a.message_id, a.filename, a.content_type, a.size, a.is_inline"
			       " FROM attachments a JOIN messages m ON m.id = a.message_id WHERE m.ticket_id = ?"
			       " ORDER BY a.id", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, ticket_id);
	struct attachment_info *v = NULL;
	size_t cnt = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = xrealloc(v, (cnt + 1) * sizeof *v);
		struct attachment_info *a = &v[cnt++];
		a->id = sqlite3_column_int64(st, 0);
		a->message_id = sqlite3_column_int64(st, 1);
		a->filename = sp_col_text(st, 2);
		a->content_type = sp_col_text(st, 3);
		a->size = sqlite3_column_int64(st, 4);
		a->is_inline = sqlite3_column_int(st, 5) != 0;
	}
	sqlite3_finalize(st);
	*out = v;
	*n = cnt;
	return rc == SQLITE_DONE ? WB_OK : sp_fail(s, rc, err);
}

void store_attachments_free(struct attachment_info **a, size_t n)
{
	if (!a || !*a)
		return;
	for (size_t i = 0; i < n; i++) {
		free((*a)[i].filename);
		free((*a)[i].content_type);
	}
	free(*a);
	*a = NULL;
}

/* ---- links, merge, ratings ---- */

int store_link_add(struct store *s, int64_t from_id, int64_t to_id, enum link_kind kind, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "INSERT OR IGNORE INTO ticket_links(from_id, to_id, kind, created_at) VALUES (?,?,?,?)",
			    &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, from_id);
	sqlite3_bind_int64(st, 2, to_id);
	sqlite3_bind_text(st, 3, link_kind_name(kind), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, clock_now());
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? WB_OK : sp_fail(s, rc, err);
}

int store_link_list(struct store *s, int64_t ticket_id, struct ticket_link **out, size_t *n,
		    struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "SELECT to_id, kind, 1 FROM ticket_links WHERE from_id = ?1"
			       " UNION ALL SELECT from_id, kind, 0 FROM ticket_links WHERE to_id = ?1", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, ticket_id);
	struct ticket_link *v = NULL;
	size_t cnt = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = xrealloc(v, (cnt + 1) * sizeof *v);
		v[cnt].other_id = sqlite3_column_int64(st, 0);
		enum link_kind k = LINK_RELATED;
		link_kind_parse((const char *)sqlite3_column_text(st, 1), &k, NULL);
		v[cnt].kind = k;
		v[cnt].outgoing = sqlite3_column_int(st, 2) != 0;
		cnt++;
	}
	sqlite3_finalize(st);
	*out = v;
	*n = cnt;
	return rc == SQLITE_DONE ? WB_OK : sp_fail(s, rc, err);
}

int store_ticket_move_messages(struct store *s, int64_t from_id, int64_t to_id, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "SELECT body FROM ticket_fts WHERE rowid = ?", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, from_id);
	char *text = NULL;
	bool indexed = sqlite3_step(st) == SQLITE_ROW;
	if (indexed)
		text = sp_col_text(st, 0);
	sqlite3_finalize(st);
	/* a ticket of an unfinished bulk load has no entry yet (store_bulk.h): its messages say it */
	if (!indexed && (rc = sp_messages_text(s, from_id, &text, err)) != WB_OK)
		return rc;
	if (text && *text)
		rc = fts_append(s, to_id, text, err);
	free(text);
	if (rc)
		return rc;
	rc = sp_prepare(s, "UPDATE messages SET ticket_id = ?2 WHERE ticket_id = ?1", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, from_id);
	sqlite3_bind_int64(st, 2, to_id);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return sp_fail(s, rc, err);
	rc = sp_prepare(s, "UPDATE ticket_fts SET body = '' WHERE rowid = ?", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, from_id);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? WB_OK : sp_fail(s, rc, err);
}

int store_rating_add(struct store *s, int64_t ticket_id, int score, const char *source, const char *comment,
		     struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "INSERT INTO ratings(ticket_id, score, source, comment, created_at) VALUES (?,?,?,?,?)",
			    &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, ticket_id);
	sqlite3_bind_int(st, 2, score);
	sqlite3_bind_text(st, 3, source, -1, SQLITE_STATIC);
	sp_bind_text(st, 4, comment);
	sqlite3_bind_int64(st, 5, clock_now());
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? WB_OK : sp_fail(s, rc, err);
}

#include "store_plan.h"

#include "i18n.h"
#include "store_dir.h"
#include "store_priv.h"
#include "ticket.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- freeing ---- */

void plan_clear(struct plan *p)
{
	if (!p)
		return;
	free(p->name);
	free(p->kind);
	free(p->system);
	free(p->org);
	free(p->owner);
	free(p->rrule);
	free(p->dtstart);
	free(p->tz);
	free(p->exdates);
	free(p->notify);
	free(p->ics_uid);
	for (size_t i = 0; i < p->n_items; i++)
		free(p->items[i]);
	free(p->items);
	memset(p, 0, sizeof *p);
}

static void plan_item_clear(void *item)
{
	plan_clear(item);
}

void plans_free(struct plan **p, size_t n)
{
	sp_free_rows((void **)p, n, sizeof **p, plan_item_clear);
}

void plan_occ_clear(struct plan_occ *o)
{
	if (!o)
		return;
	free(o->plan_name);
	free(o->kind);
	free(o->system);
	free(o->org);
	memset(o, 0, sizeof *o);
}

static void occ_item_clear(void *item)
{
	plan_occ_clear(item);
}

void plan_occs_free(struct plan_occ **o, size_t n)
{
	sp_free_rows((void **)o, n, sizeof **o, occ_item_clear);
}

static void result_item_clear(void *item)
{
	struct plan_result *r = item;
	free(r->item);
	free(r->result);
	free(r->note);
	free(r->user);
}

void plan_results_free(struct plan_result **r, size_t n)
{
	sp_free_rows((void **)r, n, sizeof **r, result_item_clear);
}

void maint_window_clear(struct maint_window *w)
{
	if (!w)
		return;
	free(w->title);
	free(w->description);
	free(w->org);
	free(w->system);
	free(w->ics_uid);
	memset(w, 0, sizeof *w);
}

static void window_item_clear(void *item)
{
	maint_window_clear(item);
}

void maint_windows_free(struct maint_window **w, size_t n)
{
	sp_free_rows((void **)w, n, sizeof **w, window_item_clear);
}

static void contact_item_clear(void *item)
{
	contact_clear(item);
}

/* ---- helpers ---- */

static int step_done(struct store *s, sqlite3_stmt *st, struct wb_err *err)
{
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? WB_OK : sp_fail(s, rc, err);
}

static void bind_time(sqlite3_stmt *st, int i, wb_time t)
{
	if (t)
		sqlite3_bind_int64(st, i, t);
	else
		sqlite3_bind_null(st, i);
}

/* sp_collect that frees the rows it read when a step fails. */
static int collect(struct store *s, sqlite3_stmt *st, size_t size, sp_row_reader read, sp_item_clear clear,
		   void **out, size_t *n, struct wb_err *err)
{
	int rc = sp_collect(s, st, size, read, out, n, err);
	if (rc)
		sp_free_rows(out, *n, size, clear);
	return rc;
}

/* Reads the one row of a prepared query into out (zeroed first, `size` bytes) and finalizes it;
 * WB_ENOTFOUND without a message when there is no row, for the caller to name what is missing. */
static int get_row(struct store *s, sqlite3_stmt *st, size_t size, sp_row_reader read, void *out,
		   struct wb_err *err)
{
	memset(out, 0, size);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read(st, out);
	rc = rc == SQLITE_ROW ? WB_OK : rc == SQLITE_DONE ? WB_ENOTFOUND : sp_fail(s, rc, err);
	sqlite3_finalize(st);
	return rc;
}

/* Runs a query with one int64 parameter (text when key is set) returning one id; 0 when no row. */
static int query_id(struct store *s, const char *sql, const char *key, int64_t *id, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, sql, &st, err);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	*id = 0;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	rc = (rc == SQLITE_ROW || rc == SQLITE_DONE) ? WB_OK : sp_fail(s, rc, err);
	sqlite3_finalize(st);
	return rc;
}

/* ---- plans ---- */

#define PLAN_COLS "p.id, p.name, p.kind, p.system_id, y.name, y.org_id, o.name, p.owner_id, u.login," \
		  " p.rrule, p.dtstart, p.tz, p.duration_min, p.exdates, p.lead_hours, p.notify, p.ics_uid," \
		  " p.active, p.created_at, p.schedule_at"
#define PLAN_FROM " FROM plans p JOIN systems y ON y.id = p.system_id" \
		  " JOIN organisations o ON o.id = y.org_id LEFT JOIN users u ON u.id = p.owner_id "

static void read_plan(sqlite3_stmt *st, void *item)
{
	struct plan *p = item;
	int i = 0;
	p->id = sqlite3_column_int64(st, i++);
	p->name = sp_col_text(st, i++);
	p->kind = sp_col_text(st, i++);
	p->system_id = sqlite3_column_int64(st, i++);
	p->system = sp_col_text(st, i++);
	p->org_id = sqlite3_column_int64(st, i++);
	p->org = sp_col_text(st, i++);
	p->owner_id = sqlite3_column_int64(st, i++);
	p->owner = sp_col_text(st, i++);
	p->rrule = sp_col_text(st, i++);
	p->dtstart = sp_col_text(st, i++);
	p->tz = sp_col_text(st, i++);
	p->duration_min = sqlite3_column_int(st, i++);
	p->exdates = sp_col_text(st, i++);
	p->lead_hours = sqlite3_column_int(st, i++);
	p->notify = sp_col_text(st, i++);
	p->ics_uid = sp_col_text(st, i++);
	p->active = sqlite3_column_int(st, i++) != 0;
	p->created_at = sqlite3_column_int64(st, i++);
	p->schedule_at = sqlite3_column_int64(st, i++);
}

static int load_items(struct store *s, struct plan *p, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "SELECT text FROM plan_items WHERE plan_id = ? ORDER BY pos", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, p->id);
	size_t cap = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (p->n_items == cap) {
			cap = cap ? cap * 2 : 8;
			p->items = xrealloc(p->items, cap * sizeof *p->items);
		}
		p->items[p->n_items++] = sp_col_text(st, 0);
	}
	rc = rc == SQLITE_DONE ? WB_OK : sp_fail(s, rc, err);
	sqlite3_finalize(st);
	return rc;
}

static int write_items(struct store *s, const struct plan *p, int64_t id, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "DELETE FROM plan_items WHERE plan_id = ?", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = step_done(s, st, err)))
		return rc;
	for (size_t i = 0; i < p->n_items; i++) {
		if ((rc = sp_prepare(s, "INSERT INTO plan_items(plan_id, pos, text) VALUES (?, ?, ?)", &st, err)))
			return rc;
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int(st, 2, (int)i + 1);
		sqlite3_bind_text(st, 3, p->items[i], -1, SQLITE_STATIC);
		if ((rc = step_done(s, st, err)))
			return rc;
	}
	return WB_OK;
}

static void bind_plan(sqlite3_stmt *st, const struct plan *p)
{
	sp_bind_text(st, 1, p->name);
	sp_bind_text(st, 2, p->kind);
	sqlite3_bind_int64(st, 3, p->system_id);
	sp_bind_id(st, 4, p->owner_id);
	sp_bind_text(st, 5, p->rrule);
	sp_bind_text(st, 6, p->dtstart);
	sp_bind_text(st, 7, p->tz);
	sqlite3_bind_int(st, 8, p->duration_min);
	sp_bind_text(st, 9, p->exdates);
	sqlite3_bind_int(st, 10, p->lead_hours);
	sqlite3_bind_text(st, 11, p->notify && *p->notify ? p->notify : "none", -1, SQLITE_TRANSIENT);
	sp_bind_text(st, 12, p->ics_uid);
	sqlite3_bind_int(st, 13, p->active);
}

int store_plan_add(struct store *s, const struct plan *p, int64_t *id, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "INSERT INTO plans(name, kind, system_id, owner_id, rrule, dtstart, tz, duration_min,"
			       " exdates, lead_hours, notify, ics_uid, active, created_at, schedule_at)"
			       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)", &st, err);
	if (rc)
		return rc;
	bind_plan(st, p);
	wb_time now = clock_now();
	sqlite3_bind_int64(st, 14, p->created_at ? p->created_at : now);
	sqlite3_bind_int64(st, 15, p->schedule_at ? p->schedule_at : p->created_at ? p->created_at : now);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_CONSTRAINT)
		return wb_err_set(err, WB_EREFUSED, _("a plan from calendar event %s exists already"),
				  p->ics_uid ? p->ics_uid : "?");
	if (rc != SQLITE_DONE)
		return sp_fail(s, rc, err);
	int64_t new_id = sqlite3_last_insert_rowid(s->db);
	if ((rc = write_items(s, p, new_id, err)))
		return rc;
	if (id)
		*id = new_id;
	return WB_OK;
}

int store_plan_update(struct store *s, const struct plan *p, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "UPDATE plans SET name = ?1, kind = ?2, system_id = ?3, owner_id = ?4, rrule = ?5,"
			       " dtstart = ?6, tz = ?7, duration_min = ?8, exdates = ?9, lead_hours = ?10, notify = ?11,"
			       " ics_uid = ?12, active = ?13, schedule_at = coalesce(?15, schedule_at) WHERE id = ?14", &st, err);
	if (rc)
		return rc;
	bind_plan(st, p);
	sqlite3_bind_int64(st, 14, p->id);
	bind_time(st, 15, p->schedule_at);
	if ((rc = step_done(s, st, err)))
		return rc;
	if (sqlite3_changes(s->db) == 0)
		return wb_err_set(err, WB_ENOTFOUND, _("no plan %lld"), (long long)p->id);
	return write_items(s, p, p->id, err);
}

int store_plan_get(struct store *s, int64_t id, struct plan *out, struct wb_err *err)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "SELECT " PLAN_COLS PLAN_FROM "WHERE p.id = ?", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = get_row(s, st, sizeof *out, read_plan, out, err)) == WB_ENOTFOUND)
		rc = wb_err_set(err, WB_ENOTFOUND, _("no plan %lld (see weibao plan list)"), (long long)id);
	if (rc == WB_OK && (rc = load_items(s, out, err)))
		plan_clear(out);
	return rc;
}

int store_plan_by_uid(struct store *s, const char *uid, int64_t *id, struct wb_err *err)
{
	return query_id(s, "SELECT id FROM plans WHERE ics_uid = ?", uid, id, err);
}

int store_plan_page(struct store *s, int64_t after_id, size_t limit, bool all, struct plan **out, size_t *n,
		    struct wb_err *err)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "SELECT " PLAN_COLS PLAN_FROM "WHERE p.id > ?1 AND (?2 OR p.active)"
			       " ORDER BY p.id LIMIT ?3", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, after_id);
	sqlite3_bind_int(st, 2, all);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)limit);
	struct plan *v = NULL;
	size_t k = 0;
	rc = sp_collect(s, st, sizeof *v, read_plan, (void **)&v, &k, err);
	for (size_t i = 0; i < k && rc == WB_OK; i++)
		rc = load_items(s, &v[i], err);
	if (rc) {
		plans_free(&v, k);
		return rc;
	}
	*out = v;
	*n = k;
	return WB_OK;
}

/* ---- occurrences ---- */

int store_occ_insert(struct store *s, int64_t plan_id, wb_time start, wb_time end, const char *date,
		     int64_t *id, bool *created, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "INSERT INTO plan_occurrences(plan_id, starts_at, ends_at, local_date, created_at)"
			       " VALUES (?, ?, ?, ?, ?) ON CONFLICT (plan_id, starts_at) DO NOTHING", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, plan_id);
	sqlite3_bind_int64(st, 2, start);
	sqlite3_bind_int64(st, 3, end);
	sqlite3_bind_text(st, 4, date, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, clock_now());
	if ((rc = step_done(s, st, err)))
		return rc;
	*created = sqlite3_changes(s->db) > 0;
	if (*created) {
		*id = sqlite3_last_insert_rowid(s->db);
		return WB_OK;
	}
	return store_occ_find(s, plan_id, start, id, err);
}

int store_occ_set_ticket(struct store *s, int64_t occ_id, int64_t ticket_id, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "UPDATE plan_occurrences SET ticket_id = ? WHERE id = ?", &st, err);
	if (rc)
		return rc;
	sp_bind_id(st, 1, ticket_id);
	sqlite3_bind_int64(st, 2, occ_id);
	return step_done(s, st, err);
}

int store_occ_find(struct store *s, int64_t plan_id, wb_time start, int64_t *id, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "SELECT id FROM plan_occurrences WHERE plan_id = ? AND starts_at = ?", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, plan_id);
	sqlite3_bind_int64(st, 2, start);
	*id = 0;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	rc = (rc == SQLITE_ROW || rc == SQLITE_DONE) ? WB_OK : sp_fail(s, rc, err);
	sqlite3_finalize(st);
	return rc;
}

#define OCC_COLS "c.id, c.plan_id, p.name, p.kind, p.system_id, y.org_id, y.name, c.starts_at, c.ends_at," \
		 " c.local_date, c.ticket_id, t.status, coalesce(t.resolved_at, t.closed_at), o.name"
#define OCC_FROM " FROM plan_occurrences c JOIN plans p ON p.id = c.plan_id JOIN systems y ON y.id = p.system_id" \
		 " JOIN organisations o ON o.id = y.org_id LEFT JOIN tickets t ON t.id = c.ticket_id "

static void read_occ(sqlite3_stmt *st, void *item)
{
	struct plan_occ *o = item;
	int i = 0;
	o->id = sqlite3_column_int64(st, i++);
	o->plan_id = sqlite3_column_int64(st, i++);
	o->plan_name = sp_col_text(st, i++);
	o->kind = sp_col_text(st, i++);
	o->system_id = sqlite3_column_int64(st, i++);
	o->org_id = sqlite3_column_int64(st, i++);
	o->system = sp_col_text(st, i++);
	o->start = sqlite3_column_int64(st, i++);
	o->end = sqlite3_column_int64(st, i++);
	const unsigned char *d = sqlite3_column_text(st, i++);
	snprintf(o->date, sizeof o->date, "%s", d ? (const char *)d : "");
	o->ticket_id = sqlite3_column_int64(st, i++);
	o->ticket_status = -1;
	const unsigned char *status = sqlite3_column_text(st, i++);
	enum ticket_status ts;
	if (status && ticket_status_parse((const char *)status, &ts, NULL) == WB_OK)
		o->ticket_status = (int)ts;
	o->done_at = sqlite3_column_int64(st, i++);
	o->org = sp_col_text(st, i++);
}

int store_occ_by_ticket(struct store *s, int64_t ticket_id, struct plan_occ *out, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "SELECT " OCC_COLS OCC_FROM "WHERE c.ticket_id = ?", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, ticket_id);
	if ((rc = get_row(s, st, sizeof *out, read_occ, out, err)) == WB_ENOTFOUND)
		rc = wb_err_set(err, WB_ENOTFOUND, _("ticket #%lld is not a planned maintenance task"),
				(long long)ticket_id);
	return rc;
}

int store_occ_page(struct store *s, wb_time from, wb_time to, const struct plan_key *after, size_t limit,
		   struct plan_occ **out, size_t *n, struct wb_err *err)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "SELECT " OCC_COLS OCC_FROM
			       "WHERE c.starts_at >= ?1 AND c.starts_at < ?2 AND (c.starts_at, c.id) > (?3, ?4)"
			       " ORDER BY c.starts_at, c.id LIMIT ?5", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	sqlite3_bind_int64(st, 3, after ? after->start : INT64_MIN);
	sqlite3_bind_int64(st, 4, after ? after->id : 0);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)limit);
	return collect(s, st, sizeof **out, read_occ, occ_item_clear, (void **)out, n, err);
}

int store_occ_of_plan(struct store *s, int64_t plan_id, wb_time after, size_t limit, struct plan_occ **out,
		      size_t *n, struct wb_err *err)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "SELECT " OCC_COLS OCC_FROM "WHERE c.plan_id = ?1 AND c.starts_at > ?2"
			       " ORDER BY c.starts_at LIMIT ?3", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, plan_id);
	sqlite3_bind_int64(st, 2, after);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)limit);
	return collect(s, st, sizeof **out, read_occ, occ_item_clear, (void **)out, n, err);
}

int store_occ_delete(struct store *s, int64_t occ_id, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "DELETE FROM plan_occurrences WHERE id = ?1"
			       " AND NOT EXISTS (SELECT 1 FROM plan_results WHERE occurrence_id = ?1)", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, occ_id);
	return step_done(s, st, err);
}

int store_occ_counts(struct store *s, wb_time day_from, wb_time day_to, wb_time now, int *open, int *missed,
		     struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s,
		"SELECT"
		" (SELECT count(*) FROM plan_occurrences c LEFT JOIN tickets t ON t.id = c.ticket_id"
		"   WHERE c.starts_at >= ?1 AND c.starts_at < ?2 AND c.ends_at > ?3"
		"   AND coalesce(t.status, 'new') NOT IN ('resolved','closed')),"
		" (SELECT count(*) FROM plan_occurrences c LEFT JOIN tickets t ON t.id = c.ticket_id"
		"   WHERE c.ends_at <= ?3 AND coalesce(t.status, 'new') NOT IN ('resolved','closed'))", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, day_from);
	sqlite3_bind_int64(st, 2, day_to);
	sqlite3_bind_int64(st, 3, now);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*open = sqlite3_column_int(st, 0);
		*missed = sqlite3_column_int(st, 1);
		rc = WB_OK;
	} else {
		rc = sp_fail(s, rc, err);
	}
	sqlite3_finalize(st);
	return rc;
}

/* ---- checklist results ---- */

int store_result_set(struct store *s, int64_t occ_id, const struct plan_result *r, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "INSERT INTO plan_results(occurrence_id, pos, item, result, note, user_id, at)"
			       " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (occurrence_id, pos) DO UPDATE SET"
			       " item = excluded.item, result = excluded.result, note = excluded.note,"
			       " user_id = excluded.user_id, at = excluded.at", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, occ_id);
	sqlite3_bind_int(st, 2, r->pos);
	sqlite3_bind_text(st, 3, r->item ? r->item : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, r->result, -1, SQLITE_STATIC);
	sp_bind_text(st, 5, r->note);
	sp_bind_id(st, 6, r->user_id);
	sqlite3_bind_int64(st, 7, r->at);
	return step_done(s, st, err);
}

static void read_result(sqlite3_stmt *st, void *item)
{
	struct plan_result *r = item;
	r->pos = sqlite3_column_int(st, 0);
	r->item = sp_col_text(st, 1);
	r->result = sp_col_text(st, 2);
	r->note = sp_col_text(st, 3);
	r->user_id = sqlite3_column_int64(st, 4);
	r->user = sp_col_text(st, 5);
	r->at = sqlite3_column_int64(st, 6);
}

int store_result_list(struct store *s, int64_t occ_id, struct plan_result **out, size_t *n, struct wb_err *err)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "SELECT r.pos, r.item, r.result, r.note, r.user_id, u.login, r.at FROM plan_results r"
			       " LEFT JOIN users u ON u.id = r.user_id WHERE r.occurrence_id = ? ORDER BY r.pos",
			    &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, occ_id);
	return collect(s, st, sizeof **out, read_result, result_item_clear, (void **)out, n, err);
}

/* ---- windows ---- */

#define WIN_COLS "w.id, w.title, w.description, w.org_id, o.name, w.system_id, y.name, w.starts_at, w.ends_at," \
		 " w.lead_hours, w.announce, w.ahead_sent_at, w.closed_sent_at, w.ics_uid, w.created_at"
#define WIN_FROM " FROM maint_windows w JOIN organisations o ON o.id = w.org_id" \
		 " LEFT JOIN systems y ON y.id = w.system_id "

static void read_window(sqlite3_stmt *st, void *item)
{
	struct maint_window *w = item;
	int i = 0;
	w->id = sqlite3_column_int64(st, i++);
	w->title = sp_col_text(st, i++);
	w->description = sp_col_text(st, i++);
	w->org_id = sqlite3_column_int64(st, i++);
	w->org = sp_col_text(st, i++);
	w->system_id = sqlite3_column_int64(st, i++);
	w->system = sp_col_text(st, i++);
	w->start = sqlite3_column_int64(st, i++);
	w->end = sqlite3_column_int64(st, i++);
	w->lead_hours = sqlite3_column_int(st, i++);
	w->announce = sqlite3_column_int(st, i++) != 0;
	w->ahead_sent_at = sqlite3_column_int64(st, i++);
	w->closed_sent_at = sqlite3_column_int64(st, i++);
	w->ics_uid = sp_col_text(st, i++);
	w->created_at = sqlite3_column_int64(st, i++);
}

int store_window_add(struct store *s, const struct maint_window *w, int64_t *id, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "INSERT INTO maint_windows(title, description, org_id, system_id, starts_at, ends_at,"
			       " lead_hours, announce, ics_uid, created_by, created_at)"
			       " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", &st, err);
	if (rc)
		return rc;
	sp_bind_text(st, 1, w->title);
	sp_bind_text(st, 2, w->description);
	sqlite3_bind_int64(st, 3, w->org_id);
	sp_bind_id(st, 4, w->system_id);
	sqlite3_bind_int64(st, 5, w->start);
	sqlite3_bind_int64(st, 6, w->end);
	sqlite3_bind_int(st, 7, w->lead_hours);
	sqlite3_bind_int(st, 8, w->announce);
	sp_bind_text(st, 9, w->ics_uid);
	sqlite3_bind_null(st, 10);
	sqlite3_bind_int64(st, 11, w->created_at ? w->created_at : clock_now());
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_CONSTRAINT)
		return wb_err_set(err, WB_EREFUSED, _("a window from calendar event %s exists already"),
				  w->ics_uid ? w->ics_uid : "?");
	if (rc != SQLITE_DONE)
		return sp_fail(s, rc, err);
	if (id)
		*id = sqlite3_last_insert_rowid(s->db);
	return WB_OK;
}

int store_window_get(struct store *s, int64_t id, struct maint_window *out, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "SELECT " WIN_COLS WIN_FROM "WHERE w.id = ?", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = get_row(s, st, sizeof *out, read_window, out, err)) == WB_ENOTFOUND)
		rc = wb_err_set(err, WB_ENOTFOUND, _("no maintenance window %lld (see weibao window list)"),
				(long long)id);
	return rc;
}

int store_window_by_uid(struct store *s, const char *uid, int64_t *id, struct wb_err *err)
{
	return query_id(s, "SELECT id FROM maint_windows WHERE ics_uid = ?", uid, id, err);
}

int store_window_page(struct store *s, wb_time from, wb_time to, const struct plan_key *after, size_t limit,
		      struct maint_window **out, size_t *n, struct wb_err *err)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "SELECT " WIN_COLS WIN_FROM
			       "WHERE w.starts_at < ?2 AND w.ends_at > ?1 AND (w.starts_at, w.id) > (?3, ?4)"
			       " ORDER BY w.starts_at, w.id LIMIT ?5", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	sqlite3_bind_int64(st, 3, after ? after->start : INT64_MIN);
	sqlite3_bind_int64(st, 4, after ? after->id : 0);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)limit);
	return collect(s, st, sizeof **out, read_window, window_item_clear, (void **)out, n, err);
}

int store_window_covering(struct store *s, int64_t org_id, int64_t system_id, wb_time at, bool *yes,
			  struct wb_err *err)
{
	*yes = false;
	if (!org_id)
		return WB_OK;
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "SELECT 1 FROM maint_windows WHERE org_id = ?1 AND ends_at > ?3 AND starts_at <= ?3"
			       " AND (system_id IS NULL OR system_id = ?2) LIMIT 1", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, org_id);
	sqlite3_bind_int64(st, 2, system_id);
	sqlite3_bind_int64(st, 3, at);
	rc = sqlite3_step(st);
	*yes = rc == SQLITE_ROW;
	rc = (rc == SQLITE_ROW || rc == SQLITE_DONE) ? WB_OK : sp_fail(s, rc, err);
	sqlite3_finalize(st);
	return rc;
}

int store_window_due(struct store *s, wb_time now, int64_t after_id, size_t limit, struct maint_window **out,
		     size_t *n, struct wb_err *err)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "SELECT " WIN_COLS WIN_FROM
			       "WHERE w.announce AND w.id > ?2 AND ("
			       " (w.ahead_sent_at IS NULL AND w.starts_at - w.lead_hours * 3600 <= ?1 AND w.ends_at > ?1)"
			       " OR (w.closed_sent_at IS NULL AND w.ends_at <= ?1))"
			       " ORDER BY w.id LIMIT ?3", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, after_id);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)limit);
	return collect(s, st, sizeof **out, read_window, window_item_clear, (void **)out, n, err);
}

int store_window_mark(struct store *s, int64_t id, const char *stage, wb_time at, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, strcmp(stage, "closed") == 0
				       ? "UPDATE maint_windows SET closed_sent_at = ?1 WHERE id = ?2"
				       : "UPDATE maint_windows SET ahead_sent_at = ?1 WHERE id = ?2", &st, err);
	if (rc)
		return rc;
	bind_time(st, 1, at);
	sqlite3_bind_int64(st, 2, id);
	return step_done(s, st, err);
}

/* ---- notices ---- */

int store_notice_sent(struct store *s, const char *what, int64_t ref_id, int64_t contact_id, const char *stage,
		      bool *sent, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "SELECT 1 FROM notices WHERE what = ? AND ref_id = ? AND contact_id = ? AND stage = ?",
			    &st, err);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, what, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, ref_id);
	sqlite3_bind_int64(st, 3, contact_id);
	sqlite3_bind_text(st, 4, stage, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	*sent = rc == SQLITE_ROW;
	rc = (rc == SQLITE_ROW || rc == SQLITE_DONE) ? WB_OK : sp_fail(s, rc, err);
	sqlite3_finalize(st);
	return rc;
}

int store_notice_add(struct store *s, const char *what, int64_t ref_id, int64_t contact_id, const char *stage,
		     wb_time at, struct wb_err *err)
{
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "INSERT OR IGNORE INTO notices(what, ref_id, contact_id, stage, sent_at)"
			       " VALUES (?, ?, ?, ?, ?)", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, what, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, ref_id);
	sqlite3_bind_int64(st, 3, contact_id);
	sqlite3_bind_text(st, 4, stage, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, at);
	return step_done(s, st, err);
}

/* ---- contacts of an organisation ---- */

static void read_contact_row(sqlite3_stmt *st, void *item)
{
	struct contact *c = item;
	c->id = sqlite3_column_int64(st, 0);
	c->name = sp_col_text(st, 1);
	c->email = sp_col_text(st, 2);
	c->phone = sp_col_text(st, 3);
	c->org_id = sqlite3_column_int64(st, 4);
	c->org = sp_col_text(st, 5);
	c->language = sp_col_text(st, 6);
	c->timezone = sp_col_text(st, 7);
	c->created_at = sqlite3_column_int64(st, 8);
}

int store_org_contacts(struct store *s, int64_t org_id, int64_t after_id, size_t limit, struct contact **out,
		       size_t *n, struct wb_err *err)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st;
	int rc = sp_prepare(s, "SELECT c.id, c.name, c.email, c.phone, c.org_id, o.name, c.language, c.timezone,"
			       " c.created_at FROM contacts c JOIN organisations o ON o.id = c.org_id"
			       " WHERE c.org_id = ?1 AND c.id > ?2 AND c.email IS NOT NULL ORDER BY c.id LIMIT ?3",
			    &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, org_id);
	sqlite3_bind_int64(st, 2, after_id);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)limit);
	return collect(s, st, sizeof **out, read_contact_row, contact_item_clear, (void **)out, n, err);
}

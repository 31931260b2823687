#include "ui_app.h"

#include "ui.h"

#include "canned.h"
#include "clock.h"
#include "desk_lookup.h"
#include "fmt.h"
#include "i18n.h"
#include "outbox.h"
#include "plan.h"
#include "strbuf.h"
#include "ui_calendar.h"
#include "ui_dashboard.h"
#include "ui_edit.h"
#include "ui_term.h"
#include "utf8.h"
#include "xmalloc.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The console's one screen context. */
static struct ui_app app;

#define POLL_MS 250
/* how long the operator must type nothing before the console reads ahead (under a key repeat's interval) */
#define IDLE_MS 15

/* the console's database page cache, KiB: see ui_main */
#define UI_CACHE_KIB 512

/* ---------------------------------------------------------------- messages */

void ui_app_message(struct ui_app *a, enum ui_role role, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(a->msg, sizeof a->msg, fmt, ap);
	va_end(ap);
	utf8_flatten(a->msg);
	a->msg_role = role;
	a->dirty |= UI_DIRTY_BOTTOM;
}

void ui_app_error(struct ui_app *a, const struct wb_err *err)
{
	ui_app_message(a, ROLE_ERROR, "%s", err->msg[0] ? err->msg : _("something went wrong"));
}

/* ---------------------------------------------------------------- drafts */

static char *draft_dir(void)
{
	const char *x = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	if (x && *x)
		return xasprintf("%s/weibao/drafts", x);
	if (home && *home)
		return xasprintf("%s/.local/share/weibao/drafts", home);
	return NULL;
}

static char *draft_path(int64_t ticket_id, const char *kind, bool create)
{
	char *dir = draft_dir();
	if (!dir)
		return NULL;
	if (create) {
		/* make each missing level, private to the operator */
		for (char *p = dir + 1; *p; p++)
			if (*p == '/') {
				*p = '\0';
				mkdir(dir, 0700);
				*p = '/';
			}
		mkdir(dir, 0700);
	}
	char *path = xasprintf("%s/ticket-%lld.%s", dir, (long long)ticket_id, kind);
	free(dir);
	return path;
}

char *ui_draft_load(int64_t ticket_id, const char *kind)
{
	char *path = draft_path(ticket_id, kind, false);
	if (!path)
		return NULL;
	FILE *f = fopen(path, "r");
	free(path);
	if (!f)
		return NULL;
	struct strbuf b = STRBUF_INIT;
	strbuf_read(&b, f, 0);
	fclose(f);
	return strbuf_detach(&b);
}

void ui_draft_save(int64_t ticket_id, const char *kind, const char *text)
{
	char *path = draft_path(ticket_id, kind, true);
	if (!path)
		return;
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
	free(path);
}

/* A line naming the tickets with unsent drafts ("#12 reply, #40 note"), or NULL when there are none. */
static char *drafts_pending(void)
{
	char *dir = draft_dir();
	if (!dir)
		return NULL;
	DIR *d = opendir(dir);
	free(dir);
	if (!d)
		return NULL;
	struct strbuf b = STRBUF_INIT;
	struct dirent *e;
	int n = 0;
	while ((e = readdir(d)) && n < 5) {
		long long id;
		char kind[16];
		if (sscanf(e->d_name, "ticket-%lld.%15s", &id, kind) == 2) {
			strbuf_addf(&b, "%s#%lld %s", n ? ", " : "", id, kind);
			n++;
		}
	}
	closedir(d);
	if (!n) {
		strbuf_free(&b);
		return NULL;
	}
	return strbuf_detach(&b);
}

void ui_draft_remove(int64_t ticket_id, const char *kind)
{
	char *path = draft_path(ticket_id, kind, false);
	if (path)
		unlink(path);
	free(path);
}

/* ---------------------------------------------------------------- views */

static void views_free(struct ui_app *a)
{
	for (size_t i = 0; i < a->nviews; i++) {
		free(a->views[i].title);
		free(a->views[i].text);
	}
	free(a->views);
	a->views = NULL;
	a->nviews = 0;
}

static struct ui_view *view_add(struct ui_app *a, const char *title, bool section)
{
	a->views = xrealloc(a->views, (a->nviews + 1) * sizeof a->views[0]);
	struct ui_view *v = &a->views[a->nviews++];
	memset(v, 0, sizeof *v);
	v->title = xstrdup(title);
	v->section = section;
	ticket_filter_init(&v->filter);
	return v;
}

static void views_build(struct ui_app *a)
{
	views_free(a);
	view_add(a, _("All open"), false);
	view_add(a, _("My tickets"), false)->filter.assignee_id = a->desk->me.id;
	view_add(a, _("Unassigned"), false)->filter.unassigned = true;
	view_add(a, _("At risk"), false)->filter.sla = 1;
	view_add(a, _("Breached"), false)->filter.sla = 2;
	view_add(a, _("Waiting on customer"), false)->filter.status_mask = 1u << STATUS_WAITING;
	view_add(a, _("Resolved and closed"), false)->filter.status_mask =
		(1u << STATUS_RESOLVED) | (1u << STATUS_CLOSED);
	struct queue_info *q = NULL;
	size_t nq = 0;
	struct wb_err err = { 0 };
	if (desk_lookup_queues(a->desk, &q, &nq, &err) == WB_OK && nq) {
		view_add(a, _("Queues"), true);
		for (size_t i = 0; i < nq; i++)
			view_add(a, q[i].name, false)->filter.queue_id = q[i].id;
	}
	desk_lookup_queues_free(&q, nq);
	view_add(a, _("Kinds"), true);
	for (int k = 0; k < KIND_COUNT; k++)
		view_add(a, ticket_kind_label((enum ticket_kind)k), false)->filter.kind = k;
	struct saved_view *sv = NULL;
	size_t ns = 0;
	if (desk_view_list(a->desk, &sv, &ns, &err) == WB_OK && ns) {
		view_add(a, _("Saved searches"), true);
		for (size_t i = 0; i < ns; i++) {
			struct ui_view *v = view_add(a, sv[i].name, false);
			v->filter = sv[i].filter;
			v->text = sv[i].text;
			sv[i].text = NULL;
			v->filter.text = NULL;
		}
	}
	desk_views_free(&sv, ns);
}

static void apply_view(struct ui_app *a)
{
	a->filter = a->views[a->view].filter;
	a->filter.now = clock_now();
	/* a saved search brings its own text; typing '/' narrows further only in other views */
	a->filter.text = a->views[a->view].text ? a->views[a->view].text : a->filter_text;
	ui_list_clear_marks(a->list);
	int rc = ui_list_load(a->list);
	if (rc)
		ui_app_message(a, ROLE_ERROR, "%s", ui_list_error(a->list));
	a->dirty |= UI_DIRTY_ALL;
}

static void step_view(struct ui_app *a, int dir)
{
	size_t v = a->view;
	for (size_t i = 0; i < a->nviews; i++) {
		v = (v + a->nviews + (size_t)(dir > 0 ? 1 : -1)) % a->nviews;
		if (!a->views[v].section)
			break;
	}
	a->view = v;
	a->dash_back = false;
	apply_view(a);
}

/* ---------------------------------------------------------------- the list of tickets */

static int src_fetch(void *ctx, const void *anchor, int dir, int n, void **rows, struct wb_err *err)
{
	struct ui_app *a = ctx;
	struct ticket_key key;
	if (anchor)
		ticket_key_of(anchor, a->sort, &key);
	struct ticket_list tl = { 0 };
	a->filter.now = clock_now();
	int rc = desk_ticket_page(a->desk, &a->filter, a->sort, anchor ? &key : NULL, dir < 0, (size_t)n, &tl, err);
	if (rc)
		return rc;
	size_t got = tl.n < (size_t)n ? tl.n : (size_t)n;
	for (size_t i = 0; i < got; i++) {
		struct ticket *t = xmalloc(sizeof *t);
		*t = tl.items[i]; /* the strings move to the row */
		rows[i] = t;
	}
	for (size_t i = got; i < tl.n; i++)
		ticket_clear(&tl.items[i]);
	free(tl.items);
	return (int)got;
}

static int64_t src_id(void *ctx, const void *row)
{
	(void)ctx;
	return ((const struct ticket *)row)->id;
}

static void src_free(void *ctx, void *row)
{
	(void)ctx;
	struct ticket *t = row;
	ticket_free(&t);
}

enum col_id { COL_ID, COL_PRI, COL_STATUS, COL_KIND, COL_SUBJECT, COL_REQUESTER, COL_ORG, COL_ASSIGNEE,
	      COL_SLA, COL_UPDATED, COL__COUNT };

static const struct {
	const char *title;
	int width;  /* 0: takes the room left */
	int drop;   /* dropped first when narrow: highest; 0 never */
} columns[COL__COUNT] = {
	[COL_ID] = { N_("#"), 6, 0 },
	[COL_PRI] = { N_("P"), 2, 0 },
	[COL_STATUS] = { N_("Status"), 11, 0 },
	[COL_KIND] = { N_("Kind"), 9, 5 },
	[COL_SUBJECT] = { N_("Subject"), 0, 0 },
	[COL_REQUESTER] = { N_("Requester"), 14, 3 },
	[COL_ORG] = { N_("Org"), 12, 6 },
	[COL_ASSIGNEE] = { N_("Assignee"), 9, 2 },
	[COL_SLA] = { N_("SLA due"), 12, 1 },
	[COL_UPDATED] = { N_("Updated"), 11, 4 },
};

#define MIN_SUBJECT 20

/* Column x positions and widths for a list `width` cells wide; width 0 = not shown. */
static void layout_columns(int width, int x[COL__COUNT], int w[COL__COUNT])
{
	bool on[COL__COUNT];
	for (int c = 0; c < COL__COUNT; c++)
		on[c] = true;
	for (;;) {
		int used = 0, n = 0;
		for (int c = 0; c < COL__COUNT; c++)
			if (on[c]) {
				used += columns[c].width;
				n++;
			}
		used += n - 1; /* one space between columns */
		if (width - used >= MIN_SUBJECT)
			break;
		int worst = -1;
		for (int c = 0; c < COL__COUNT; c++)
			if (on[c] && columns[c].drop && (worst < 0 || columns[c].drop > columns[worst].drop))
				worst = c;
		if (worst < 0)
			break;
		on[worst] = false;
	}
	int fixed = 0, n = 0;
	for (int c = 0; c < COL__COUNT; c++)
		if (on[c]) {
			fixed += columns[c].width;
			n++;
		}
	int subject = width - fixed - (n - 1);
	if (subject < 1)
		subject = 1;
	int pos = 0;
	for (int c = 0; c < COL__COUNT; c++) {
		x[c] = pos;
		w[c] = on[c] ? (c == COL_SUBJECT ? subject : columns[c].width) : 0;
		if (w[c])
			pos += w[c] + 1;
	}
}

static enum ui_role sla_role(enum sla_state s)
{
	switch (s) {
	case SLA_AT_RISK: return ROLE_SLA_AT_RISK;
	case SLA_BREACHED:
	case SLA_MISSED: return ROLE_SLA_BREACHED;
	default: return ROLE_NORMAL;
	}
}

static void src_draw(void *ctx, const void *row, int y, int x0, int width, unsigned flags)
{
	struct ui_app *a = ctx;
	const struct ticket *t = row;
	int x[COL__COUNT], w[COL__COUNT];
	layout_columns(width, x, w);
	bool sel = flags & UI_LIST_SELECTED;
	bool marked = flags & UI_LIST_MARKED;
	enum ui_role base = sel ? ROLE_SELECTED : marked ? ROLE_MARKED : ROLE_NORMAL;
	ui_term_fill(y, x0, width, base);
	wb_time now = clock_now();
	char buf[64];
	for (int c = 0; c < COL__COUNT; c++) {
		if (!w[c])
			continue;
		enum ui_role role = base;
		const char *text = "";
		unsigned fl = UI_TEXT_PAD | UI_TEXT_ELLIPSIS;
		switch (c) {
		case COL_ID:
			snprintf(buf, sizeof buf, "%s%5lld", marked ? "*" : " ", (long long)t->id);
			text = buf;
			break;
		case COL_PRI:
			snprintf(buf, sizeof buf, "P%d", t->priority);
			text = buf;
			if (!sel)
				role = t->priority == 1 ? ROLE_P1 : t->priority == 2 ? ROLE_P2
					: t->priority == 3 ? ROLE_P3 : ROLE_P4;
			break;
		case COL_STATUS: text = ticket_status_label(t->status); break;
		case COL_KIND: text = ticket_kind_label(t->kind); break;
		case COL_SUBJECT: text = t->subject ? t->subject : ""; break;
		case COL_REQUESTER:
			text = t->requester_name && *t->requester_name ? t->requester_name
				: t->requester_email ? t->requester_email : t->requester_phone ? t->requester_phone : "";
			break;
		case COL_ORG: text = t->org ? t->org : ""; break;
		case COL_ASSIGNEE: text = t->assignee && *t->assignee ? t->assignee : "-"; break;
		case COL_SLA:
			if (ticket_status_is_open(t->status) && t->sla_due && !t->paused_at) {
				fmt_relative(now, t->sla_due, buf, sizeof buf);
				text = buf;
				if (!sel)
					role = sla_role(desk_ticket_sla(a->desk, t, now));
			} else {
				text = t->paused_at ? _("paused") : "-";
			}
			break;
		case COL_UPDATED:
			fmt_short(now, t->updated_at, buf, sizeof buf);
			text = buf;
			break;
		}
		ui_term_text(y, x0 + x[c], w[c], text, role, fl);
	}
}

static void draw_list_header(struct ui_app *a)
{
	int x0 = a->side_width;
	int width = a->cols - x0;
	int x[COL__COUNT], w[COL__COUNT];
	layout_columns(width, x, w);
	ui_term_fill(1, x0, width, ROLE_HEADER);
	for (int c = 0; c < COL__COUNT; c++)
		if (w[c])
			ui_term_text(1, x0 + x[c], w[c], _(columns[c].title), ROLE_HEADER,
				     c == COL_ID ? UI_TEXT_RIGHT : UI_TEXT_PAD);
}

/* ---------------------------------------------------------------- top bar, side list, bottom line */

static void draw_top(struct ui_app *a)
{
	time_t now = (time_t)clock_now();
	struct tm tm;
	localtime_r(&now, &tm);
	char clock_s[16];
	strftime(clock_s, sizeof clock_s, "%H:%M", &tm);
	const char *desk_name = a->desk->cfg && a->desk->cfg->desk_name ? a->desk->cfg->desk_name : "weibao";
	const char *who = a->desk->me.login ? a->desk->me.login : "?";
	char *where = a->screen == UI_SCREEN_TICKET ? xstrdup(_("ticket"))
		: a->sort == SORT_DEFAULT ? xstrdup(a->views[a->view].title)
		: xasprintf(_("%s, by %s"), a->views[a->view].title, ticket_sort_name(a->sort));
	char *left = a->cols >= 100 ? xasprintf(" %s · %s", desk_name, where) : xasprintf(" %s", where);
	free(where);
	char n[4][24];
	const int64_t vals[4] = { a->counts.mine, a->counts.unassigned, a->counts.at_risk, a->counts.breached };
	for (int i = 0; i < 4; i++) {
		/* counts stop at the cap: "999+" says "a lot" without counting a million rows */
		if (vals[i] >= TICKET_COUNT_CAP)
			snprintf(n[i], sizeof n[i], "%d+", TICKET_COUNT_CAP - 1);
		else
			snprintf(n[i], sizeof n[i], "%lld", (long long)vals[i]);
	}
	char *maint = a->maint_open || a->maint_missed
		? xasprintf(_(" · maintenance %d open, %d missed"), a->maint_open, a->maint_missed) : xstrdup("");
	char *right = xasprintf(_("%s │ mine %s · unassigned %s · at risk %s · breached %s%s │ %s "), who, n[0], n[1],
				n[2], n[3], maint, clock_s);
	free(maint);
	int rw = utf8_width(right);
	if (rw > a->cols)
		rw = a->cols;
	ui_term_text(0, 0, a->cols - rw, left, ROLE_TOPBAR, UI_TEXT_PAD | UI_TEXT_ELLIPSIS);
	ui_term_text(0, a->cols - rw, rw, right, a->counts.breached ? ROLE_TOPBAR_COUNT : ROLE_TOPBAR,
		     UI_TEXT_PAD);
	free(left);
	free(right);
}

static void draw_side(struct ui_app *a)
{
	if (!a->side_width)
		return;
	ui_term_text(1, 0, a->side_width, _(" Views"), ROLE_HEADER, UI_TEXT_PAD);
	int h = a->rows - 3;
	for (int i = 0; i < h; i++) {
		int y = 2 + i;
		if ((size_t)i >= a->nviews) {
			ui_term_fill(y, 0, a->side_width, ROLE_SIDEBAR);
			continue;
		}
		const struct ui_view *v = &a->views[i];
		enum ui_role role = v->section ? ROLE_SIDEBAR_TITLE
			: (size_t)i == a->view ? (a->side_focus ? ROLE_SIDEBAR_SEL : ROLE_SELECTED) : ROLE_SIDEBAR;
		char *text = xasprintf("%s%s", v->section ? "" : " ", v->title);
		ui_term_text(y, 0, a->side_width - 1, text, role, UI_TEXT_PAD | UI_TEXT_ELLIPSIS);
		ui_term_fill(y, a->side_width - 1, 1, ROLE_SIDEBAR);
		free(text);
	}
}

/* Short labels for the bottom line, per screen. */
static const struct {
	enum ui_ctx ctx;
	enum ui_action act;
	const char *label;
} hints[] = {
	{ UI_CTX_LIST, ACT_OPEN, N_("open") },
	{ UI_CTX_LIST, ACT_TAKE, N_("take") },
	{ UI_CTX_LIST, ACT_STATUS, N_("status") },
	{ UI_CTX_LIST, ACT_MARK, N_("mark") },
	{ UI_CTX_LIST, ACT_FILTER, N_("filter") },
	{ UI_CTX_LIST, ACT_NEXT_VIEW, N_("view") },
	{ UI_CTX_LIST, ACT_CALL, N_("call") },
	{ UI_CTX_LIST, ACT_HELP, N_("help") },
	{ UI_CTX_LIST, ACT_QUIT, N_("quit") },
	{ UI_CTX_TICKET, ACT_REPLY, N_("reply") },
	{ UI_CTX_TICKET, ACT_NOTE, N_("note") },
	{ UI_CTX_TICKET, ACT_STATUS, N_("status") },
	{ UI_CTX_TICKET, ACT_TAKE, N_("take") },
	{ UI_CTX_TICKET, ACT_ASSIGN, N_("assign") },
	{ UI_CTX_TICKET, ACT_CALL, N_("call") },
	{ UI_CTX_TICKET, ACT_HELP, N_("help") },
	{ UI_CTX_TICKET, ACT_QUIT, N_("back") },
};

static void first_key(const struct ui_keymap *km, enum ui_ctx ctx, enum ui_action act, char *buf, size_t n)
{
	ui_keymap_keys_for(km, ctx, act, buf, n);
	if (!buf[0])
		ui_keymap_keys_for(km, UI_CTX_GLOBAL, act, buf, n);
	char *comma = strchr(buf, ',');
	if (comma)
		*comma = '\0';
}

void ui_app_draw_bottom(struct ui_app *a, enum ui_ctx ctx)
{
	int y = a->rows - 1;
	if (a->msg[0]) {
		ui_term_text(y, 0, a->cols, a->msg, a->msg_role, UI_TEXT_PAD | UI_TEXT_ELLIPSIS);
		return;
	}
	struct strbuf b = STRBUF_INIT;
	size_t nm;
	ui_list_marks(a->list, &nm);
	if (nm && ctx == UI_CTX_LIST)
		strbuf_addf(&b, _(" [%zu marked]"), nm);
	if (a->dash_back && ctx == UI_CTX_LIST) /* a dashboard figure's tickets: say which, and the way back */
		strbuf_addf(&b, _(" %s · Esc: dashboard │"), a->views[a->view].title);
	for (size_t i = 0; i < sizeof hints / sizeof hints[0]; i++) {
		if (hints[i].ctx != ctx)
			continue;
		char k[48];
		first_key(&a->keys, ctx, hints[i].act, k, sizeof k);
		if (!k[0])
			continue;
		strbuf_addf(&b, " %s:%s ", k, _(hints[i].label));
	}
	ui_term_text(y, 0, a->cols, strbuf_str(&b), ROLE_STATUSBAR, UI_TEXT_PAD | UI_TEXT_ELLIPSIS);
	strbuf_free(&b);
}

static void draw_queue_empty(struct ui_app *a)
{
	if (!ui_list_empty(a->list))
		return;
	const char *text = a->filter_text ? _("No ticket matches the filter.") : _("No tickets in this view.");
	ui_term_text(3, a->side_width + 2, a->cols - a->side_width - 2, text, ROLE_DIM, 0);
}

/* ---------------------------------------------------------------- layout and refresh */

static void layout(struct ui_app *a)
{
	ui_term_size(&a->rows, &a->cols);
	a->side_width = a->cols >= 120 ? 24 : 0;
	if (!a->side_width)
		a->side_focus = false;
	ui_list_place(a->list, 2, a->side_width, a->rows - 3, a->cols - a->side_width);
	ui_list_set_focus(a->list, !a->side_focus);
	a->dirty = UI_DIRTY_ALL;
	ui_term_clear();
	if (a->ticket && a->doc_width != a->cols)
		ui_app_refresh(a, true);
}

static long long mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The counts cost a few queries over all open tickets: read them at start, when asked, and after a
 * change at most once a second (never per keystroke). */
static void load_counts(struct ui_app *a)
{
	struct wb_err err = { 0 };
	a->counts_stale = false;
	a->counts_ms = mono_ms();
	a->stats.recounts++;
	if (desk_counts(a->desk, &a->counts, &err) != WB_OK)
		ui_app_error(a, &err);
	if (plan_today_counts(a->desk, &a->maint_open, &a->maint_missed, NULL) != WB_OK)
		a->maint_open = a->maint_missed = 0;
	a->dirty |= UI_DIRTY_TOP;
}

static int reload_ticket(struct ui_app *a)
{
	struct wb_err err = { 0 };
	struct ticket *t = NULL;
	int rc = desk_ticket_get(a->desk, a->ticket_id, &t, &err);
	if (rc) {
		ui_app_error(a, &err);
		return rc;
	}
	struct message_list msgs = { 0 };
	rc = desk_ticket_messages(a->desk, a->ticket_id, &msgs, &err);
	if (rc) {
		ticket_free(&t);
		ui_app_error(a, &err);
		return rc;
	}
	ticket_free(&a->ticket);
	a->ticket = t;
	ui_ticket_build(a, &msgs);
	message_list_free(&msgs);
	a->dirty |= UI_DIRTY_HEAD | UI_DIRTY_BODY;
	return WB_OK;
}

void ui_app_refresh(struct ui_app *a, bool force)
{
	struct wb_err err = { 0 };
	int64_t v = a->data_version;
	if (desk_data_version(a->desk, &v, &err) != WB_OK) {
		ui_app_error(a, &err);
		return;
	}
	if (!force && v == a->data_version)
		return;
	a->data_version = v;
	if (force)
		load_counts(a);
	else
		a->counts_stale = true;
	if (ui_list_reload(a->list) != WB_OK)
		ui_app_message(a, ROLE_ERROR, "%s", ui_list_error(a->list));
	if (a->screen == UI_SCREEN_TICKET && a->ticket_id)
		reload_ticket(a);
}

int ui_app_open_ticket(struct ui_app *a, int64_t id)
{
	a->ticket_id = id;
	a->doc_top = 0;
	int rc = reload_ticket(a);
	if (rc) {
		a->ticket_id = 0;
		return rc;
	}
	a->screen = UI_SCREEN_TICKET;
	a->dirty = UI_DIRTY_ALL;
	ui_term_clear();
	return WB_OK;
}

static void close_ticket(struct ui_app *a)
{
	ticket_free(&a->ticket);
	ui_doc_clear(&a->doc);
	a->ticket_id = 0;
	a->screen = UI_SCREEN_QUEUE;
	a->dirty = UI_DIRTY_ALL;
	ui_term_clear();
	ui_list_invalidate(a->list);
}

void ui_app_show_filter(struct ui_app *a, const char *title, const struct ticket_filter *f)
{
	if (a->screen == UI_SCREEN_TICKET)
		close_ticket(a);
	size_t i = 0;
	while (i < a->nviews && (a->views[i].section || strcmp(a->views[i].title, title) != 0))
		i++;
	if (i == a->nviews)
		view_add(a, title, false);
	a->views[i].filter = *f;
	a->views[i].filter.text = NULL;
	free(a->filter_text);
	a->filter_text = NULL;
	a->view = i;
	apply_view(a);
}

size_t ui_app_targets(struct ui_app *a, int64_t **ids)
{
	*ids = NULL;
	if (a->screen == UI_SCREEN_TICKET) {
		if (!a->ticket_id)
			return 0;
		*ids = xmalloc(sizeof **ids);
		(*ids)[0] = a->ticket_id;
		return 1;
	}
	size_t n;
	const int64_t *m = ui_list_marks(a->list, &n);
	if (n) {
		*ids = xmalloc(n * sizeof **ids);
		memcpy(*ids, m, n * sizeof **ids);
		return n;
	}
	const struct ticket *t = ui_list_selected(a->list);
	if (!t)
		return 0;
	*ids = xmalloc(sizeof **ids);
	(*ids)[0] = t->id;
	return 1;
}

/* The version of the single ticket an action works on, as the operator saw it. */
static int64_t seen_version(struct ui_app *a, int64_t id)
{
	if (a->screen == UI_SCREEN_TICKET && a->ticket && a->ticket->id == id)
		return a->ticket->version;
	const struct ticket *t = ui_list_selected(a->list);
	return t && t->id == id ? t->version : 0;
}

/* ---------------------------------------------------------------- actions on tickets */

static void after_change(struct ui_app *a, int rc, struct wb_err *err, const char *done_msg)
{
	if (rc == WB_ECONFLICT) {
		ui_app_refresh(a, true);
		ui_app_message(a, ROLE_ERROR, _("%s — reloaded: look at the change and try again"), err->msg);
		return;
	}
	if (rc) {
		ui_app_error(a, err);
		return;
	}
	if (a->screen == UI_SCREEN_QUEUE)
		ui_list_clear_marks(a->list);
	ui_app_refresh(a, true);
	ui_app_message(a, ROLE_MESSAGE, "%s", done_msg);
}

static int apply_change(struct ui_app *a, const int64_t *ids, size_t n, const struct ticket_change *c,
			const char *what)
{
	struct wb_err err = { 0 };
	int64_t expect = n == 1 ? seen_version(a, ids[0]) : 0;
	int rc = desk_ticket_change(a->desk, ids, n, c, expect, &err);
	char *done = n == 1 ? xasprintf(_("#%lld: %s"), (long long)ids[0], what)
			    : xasprintf(_("%zu tickets: %s"), n, what);
	after_change(a, rc, &err, done);
	free(done);
	return rc;
}

static void action_status(struct ui_app *a, const int64_t *ids, size_t n)
{
	/* only the statuses every target may go to */
	unsigned allowed = ~0u;
	for (size_t i = 0; i < n; i++) {
		struct ticket *t = NULL;
		struct wb_err err = { 0 };
		if (desk_ticket_get(a->desk, ids[i], &t, &err) != WB_OK) {
			ui_app_error(a, &err);
			return;
		}
		enum ticket_status to[STATUS_COUNT];
		size_t k = ticket_transitions(t->status, to);
		unsigned mask = 0;
		for (size_t j = 0; j < k; j++)
			mask |= 1u << to[j];
		allowed &= mask;
		ticket_free(&t);
	}
	const char *labels[STATUS_COUNT];
	enum ticket_status which[STATUS_COUNT];
	size_t nl = 0;
	for (int s = 0; s < STATUS_COUNT; s++)
		if (allowed & (1u << s)) {
			which[nl] = (enum ticket_status)s;
			labels[nl++] = ticket_status_label((enum ticket_status)s);
		}
	if (!nl) {
		ui_app_message(a, ROLE_ERROR, _("no status change is allowed from here"));
		return;
	}
	size_t choice;
	if (!ui_prompt_menu(a, _("Change status to"), labels, nl, &choice))
		return;
	struct ticket_change c;
	ticket_change_init(&c);
	c.set_status = true;
	c.status = which[choice];
	char *what = xasprintf(_("status %s"), labels[choice]);
	apply_change(a, ids, n, &c, what);
	free(what);
}

static void action_priority(struct ui_app *a, const int64_t *ids, size_t n)
{
	const char *labels[4];
	for (int p = 1; p <= 4; p++)
		labels[p - 1] = ticket_priority_label(p);
	size_t choice;
	if (!ui_prompt_menu(a, _("Priority"), labels, 4, &choice))
		return;
	struct ticket_change c;
	ticket_change_init(&c);
	c.priority = (int)choice + 1;
	apply_change(a, ids, n, &c, labels[choice]);
}

static void action_kind(struct ui_app *a, const int64_t *ids, size_t n)
{
	const char *labels[KIND_COUNT];
	for (int k = 0; k < KIND_COUNT; k++)
		labels[k] = ticket_kind_label((enum ticket_kind)k);
	size_t choice;
	if (!ui_prompt_menu(a, _("Kind"), labels, KIND_COUNT, &choice))
		return;
	struct ticket_change c;
	ticket_change_init(&c);
	c.kind = (int)choice;
	apply_change(a, ids, n, &c, labels[choice]);
}

static void action_queue(struct ui_app *a, const int64_t *ids, size_t n)
{
	struct queue_info *q = NULL;
	size_t nq = 0;
	struct wb_err err = { 0 };
	if (desk_lookup_queues(a->desk, &q, &nq, &err) != WB_OK) {
		ui_app_error(a, &err);
		return;
	}
	const char **labels = xcalloc(nq ? nq : 1, sizeof *labels);
	for (size_t i = 0; i < nq; i++)
		labels[i] = q[i].name;
	size_t choice;
	if (nq && ui_prompt_menu(a, _("Move to queue"), labels, nq, &choice)) {
		struct ticket_change c;
		ticket_change_init(&c);
		c.queue = q[choice].name;
		char *what = xasprintf(_("queue %s"), q[choice].name);
		apply_change(a, ids, n, &c, what);
		free(what);
	}
	free(labels);
	desk_lookup_queues_free(&q, nq);
}

static void action_assign(struct ui_app *a, const int64_t *ids, size_t n)
{
	struct user *u = NULL;
	size_t nu = 0;
	struct wb_err err = { 0 };
	if (desk_lookup_users(a->desk, &u, &nu, &err) != WB_OK) {
		ui_app_error(a, &err);
		return;
	}
	const char **words = xcalloc(nu ? nu : 1, sizeof *words);
	for (size_t i = 0; i < nu; i++)
		words[i] = u[i].login;
	char *login = NULL;
	if (ui_prompt_line(a, _("Assign to (login, empty to unassign): "), "", words, nu, &login)) {
		struct ticket_change c;
		ticket_change_init(&c);
		c.assignee = login;
		char *what = *login ? xasprintf(_("assigned to %s"), login) : xstrdup(_("unassigned"));
		apply_change(a, ids, n, &c, what);
		free(what);
		free(login);
	}
	free(words);
	desk_lookup_users_free(&u, nu);
}

static bool blank(const char *s)
{
	for (; s && *s; s++)
		if (*s != ' ' && *s != '\n' && *s != '\t' && *s != '\r')
			return false;
	return true;
}

static char *canned_dir(void)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	return xdg && *xdg ? xasprintf("%s/weibao/canned", xdg)
		: home && *home ? xasprintf("%s/.config/weibao/canned", home) : NULL;
}

/* Offers the canned responses (when there are any) as a start for a reply or note on ticket id.
 * Returns the expanded text, "" for a blank start, or NULL when the operator cancelled. */
static char *choose_canned(struct ui_app *a, int64_t id)
{
	char *dir = canned_dir();
	char **names = NULL;
	size_t n = 0;
	struct wb_err err = { 0 };
	if (!dir || canned_list(dir, &names, &n, &err) != WB_OK || !n) {
		free(dir);
		return xstrdup("");
	}
	const char **labels = xcalloc(n + 1, sizeof *labels);
	labels[0] = _("(blank)");
	for (size_t i = 0; i < n; i++)
		labels[i + 1] = names[i];
	size_t choice;
	char *out = NULL;
	if (ui_prompt_menu(a, _("Start from a canned response"), labels, n + 1, &choice)) {
		char *tmpl = NULL;
		struct ticket *t = NULL;
		if (choice == 0) {
			out = xstrdup("");
		} else if (canned_load(dir, names[choice - 1], &tmpl, &err) != WB_OK ||
			   desk_ticket_get(a->desk, id, &t, &err) != WB_OK) {
			ui_app_error(a, &err);
			out = xstrdup("");
		} else {
			out = canned_expand(tmpl, t, &a->desk->me);
		}
		free(tmpl);
		ticket_free(&t);
	}
	free(labels);
	canned_names_free(&names, n);
	free(dir);
	return out;
}

/* Writes a reply or a note (kind "reply"/"note") with the operator's editor. */
static void action_compose(struct ui_app *a, const int64_t *ids, size_t n, enum message_kind kind)
{
	const char *kname = kind == MSG_REPLY ? "reply" : "note";
	if (kind == MSG_REPLY && n != 1) {
		ui_app_message(a, ROLE_ERROR, _("a reply goes to one ticket: open it or unmark the others"));
		return;
	}
	int64_t id = ids[0];
	int64_t expect = n == 1 ? seen_version(a, id) : 0;
	char *draft = n == 1 ? ui_draft_load(id, kname) : NULL;
	if (!draft && n == 1) {
		draft = choose_canned(a, id);
		if (!draft) {
			ui_app_message(a, ROLE_MESSAGE, kind == MSG_REPLY ? _("Reply cancelled") : _("Note cancelled"));
			return;
		}
	}
	char *title;
	if (kind == MSG_REPLY)
		title = xasprintf(_("Reply to #%lld (sent to the requester by email)"), (long long)id);
	else if (n == 1)
		title = xasprintf(_("Internal note on #%lld (not sent to the customer)"), (long long)id);
	else
		title = xasprintf(_("Internal note on %zu tickets"), n);
	char *text = NULL;
	struct wb_err err = { 0 };
	int rc = ui_edit_compose(title, draft ? draft : "", &a->keys, &text, &err);
	free(title);
	free(draft);
	a->dirty = UI_DIRTY_ALL;
	ui_list_invalidate(a->list);
	layout(a);
	if (rc == WB_ETEMP || ui_term_quit_signal()) {
		if (text && !blank(text))
			ui_draft_save(id, kname, text);
		free(text);
		a->quit = true;
		return;
	}
	if (rc) {
		ui_app_error(a, &err);
		return;
	}
	if (!text) {
		ui_app_message(a, ROLE_MESSAGE, kind == MSG_REPLY ? _("Reply cancelled") : _("Note cancelled"));
		return;
	}
	if (blank(text)) {
		ui_draft_remove(id, kname);
		ui_app_message(a, ROLE_MESSAGE, _("Nothing written: nothing sent"));
		free(text);
		return;
	}
	for (;;) {
		if (n == 1) {
			struct desk_message m = { 0 };
			m.kind = kind;
			m.body = text;
			rc = desk_ticket_add_message(a->desk, id, &m, expect, NULL, &err);
		} else {
			struct ticket_change c;
			ticket_change_init(&c);
			c.note = text;
			rc = desk_ticket_change(a->desk, ids, n, &c, 0, &err);
		}
		if (rc != WB_ECONFLICT)
			break;
		/* someone changed the ticket while this was written: show it, then ask */
		ui_app_refresh(a, true);
		if (a->screen == UI_SCREEN_TICKET)
			ui_ticket_draw(a);
		if (!ui_prompt_yes(a, _("The ticket changed while you were writing (shown now). Send anyway? (y/n) "))) {
			ui_draft_save(id, kname, text);
			ui_app_message(a, ROLE_MESSAGE, _("Not sent; kept as a draft (press the key again to continue)"));
			free(text);
			return;
		}
		struct ticket *t = NULL;
		if (desk_ticket_get(a->desk, id, &t, &err) == WB_OK) {
			expect = t->version;
			ticket_free(&t);
		}
	}
	if (rc) {
		if (n == 1)
			ui_draft_save(id, kname, text);
		ui_app_error(a, &err);
		free(text);
		return;
	}
	if (n == 1)
		ui_draft_remove(id, kname);
	free(text);
	/* send it now, in a process of its own: the screen never waits for the mail server */
	if (kind == MSG_REPLY && a->db_path)
		outbox_kick("/proc/self/exe", a->db_path, a->config_path, NULL);
	char *done = kind == MSG_REPLY ? xasprintf(_("Reply to #%lld queued for sending"), (long long)id)
		: n == 1 ? xasprintf(_("Note added to #%lld"), (long long)id) : xasprintf(_("Note added to %zu tickets"), n);
	after_change(a, WB_OK, &err, done);
	free(done);
}

static void action_link(struct ui_app *a, int64_t id, bool merge)
{
	char *other = NULL;
	if (!ui_prompt_line(a, merge ? _("Merge into ticket #: ") : _("Link to ticket #: "), "", NULL, 0, &other))
		return;
	const char *p = other[0] == '#' ? other + 1 : other;
	char *end;
	long long to = strtoll(p, &end, 10);
	if (!*p || *end || to <= 0) {
		ui_app_message(a, ROLE_ERROR, _("'%s' is not a ticket number"), other);
		free(other);
		return;
	}
	free(other);
	struct wb_err err = { 0 };
	int rc;
	char *done;
	if (merge) {
		if (!ui_prompt_yes(a, _("Move this conversation into the other ticket and close this one? (y/n) ")))
			return;
		rc = desk_ticket_merge(a->desk, id, to, &err);
		done = xasprintf(_("#%lld merged into #%lld"), (long long)id, to);
	} else {
		const char *labels[LINK_COUNT];
		for (int k = 0; k < LINK_COUNT; k++)
			labels[k] = link_kind_label((enum link_kind)k);
		size_t choice;
		if (!ui_prompt_menu(a, _("Link kind"), labels, LINK_COUNT, &choice))
			return;
		rc = desk_ticket_link(a->desk, id, to, (enum link_kind)choice, &err);
		done = xasprintf(_("#%lld %s #%lld"), (long long)id, labels[choice], to);
	}
	after_change(a, rc, &err, done);
	free(done);
}

bool ui_app_ticket_action(struct ui_app *a, enum ui_action act)
{
	switch (act) {
	case ACT_TAKE: case ACT_STATUS: case ACT_CLOSE: case ACT_PRIORITY: case ACT_KIND: case ACT_QUEUE:
	case ACT_ASSIGN: case ACT_NOTE: case ACT_REPLY: case ACT_LINK: case ACT_MERGE:
		break;
	default:
		return false;
	}
	int64_t *ids;
	size_t n = ui_app_targets(a, &ids);
	if (!n) {
		ui_app_message(a, ROLE_ERROR, _("no ticket selected"));
		return true;
	}
	struct ticket_change c;
	ticket_change_init(&c);
	switch (act) {
	case ACT_TAKE:
		c.take = true;
		apply_change(a, ids, n, &c, _("assigned to you"));
		break;
	case ACT_CLOSE:
		c.set_status = true;
		c.status = STATUS_CLOSED;
		apply_change(a, ids, n, &c, ticket_status_label(STATUS_CLOSED));
		break;
	case ACT_STATUS: action_status(a, ids, n); break;
	case ACT_PRIORITY: action_priority(a, ids, n); break;
	case ACT_KIND: action_kind(a, ids, n); break;
	case ACT_QUEUE: action_queue(a, ids, n); break;
	case ACT_ASSIGN: action_assign(a, ids, n); break;
	case ACT_NOTE: action_compose(a, ids, n, MSG_NOTE); break;
	case ACT_REPLY: action_compose(a, ids, n, MSG_REPLY); break;
	case ACT_LINK:
	case ACT_MERGE:
		if (n != 1)
			ui_app_message(a, ROLE_ERROR, _("link and merge work on one ticket"));
		else
			action_link(a, ids[0], act == ACT_MERGE);
		break;
	default:
		break;
	}
	free(ids);
	return true;
}

/* ---------------------------------------------------------------- the '/' filter and ':' commands */

static void filter_loop(struct ui_app *a)
{
	struct ui_line line;
	ui_line_init(&line, a->filter_text ? a->filter_text : "");
	for (;;) {
		a->msg[0] = '\0';
		ui_list_draw(a->list);
		draw_queue_empty(a);
		int y = a->rows - 1;
		ui_term_text(y, 0, 2, "/", ROLE_INPUT, UI_TEXT_PAD);
		int cx = ui_line_draw(&line, y, 2, a->cols - 2, ROLE_INPUT);
		ui_term_cursor(y, cx);
		ui_term_flush();
		int key = ui_term_key(-1);
		if (key == UI_KEY_QUIT_SIGNAL) {
			a->quit = true;
			break;
		}
		if (key == UI_KEY_ENTER)
			break;
		if (key == UI_KEY_ESC || key == UI_KEY_CTRL('g')) {
			ui_line_set(&line, ""); /* Esc drops the filter: the whole view again */
		} else if (key == UI_KEY_RESIZE || key == UI_KEY_REDRAW) {
			layout(a);
			continue;
		} else if (!ui_line_key(&line, key)) {
			continue;
		}
		free(a->filter_text);
		a->filter_text = *ui_line_text(&line) ? xstrdup(ui_line_text(&line)) : NULL;
		a->filter.text = a->filter_text;
		if (ui_list_load(a->list) != WB_OK)
			ui_app_message(a, ROLE_ERROR, "%s", ui_list_error(a->list));
		ui_term_fill(3, a->side_width, a->cols - a->side_width, ROLE_NORMAL);
		if (key == UI_KEY_ESC || key == UI_KEY_CTRL('g'))
			break;
	}
	ui_term_cursor(-1, 0);
	ui_line_free(&line);
	a->dirty = UI_DIRTY_ALL;
	if (a->filter_text)
		ui_app_message(a, ROLE_MESSAGE, _("Filter: %s (/ then Esc clears it)"), a->filter_text);
}

static const char *const commands[] = {
	"open", "take", "status", "assign", "note", "reply", "priority", "kind", "queue", "call", "close",
	"theme", "sort", "view", "refresh", "help", "quit", "dashboard", "save", "unsave", "calendar",
};

static void run_command(struct ui_app *a, char *line)
{
	char *cmd = line;
	while (*cmd == ' ')
		cmd++;
	char *arg = cmd + strcspn(cmd, " ");
	if (*arg)
		*arg++ = '\0';
	while (*arg == ' ')
		arg++;
	if (!*cmd)
		return;
	const char *num = cmd[0] == '#' ? cmd + 1 : cmd;
	if (!strcmp(cmd, "open"))
		num = arg[0] == '#' ? arg + 1 : arg;
	if (*num >= '0' && *num <= '9') {
		char *end;
		long long id = strtoll(num, &end, 10);
		if (*end || id <= 0) {
			ui_app_message(a, ROLE_ERROR, _("'%s' is not a ticket number"), num);
			return;
		}
		if (a->screen == UI_SCREEN_TICKET)
			close_ticket(a);
		ui_app_open_ticket(a, id);
		return;
	}
	static const struct { const char *name; enum ui_action act; } map[] = {
		{ "take", ACT_TAKE }, { "status", ACT_STATUS }, { "assign", ACT_ASSIGN }, { "note", ACT_NOTE },
		{ "reply", ACT_REPLY }, { "priority", ACT_PRIORITY }, { "kind", ACT_KIND }, { "queue", ACT_QUEUE },
		{ "close", ACT_CLOSE },
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (!strcmp(cmd, map[i].name)) {
			ui_app_ticket_action(a, map[i].act);
			return;
		}
	struct wb_err err = { 0 };
	if (!strcmp(cmd, "quit") || !strcmp(cmd, "q")) {
		a->quit = true;
	} else if (!strcmp(cmd, "help")) {
		ui_prompt_help(a);
	} else if (!strcmp(cmd, "dashboard")) {
		ui_dashboard_run(a, arg);
		layout(a);
	} else if (!strcmp(cmd, "calendar")) {
		ui_calendar_run(a);
		layout(a);
	} else if (!strcmp(cmd, "save") || !strcmp(cmd, "unsave")) {
		/* :save NAME keeps the current view and '/' text as a saved search in the side list */
		bool save = !strcmp(cmd, "save");
		int rc = save ? desk_view_save(a->desk, arg, &a->filter, &err) : desk_view_delete(a->desk, arg, &err);
		if (rc != WB_OK) {
			ui_app_error(a, &err);
			return;
		}
		size_t keep = a->view;
		views_build(a);
		a->view = keep < a->nviews ? keep : 0;
		if (save) /* saved searches come last: pick the last view of that name */
			for (size_t i = 0; i < a->nviews; i++)
				if (!a->views[i].section && !strcmp(a->views[i].title, arg))
					a->view = i;
		apply_view(a);
		layout(a);
		ui_app_message(a, ROLE_MESSAGE, save ? _("Saved search '%s'") : _("Removed saved search '%s'"), arg);
	} else if (!strcmp(cmd, "refresh")) {
		ui_app_refresh(a, true);
	} else if (!strcmp(cmd, "call")) {
		ui_call_form(a, a->screen == UI_SCREEN_TICKET ? a->ticket_id : 0);
	} else if (!strcmp(cmd, "theme")) {
		struct ui_theme t;
		if (ui_theme_load_named(&t, *arg ? arg : "default", &err) != WB_OK) {
			ui_app_error(a, &err);
			return;
		}
		a->theme = t;
		ui_term_set_theme(&a->theme);
		layout(a);
		ui_app_message(a, ROLE_MESSAGE, _("Theme %s"), *arg ? arg : "default");
	} else if (!strcmp(cmd, "sort")) {
		enum ticket_sort s;
		if (ticket_sort_parse(arg, &s, &err) != WB_OK) {
			ui_app_error(a, &err);
			return;
		}
		a->sort = s;
		apply_view(a);
		ui_app_message(a, ROLE_MESSAGE, _("Sorted by %s"), ticket_sort_name(s));
	} else if (!strcmp(cmd, "view")) {
		for (size_t i = 0; i < a->nviews; i++)
			if (!a->views[i].section && !strncasecmp(a->views[i].title, arg, strlen(arg)) && *arg) {
				a->view = i;
				a->dash_back = false;
				if (a->screen == UI_SCREEN_TICKET)
					close_ticket(a);
				apply_view(a);
				return;
			}
		ui_app_message(a, ROLE_ERROR, _("no view named '%s'"), arg);
	} else {
		ui_app_message(a, ROLE_ERROR, _("unknown command '%s' (try :help)"), cmd);
	}
}

static void command_line(struct ui_app *a)
{
	char *line = NULL;
	if (!ui_prompt_line(a, ":", "", commands, sizeof commands / sizeof commands[0], &line))
		return;
	run_command(a, line);
	free(line);
}

/* ---------------------------------------------------------------- the main loop */

static void draw(struct ui_app *a)
{
	if (ui_term_too_small()) {
		ui_term_draw_too_small();
		return;
	}
	if (a->dirty & UI_DIRTY_TOP)
		draw_top(a);
	if (a->screen == UI_SCREEN_QUEUE) {
		if (a->dirty & UI_DIRTY_SIDE)
			draw_side(a);
		if (a->dirty & UI_DIRTY_HEAD)
			draw_list_header(a);
		if (a->dirty & UI_DIRTY_BODY)
			ui_list_invalidate(a->list);
		ui_list_draw(a->list);
		draw_queue_empty(a);
		if (a->dirty & UI_DIRTY_BOTTOM)
			ui_app_draw_bottom(a, UI_CTX_LIST);
	} else {
		if (a->dirty & (UI_DIRTY_HEAD | UI_DIRTY_BODY))
			ui_ticket_draw(a);
		if (a->dirty & UI_DIRTY_BOTTOM)
			ui_app_draw_bottom(a, UI_CTX_TICKET);
	}
	a->dirty = 0;
	ui_term_flush();
}

static void queue_key(struct ui_app *a, int key)
{
	if (key == UI_KEY_MOUSE) {
		int y, x;
		ui_term_mouse(&y, &x);
		if (x < a->side_width) {
			size_t i = (size_t)(y - 2);
			if (y >= 2 && i < a->nviews && !a->views[i].section) {
				a->view = i;
				a->dash_back = false;
				apply_view(a);
			}
		} else if (ui_list_click(a->list, y)) {
			a->side_focus = false;
			ui_list_set_focus(a->list, true);
		}
		return;
	}
	if (key == UI_KEY_WHEEL_UP || key == UI_KEY_WHEEL_DOWN) {
		ui_list_move(a->list, key == UI_KEY_WHEEL_UP ? -3 : 3);
		return;
	}
	enum ui_action act = ui_keymap_lookup(&a->keys, UI_CTX_LIST, key);
	if (a->side_focus) {
		int dir = act == ACT_DOWN ? 1 : act == ACT_UP ? -1 : 0;
		if (dir) {
			step_view(a, dir);
			return;
		}
		if (act == ACT_OPEN || act == ACT_FOCUS) {
			a->side_focus = false;
			ui_list_set_focus(a->list, true);
			a->dirty |= UI_DIRTY_SIDE;
			return;
		}
	}
	int rc = WB_OK;
	switch (act) {
	case ACT_QUIT: a->quit = true; break;
	case ACT_DOWN: rc = ui_list_move(a->list, 1); break;
	case ACT_UP: rc = ui_list_move(a->list, -1); break;
	case ACT_PAGE_DOWN: rc = ui_list_page(a->list, 1); break;
	case ACT_PAGE_UP: rc = ui_list_page(a->list, -1); break;
	case ACT_TOP: rc = ui_list_first(a->list); break;
	case ACT_BOTTOM: rc = ui_list_last(a->list); break;
	case ACT_OPEN: {
		const struct ticket *t = ui_list_selected(a->list);
		if (t)
			ui_app_open_ticket(a, t->id);
		break;
	}
	case ACT_MARK:
		ui_list_toggle_mark(a->list);
		rc = ui_list_move(a->list, 1);
		a->dirty |= UI_DIRTY_BOTTOM;
		break;
	case ACT_UNMARK_ALL:
		ui_list_clear_marks(a->list);
		a->dirty |= UI_DIRTY_BOTTOM;
		break;
	case ACT_FILTER: filter_loop(a); break;
	case ACT_SORT:
		a->sort = (enum ticket_sort)((a->sort + 1) % SORT_COUNT);
		apply_view(a);
		ui_app_message(a, ROLE_MESSAGE, _("Sorted by %s"), ticket_sort_name(a->sort));
		break;
	case ACT_FOCUS:
		if (a->side_width) {
			a->side_focus = !a->side_focus;
			ui_list_set_focus(a->list, !a->side_focus);
			a->dirty |= UI_DIRTY_SIDE;
		}
		break;
	case ACT_NEXT_VIEW: step_view(a, 1); break;
	case ACT_PREV_VIEW: step_view(a, -1); break;
	default:
		if (!ui_app_ticket_action(a, act))
			ui_term_beep();
		break;
	}
	if (rc)
		ui_app_message(a, ROLE_ERROR, "%s", ui_list_error(a->list));
}

static void global_key(struct ui_app *a, int key)
{
	enum ui_ctx ctx = a->screen == UI_SCREEN_QUEUE ? UI_CTX_LIST : UI_CTX_TICKET;
	enum ui_action act = ui_keymap_lookup(&a->keys, ctx, key);
	if (a->dash_back && a->screen == UI_SCREEN_QUEUE && (act == ACT_QUIT || key == UI_KEY_ESC)) {
		/* the list of a dashboard figure: back to the dashboard */
		ui_dashboard_run(a, NULL);
		layout(a);
		return;
	}
	switch (act) {
	case ACT_HELP: ui_prompt_help(a); return;
	case ACT_REFRESH:
		ui_app_refresh(a, true);
		ui_app_message(a, ROLE_MESSAGE, _("Reloaded"));
		return;
	case ACT_REDRAW:
		ui_term_invalidate();
		layout(a);
		return;
	case ACT_COMMAND: command_line(a); return;
	case ACT_CALL: ui_call_form(a, a->screen == UI_SCREEN_TICKET ? a->ticket_id : 0); return;
	case ACT_CALENDAR: ui_calendar_run(a); layout(a); return;
	case ACT_DASHBOARD: ui_dashboard_run(a, NULL); layout(a); return;
	case ACT_QUIT:
		if (a->screen == UI_SCREEN_TICKET) {
			close_ticket(a);
			return;
		}
		break;
	default:
		break;
	}
	if (a->screen == UI_SCREEN_QUEUE)
		queue_key(a, key);
	else
		ui_ticket_key(a, key, act);
}

/* For bench/term.py: how often the top-bar counts were read, and why (one JSON line). */
static void write_stats(const struct ui_app *a, const char *path)
{
	if (!path || !*path)
		return;
	FILE *f = fopen(path, "w");
	if (!f)
		return;
	fprintf(f, "{\"keys\": %lu, \"recounts\": %lu, \"minute_ticks\": %lu, \"change_recounts\": %lu}\n",
		a->stats.keys, a->stats.recounts, a->stats.minute_ticks, a->stats.change_recounts);
	fclose(f);
}

static void tick(struct ui_app *a)
{
	ui_app_refresh(a, false);
	if (a->counts_stale && mono_ms() - a->counts_ms >= 1000) {
		a->stats.change_recounts++;
		load_counts(a);
	}
	time_t now = (time_t)clock_now();
	int minute = (int)(now / 60);
	if (minute != a->clock_minute) {
		/* the clock, "in 2h 10m" and the at-risk counts move with time alone */
		a->clock_minute = minute;
		a->stats.minute_ticks++;
		load_counts(a);
		ui_list_invalidate(a->list);
		a->dirty |= UI_DIRTY_TOP | UI_DIRTY_BODY;
	}
}

static int load_user_keys(struct ui_app *a, const char *path, struct wb_err *err)
{
	if (path)
		return ui_keymap_load_file(&a->keys, path, err);
	const char *home = getenv("HOME");
	const char *xdg = getenv("XDG_CONFIG_HOME");
	char *p = xdg && *xdg ? xasprintf("%s/weibao/keys", xdg)
		: home && *home ? xasprintf("%s/.config/weibao/keys", home) : NULL;
	int rc = WB_OK;
	if (p && access(p, R_OK) == 0)
		rc = ui_keymap_load_file(&a->keys, p, err);
	free(p);
	return rc;
}

static void app_free(struct ui_app *a)
{
	ui_list_free(&a->list);
	views_free(a);
	ticket_free(&a->ticket);
	ui_doc_clear(&a->doc);
	free(a->filter_text);
	ui_keymap_free(&a->keys);
	memset(a, 0, sizeof *a);
}

int ui_main(struct desk *desk, const struct ui_options *opt, struct wb_err *err)
{
	struct ui_app *a = &app;
	memset(a, 0, sizeof *a);
	a->desk = desk;
	a->db_path = opt ? opt->db_path : NULL;
	a->config_path = opt ? opt->config_path : NULL;
	const char *theme = opt && opt->theme ? opt->theme : desk->cfg ? desk->cfg->theme : NULL;
	int rc = ui_theme_load_named(&a->theme, theme, err);
	if (rc)
		return rc;
	ui_keymap_default(&a->keys);
	rc = load_user_keys(a, opt ? opt->keys_file : NULL, err);
	if (rc) {
		ui_keymap_free(&a->keys);
		return rc;
	}
	/* The console runs for hours and reads here and there across the whole desk: SQLite's default page
	 * cache (2 MB) fills with pages read once, so the process grew with the size of the desk (after the
	 * same few keys, 0.4 MB of cached pages at 1,000 tickets, 0.9 MB at a million, and on up to 2 MB).
	 * A screen of the queue reads a few dozen pages and the top-bar counts walk at most a thousand index
	 * entries: a small fixed cache keeps what is read again and again (the top of each index, the small
	 * tables of names) and leaves the rest to the operating system's file cache, which every operator's
	 * process shares. Measured: no slower for PgDn, End or opening a ticket. */
	desk_set_cache_kib(desk, UI_CACHE_KIB, NULL);
	struct ui_list_source src = { a, src_fetch, src_id, src_free, src_draw };
	a->list = ui_list_new(&src);
	a->sort = SORT_DEFAULT;
	views_build(a);

	struct ui_term_options to = { &a->theme, opt && opt->no_color, opt && opt->no_mouse };
	rc = ui_term_init(&to, err);
	if (rc) {
		app_free(a);
		return rc;
	}
	layout(a);
	desk_data_version(desk, &a->data_version, err);
	load_counts(a);
	apply_view(a);
	a->clock_minute = (int)(clock_now() / 60);
	char *drafts = drafts_pending();
	if (drafts)
		ui_app_message(a, ROLE_MESSAGE, _("Unsent drafts: %s — open the ticket (:NUMBER) and press the same key to go on"),
			       drafts);
	else
		ui_app_message(a, ROLE_MESSAGE,
			       _("Welcome. Enter opens a ticket, t takes it, c logs a phone call, ? shows every key."));
	free(drafts);

	/* work nobody waits for, due once the screen has answered a key (and after the first screen) */
	bool idle_due = true;
	while (!a->quit) {
		draw(a);
		int key = ui_term_key(idle_due ? IDLE_MS : POLL_MS);
		if (key == UI_KEY_TIMEOUT) {
			/* The operator has the answer and types nothing more: now the work nobody waits for (done
			 * at once, it would take the processor from the terminal still showing the answer).
			 * Another operator's changes (the data_version check, and a redraw of what they changed),
			 * then the rows the next PgDn or scroll will show (a failure there is reported by the key
			 * that needs them). */
			idle_due = false;
			tick(a);
			draw(a);
			if (a->screen == UI_SCREEN_QUEUE && !ui_term_too_small())
				ui_list_prefetch(a->list);
			continue;
		}
		if (key == UI_KEY_QUIT_SIGNAL)
			break;
		idle_due = true;
		a->stats.keys++;
		if (key == UI_KEY_RESIZE || key == UI_KEY_REDRAW) {
			layout(a);
			continue;
		}
		if (ui_term_too_small())
			continue; /* only a resize helps */
		if (a->msg[0]) {
			a->msg[0] = '\0';
			a->dirty |= UI_DIRTY_BOTTOM;
		}
		global_key(a, key);
	}
	ui_term_end();
	write_stats(a, getenv("WEIBAO_UI_STATS"));
	app_free(a);
	return WB_OK;
}

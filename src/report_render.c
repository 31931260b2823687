#include "report_render.h"

#include "i18n.h"
#include "strbuf.h"
#include "utf8.h"
#include "xmalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define FMT_NAME(e, name, mime) name,
#define FMT_MIME(e, name, mime) mime,
static const char *const format_names[] = { REPORT_FORMATS(FMT_NAME) };
static const char *const format_mimes[] = { REPORT_FORMATS(FMT_MIME) };
#undef FMT_NAME
#undef FMT_MIME

int report_format_parse(const char *s, enum report_format *out, struct wb_err *err)
{
	for (int i = 0; s && i < REPORT_FORMAT_COUNT; i++)
		if (!strcasecmp(s, format_names[i]) || (i == REPORT_MD && !strcasecmp(s, "markdown"))) {
			*out = (enum report_format)i;
			return WB_OK;
		}
	return wb_err_set(err, WB_EINVAL, _("unknown format '%s' (allowed: text, md, csv, json, html)"), s ? s : "");
}

const char *report_format_name(enum report_format f)
{
	return f < REPORT_FORMAT_COUNT ? format_names[f] : "text";
}

const char *report_format_mime(enum report_format f)
{
	return f < REPORT_FORMAT_COUNT ? format_mimes[f] : "text/plain";
}

/* ---- the document as tables: every text renderer draws the same tables ---- */

struct cell {
	char *text;  /* for people: "2h 10m", "87.5%" */
	char *raw;   /* for machines (CSV): "7800", "87.5"; NULL = same as text, "" = no value */
};

#define MAX_COLS 7
struct table {
	const char *key;     /* stable: the CSV section name */
	char *title;
	size_t ncols;
	const char *cols[MAX_COLS];
	const char *keys[MAX_COLS];  /* stable column names for CSV */
	struct cell *cells;  /* nrows * ncols */
	size_t nrows;
};

struct doc {
	struct table t[16];
	size_t n;
};

static struct table *table_add(struct doc *d, const char *key, const char *title, size_t ncols,
			       const char *const *cols, const char *const *keys)
{
	struct table *t = &d->t[d->n++];
	memset(t, 0, sizeof *t);
	t->key = key;
	t->title = xstrdup(title);
	t->ncols = ncols;
	for (size_t i = 0; i < ncols; i++) {
		t->cols[i] = cols[i];
		t->keys[i] = keys[i];
	}
	return t;
}

/* Appends one row; the arguments are ncols pairs (text, raw), copied. */
static void row_add(struct table *t, ...)
{
	t->cells = xrealloc(t->cells, (t->nrows + 1) * t->ncols * sizeof *t->cells);
	struct cell *c = &t->cells[t->nrows * t->ncols];
	va_list ap;
	va_start(ap, t);
	for (size_t i = 0; i < t->ncols; i++) {
		const char *text = va_arg(ap, const char *);
		const char *raw = va_arg(ap, const char *);
		c[i].text = xstrdup(text ? text : "");
		c[i].raw = raw ? xstrdup(raw) : NULL;
	}
	va_end(ap);
	t->nrows++;
}

static void doc_free(struct doc *d)
{
	for (size_t i = 0; i < d->n; i++) {
		struct table *t = &d->t[i];
		for (size_t j = 0; j < t->nrows * t->ncols; j++) {
			free(t->cells[j].text);
			free(t->cells[j].raw);
		}
		free(t->cells);
		free(t->title);
	}
}

/* Value formatting into small per-call buffers. */
struct num {
	char text[48], raw[32];
};

static struct num n_int(int64_t v)
{
	struct num n;
	snprintf(n.text, sizeof n.text, "%lld", (long long)v);
	snprintf(n.raw, sizeof n.raw, "%lld", (long long)v);
	return n;
}

static struct num n_pct(double v)
{
	struct num n;
	if (v < 0) {
		snprintf(n.text, sizeof n.text, "-");
		n.raw[0] = '\0';
	} else {
		snprintf(n.text, sizeof n.text, "%.1f%%", v);
		snprintf(n.raw, sizeof n.raw, "%.1f", v);
	}
	return n;
}

static struct num n_dur(int64_t secs, bool any)
{
	struct num n;
	if (!any) {
		snprintf(n.text, sizeof n.text, "-");
		n.raw[0] = '\0';
		return n;
	}
	snprintf(n.raw, sizeof n.raw, "%lld", (long long)secs);
	int64_t m = secs / 60;
	if (m >= 1440)
		snprintf(n.text, sizeof n.text, _("%lldd %lldh"), (long long)(m / 1440), (long long)(m % 1440 / 60));
	else if (m >= 60)
		snprintf(n.text, sizeof n.text, _("%lldh %lldm"), (long long)(m / 60), (long long)(m % 60));
	else
		snprintf(n.text, sizeof n.text, _("%lldm"), (long long)m);
	return n;
}

static struct num n_minutes(int64_t minutes)
{
	struct num n;
	snprintf(n.raw, sizeof n.raw, "%lld", (long long)minutes);
	snprintf(n.text, sizeof n.text, _("%lldh %02lldm"), (long long)(minutes / 60), (long long)(minutes % 60));
	return n;
}

static const char *age_label(int i)
{
	static const char *const labels[REPORT_AGE_BUCKETS] = {
		N_("under 1 day"), N_("1-3 days"), N_("3-7 days"), N_("7-30 days"), N_("30 days or more")
	};
	return _(labels[i]);
}

static const char *const age_keys[REPORT_AGE_BUCKETS] = { "lt1d", "1to3d", "3to7d", "7to30d", "ge30d" };

#define ROW2(t, a, ak, n) row_add(t, a, ak, (n).text, (n).raw)

static void build_doc(const struct report *r, struct doc *d)
{
	const struct report_figures *f = &r->f;
	struct num a, b, c, e, g, h;
	{
		const char *cols[] = { _("item"), _("value") };
		const char *keys[] = { "item", "value" };
		struct table *t = table_add(d, "summary", _("Summary"), 2, cols, keys);
		char period[96];
		snprintf(period, sizeof period, "%s (%s – %s)", r->label, r->first_day, r->last_day);
		row_add(t, _("period"), "period", period, r->label);
		row_add(t, _("organisation"), "organisation", r->org ? r->org : _("all"), r->org ? r->org : "");
		row_add(t, _("system"), "system", r->system ? r->system : _("all"), r->system ? r->system : "");
		row_add(t, _("queue"), "queue", r->queue ? r->queue : _("all"), r->queue ? r->queue : "");
		ROW2(t, _("tickets opened"), "opened", n_int(r->opened_total));
		ROW2(t, _("tickets closed"), "closed", n_int(r->closed_total));
		ROW2(t, _("backlog at period end"), "backlog", n_int(f->backlog));
		ROW2(t, _("reopened"), "reopened", n_int(f->reopened));
		ROW2(t, _("reopen rate"), "reopen_rate", n_pct(r->reopen_rate));
		ROW2(t, _("first response SLA met"), "response_compliance", n_pct(r->response_compliance));
		ROW2(t, _("resolution SLA met"), "resolution_compliance", n_pct(r->resolution_compliance));
		ROW2(t, _("time worked"), "minutes_worked", n_minutes(r->minutes_total));
		if (r->ratings_n) {
			char avg[32], raw[32];
			snprintf(avg, sizeof avg, _("%.2f of 5 (%lld ratings)"), r->rating_avg, (long long)r->ratings_n);
			snprintf(raw, sizeof raw, "%.2f", r->rating_avg);
			row_add(t, _("satisfaction"), "satisfaction", avg, raw);
		} else {
			row_add(t, _("satisfaction"), "satisfaction", _("no ratings"), "");
		}
	}
	{
		const char *cols[] = { _("kind"), _("opened"), _("closed") };
		const char *keys[] = { "kind", "opened", "closed" };
		struct table *t = table_add(d, "by_kind", _("Tickets by kind"), 3, cols, keys);
		for (int k = 0; k < KIND_COUNT; k++) {
			a = n_int(r->opened_by_kind[k]);
			b = n_int(r->closed_by_kind[k]);
			row_add(t, ticket_kind_label((enum ticket_kind)k), ticket_kind_name((enum ticket_kind)k),
				a.text, a.raw, b.text, b.raw);
		}
	}
	{
		const char *cols[] = { _("channel"), _("opened"), _("closed") };
		const char *keys[] = { "channel", "opened", "closed" };
		struct table *t = table_add(d, "by_channel", _("Tickets by channel"), 3, cols, keys);
		for (int k = 0; k < CHANNEL_COUNT; k++) {
			a = n_int(r->opened_by_channel[k]);
			b = n_int(r->closed_by_channel[k]);
			row_add(t, ticket_channel_label((enum ticket_channel)k), ticket_channel_name((enum ticket_channel)k),
				a.text, a.raw, b.text, b.raw);
		}
	}
	{
		const char *cols[] = { _("measure"), _("tickets"), _("median"), _("90th percentile") };
		const char *keys[] = { "measure", "tickets", "median_secs", "p90_secs" };
		struct table *t = table_add(d, "times", _("Response and resolution times"), 4, cols, keys);
		const struct report_times *tm[] = { &f->response, &f->resolution };
		const char *labels[] = { _("first response"), _("resolution") };
		const char *lkeys[] = { "first_response", "resolution" };
		for (int i = 0; i < 2; i++) {
			a = n_int(tm[i]->n);
			b = n_dur(tm[i]->median, tm[i]->n > 0);
			c = n_dur(tm[i]->p90, tm[i]->n > 0);
			row_add(t, labels[i], lkeys[i], a.text, a.raw, b.text, b.raw, c.text, c.raw);
		}
	}
	{
		const char *cols[] = { _("target"), _("met"), _("late"), _("overdue"), _("pending"), _("compliance") };
		const char *keys[] = { "target", "met", "late", "overdue", "pending", "compliance_pct" };
		struct table *t = table_add(d, "sla", _("SLA targets due in the period"), 6, cols, keys);
		const struct report_due *du[] = { &f->response_due, &r->resolve_due_all };
		const char *labels[] = { _("first response"), _("resolution") };
		const char *lkeys[] = { "first_response", "resolution" };
		for (int i = 0; i < 2; i++) {
			a = n_int(du[i]->met);
			b = n_int(du[i]->late);
			c = n_int(du[i]->overdue);
			e = n_int(du[i]->pending);
			g = n_pct(report_due_percent(du[i]));
			row_add(t, labels[i], lkeys[i], a.text, a.raw, b.text, b.raw, c.text, c.raw, e.text, e.raw,
				g.text, g.raw);
		}
	}
	{
		const char *cols[] = { _("work"), _("planned"), _("on time"), _("late"), _("missed"), _("pending") };
		const char *keys[] = { "kind", "planned", "on_time", "late", "overdue", "pending" };
		struct table *t = table_add(d, "planned", _("Security updates and maintenance tasks due in the period"),
					    6, cols, keys);
		enum ticket_kind kinds[] = { KIND_SECURITY, KIND_MAINTENANCE };
		for (int i = 0; i < 2; i++) {
			const struct report_due *du = &f->resolve_due[kinds[i]];
			a = n_int(du->met + du->late + du->overdue + du->pending);
			b = n_int(du->met);
			c = n_int(du->late);
			e = n_int(du->overdue);
			g = n_int(du->pending);
			row_add(t, ticket_kind_label(kinds[i]), ticket_kind_name(kinds[i]), a.text, a.raw, b.text, b.raw,
				c.text, c.raw, e.text, e.raw, g.text, g.raw);
		}
	}
	{
		const char *cols[] = { _("age"), _("tickets") };
		const char *keys[] = { "age", "tickets" };
		struct table *t = table_add(d, "backlog", _("Backlog at period end by age"), 2, cols, keys);
		for (int i = 0; i < REPORT_AGE_BUCKETS; i++)
			ROW2(t, age_label(i), age_keys[i], n_int(f->backlog_age[i]));
	}
	{
		const char *cols[] = { _("status"), _("bugs") };
		const char *keys[] = { "status", "bugs" };
		struct table *t = table_add(d, "bugs_by_status", _("Bugs opened or closed in the period, by status now"),
					    2, cols, keys);
		for (int s = 0; s < STATUS_COUNT; s++)
			if (f->bugs_by_status[s])
				ROW2(t, ticket_status_label((enum ticket_status)s), ticket_status_name((enum ticket_status)s),
				     n_int(f->bugs_by_status[s]));
	}
	{
		const char *cols[] = { _("fixed in"), _("bugs") };
		const char *keys[] = { "version", "bugs" };
		struct table *t = table_add(d, "bugs_fixed", _("Bugs resolved in the period, by fixed-in version"), 2,
					    cols, keys);
		for (size_t i = 0; i < f->n_fixed; i++)
			ROW2(t, *f->fixed[i].version ? f->fixed[i].version : _("(no version)"), f->fixed[i].version,
			     n_int(f->fixed[i].n));
	}
	{
		const char *cols[] = { _("organisation"), _("minutes"), _("time") };
		const char *keys[] = { "organisation", "minutes", "time" };
		struct table *t = table_add(d, "worked", _("Time worked by organisation"), 3, cols, keys);
		for (size_t i = 0; i < f->n_worked; i++) {
			a = n_int(f->worked[i].minutes);
			h = n_minutes(f->worked[i].minutes);
			const char *org = f->worked[i].org ? f->worked[i].org : _("(no organisation)");
			row_add(t, org, f->worked[i].org ? f->worked[i].org : "", a.text, a.raw, h.text, h.raw);
		}
	}
	{
		const char *cols[] = { _("score"), _("ratings") };
		const char *keys[] = { "score", "ratings" };
		struct table *t = table_add(d, "satisfaction", _("Satisfaction ratings"), 2, cols, keys);
		for (int i = 5; i >= 1; i--) {
			char s[16];
			snprintf(s, sizeof s, "%d", i);
			ROW2(t, s, s, n_int(f->ratings[i - 1]));
		}
	}
}

static char *title_of(const struct report *r)
{
	return xasprintf(_("Maintenance report %s"), r->label);
}

/* ---- text ---- */

static void pad(struct strbuf *b, const char *s, int w, bool right)
{
	int n = w - utf8_width(s);
	if (right)
		for (int i = 0; i < n; i++)
			strbuf_addc(b, ' ');
	strbuf_adds(b, s);
	if (!right)
		for (int i = 0; i < n; i++)
			strbuf_addc(b, ' ');
}

static void trim_line(struct strbuf *b)
{
	while (b->len && b->s[b->len - 1] == ' ')
		b->s[--b->len] = '\0';
	strbuf_addc(b, '\n');
}

static void render_text(const struct report *r, const struct doc *d, struct strbuf *b)
{
	char *title = title_of(r);
	strbuf_addf(b, "%s\n", title);
	for (int i = utf8_width(title); i > 0; i--)
		strbuf_addc(b, '=');
	strbuf_addc(b, '\n');
	free(title);
	for (size_t i = 0; i < d->n; i++) {
		const struct table *t = &d->t[i];
		strbuf_addf(b, "\n%s\n", t->title);
		int w[MAX_COLS];
		for (size_t c = 0; c < t->ncols; c++) {
			w[c] = utf8_width(t->cols[c]);
			for (size_t j = 0; j < t->nrows; j++) {
				int x = utf8_width(t->cells[j * t->ncols + c].text);
				if (x > w[c])
					w[c] = x;
			}
		}
		for (size_t c = 0; c < t->ncols; c++) {
			strbuf_adds(b, c ? "  " : "  ");
			pad(b, t->cols[c], w[c], c > 0);
		}
		trim_line(b);
		for (size_t j = 0; j < t->nrows; j++) {
			for (size_t c = 0; c < t->ncols; c++) {
				strbuf_adds(b, "  ");
				pad(b, t->cells[j * t->ncols + c].text, w[c], c > 0);
			}
			trim_line(b);
		}
		if (!t->nrows)
			strbuf_addf(b, "  %s\n", _("(none)"));
	}
}

/* ---- markdown ---- */

static void md_cell(struct strbuf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '|' || *s == '\\' || *s == '*' || *s == '_' || *s == '`' || *s == '<' || *s == '[')
			strbuf_addc(b, '\\');
		strbuf_addc(b, *s == '\n' ? ' ' : *s);
	}
}

static void render_md(const struct report *r, const struct doc *d, struct strbuf *b)
{
	char *title = title_of(r);
	strbuf_adds(b, "# ");
	md_cell(b, title);
	strbuf_addc(b, '\n');
	free(title);
	for (size_t i = 0; i < d->n; i++) {
		const struct table *t = &d->t[i];
		strbuf_adds(b, "\n## ");
		md_cell(b, t->title);
		strbuf_adds(b, "\n\n|");
		for (size_t c = 0; c < t->ncols; c++) {
			strbuf_addc(b, ' ');
			md_cell(b, t->cols[c]);
			strbuf_adds(b, " |");
		}
		strbuf_adds(b, "\n|");
		for (size_t c = 0; c < t->ncols; c++)
			strbuf_adds(b, c ? " ---: |" : " --- |");
		strbuf_addc(b, '\n');
		for (size_t j = 0; j < t->nrows; j++) {
			strbuf_addc(b, '|');
			for (size_t c = 0; c < t->ncols; c++) {
				strbuf_addc(b, ' ');
				md_cell(b, t->cells[j * t->ncols + c].text);
				strbuf_adds(b, " |");
			}
			strbuf_addc(b, '\n');
		}
	}
}

/* ---- csv: one value per line (section, row, column, value), machine values ---- */

/* A name that a spreadsheet would run as a formula (=, +, -, @ first) gets a leading quote. */
static void csv_text(struct strbuf *b, const char *s)
{
	if (s && (*s == '=' || *s == '+' || *s == '-' || *s == '@')) {
		char *q = xasprintf("'%s", s);
		strbuf_add_csv(b, q);
		free(q);
		return;
	}
	strbuf_add_csv(b, s);
}

static void render_csv(const struct doc *d, struct strbuf *b)
{
	strbuf_adds(b, "section,row,column,value\n");
	for (size_t i = 0; i < d->n; i++) {
		const struct table *t = &d->t[i];
		for (size_t j = 0; j < t->nrows; j++) {
			const struct cell *row = &t->cells[j * t->ncols];
			const char *rowkey = row[0].raw ? row[0].raw : row[0].text;
			for (size_t c = 1; c < t->ncols; c++) {
				strbuf_add_csv(b, t->key);
				strbuf_addc(b, ',');
				csv_text(b, rowkey);
				strbuf_addc(b, ',');
				strbuf_add_csv(b, t->keys[c]);
				strbuf_addc(b, ',');
				csv_text(b, row[c].raw ? row[c].raw : row[c].text);
				strbuf_addc(b, '\n');
			}
		}
	}
}

/* ---- json ---- */

static void j_num(struct strbuf *b, const char *key, int64_t v, bool comma)
{
	strbuf_addf(b, "%s\"%s\":%lld", comma ? "," : "", key, (long long)v);
}

static void j_pct(struct strbuf *b, const char *key, double v)
{
	if (v < 0)
		strbuf_addf(b, ",\"%s\":null", key);
	else
		strbuf_addf(b, ",\"%s\":%.1f", key, v);
}

static void j_due(struct strbuf *b, const char *key, const struct report_due *d, bool comma)
{
	strbuf_addf(b, "%s\"%s\":{", comma ? "," : "", key);
	j_num(b, "met", d->met, false);
	j_num(b, "late", d->late, true);
	j_num(b, "overdue", d->overdue, true);
	j_num(b, "pending", d->pending, true);
	j_pct(b, "compliance_pct", report_due_percent(d));
	strbuf_addc(b, '}');
}

static void j_times(struct strbuf *b, const char *key, const struct report_times *t)
{
	strbuf_addf(b, ",\"%s\":{", key);
	j_num(b, "tickets", t->n, false);
	if (t->n)
		strbuf_addf(b, ",\"median_secs\":%lld,\"p90_secs\":%lld", (long long)t->median, (long long)t->p90);
	else
		strbuf_adds(b, ",\"median_secs\":null,\"p90_secs\":null");
	strbuf_addc(b, '}');
}

static void j_str(struct strbuf *b, const char *key, const char *v)
{
	strbuf_addf(b, ",\"%s\":", key);
	strbuf_add_json(b, v);
}

static void j_series(struct strbuf *b, const char *key, const int64_t *v, size_t n)
{
	strbuf_addf(b, ",\"%s\":[", key);
	for (size_t i = 0; i < n; i++)
		strbuf_addf(b, "%s%lld", i ? "," : "", (long long)v[i]);
	strbuf_addc(b, ']');
}

static void render_json(const struct report *r, struct strbuf *b)
{
	const struct report_figures *f = &r->f;
	char from[32], to[32], gen[32];
	clock_format_iso(r->from, from, sizeof from);
	clock_format_iso(r->to, to, sizeof to);
	clock_format_iso(r->generated_at, gen, sizeof gen);
	strbuf_adds(b, "{\"period\":");
	strbuf_add_json(b, r->label);
	j_str(b, "first_day", r->first_day);
	j_str(b, "last_day", r->last_day);
	j_str(b, "timezone", *r->tz ? r->tz : "UTC");
	j_str(b, "from", from);
	j_str(b, "to", to);
	j_str(b, "generated", gen);
	j_str(b, "organisation", r->org);
	j_str(b, "system", r->system);
	j_str(b, "queue", r->queue);
	j_num(b, "opened", r->opened_total, true);
	j_num(b, "closed", r->closed_total, true);
	strbuf_adds(b, ",\"by_kind\":{");
	for (int k = 0; k < KIND_COUNT; k++) {
		strbuf_addf(b, "%s\"%s\":{", k ? "," : "", ticket_kind_name((enum ticket_kind)k));
		j_num(b, "opened", r->opened_by_kind[k], false);
		j_num(b, "closed", r->closed_by_kind[k], true);
		strbuf_adds(b, ",\"by_channel\":{");
		for (int c = 0; c < CHANNEL_COUNT; c++) {
			strbuf_addf(b, "%s\"%s\":{", c ? "," : "", ticket_channel_name((enum ticket_channel)c));
			j_num(b, "opened", f->opened[k][c], false);
			j_num(b, "closed", f->closed[k][c], true);
			strbuf_addc(b, '}');
		}
		strbuf_adds(b, "}}");
	}
	strbuf_adds(b, "},\"by_channel\":{");
	for (int c = 0; c < CHANNEL_COUNT; c++) {
		strbuf_addf(b, "%s\"%s\":{", c ? "," : "", ticket_channel_name((enum ticket_channel)c));
		j_num(b, "opened", r->opened_by_channel[c], false);
		j_num(b, "closed", r->closed_by_channel[c], true);
		strbuf_addc(b, '}');
	}
	strbuf_addc(b, '}');
	j_series(b, "opened_daily", f->opened_daily, f->n_days);
	j_series(b, "closed_daily", f->closed_daily, f->n_days);
	j_times(b, "first_response", &f->response);
	j_times(b, "resolution", &f->resolution);
	strbuf_adds(b, ",\"sla\":{");
	j_due(b, "first_response", &f->response_due, false);
	j_due(b, "resolution", &r->resolve_due_all, true);
	strbuf_addc(b, '}');
	j_due(b, "security_updates", &f->resolve_due[KIND_SECURITY], true);
	j_due(b, "maintenance_tasks", &f->resolve_due[KIND_MAINTENANCE], true);
	strbuf_adds(b, ",\"backlog\":{");
	j_num(b, "tickets", f->backlog, false);
	for (int i = 0; i < REPORT_AGE_BUCKETS; i++)
		j_num(b, age_keys[i], f->backlog_age[i], true);
	strbuf_addc(b, '}');
	j_num(b, "reopened", f->reopened, true);
	j_pct(b, "reopen_rate_pct", r->reopen_rate);
	strbuf_adds(b, ",\"bugs_by_status\":{");
	bool first = true;
	for (int s = 0; s < STATUS_COUNT; s++)
		if (f->bugs_by_status[s]) {
			j_num(b, ticket_status_name((enum ticket_status)s), f->bugs_by_status[s], !first);
			first = false;
		}
	strbuf_adds(b, "},\"bugs_fixed\":[");
	for (size_t i = 0; i < f->n_fixed; i++) {
		strbuf_adds(b, i ? ",{\"version\":" : "{\"version\":");
		strbuf_add_json(b, *f->fixed[i].version ? f->fixed[i].version : NULL);
		j_num(b, "bugs", f->fixed[i].n, true);
		strbuf_addc(b, '}');
	}
	strbuf_adds(b, "],\"minutes_worked\":");
	strbuf_addf(b, "%lld,\"worked_by_organisation\":[", (long long)r->minutes_total);
	for (size_t i = 0; i < f->n_worked; i++) {
		strbuf_adds(b, i ? ",{\"organisation\":" : "{\"organisation\":");
		strbuf_add_json(b, f->worked[i].org);
		j_num(b, "minutes", f->worked[i].minutes, true);
		strbuf_addc(b, '}');
	}
	strbuf_adds(b, "],\"satisfaction\":{");
	j_num(b, "ratings", r->ratings_n, false);
	if (r->ratings_n)
		strbuf_addf(b, ",\"average\":%.2f", r->rating_avg);
	else
		strbuf_adds(b, ",\"average\":null");
	strbuf_adds(b, ",\"distribution\":{");
	for (int i = 0; i < 5; i++)
		strbuf_addf(b, "%s\"%d\":%lld", i ? "," : "", i + 1, (long long)f->ratings[i]);
	strbuf_adds(b, "}}}\n");
}

/* ---- html ---- */

static void html_esc(struct strbuf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': strbuf_adds(b, "&amp;"); break;
		case '<': strbuf_adds(b, "&lt;"); break;
		case '>': strbuf_adds(b, "&gt;"); break;
		case '"': strbuf_adds(b, "&quot;"); break;
		case '\'': strbuf_adds(b, "&#39;"); break;
		default: strbuf_addc(b, *s);
		}
	}
}

/* Colours as attributes, not only CSS: mail readers often drop <style>. */
static const char *const colour[2] = { "#3b6ea5", "#e08a2c" };

struct bar {
	const char *label;
	double v[2];
	const char *text; /* value shown after the bar; NULL = the number */
};

/* A horizontal bar chart: one row per bar, one or two series. */
static void svg_bars(struct strbuf *b, const char *title, const struct bar *bars, size_t n, int series,
		     double max, const char *const *legend)
{
	const int label_w = 150, bar_w = 300, row_h = series == 2 ? 26 : 18, top = 24;
	int h = top + (int)n * row_h + (series == 2 ? 22 : 6);
	if (max <= 0)
		for (size_t i = 0; i < n; i++)
			for (int s = 0; s < series; s++)
				if (bars[i].v[s] > max)
					max = bars[i].v[s];
	strbuf_addf(b, "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"%d\" height=\"%d\" "
		       "viewBox=\"0 0 %d %d\"><title>", label_w + bar_w + 70, h, label_w + bar_w + 70, h);
	html_esc(b, title);
	strbuf_adds(b, "</title><text x=\"0\" y=\"14\" class=\"t\">");
	html_esc(b, title);
	strbuf_adds(b, "</text>");
	for (size_t i = 0; i < n; i++) {
		int y = top + (int)i * row_h;
		strbuf_addf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", label_w - 6, y + 12);
		html_esc(b, bars[i].label);
		strbuf_adds(b, "</text>");
		for (int s = 0; s < series; s++) {
			double w = max > 0 ? bars[i].v[s] / max * bar_w : 0;
			int by = y + s * 11;
			strbuf_addf(b, "<rect fill=\"%s\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\"/>", colour[s], label_w,
				    by, w, series == 2 ? 10 : 14);
			strbuf_addf(b, "<text x=\"%.1f\" y=\"%d\">", label_w + w + 4, by + (series == 2 ? 9 : 12));
			if (bars[i].text && s == 0)
				html_esc(b, bars[i].text);
			else
				strbuf_addf(b, "%g", bars[i].v[s]);
			strbuf_adds(b, "</text>");
		}
	}
	if (series == 2 && legend) {
		int y = top + (int)n * row_h + 6;
		for (int s = 0; s < 2; s++) {
			strbuf_addf(b, "<rect fill=\"%s\" x=\"%d\" y=\"%d\" width=\"10\" height=\"10\"/>"
				       "<text x=\"%d\" y=\"%d\">", colour[s], label_w + s * 120, y, label_w + s * 120 + 14, y + 9);
			html_esc(b, legend[s]);
			strbuf_adds(b, "</text>");
		}
	}
	strbuf_adds(b, "</svg></figure>\n");
}

/* A sparkline of daily counts with its total and peak. */
static void svg_spark(struct strbuf *b, const char *title, const int64_t *v, size_t n)
{
	const int w = 520, h = 60, top = 20;
	int64_t max = 0, sum = 0;
	for (size_t i = 0; i < n; i++) {
		if (v[i] > max)
			max = v[i];
		sum += v[i];
	}
	strbuf_addf(b, "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"%d\" height=\"%d\" "
		       "viewBox=\"0 0 %d %d\"><title>", w, h + top + 4, w, h + top + 4);
	html_esc(b, title);
	strbuf_adds(b, "</title><text x=\"0\" y=\"14\" class=\"t\">");
	html_esc(b, title);
	strbuf_addf(b, " — ");
	strbuf_addf(b, _("%lld in all, at most %lld a day"), (long long)sum, (long long)max);
	strbuf_addf(b, "</text><polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"", colour[0]);
	for (size_t i = 0; i < n; i++) {
		double x = n > 1 ? (double)i * (w - 4) / (double)(n - 1) + 2 : w / 2.0;
		double y = top + h - 2 - (max ? (double)v[i] * (h - 4) / (double)max : 0);
		strbuf_addf(b, "%s%.1f,%.1f", i ? " " : "", x, y);
	}
	strbuf_adds(b, "\"/></svg></figure>\n");
}

static void html_table(struct strbuf *b, const struct table *t)
{
	strbuf_adds(b, "<table><thead><tr>");
	for (size_t c = 0; c < t->ncols; c++) {
		strbuf_adds(b, "<th>");
		html_esc(b, t->cols[c]);
		strbuf_adds(b, "</th>");
	}
	strbuf_adds(b, "</tr></thead><tbody>\n");
	for (size_t j = 0; j < t->nrows; j++) {
		strbuf_adds(b, "<tr>");
		for (size_t c = 0; c < t->ncols; c++) {
			strbuf_adds(b, c ? "<td class=\"n\">" : "<td>");
			html_esc(b, t->cells[j * t->ncols + c].text);
			strbuf_adds(b, "</td>");
		}
		strbuf_adds(b, "</tr>\n");
	}
	strbuf_adds(b, "</tbody></table>\n");
}

static const struct table *find_table(const struct doc *d, const char *key)
{
	for (size_t i = 0; i < d->n; i++)
		if (!strcmp(d->t[i].key, key))
			return &d->t[i];
	return NULL;
}

static void html_section(struct strbuf *b, const struct doc *d, const char *key)
{
	const struct table *t = find_table(d, key);
	strbuf_adds(b, "<section><h2>");
	html_esc(b, t->title);
	strbuf_adds(b, "</h2>\n");
	html_table(b, t);
}

static void render_html(const struct report *r, const struct doc *d, struct strbuf *b)
{
	const struct report_figures *f = &r->f;
	char *title = title_of(r);
	/* TRANSLATORS: the language code of this translation, for the HTML report (zh-CN, ...) */
	strbuf_addf(b, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
		       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>", _("en"));
	html_esc(b, title);
	strbuf_adds(b, "</title>\n<style>\n"
		       "body{font-family:sans-serif;margin:2em auto;max-width:60em;color:#222}\n"
		       "table{border-collapse:collapse;margin:.5em 0 1em}\n"
		       "th,td{border:1px solid #ccc;padding:.2em .6em;text-align:left}\n"
		       "td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
		       "figure{margin:.5em 0}\nsvg text{font-size:12px;fill:#222;font-family:sans-serif}\n"
		       "svg text.t{font-weight:bold}\n"
		       "</style>\n</head>\n<body>\n<h1>");
	html_esc(b, title);
	strbuf_adds(b, "</h1>\n<p>");
	char gen[32];
	clock_format_iso(r->generated_at, gen, sizeof gen);
	html_esc(b, r->first_day);
	strbuf_adds(b, " – ");
	html_esc(b, r->last_day);
	strbuf_adds(b, " (");
	html_esc(b, *r->tz ? r->tz : "UTC");
	strbuf_adds(b, "); ");
	html_esc(b, _("generated"));
	strbuf_addc(b, ' ');
	html_esc(b, gen);
	strbuf_adds(b, "</p>\n");
	free(title);

	html_section(b, d, "summary");
	strbuf_adds(b, "</section>\n");

	html_section(b, d, "by_kind");
	struct bar bars[(int)KIND_COUNT > (int)CHANNEL_COUNT ? (int)KIND_COUNT : (int)CHANNEL_COUNT];
	const char *legend[] = { _("opened"), _("closed") };
	for (int k = 0; k < KIND_COUNT; k++)
		bars[k] = (struct bar){ ticket_kind_label((enum ticket_kind)k),
					{ (double)r->opened_by_kind[k], (double)r->closed_by_kind[k] }, NULL };
	svg_bars(b, _("Tickets by kind"), bars, KIND_COUNT, 2, 0, legend);
	strbuf_adds(b, "</section>\n");

	html_section(b, d, "by_channel");
	for (int c = 0; c < CHANNEL_COUNT; c++)
		bars[c] = (struct bar){ ticket_channel_label((enum ticket_channel)c),
					{ (double)r->opened_by_channel[c], (double)r->closed_by_channel[c] }, NULL };
	svg_bars(b, _("Tickets by channel"), bars, CHANNEL_COUNT, 2, 0, legend);
	svg_spark(b, _("Opened per day"), f->opened_daily, f->n_days);
	svg_spark(b, _("Closed per day"), f->closed_daily, f->n_days);
	strbuf_adds(b, "</section>\n");

	html_section(b, d, "times");
	strbuf_adds(b, "</section>\n");
	html_section(b, d, "sla");
	struct num p1 = n_pct(r->response_compliance), p2 = n_pct(r->resolution_compliance);
	struct bar sla[2] = {
		{ _("first response"), { r->response_compliance < 0 ? 0 : r->response_compliance, 0 }, p1.text },
		{ _("resolution"), { r->resolution_compliance < 0 ? 0 : r->resolution_compliance, 0 }, p2.text },
	};
	svg_bars(b, _("SLA compliance"), sla, 2, 1, 100, NULL);
	strbuf_adds(b, "</section>\n");
	html_section(b, d, "planned");
	strbuf_adds(b, "</section>\n");

	html_section(b, d, "backlog");
	struct bar age[REPORT_AGE_BUCKETS];
	for (int i = 0; i < REPORT_AGE_BUCKETS; i++)
		age[i] = (struct bar){ age_label(i), { (double)f->backlog_age[i], 0 }, NULL };
	svg_bars(b, _("Backlog at period end by age"), age, REPORT_AGE_BUCKETS, 1, 0, NULL);
	strbuf_adds(b, "</section>\n");

	html_section(b, d, "bugs_by_status");
	strbuf_adds(b, "</section>\n");
	html_section(b, d, "bugs_fixed");
	strbuf_adds(b, "</section>\n");

	html_section(b, d, "worked");
	struct bar *wb = xcalloc(f->n_worked + 1, sizeof *wb);
	struct num *wt = xcalloc(f->n_worked + 1, sizeof *wt);
	for (size_t i = 0; i < f->n_worked; i++) {
		wt[i] = n_minutes(f->worked[i].minutes);
		wb[i] = (struct bar){ f->worked[i].org ? f->worked[i].org : _("(no organisation)"),
				      { (double)f->worked[i].minutes, 0 }, wt[i].text };
	}
	svg_bars(b, _("Time worked by organisation"), wb, f->n_worked, 1, 0, NULL);
	free(wb);
	free(wt);
	strbuf_adds(b, "</section>\n");

	html_section(b, d, "satisfaction");
	struct bar sat[5];
	static const char *const scores[] = { "5", "4", "3", "2", "1" };
	for (int i = 0; i < 5; i++)
		sat[i] = (struct bar){ scores[i], { (double)f->ratings[4 - i], 0 }, NULL };
	svg_bars(b, _("Satisfaction ratings"), sat, 5, 1, 0, NULL);
	strbuf_adds(b, "</section>\n</body>\n</html>\n");
}

char *report_render(const struct report *r, enum report_format fmt)
{
	struct doc d;
	d.n = 0;
	build_doc(r, &d);
	struct strbuf b = STRBUF_INIT;
	switch (fmt) {
	case REPORT_MD: render_md(r, &d, &b); break;
	case REPORT_CSV: render_csv(&d, &b); break;
	case REPORT_JSON: render_json(r, &b); break;
	case REPORT_HTML: render_html(r, &d, &b); break;
	default: render_text(r, &d, &b); break;
	}
	doc_free(&d);
	return strbuf_detach(&b);
}

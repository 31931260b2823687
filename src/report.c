#include "report.h"

#include "i18n.h"
#include "recur.h"
#include "store_dir.h"
#include "xmalloc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- civil dates (proleptic Gregorian, days since 1970-01-01) ---- */

static int64_t fdiv(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = fdiv(y, 400);
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = fdiv(z, 146097);
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static void day_string(int64_t day, char buf[16])
{
	int y, m, d;
	civil_from_days(day, &y, &m, &d);
	snprintf(buf, 16, "%04d-%02d-%02d", y, m, d);
}

static int days_in_month(int y, int m)
{
	return (int)(days_from_civil(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) - days_from_civil(y, m, 1));
}

/* Reads exactly n digits. */
static bool digits(const char **p, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return false;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return true;
}

static bool parse_date(const char *s, int64_t *day)
{
	int y, m, d;
	const char *p = s;
	if (!digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &m) || *p++ != '-' || !digits(&p, 2, &d) || *p)
		return false;
	if (y < 1970 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return false;
	*day = days_from_civil(y, m, d);
	return true;
}

/* [first, last] local days of a period text; label gets the canonical spelling. */
static bool period_days(const char *s, int64_t *first, int64_t *last, char *label, size_t n)
{
	const char *p = s;
	int y, v;
	if (!digits(&p, 4, &y) || y < 1970 || y > 9998)
		return false;
	if (!*p) {
		*first = days_from_civil(y, 1, 1);
		*last = days_from_civil(y + 1, 1, 1) - 1;
		snprintf(label, n, "%04d", y);
		return true;
	}
	if (*p == '-' && (p[1] == 'W' || p[1] == 'w')) {
		p += 2;
		if (!digits(&p, 2, &v) || *p || v < 1)
			return false;
		/* ISO 8601: week 1 holds January 4th; weeks start on Monday */
		int64_t jan4 = days_from_civil(y, 1, 4);
		int64_t wd = ((jan4 + 3) % 7 + 7) % 7; /* 1970-01-01 was a Thursday: Monday = 0 */
		int64_t week1 = jan4 - wd;
		int64_t next_jan4 = days_from_civil(y + 1, 1, 4);
		int64_t next_week1 = next_jan4 - (((next_jan4 + 3) % 7 + 7) % 7);
		if (v > (next_week1 - week1) / 7)
			return false;
		*first = week1 + (int64_t)(v - 1) * 7;
		*last = *first + 6;
		snprintf(label, n, "%04d-W%02d", y, v);
		return true;
	}
	if (*p == '-')
		p++;
	if (*p == 'Q' || *p == 'q') {
		p++;
		if (!digits(&p, 1, &v) || *p || v < 1 || v > 4)
			return false;
		*first = days_from_civil(y, 3 * v - 2, 1);
		*last = days_from_civil(v == 4 ? y + 1 : y, v == 4 ? 1 : 3 * v + 1, 1) - 1;
		snprintf(label, n, "%04dQ%d", y, v);
		return true;
	}
	if (p == s + 5 && digits(&p, 2, &v) && v >= 1 && v <= 12) {
		if (!*p) {
			*first = days_from_civil(y, v, 1);
			*last = *first + days_in_month(y, v) - 1;
			snprintf(label, n, "%04d-%02d", y, v);
			return true;
		}
		if (parse_date(s, first)) {
			*last = *first;
			day_string(*first, label);
			return true;
		}
	}
	return false;
}

static int local_midnight(int64_t day, const char *tz, wb_time *out, struct wb_err *err)
{
	char ymd[16];
	day_string(day, ymd);
	return recur_local_to_utc(ymd, tz, out, err);
}

static int64_t local_day_of(wb_time t, const char *tz)
{
	return fdiv(t + recur_utc_offset(tz, t), 86400);
}

int report_period_parse(const char *spec, const char *tz, wb_time now, wb_time *from, wb_time *to,
			char **label, struct wb_err *err)
{
	int64_t first, last;
	char buf[32];
	if (!spec || !*spec) {
		int y, m, d;
		civil_from_days(local_day_of(now, tz), &y, &m, &d);
		snprintf(buf, sizeof buf, "%04d-%02d", y, m);
		spec = buf;
	}
	char lab[32];
	if (!period_days(spec, &first, &last, lab, sizeof lab))
		return wb_err_set(err, WB_EINVAL,
				  _("unknown period '%s' (use a month 2026-10, a quarter 2026Q4, a week 2026-W47, "
				    "a year 2026 or a day 2026-10-08)"), spec);
	int rc = local_midnight(first, tz, from, err);
	if (rc == WB_OK)
		rc = local_midnight(last + 1, tz, to, err);
	if (rc)
		return rc;
	*label = xstrdup(lab);
	return WB_OK;
}

int report_day_range(const char *ymd, const char *tz, const char *what, wb_time *start, wb_time *end,
		     struct wb_err *err)
{
	int64_t day;
	if (!ymd || !parse_date(ymd, &day))
		return wb_err_set(err, WB_EINVAL, _("%s wants a date YYYY-MM-DD, not '%s'"), what, ymd ? ymd : "");
	int rc = local_midnight(day, tz, start, err);
	if (rc == WB_OK)
		rc = local_midnight(day + 1, tz, end, err);
	return rc;
}

void report_local_date(wb_time t, const char *tz, char buf[16])
{
	day_string(local_day_of(t, tz), buf);
}

/* ---- building ---- */

double report_due_percent(const struct report_due *d)
{
	int64_t all = d->met + d->late + d->overdue;
	return all ? 100.0 * (double)d->met / (double)all : -1;
}

static int resolve_filters(struct desk *d, const struct report_spec *spec, struct report *r,
			   struct store_report_filter *f, struct wb_err *err)
{
	int rc = WB_OK;
	if (spec->org && *spec->org) {
		struct organisation o;
		if ((rc = store_org_find(d->store, spec->org, &o, err)))
			return rc;
		f->org_id = o.id;
		r->org = xstrdup(o.name);
		organisation_clear(&o);
	}
	if (spec->system && *spec->system) {
		struct system_info y;
		if ((rc = store_system_find(d->store, spec->system, f->org_id, &y, err)))
			return rc;
		f->system_id = y.id;
		r->system = xstrdup(y.name);
		system_info_clear(&y);
	}
	if (spec->queue && *spec->queue) {
		struct queue_info q;
		if ((rc = store_queue_find(d->store, spec->queue, &q, err)))
			return rc;
		f->queue_id = q.id;
		r->queue = xstrdup(q.name);
		queue_info_clear(&q);
	}
	return rc;
}

static int period_of(const struct desk *d, const struct report_spec *spec, wb_time now, struct report *r,
		     struct wb_err *err)
{
	const char *tz = d->cal.tz;
	bool range = (spec->from && *spec->from) || (spec->to && *spec->to);
	if (!range)
		return report_period_parse(spec->period, tz, now, &r->from, &r->to, &r->label, err);
	if (spec->period && *spec->period)
		return wb_err_set(err, WB_EINVAL, _("give either --period or --from and --to, not both"));
	int64_t first, last;
	if (!spec->from || !parse_date(spec->from, &first))
		return wb_err_set(err, WB_EINVAL, _("--from wants a date YYYY-MM-DD, not '%s'"),
				  spec->from ? spec->from : "");
	if (!spec->to || !parse_date(spec->to, &last))
		return wb_err_set(err, WB_EINVAL, _("--to wants a date YYYY-MM-DD, not '%s'"), spec->to ? spec->to : "");
	if (last < first)
		return wb_err_set(err, WB_EINVAL, _("--to %s is before --from %s"), spec->to, spec->from);
	int rc = local_midnight(first, tz, &r->from, err);
	if (rc == WB_OK)
		rc = local_midnight(last + 1, tz, &r->to, err);
	if (rc == WB_OK)
		r->label = xasprintf("%s..%s", spec->from, spec->to);
	return rc;
}

int report_build(struct desk *d, const struct report_spec *spec, struct report *out, struct wb_err *err)
{
	memset(out, 0, sizeof *out);
	wb_time now = clock_now();
	out->generated_at = now;
	out->tz = xstrdup(d->cal.tz);
	struct store_report_filter f = { 0 };
	int rc = period_of(d, spec, now, out, err);
	if (rc == WB_OK)
		rc = resolve_filters(d, spec, out, &f, err);
	if (rc == WB_OK) {
		out->org_id = f.org_id;
		out->system_id = f.system_id;
		out->queue_id = f.queue_id;
		f.from = out->from;
		f.to = out->to;
		f.now = now;
		rc = store_report_figures(d->store, &f, &out->f, err);
	}
	if (rc) {
		report_clear(out);
		return rc;
	}
	char day[16];
	day_string(local_day_of(out->from, out->tz), day);
	out->first_day = xstrdup(day);
	day_string(local_day_of(out->to, out->tz) - 1, day);
	out->last_day = xstrdup(day);
	const struct report_figures *g = &out->f;
	for (int k = 0; k < KIND_COUNT; k++)
		for (int c = 0; c < CHANNEL_COUNT; c++) {
			out->opened_by_kind[k] += g->opened[k][c];
			out->closed_by_kind[k] += g->closed[k][c];
			out->opened_by_channel[c] += g->opened[k][c];
			out->closed_by_channel[c] += g->closed[k][c];
			out->opened_total += g->opened[k][c];
			out->closed_total += g->closed[k][c];
		}
	for (int k = 0; k < KIND_COUNT; k++) {
		out->resolve_due_all.met += g->resolve_due[k].met;
		out->resolve_due_all.late += g->resolve_due[k].late;
		out->resolve_due_all.overdue += g->resolve_due[k].overdue;
		out->resolve_due_all.pending += g->resolve_due[k].pending;
	}
	out->response_compliance = report_due_percent(&g->response_due);
	out->resolution_compliance = report_due_percent(&out->resolve_due_all);
	/* of the tickets resolved in the period (closed now, or reopened since), the share reopened */
	int64_t resolved = out->closed_total + g->reopened_open;
	out->reopen_rate = resolved ? 100.0 * (double)g->reopened / (double)resolved : -1;
	int64_t sum = 0;
	for (int i = 0; i < 5; i++) {
		out->ratings_n += g->ratings[i];
		sum += g->ratings[i] * (i + 1);
	}
	out->rating_avg = out->ratings_n ? (double)sum / (double)out->ratings_n : 0;
	for (size_t i = 0; i < g->n_worked; i++)
		out->minutes_total += g->worked[i].minutes;
	return WB_OK;
}

void report_clear(struct report *r)
{
	free(r->label);
	free(r->first_day);
	free(r->last_day);
	free(r->tz);
	free(r->org);
	free(r->system);
	free(r->queue);
	report_figures_clear(&r->f);
	memset(r, 0, sizeof *r);
}


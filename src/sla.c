#include "sla.h"

#include "i18n.h"
#include "xmalloc.h"

#include <ctype.h>
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DAY_SECS 86400

/* ---- civil dates (proleptic Gregorian, day 0 = 1970-01-01, a Thursday) ---- */

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = floor_div(y, 400);
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	z += 719468;
	int64_t era = floor_div(z, 146097);
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int weekday_of_day(int64_t day)
{
	return (int)(((day + 4) % 7 + 7) % 7);
}

/* "YYYY-MM-DD" into buf[11] (years 0..9999). */
static void format_day(int64_t day, char buf[11])
{
	int64_t y;
	int m, d;
	civil_from_days(day, &y, &m, &d);
	if (y < 0)
		y = 0;
	if (y > 9999)
		y = 9999;
	buf[0] = (char)('0' + y / 1000);
	buf[1] = (char)('0' + y / 100 % 10);
	buf[2] = (char)('0' + y / 10 % 10);
	buf[3] = (char)('0' + y % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + m / 10);
	buf[6] = (char)('0' + m % 10);
	buf[7] = '-';
	buf[8] = (char)('0' + d / 10);
	buf[9] = (char)('0' + d % 10);
	buf[10] = '\0';
}

/* Strict "YYYY-MM-DD" of a real date. */
static bool parse_ymd(const char *s, size_t len)
{
	if (len != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (size_t i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return false;
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	int m = (s[5] - '0') * 10 + (s[6] - '0');
	int d = (s[8] - '0') * 10 + (s[9] - '0');
	if (m < 1 || m > 12 || d < 1 || d > 31)
		return false;
	int64_t y2;
	int m2, d2;
	civil_from_days(days_from_civil(y, m, d), &y2, &m2, &d2);
	return m2 == m && d2 == d; /* 2026-02-30 */
}

/* ---- time zones (libical's zone data; the process TZ is never touched) ---- */

static bool tz_is_utc(const char *tz)
{
	return !tz || !*tz || strcmp(tz, "UTC") == 0 || strcmp(tz, "Etc/UTC") == 0 ||
	       strcmp(tz, "Z") == 0;
}

/* NULL means UTC (also for an unknown name: sla_calendar_set refuses those). */
static icaltimezone *tz_lookup(const char *tz)
{
	if (tz_is_utc(tz))
		return NULL;
	return icaltimezone_get_builtin_timezone(tz);
}

/* Seconds east of UTC at instant t. */
static int tz_offset(icaltimezone *z, wb_time t)
{
	if (!z)
		return 0;
	struct icaltimetype tt = icaltime_from_timet_with_zone((time_t)t, 0, icaltimezone_get_utc_timezone());
	int dst = 0;
	return icaltimezone_get_utc_offset_of_utc_time(z, &tt, &dst);
}

/* The first instant whose wall clock reads `local` (local seconds, as if UTC) or later:
 * in a repeated hour the first occurrence, in a skipped hour the end of the gap. */
static wb_time tz_to_utc(icaltimezone *z, int64_t local)
{
	if (!z)
		return local;
	int o_early = tz_offset(z, local - DAY_SECS);
	int o_late = tz_offset(z, local + DAY_SECS);
	wb_time t1 = local - o_early, t2 = local - o_late;
	bool ok1 = t1 + tz_offset(z, t1) == local;
	bool ok2 = t2 + tz_offset(z, t2) == local;
	if (ok1 && ok2)
		return t1 < t2 ? t1 : t2;
	if (ok1)
		return t1;
	if (ok2)
		return t2;
	/* A gap: the wall clock jumps over `local` between t2 and t1. */
	wb_time lo = t1 < t2 ? t1 : t2, hi = t1 < t2 ? t2 : t1;
	if (hi + tz_offset(z, hi) < local)
		return hi; /* not a simple gap; should not happen */
	while (lo < hi) {
		wb_time mid = lo + (hi - lo) / 2;
		if (mid + tz_offset(z, mid) >= local)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* ---- the calendar as used by one call ---- */

static bool list_sorted(char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!v[i] || (i > 0 && strcmp(v[i - 1], v[i]) > 0))
			return false;
	return true;
}

/* The offset at local midnight of day k, as seen with offset `hint` (memo for one call). */
struct probe {
	int64_t k;
	int hint, v;
	bool valid;
};

struct ctx {
	const struct sla_calendar *cal;
	icaltimezone *z;
	bool always;
	bool holidays_sorted, extra_sorted;
	int64_t start_secs, end_secs; /* working hours in local seconds after midnight */
	int hint;                     /* the zone's offset on the days being walked */
	struct probe probes[4];
};

static void ctx_init(struct ctx *c, const struct sla_calendar *cal, wb_time near)
{
	memset(c, 0, sizeof *c);
	c->cal = cal;
	c->z = tz_lookup(cal->tz);
	int ds = cal->day_start < 0 ? 0 : cal->day_start;
	int de = cal->day_end > 1440 ? 1440 : cal->day_end;
	c->start_secs = (int64_t)ds * 60;
	c->end_secs = (int64_t)de * 60;
	c->always = cal->always || (cal->workdays & 0x7f) == 0 || de <= ds;
	c->holidays_sorted = list_sorted(cal->holidays, cal->n_holidays);
	c->extra_sorted = list_sorted(cal->extra_workdays, cal->n_extra_workdays);
	c->hint = tz_offset(c->z, near);
}

static int64_t ctx_local_day(const struct ctx *c, wb_time t)
{
	return floor_div(t + tz_offset(c->z, t), DAY_SECS);
}

static int ctx_probe(struct ctx *c, int64_t k)
{
	struct probe *p = &c->probes[k & 3];
	if (!p->valid || p->k != k || p->hint != c->hint) {
		p->k = k;
		p->hint = c->hint;
		p->v = tz_offset(c->z, k * DAY_SECS - c->hint);
		p->valid = true;
	}
	return p->v;
}

static bool list_has(char *const *v, size_t n, const char *ymd)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] && strcmp(v[i], ymd) == 0)
			return true;
	return false;
}

static bool list_has_sorted(char *const *v, size_t n, bool sorted, const char *ymd)
{
	if (!sorted)
		return list_has(v, n, ymd);
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = strcmp(v[mid], ymd);
		if (r == 0)
			return true;
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

bool sla_calendar_is_holiday(const struct sla_calendar *cal, const char *ymd)
{
	return ymd && list_has(cal->holidays, cal->n_holidays, ymd);
}

static bool ctx_workday(const struct ctx *c, int64_t day)
{
	const struct sla_calendar *cal = c->cal;
	bool usual = cal->workdays & (1u << weekday_of_day(day));
	if (!usual && cal->n_extra_workdays == 0)
		return false;
	if (usual && cal->n_holidays == 0)
		return true;
	char buf[11];
	format_day(day, buf);
	if (list_has_sorted(cal->holidays, cal->n_holidays, c->holidays_sorted, buf))
		return false;
	return usual || list_has_sorted(cal->extra_workdays, cal->n_extra_workdays, c->extra_sorted, buf);
}

/* The working interval [*ws, *we) of local day `day`; false when the day does not work.
 * Fast path: when the offset at the local midnights before, of and after the day is the
 * same, the whole day has that offset (zones never switch twice within 24 hours) and the
 * wall times convert by subtraction; otherwise each end is converted exactly. */
static bool ctx_interval(struct ctx *c, int64_t day, wb_time *ws, wb_time *we)
{
	if (!ctx_workday(c, day))
		return false;
	int64_t ls = day * DAY_SECS + c->start_secs, le = day * DAY_SECS + c->end_secs;
	int o = c->hint;
	if (!c->z || (ctx_probe(c, day - 1) == o && ctx_probe(c, day) == o && ctx_probe(c, day + 1) == o)) {
		*ws = ls - o;
		*we = le - o;
	} else {
		*ws = tz_to_utc(c->z, ls);
		*we = tz_to_utc(c->z, le);
		c->hint = tz_offset(c->z, (day + 1) * DAY_SECS - o);
	}
	return *we > *ws;
}

/* ---- public arithmetic ---- */

/* Inputs are clamped to 1970..9999 and amounts to 500 years, so no sum overflows. */
#define MAX_TIME ((wb_time)253402300799) /* 9999-12-31T23:59:59Z */
#define MAX_SECS ((int64_t)500 * 366 * DAY_SECS)

static wb_time clamp_time(wb_time t)
{
	return t < 0 ? 0 : t > MAX_TIME ? MAX_TIME : t;
}

int64_t sla_elapsed(const struct sla_calendar *cal, wb_time from, wb_time to)
{
	from = clamp_time(from);
	to = clamp_time(to);
	if (to <= from)
		return 0;
	struct ctx c;
	ctx_init(&c, cal, from);
	if (c.always)
		return to - from;
	/* One day either side: a zone that switches at midnight can move the local date back. */
	int64_t d0 = ctx_local_day(&c, from) - 1, d1 = ctx_local_day(&c, to) + 1;
	int64_t sum = 0;
	for (int64_t d = d0; d <= d1; d++) {
		wb_time ws, we;
		if (!ctx_interval(&c, d, &ws, &we))
			continue;
		wb_time a = ws > from ? ws : from;
		wb_time b = we < to ? we : to;
		if (b > a)
			sum += b - a;
	}
	return sum;
}

/* Days walked at most: a calendar with working time reaches any amount up to MAX_SECS
 * well before this unless it lists thousands of holidays. */
#define MAX_DAYS (4000 * 366)

wb_time sla_add(const struct sla_calendar *cal, wb_time start, int64_t secs)
{
	if (secs < 0)
		secs = 0;
	if (secs > MAX_SECS)
		secs = MAX_SECS;
	start = clamp_time(start);
	struct ctx c;
	ctx_init(&c, cal, start);
	if (c.always)
		return start + secs;
	wb_time cur = start;
	int64_t d = ctx_local_day(&c, start) - 1;
	for (int64_t n = 0; n < MAX_DAYS; n++, d++) {
		wb_time ws, we;
		if (!ctx_interval(&c, d, &ws, &we) || we <= cur)
			continue;
		if (ws > cur)
			cur = ws;
		int64_t avail = we - cur;
		if (secs == 0)
			return cur;
		if (secs <= avail)
			return cur + secs;
		secs -= avail;
		cur = we;
	}
	return cur + secs;
}

bool sla_is_working(const struct sla_calendar *cal, wb_time t)
{
	struct ctx c;
	ctx_init(&c, cal, t);
	if (c.always)
		return true;
	int64_t d = ctx_local_day(&c, t);
	for (int64_t i = d - 1; i <= d + 1; i++) {
		wb_time ws, we;
		if (ctx_interval(&c, i, &ws, &we) && t >= ws && t < we)
			return true;
	}
	return false;
}

wb_time sla_resume(const struct sla_calendar *cal, wb_time due, wb_time paused_at, wb_time resumed_at)
{
	if (due == 0 || paused_at >= due || resumed_at <= paused_at)
		return due;
	if (sla_elapsed(cal, paused_at, resumed_at) == 0)
		return due; /* the pause held no business time (a weekend, a night) */
	int64_t left = sla_elapsed(cal, paused_at, due);
	return sla_add(cal, resumed_at, left);
}

enum sla_state sla_evaluate(const struct sla_calendar *cal, wb_time start, wb_time due, wb_time done,
                            wb_time now, wb_time paused_at, double risk)
{
	if (due == 0)
		return SLA_NONE;
	if (done != 0) {
		wb_time eff = paused_at && paused_at < done ? paused_at : done;
		return eff <= due ? SLA_MET : SLA_MISSED;
	}
	wb_time t = paused_at && paused_at < now ? paused_at : now;
	if (t > due)
		return SLA_BREACHED;
	if (start <= 0)
		return SLA_OK; /* no start known: no fraction to measure */
	if (!(risk > 0.0 && risk <= 1.0))
		risk = 0.75;
	int64_t total = sla_elapsed(cal, start, due);
	int64_t used = sla_elapsed(cal, start, t);
	if ((double)used >= risk * (double)total)
		return SLA_AT_RISK;
	return SLA_OK;
}

#define SLA_STATE_NAME(e, s) [e] = s,
static const char *const state_names[] = { SLA_STATES(SLA_STATE_NAME) };
#undef SLA_STATE_NAME

const char *sla_state_name(enum sla_state s)
{
	if ((unsigned)s >= sizeof state_names / sizeof state_names[0])
		return "none";
	return state_names[s];
}

const char *sla_state_label(enum sla_state s)
{
	static const char *const labels[] = {
		/* TRANSLATORS: the state of a ticket's response or resolution target (SLA). */
		[SLA_NONE] = NC_("SLA state", "no target"), [SLA_OK] = NC_("SLA state", "on track"),
		[SLA_AT_RISK] = NC_("SLA state", "at risk"), [SLA_BREACHED] = NC_("SLA state", "breached"),
		[SLA_MET] = NC_("SLA state", "met"),         [SLA_MISSED] = NC_("SLA state", "missed"),
	};
	if ((unsigned)s >= sizeof labels / sizeof labels[0])
		s = SLA_NONE;
	return i18n_ctx(labels[s]);
}

int sla_state_from_name(const char *name, enum sla_state *out)
{
	for (size_t i = 0; name && i < sizeof state_names / sizeof state_names[0]; i++)
		if (strcmp(state_names[i], name) == 0) {
			*out = (enum sla_state)i;
			return WB_OK;
		}
	return WB_EINVAL;
}

/* ---- calendars ---- */

void sla_calendar_init(struct sla_calendar *cal, const char *tz)
{
	memset(cal, 0, sizeof *cal);
	cal->workdays = 0x3e; /* Mon..Fri */
	cal->day_start = 9 * 60;
	cal->day_end = 18 * 60;
	if (tz && !tz_is_utc(tz))
		snprintf(cal->tz, sizeof cal->tz, "%s", tz);
}

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static char **copy_list(char *const *v, size_t n)
{
	if (!n)
		return NULL;
	char **out = xcalloc(n, sizeof *out);
	for (size_t i = 0; i < n; i++)
		out[i] = xstrdup(v[i]);
	return out;
}

void sla_calendar_clear(struct sla_calendar *cal)
{
	if (!cal)
		return;
	free_list(cal->holidays, cal->n_holidays);
	cal->holidays = NULL;
	cal->n_holidays = 0;
	free_list(cal->extra_workdays, cal->n_extra_workdays);
	cal->extra_workdays = NULL;
	cal->n_extra_workdays = 0;
}

void sla_calendar_copy(struct sla_calendar *dst, const struct sla_calendar *src)
{
	*dst = *src;
	dst->holidays = copy_list(src->holidays, src->n_holidays);
	dst->extra_workdays = copy_list(src->extra_workdays, src->n_extra_workdays);
}

static const char *const day_names[7] = { "sunday", "monday", "tuesday", "wednesday",
	                                   "thursday", "friday", "saturday" };

/* A weekday token: "mon", "monday", "0".."7" (7 = Sunday). -1 when not one. */
static int parse_weekday(const char *s, size_t len)
{
	if (len == 1 && s[0] >= '0' && s[0] <= '7')
		return (s[0] - '0') % 7;
	if (len < 3)
		return -1;
	for (int d = 0; d < 7; d++)
		if (len <= strlen(day_names[d]) && strncasecmp(s, day_names[d], len) == 0 &&
		    (len == 3 || len == strlen(day_names[d])))
			return d;
	return -1;
}

static int parse_workdays(const char *s, unsigned *out, struct wb_err *err)
{
	unsigned mask = 0;
	const char *p = s;
	while (*p) {
		while (*p == ',' || isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		const char *tok = p;
		while (*p && *p != ',' && !isspace((unsigned char)*p))
			p++;
		size_t len = (size_t)(p - tok);
		const char *dash = memchr(tok, '-', len);
		int a, b;
		if (dash) {
			a = parse_weekday(tok, (size_t)(dash - tok));
			b = parse_weekday(dash + 1, len - (size_t)(dash - tok) - 1);
		} else {
			a = b = parse_weekday(tok, len);
		}
		if (a < 0 || b < 0)
			return wb_err_set(err, WB_EINVAL,
			                  _("workdays \"%s\": \"%.*s\" is not a day or range of days "
			                    "(use e.g. mon-fri, mon,tue,sat or 1-5)"),
			                  s, (int)len, tok);
		for (int d = a;; d = (d + 1) % 7) { /* a range may wrap: fri-mon */
			mask |= 1u << d;
			if (d == b)
				break;
		}
	}
	if (!mask)
		return wb_err_set(err, WB_EINVAL,
		                  _("workdays \"%s\": no working days given (use e.g. mon-fri)"), s);
	*out = mask;
	return WB_OK;
}

/* "HH:MM" (00:00..24:00) at *p, advancing it; -1 when malformed. */
static int parse_hhmm(const char **pp)
{
	const char *p = *pp;
	while (isspace((unsigned char)*p))
		p++;
	int h = 0, m = 0, n = 0;
	while (isdigit((unsigned char)*p) && n < 2) {
		h = h * 10 + (*p++ - '0');
		n++;
	}
	if (n == 0 || *p != ':')
		return -1;
	p++;
	if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]))
		return -1;
	m = (p[0] - '0') * 10 + (p[1] - '0');
	p += 2;
	while (isspace((unsigned char)*p))
		p++;
	if (m > 59 || h > 24 || (h == 24 && m != 0))
		return -1;
	*pp = p;
	return h * 60 + m;
}

static int parse_hours(const char *s, int *start, int *end, struct wb_err *err)
{
	const char *p = s;
	int a = parse_hhmm(&p);
	int b = -1;
	if (a >= 0 && *p == '-') {
		p++;
		b = parse_hhmm(&p);
	}
	if (a < 0 || b < 0 || *p)
		return wb_err_set(err, WB_EINVAL,
		                  _("working hours \"%s\": expected HH:MM-HH:MM, e.g. 09:00-18:00"), s);
	if (b <= a)
		return wb_err_set(err, WB_EINVAL,
		                  _("working hours \"%s\": the end must be after the start "
		                    "(overnight hours are not supported)"), s);
	*start = a;
	*end = b;
	return WB_OK;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A list of dates for the setting `what` (named in errors): sorted, without repeats. */
static int parse_dates(const char *what, const char *s, char ***out, size_t *n_out, struct wb_err *err)
{
	char **v = NULL;
	size_t n = 0, cap = 0;
	const char *p = s;
	while (*p) {
		while (*p == ',' || isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		const char *tok = p;
		while (*p && *p != ',' && !isspace((unsigned char)*p))
			p++;
		size_t len = (size_t)(p - tok);
		if (!parse_ymd(tok, len)) {
			free_list(v, n);
			return wb_err_set(err, WB_EINVAL,
			                  _("%s: \"%.*s\" is not a date YYYY-MM-DD"), what, (int)len, tok);
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			v = xrealloc(v, cap * sizeof *v);
		}
		v[n++] = xstrndup(tok, len);
	}
	if (n > 1) {
		qsort(v, n, sizeof *v, cmp_str);
		size_t k = 1;
		for (size_t i = 1; i < n; i++) {
			if (strcmp(v[i], v[k - 1]) == 0)
				free(v[i]);
			else
				v[k++] = v[i];
		}
		n = k;
	}
	*out = v;
	*n_out = n;
	return WB_OK;
}

int sla_calendar_set(struct sla_calendar *cal, const char *workdays, const char *hours,
                     const char *tz, const char *holidays, struct wb_err *err)
{
	unsigned mask = cal->workdays;
	int start = cal->day_start, end = cal->day_end;
	if (workdays && parse_workdays(workdays, &mask, err) < 0)
		return WB_EINVAL;
	if (hours && parse_hours(hours, &start, &end, err) < 0)
		return WB_EINVAL;
	if (tz && !tz_is_utc(tz)) {
		if (strlen(tz) >= sizeof cal->tz || !icaltimezone_get_builtin_timezone(tz))
			return wb_err_set(err, WB_EINVAL,
			                  _("time zone \"%s\" is unknown (use an IANA name such as "
			                    "Asia/Shanghai or Europe/Berlin)"), tz);
	}
	char **hol = NULL;
	size_t n_hol = 0;
	if (holidays && parse_dates(_("holidays"), holidays, &hol, &n_hol, err) < 0)
		return WB_EINVAL;
	/* Everything parsed: now change cal. */
	cal->workdays = mask;
	cal->day_start = start;
	cal->day_end = end;
	if (tz)
		snprintf(cal->tz, sizeof cal->tz, "%s", tz_is_utc(tz) ? "" : tz);
	if (holidays) {
		free_list(cal->holidays, cal->n_holidays);
		cal->holidays = hol;
		cal->n_holidays = n_hol;
	}
	return WB_OK;
}

int sla_calendar_set_extra_workdays(struct sla_calendar *cal, const char *dates, struct wb_err *err)
{
	char **v = NULL;
	size_t n = 0;
	if (dates && parse_dates(_("extra working days"), dates, &v, &n, err) < 0)
		return WB_EINVAL;
	free_list(cal->extra_workdays, cal->n_extra_workdays);
	cal->extra_workdays = v;
	cal->n_extra_workdays = n;
	return WB_OK;
}

/* ---- default targets ---- */

#define BDAY 540 /* minutes in a default business day (09:00-18:00) */

static const struct sla_target default_targets[] = {
	/* premium: urgent work round the clock, the rest in business hours */
	{ "premium", 1, 15, 4 * 60, true },
	{ "premium", 2, 30, 8 * 60, true },
	{ "premium", 3, 2 * 60, 2 * BDAY, false },
	{ "premium", 4, 4 * 60, 5 * BDAY, false },
	/* standard: P1 round the clock, the rest in business hours */
	{ "standard", 1, 30, 8 * 60, true },
	{ "standard", 2, 2 * 60, 2 * BDAY, false },
	{ "standard", 3, 4 * 60, 5 * BDAY, false },
	{ "standard", 4, 1 * BDAY, 10 * BDAY, false },
	/* basic: business hours only */
	{ "basic", 1, 1 * 60, 1 * BDAY, false },
	{ "basic", 2, 4 * 60, 3 * BDAY, false },
	{ "basic", 3, 1 * BDAY, 5 * BDAY, false },
	{ "basic", 4, 2 * BDAY, 10 * BDAY, false },
};

const struct sla_target *sla_default_targets(size_t *n)
{
	if (n)
		*n = sizeof default_targets / sizeof default_targets[0];
	return default_targets;
}

const struct sla_target *sla_default_target(const char *level, int priority)
{
	for (size_t i = 0; level && i < sizeof default_targets / sizeof default_targets[0]; i++)
		if (strcmp(default_targets[i].level, level) == 0 && default_targets[i].priority == priority)
			return &default_targets[i];
	return NULL;
}

#include "recur.h"

#include "i18n.h"
#include "strbuf.h"
#include "xmalloc.h"

#include <libical/ical.h>

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- wall-clock times and zones ---- */

struct lt {
	int y, m, d, h, mi;
};

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int mdays(int y, int m)
{
	static const int n[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && is_leap(y) ? 29 : n[m - 1];
}

static bool digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

/* "YYYY-MM-DD" (when date_ok; time 00:00), "YYYY-MM-DDTHH:MM" or "YYYY-MM-DD HH:MM". */
static bool parse_local(const char *s, bool date_ok, struct lt *t, bool *has_time)
{
	if (!s)
		return false;
	size_t len = strlen(s);
	if (len != 10 && len != 16)
		return false;
	if (!digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' || !digits(s + 8, 2))
		return false;
	memset(t, 0, sizeof *t);
	t->y = atoi(s);
	t->m = atoi(s + 5);
	t->d = atoi(s + 8);
	if (len == 16) {
		if ((s[10] != 'T' && s[10] != ' ') || !digits(s + 11, 2) || s[13] != ':' || !digits(s + 14, 2))
			return false;
		t->h = atoi(s + 11);
		t->mi = atoi(s + 14);
	} else if (!date_ok) {
		return false;
	}
	if (has_time)
		*has_time = len == 16;
	return t->y >= 1900 && t->y <= 2500 && t->m >= 1 && t->m <= 12 && t->d >= 1 &&
	       t->d <= mdays(t->y, t->m) && t->h <= 23 && t->mi <= 59;
}

/* Wall-clock seconds: the local time read as if it were UTC. */
static wb_time lt_secs(const struct lt *t)
{
	struct tm tm = { 0 };
	tm.tm_year = t->y - 1900;
	tm.tm_mon = t->m - 1;
	tm.tm_mday = t->d;
	tm.tm_hour = t->h;
	tm.tm_min = t->mi;
	return (wb_time)timegm(&tm);
}

static void secs_lt(wb_time s, struct lt *t)
{
	time_t tt = (time_t)s;
	struct tm tm;
	gmtime_r(&tt, &tm);
	t->y = tm.tm_year + 1900;
	t->m = tm.tm_mon + 1;
	t->d = tm.tm_mday;
	t->h = tm.tm_hour;
	t->mi = tm.tm_min;
}

bool recur_tz_is_utc(const char *tz)
{
	return !tz || !*tz || !strcmp(tz, "UTC") || !strcmp(tz, "Etc/UTC") || !strcmp(tz, "Z");
}

/* The libical zone for tz; NULL with *ok for UTC, NULL without *ok for an unknown name. */
static icaltimezone *zone_get(const char *tz, bool *ok)
{
	*ok = true;
	if (recur_tz_is_utc(tz))
		return NULL;
	size_t len = strlen(tz);
	bool shape = len < 64 && tz[0] != '/' && !strstr(tz, "..");
	for (size_t i = 0; shape && i < len; i++)
		shape = isalnum((unsigned char)tz[i]) || strchr("/_+-", tz[i]);
	icaltimezone *z = shape ? icaltimezone_get_builtin_timezone(tz) : NULL;
	icalerror_clear_errno();
	if (!z)
		*ok = false;
	return z;
}

static int zone_offset(icaltimezone *z, wb_time utc)
{
	if (!z)
		return 0;
	struct icaltimetype tt = icaltime_from_timet_with_zone((time_t)utc, 0, icaltimezone_get_utc_timezone());
	int dst = 0;
	return icaltimezone_get_utc_offset_of_utc_time(z, &tt, &dst);
}

/* RFC 5545 3.3.5: a wall time in a gap uses the offset before the gap; one that happens twice is the first. */
static wb_time wall_to_utc(icaltimezone *z, wb_time wall)
{
	if (!z)
		return wall;
	int before = zone_offset(z, wall - 86400), after = zone_offset(z, wall + 86400);
	int cand[2] = { before, after };
	bool found = false;
	wb_time best = 0;
	for (int i = 0; i < 2; i++) {
		wb_time u = wall - cand[i];
		if (zone_offset(z, u) == cand[i] && (!found || u < best)) {
			best = u;
			found = true;
		}
	}
	return found ? best : wall - before;
}

static void fmt_lt(const struct lt *t, char *buf, size_t n, bool with_time)
{
	if (with_time)
		snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d", t->y, t->m, t->d, t->h, t->mi);
	else
		snprintf(buf, n, "%04d-%02d-%02d", t->y, t->m, t->d);
}

int recur_tz_check(const char *tz, struct wb_err *err)
{
	bool ok;
	zone_get(tz, &ok);
	if (!ok)
		return wb_err_set(err, WB_EINVAL, _("time zone %s is unknown (use an IANA name such as Asia/Shanghai)"),
		                  tz);
	return WB_OK;
}

int recur_local_to_utc(const char *local, const char *tz, wb_time *out, struct wb_err *err)
{
	bool ok;
	icaltimezone *z = zone_get(tz, &ok);
	if (!ok)
		return recur_tz_check(tz, err);
	struct lt t;
	if (!parse_local(local, true, &t, NULL))
		return wb_err_set(err, WB_EINVAL, _("time %s is not a local YYYY-MM-DDTHH:MM"), local ? local : "");
	*out = wall_to_utc(z, lt_secs(&t));
	return WB_OK;
}

int recur_utc_to_local(wb_time t, const char *tz, char *buf, size_t n, struct wb_err *err)
{
	bool ok;
	icaltimezone *z = zone_get(tz, &ok);
	if (!ok)
		return recur_tz_check(tz, err);
	struct lt l;
	secs_lt(t + zone_offset(z, t), &l);
	fmt_lt(&l, buf, n, true);
	return WB_OK;
}

int recur_utc_offset(const char *tz, wb_time t)
{
	bool ok;
	icaltimezone *z = zone_get(tz, &ok);
	return ok ? zone_offset(z, t) : 0;
}

/* ---- the rule ---- */

enum freq { F_NONE, F_SECONDLY, F_MINUTELY, F_HOURLY, F_DAILY, F_WEEKLY, F_MONTHLY, F_YEARLY };
static const char *const freq_names[] = { "", "SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY",
	                                  "YEARLY" };
static const char *const wday_codes[] = { "SU", "MO", "TU", "WE", "TH", "FR", "SA" };

enum until_kind { U_NONE, U_DATE, U_LOCAL, U_UTC };

struct rule {
	enum freq freq;
	int interval, count;
	enum until_kind until_kind;
	wb_time until; /* U_DATE/U_LOCAL: wall seconds (U_DATE: the last second of that day); U_UTC: UTC */
	char *libical; /* the rule without UNTIL, handed to libical */
	/* what recur_describe can phrase */
	int nday, days_ord[64], days_wd[64];
	int nmday, mday[64];
	int nmonth, month[12];
	bool other; /* BYHOUR, BYMINUTE, BYSECOND, BYYEARDAY, BYWEEKNO, BYSETPOS */
	bool has_yearday, has_weekno;
};

/* RFC 5545 3.3.10: which BY parts go with which frequency. */
static int check_combination(const struct rule *r, const char *text, struct wb_err *err)
{
	bool numbered = false;
	for (int i = 0; i < r->nday; i++)
		numbered |= r->days_ord[i] != 0;
	if (numbered && (r->freq != F_MONTHLY && r->freq != F_YEARLY))
		return wb_err_set(err, WB_EINVAL,
		                  _("recurrence rule %s: a numbered BYDAY (2TU, -1FR) needs FREQ=MONTHLY or YEARLY"),
		                  text);
	if (numbered && r->has_weekno)
		return wb_err_set(err, WB_EINVAL, _("recurrence rule %s: a numbered BYDAY cannot go with BYWEEKNO"),
		                  text);
	if (r->nmday && r->freq == F_WEEKLY)
		return wb_err_set(err, WB_EINVAL, _("recurrence rule %s: BYMONTHDAY cannot go with FREQ=WEEKLY"), text);
	if (r->has_yearday && (r->freq == F_DAILY || r->freq == F_WEEKLY || r->freq == F_MONTHLY))
		return wb_err_set(err, WB_EINVAL, _("recurrence rule %s: BYYEARDAY needs FREQ=YEARLY or HOURLY"), text);
	if (r->has_weekno && r->freq != F_YEARLY)
		return wb_err_set(err, WB_EINVAL, _("recurrence rule %s: BYWEEKNO needs FREQ=YEARLY"), text);
	return WB_OK;
}

struct part_spec {
	const char *name;
	int lo, hi;
	bool neg; /* -hi..-lo allowed too */
	const char *what;
};

static const struct part_spec int_parts[] = {
	{ "BYSECOND", 0, 60, false, N_("seconds 0..60") },
	{ "BYMINUTE", 0, 59, false, N_("minutes 0..59") },
	{ "BYHOUR", 0, 23, false, N_("hours 0..23") },
	{ "BYMONTHDAY", 1, 31, true, N_("days of the month 1..31 or -31..-1") },
	{ "BYYEARDAY", 1, 366, true, N_("days of the year 1..366 or -366..-1") },
	{ "BYWEEKNO", 1, 53, true, N_("weeks 1..53 or -53..-1") },
	{ "BYMONTH", 1, 12, false, N_("months 1..12") },
	{ "BYSETPOS", 1, 366, true, N_("positions 1..366 or -366..-1") },
};

static int wday_code(const char *s)
{
	for (int i = 0; i < 7; i++)
		if (!strcmp(s, wday_codes[i]))
			return i;
	return -1;
}

/* A signed integer filling the whole of s. */
static bool parse_int(const char *s, long *v)
{
	if (!*s)
		return false;
	const char *p = s;
	if (*p == '+' || *p == '-')
		p++;
	if (!*p || strlen(p) > 6 || !digits(p, strlen(p)))
		return false;
	*v = strtol(s, NULL, 10);
	return true;
}

static void rule_free(struct rule *r)
{
	free(r->libical);
	r->libical = NULL;
}

static int bad_part(struct wb_err *err, const char *name, const char *val, const char *why)
{
	return wb_err_set(err, WB_EINVAL, _("recurrence rule: %s=%s is not valid (%s)"), name, val, why);
}

static int parse_until(const char *val, struct rule *r)
{
	size_t len = strlen(val);
	struct lt t = { 0 };
	if (len != 8 && len != 15 && len != 16)
		return -1;
	if (!digits(val, 8))
		return -1;
	t.y = (val[0] - '0') * 1000 + (val[1] - '0') * 100 + (val[2] - '0') * 10 + (val[3] - '0');
	t.m = (val[4] - '0') * 10 + (val[5] - '0');
	t.d = (val[6] - '0') * 10 + (val[7] - '0');
	if (t.y < 1900 || t.y > 2500 || t.m < 1 || t.m > 12 || t.d < 1 || t.d > mdays(t.y, t.m))
		return -1;
	if (len == 8) {
		r->until_kind = U_DATE;
		r->until = lt_secs(&t) + 86399;
		return 0;
	}
	if (val[8] != 'T' || !digits(val + 9, 6) || (len == 16 && val[15] != 'Z'))
		return -1;
	t.h = (val[9] - '0') * 10 + (val[10] - '0');
	t.mi = (val[11] - '0') * 10 + (val[12] - '0');
	int sec = (val[13] - '0') * 10 + (val[14] - '0');
	if (t.h > 23 || t.mi > 59 || sec > 59)
		return -1;
	r->until_kind = len == 16 ? U_UTC : U_LOCAL;
	r->until = lt_secs(&t) + sec;
	return 0;
}

static int rule_parse(const char *text, struct rule *r, struct wb_err *err)
{
	memset(r, 0, sizeof *r);
	r->interval = 1;
	if (!text || !*text)
		return wb_err_set(err, WB_EINVAL, _("recurrence rule is empty (for example FREQ=WEEKLY;BYDAY=MO)"));
	const char *body = text;
	if (!strncmp(body, "RRULE:", 6))
		body += 6;
	char *copy = xstrdup(body);
	for (char *c = copy; *c; c++) /* rule parts and values are case-insensitive */
		*c = (char)toupper((unsigned char)*c);
	struct strbuf lib = STRBUF_INIT;
	char seen[32][16];
	int nseen = 0;
	int rc = WB_OK;
	char *save = NULL;
	for (char *part = strtok_r(copy, ";", &save); part && rc == WB_OK; part = strtok_r(NULL, ";", &save)) {
		char *eq = strchr(part, '=');
		if (!eq || eq == part || !eq[1]) {
			rc = wb_err_set(err, WB_EINVAL, _("recurrence rule: \"%s\" is not NAME=VALUE"), part);
			break;
		}
		*eq = '\0';
		const char *name = part, *val = eq + 1;
		for (int i = 0; i < nseen; i++)
			if (!strcmp(seen[i], name))
				rc = wb_err_set(err, WB_EINVAL, _("recurrence rule: %s is given twice"), name);
		if (rc != WB_OK)
			break;
		if (nseen < 32 && strlen(name) < 16)
			strcpy(seen[nseen++], name);
		bool to_lib = true;
		if (!strcmp(name, "FREQ")) {
			for (int f = F_SECONDLY; f <= F_YEARLY; f++)
				if (!strcmp(val, freq_names[f]))
					r->freq = (enum freq)f;
			if (r->freq == F_NONE)
				rc = wb_err_set(err, WB_EINVAL,
				                _("recurrence rule: FREQ=%s is not a frequency (HOURLY, DAILY, WEEKLY, "
				                  "MONTHLY or YEARLY)"),
				                val);
			else if (r->freq < F_HOURLY)
				rc = wb_err_set(err, WB_EINVAL,
				                _("recurrence rule: FREQ=%s is too frequent for a plan (HOURLY at most)"),
				                val);
		} else if (!strcmp(name, "INTERVAL") || !strcmp(name, "COUNT")) {
			long v;
			if (!parse_int(val, &v) || v < 1 || v > 100000 || *val == '+' || *val == '-')
				rc = bad_part(err, name, val, _("a whole number from 1"));
			else if (name[0] == 'I')
				r->interval = (int)v;
			else
				r->count = (int)v;
		} else if (!strcmp(name, "UNTIL")) {
			to_lib = false;
			if (parse_until(val, r) != 0)
				rc = bad_part(err, name, val, _("YYYYMMDD, YYYYMMDDTHHMMSS or YYYYMMDDTHHMMSSZ"));
		} else if (!strcmp(name, "WKST")) {
			if (wday_code(val) < 0)
				rc = bad_part(err, name, val, _("one of MO, TU, WE, TH, FR, SA, SU"));
		} else if (!strcmp(name, "BYDAY")) {
			char *vc = xstrdup(val), *s2 = NULL;
			for (char *d = strtok_r(vc, ",", &s2); d; d = strtok_r(NULL, ",", &s2)) {
				size_t dl = strlen(d);
				long ord = 0;
				int wd = dl >= 2 ? wday_code(d + dl - 2) : -1;
				if (wd >= 0 && dl > 2) {
					char num[8] = "";
					if (dl - 2 < sizeof num) {
						memcpy(num, d, dl - 2);
						num[dl - 2] = '\0';
					}
					if (!parse_int(num, &ord) || ord == 0 || ord > 53 || ord < -53)
						wd = -1;
				}
				if (wd < 0) {
					rc = bad_part(err, name, val, _("weekdays MO..SU, optionally numbered: 2TU, -1FR"));
					break;
				}
				if (r->nday < 64) {
					r->days_ord[r->nday] = (int)ord;
					r->days_wd[r->nday++] = wd;
				}
			}
			if (val[strlen(val) - 1] == ',' && rc == WB_OK)
				rc = bad_part(err, name, val, _("weekdays MO..SU, optionally numbered: 2TU, -1FR"));
			free(vc);
		} else {
			const struct part_spec *ps = NULL;
			for (size_t i = 0; i < sizeof int_parts / sizeof int_parts[0]; i++)
				if (!strcmp(name, int_parts[i].name))
					ps = &int_parts[i];
			if (!ps) {
				rc = wb_err_set(err, WB_EINVAL,
				                _("recurrence rule: %s is not a rule part (FREQ, INTERVAL, COUNT, UNTIL, "
				                  "BYDAY, BYMONTHDAY, BYMONTH, BYHOUR, BYSETPOS, WKST, ...)"),
				                name);
				break;
			}
			char *vc = xstrdup(val), *s2 = NULL;
			int items = 0;
			for (char *d = strtok_r(vc, ",", &s2); d; d = strtok_r(NULL, ",", &s2)) {
				long v;
				bool okv = parse_int(d, &v) && ((v >= ps->lo && v <= ps->hi) ||
				                                (ps->neg && v <= -ps->lo && v >= -ps->hi));
				if (!okv || (!ps->neg && *d == '-')) {
					rc = bad_part(err, name, val, _(ps->what));
					break;
				}
				items++;
				if (!strcmp(name, "BYYEARDAY"))
					r->has_yearday = true;
				if (!strcmp(name, "BYWEEKNO"))
					r->has_weekno = true;
				if (!strcmp(name, "BYMONTHDAY") && r->nmday < 64)
					r->mday[r->nmday++] = (int)v;
				else if (!strcmp(name, "BYMONTH") && r->nmonth < 12)
					r->month[r->nmonth++] = (int)v;
				else if (strcmp(name, "BYMONTHDAY") && strcmp(name, "BYMONTH"))
					r->other = true;
			}
			if (rc == WB_OK && (!items || val[strlen(val) - 1] == ','))
				rc = bad_part(err, name, val, _(ps->what));
			free(vc);
		}
		if (rc == WB_OK && to_lib) {
			if (lib.len)
				strbuf_addc(&lib, ';');
			strbuf_addf(&lib, "%s=%s", name, val);
		}
	}
	free(copy);
	if (rc == WB_OK && r->freq == F_NONE)
		rc = wb_err_set(err, WB_EINVAL, _("recurrence rule %s has no FREQ (for example FREQ=DAILY)"), text);
	if (rc == WB_OK)
		rc = check_combination(r, text, err);
	if (rc == WB_OK && r->count && r->until_kind != U_NONE)
		rc = wb_err_set(err, WB_EINVAL, _("recurrence rule %s: COUNT and UNTIL cannot both be given"), text);
	if (rc == WB_OK) {
		r->libical = strbuf_detach(&lib);
		struct icalrecurrencetype it = icalrecurrencetype_from_string(r->libical);
		if (it.freq == ICAL_NO_RECURRENCE)
			rc = wb_err_set(err, WB_EINVAL, _("recurrence rule %s is not valid"), text);
		icalerror_clear_errno();
	}
	strbuf_free(&lib);
	if (rc != WB_OK)
		rule_free(r);
	return rc;
}

/* ---- validation and expansion ---- */

static int check_spec(const struct recur_spec *s, struct rule *r, icaltimezone **z, struct lt *start,
                      struct wb_err *err)
{
	bool ok;
	*z = zone_get(s->tz, &ok);
	if (!ok)
		return recur_tz_check(s->tz, err);
	if (!parse_local(s->dtstart, false, start, NULL))
		return wb_err_set(err, WB_EINVAL, _("start %s is not a local YYYY-MM-DDTHH:MM"),
		                  s->dtstart ? s->dtstart : "");
	if (s->duration_min < 0 || s->duration_min > 527040)
		return wb_err_set(err, WB_EINVAL, _("duration %d minutes is not between 0 and 527040 (a year)"),
		                  s->duration_min);
	for (size_t i = 0; i < s->n_exdates; i++) {
		struct lt t;
		if (!parse_local(s->exdates[i], true, &t, NULL))
			return wb_err_set(err, WB_EINVAL,
			                  _("exception date %s is not a local YYYY-MM-DD or YYYY-MM-DDTHH:MM"),
			                  s->exdates[i] ? s->exdates[i] : "");
	}
	int rc = rule_parse(s->rrule, r, err);
	if (rc != WB_OK)
		return rc;
	struct icalrecurrencetype rt = icalrecurrencetype_from_string(r->libical);
	struct icaltimetype st = icaltime_null_time();
	st.year = start->y, st.month = start->m, st.day = start->d, st.hour = start->h, st.minute = start->mi;
	icalrecur_iterator *it = icalrecur_iterator_new(rt, st);
	/* a rule such as BYMONTH=4;BYMONTHDAY=31 has no first occurrence (libical searches up to year 2582) */
	bool none = !it || icaltime_is_null_time(icalrecur_iterator_next(it));
	icalerror_clear_errno();
	if (it)
		icalrecur_iterator_free(it);
	if (none) {
		rule_free(r);
		return wb_err_set(err, WB_EINVAL, _("recurrence rule %s never matches a date after %s"), s->rrule,
		                  s->dtstart);
	}
	return WB_OK;
}

int recur_validate(const struct recur_spec *s, struct wb_err *err)
{
	struct rule r;
	icaltimezone *z;
	struct lt start;
	int rc = check_spec(s, &r, &z, &start, err);
	if (rc == WB_OK)
		rule_free(&r);
	return rc;
}

static bool excluded(const struct recur_spec *s, const char *local)
{
	for (size_t i = 0; i < s->n_exdates; i++) {
		const char *x = s->exdates[i];
		size_t len = strlen(x);
		if (len == 10 ? !strncmp(x, local, 10) : (len == 16 && !strncmp(x, local, 10) &&
		                                          !strcmp(x + 11, local + 11)))
			return true;
	}
	return false;
}

int recur_expand(const struct recur_spec *s, wb_time from, wb_time to, size_t max,
                 struct recur_occurrence **out, size_t *n, struct wb_err *err)
{
	*out = NULL;
	*n = 0;
	struct rule r;
	icaltimezone *z;
	struct lt start;
	int rc = check_spec(s, &r, &z, &start, err);
	if (rc != WB_OK)
		return rc;
	struct icalrecurrencetype rt = icalrecurrencetype_from_string(r.libical);
	struct icaltimetype st = icaltime_null_time();
	st.year = start.y, st.month = start.m, st.day = start.d, st.hour = start.h, st.minute = start.mi;
	icalrecur_iterator *it = icalrecur_iterator_new(rt, st);
	size_t cap = 0;
	/* The wall clock runs at most 14 hours ahead of or behind UTC: stop once the wall time is a day past to. */
	for (struct icaltimetype t = icalrecur_iterator_next(it); it && !icaltime_is_null_time(t) && *n < max;
	     t = icalrecur_iterator_next(it)) {
		struct lt l = { t.year, t.month, t.day, t.hour, t.minute };
		wb_time wall = lt_secs(&l);
		if (wall - 86400 > to)
			break;
		wb_time utc = wall_to_utc(z, wall);
		if (r.until_kind == U_UTC ? utc > r.until : (r.until_kind != U_NONE && wall > r.until))
			break;
		if (utc < from || utc >= to)
			continue;
		char local[17];
		fmt_lt(&l, local, sizeof local, true);
		if (excluded(s, local))
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*out = xrealloc(*out, cap * sizeof **out);
		}
		struct recur_occurrence *o = &(*out)[(*n)++];
		memset(o, 0, sizeof *o);
		o->start = utc;
		o->end = utc + (wb_time)s->duration_min * 60;
		memcpy(o->local, local, sizeof o->local);
		memcpy(o->date, local, 10);
		o->date[10] = '\0';
	}
	icalerror_clear_errno();
	if (it)
		icalrecur_iterator_free(it);
	rule_free(&r);
	return WB_OK;
}

/* ---- description ---- */

static const char *wday_name(int wd)
{
	static const char *const names[] = { N_("Sunday"), N_("Monday"), N_("Tuesday"), N_("Wednesday"),
		                             N_("Thursday"), N_("Friday"), N_("Saturday") };
	return _(names[wd]);
}

static const char *month_name(int m)
{
	static const char *const names[] = { N_("January"), N_("February"), N_("March"), N_("April"),
		                             N_("May"), N_("June"), N_("July"), N_("August"),
		                             N_("September"), N_("October"), N_("November"), N_("December") };
	return _(names[m - 1]);
}

static const char *ordinal(int n)
{
	static const char *const pos[] = { N_("1st"), N_("2nd"), N_("3rd"), N_("4th"), N_("5th") };
	if (n >= 1 && n <= 5)
		return _(pos[n - 1]);
	if (n == -1)
		return _("last");
	if (n == -2)
		return _("second to last");
	return NULL;
}

/* "Monday, Wednesday and Friday" / "2nd Tuesday" */
static char *day_list(const struct rule *r)
{
	struct strbuf b = STRBUF_INIT;
	for (int i = 0; i < r->nday; i++) {
		if (i)
			strbuf_adds(&b, i == r->nday - 1 ? _(" and ") : ", ");
		if (r->days_ord[i]) {
			const char *o = ordinal(r->days_ord[i]);
			if (!o) {
				strbuf_free(&b);
				return NULL;
			}
			strbuf_addf(&b, _("the %s %s"), o, wday_name(r->days_wd[i]));
		} else {
			strbuf_adds(&b, wday_name(r->days_wd[i]));
		}
	}
	return strbuf_detach(&b);
}

static bool plain_days(const struct rule *r, const char *want)
{
	/* want: 7 chars over SU..SA, 'x' = present */
	bool have[7] = { false };
	for (int i = 0; i < r->nday; i++) {
		if (r->days_ord[i])
			return false;
		have[r->days_wd[i]] = true;
	}
	for (int i = 0; i < 7; i++)
		if (have[i] != (want[i] == 'x'))
			return false;
	return true;
}

static char *describe_rule(const struct rule *r, const struct lt *st)
{
	char hm[6];
	snprintf(hm, sizeof hm, "%02d:%02d", st->h, st->mi);
	int iv = r->interval;
	bool has_days = r->nday > 0;
	if (r->other)
		return NULL;
	switch (r->freq) {
	case F_HOURLY:
		if (has_days || r->nmday || r->nmonth)
			return NULL;
		return xasprintf(ngettext("every hour from %s", "every %2$d hours from %1$s", (unsigned long)iv), hm,
		                 iv);
	case F_DAILY:
		if (r->nmday || r->nmonth)
			return NULL;
		if (!has_days)
			return iv == 1 ? xasprintf(_("daily at %s"), hm)
			               : xasprintf(ngettext("every %2$d day at %1$s", "every %2$d days at %1$s",
			                                    (unsigned long)iv),
			                           hm, iv);
		/* FALLTHROUGH: DAILY;BYDAY=... reads like a weekly rule */
		if (iv != 1)
			return NULL;
		/* FALLTHROUGH */
	case F_WEEKLY: {
		if (r->nmday || r->nmonth)
			return NULL;
		if (iv == 1 && plain_days(r, ".xxxxx."))
			return xasprintf(_("every weekday at %s"), hm);
		if (iv == 1 && plain_days(r, "x.....x"))
			return xasprintf(_("every Saturday and Sunday at %s"), hm);
		if (iv == 1 && plain_days(r, "xxxxxxx"))
			return xasprintf(_("daily at %s"), hm);
		char *days;
		if (has_days) {
			for (int i = 0; i < r->nday; i++)
				if (r->days_ord[i])
					return NULL;
			days = day_list(r);
		} else {
			struct tm tm = { 0 };
			tm.tm_year = st->y - 1900, tm.tm_mon = st->m - 1, tm.tm_mday = st->d;
			time_t t = timegm(&tm);
			gmtime_r(&t, &tm);
			days = xstrdup(wday_name(tm.tm_wday));
		}
		char *s = iv == 1 ? xasprintf(_("weekly on %s at %s"), days, hm)
		                  : xasprintf(ngettext("every %3$d week on %1$s at %2$s",
		                                       "every %3$d weeks on %1$s at %2$s", (unsigned long)iv),
		                              days, hm, iv);
		free(days);
		return s;
	}
	case F_MONTHLY: {
		if (r->nmonth)
			return NULL;
		char *what = NULL;
		if (has_days && !r->nmday) {
			for (int i = 0; i < r->nday; i++)
				if (!r->days_ord[i])
					return NULL;
			what = day_list(r);
		} else if (!has_days && r->nmday == 1) {
			what = r->mday[0] == -1 ? xstrdup(_("the last day"))
			                        : r->mday[0] > 0 ? xasprintf(_("day %d"), r->mday[0]) : NULL;
		} else if (!has_days && !r->nmday) {
			what = xasprintf(_("day %d"), st->d);
		}
		if (!what)
			return NULL;
		char *s = iv == 1 ? xasprintf(_("monthly on %s at %s"), what, hm)
		                  : xasprintf(ngettext("every %3$d month on %1$s at %2$s",
		                                       "every %3$d months on %1$s at %2$s", (unsigned long)iv),
		                              what, hm, iv);
		free(what);
		return s;
	}
	case F_YEARLY: {
		if (has_days || r->nmonth > 1 || r->nmday > 1)
			return NULL;
		int m = r->nmonth ? r->month[0] : st->m;
		int d = r->nmday ? r->mday[0] : st->d;
		if (d < 1)
			return NULL;
		return iv == 1 ? xasprintf(_("yearly on %s %d at %s"), month_name(m), d, hm)
		               : xasprintf(ngettext("every %4$d year on %1$s %2$d at %3$s",
		                                    "every %4$d years on %1$s %2$d at %3$s", (unsigned long)iv),
		                           month_name(m), d, hm, iv);
	}
	default:
		return NULL;
	}
}

char *recur_describe(const struct recur_spec *s)
{
	struct rule r;
	struct lt st;
	if (!parse_local(s->dtstart, false, &st, NULL))
		memset(&st, 0, sizeof st);
	if (rule_parse(s->rrule, &r, NULL) != WB_OK)
		return xasprintf(_("invalid rule %s"), s->rrule ? s->rrule : "");
	char *d = describe_rule(&r, &st);
	if (!d)
		d = xasprintf(_("custom rule %s"), s->rrule);
	char *full = d;
	if (r.count)
		full = xasprintf(ngettext("%s, %d time", "%s, %d times", (unsigned long)r.count), d, r.count);
	else if (r.until_kind != U_NONE) {
		struct lt u;
		secs_lt(r.until, &u);
		char ds[11];
		fmt_lt(&u, ds, sizeof ds, false);
		full = xasprintf(_("%s, until %s"), d, ds);
	}
	if (full != d)
		free(d);
	rule_free(&r);
	return full;
}

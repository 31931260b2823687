#include "ics.h"

#include "i18n.h"
#include "recur.h"
#include "strbuf.h"
#include "utf8.h"
#include "xmalloc.h"

#include <libical/ical.h>

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* ---- writing ---- */

/* One content line, folded at 75 octets (continuations start with a space and carry 74 more), never
 * inside a UTF-8 sequence, ended with CRLF. */
static void fold_line(struct strbuf *b, const char *line)
{
	size_t len = strlen(line), pos = 0, limit = 75;
	while (len - pos > limit) {
		size_t cut = pos + limit;
		while (cut > pos + 1 && ((unsigned char)line[cut] & 0xC0) == 0x80)
			cut--;
		strbuf_add(b, line + pos, cut - pos);
		strbuf_adds(b, "\r\n ");
		pos = cut;
		limit = 74;
	}
	strbuf_add(b, line + pos, len - pos);
	strbuf_adds(b, "\r\n");
}

/* RFC 5545 TEXT: backslash, semicolon and comma escaped, newlines as \n, other controls but TAB dropped. */
static void add_text(struct strbuf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '\\' || c == ';' || c == ',') {
			strbuf_addc(b, '\\');
			strbuf_addc(b, (char)c);
		} else if (c == '\n') {
			strbuf_adds(b, "\\n");
		} else if (c >= 0x20 || c == '\t') {
			strbuf_addc(b, (char)c);
		}
	}
}

static void text_prop(struct strbuf *out, const char *name, const char *val)
{
	if (!val || !*val)
		return;
	struct strbuf l = STRBUF_INIT;
	strbuf_adds(&l, name);
	strbuf_addc(&l, ':');
	add_text(&l, val);
	fold_line(out, strbuf_str(&l));
	strbuf_free(&l);
}

static void fmt_utc(wb_time t, char *buf, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(buf, n, "%Y%m%dT%H%M%SZ", &tm);
}

static void fmt_wall(wb_time wall, char *buf, size_t n, bool date_only)
{
	time_t tt = (time_t)wall;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(buf, n, date_only ? "%Y%m%d" : "%Y%m%dT%H%M%S", &tm);
}

/* DTSTART/DTEND/EXDATE of an event: a date, a local time with TZID, or UTC. */
static void time_prop(struct strbuf *out, const char *name, const struct ics_event *e, wb_time t)
{
	char v[32], *line;
	if (e->all_day) {
		fmt_wall(t, v, sizeof v, true);
		line = xasprintf("%s;VALUE=DATE:%s", name, v);
	} else if (!recur_tz_is_utc(e->tz)) {
		fmt_wall(t + recur_utc_offset(e->tz, t), v, sizeof v, false);
		line = xasprintf("%s;TZID=%s:%s", name, e->tz, v);
	} else {
		fmt_utc(t, v, sizeof v);
		line = xasprintf("%s:%s", name, v);
	}
	fold_line(out, line);
	free(line);
}

static bool bad_text(const char *s)
{
	return s && !utf8_valid(s, strlen(s));
}

/* A date-only or floating UNTIL becomes UTC, as RFC 5545 asks when DTSTART has a zone. */
static char *rrule_for_export(const char *rrule, const struct ics_event *e)
{
	struct strbuf b = STRBUF_INIT;
	char *copy = xstrdup(rrule), *save = NULL;
	for (char *part = strtok_r(copy, ";", &save); part; part = strtok_r(NULL, ";", &save)) {
		if (b.len)
			strbuf_addc(&b, ';');
		size_t len = strlen(part);
		if (e->all_day || strncmp(part, "UNTIL=", 6) != 0 || (len != 14 && len != 21)) {
			strbuf_adds(&b, part);
			continue;
		}
		const char *v = part + 6;
		char local[17];
		snprintf(local, sizeof local, "%.4s-%.2s-%.2sT%.2s:%.2s", v, v + 4, v + 6, len == 21 ? v + 9 : "00",
		         len == 21 ? v + 11 : "00");
		wb_time u;
		if (recur_local_to_utc(local, e->tz, &u, NULL) != WB_OK) {
			strbuf_adds(&b, part);
			continue;
		}
		u += len == 21 ? atoi(v + 13) : 86399; /* a date UNTIL includes its whole local day */
		char ub[32];
		fmt_utc(u, ub, sizeof ub);
		strbuf_addf(&b, "UNTIL=%s", ub);
	}
	free(copy);
	return strbuf_detach(&b);
}

/* EXDATE lines for one exception: a local time, or every occurrence of a local day. */
static int exdate_props(struct strbuf *out, const struct ics_event *e, const struct recur_spec *spec,
                        const char *x, struct wb_err *err)
{
	wb_time t;
	if (e->all_day) {
		if (clock_parse_iso(x, &t) != WB_OK || strlen(x) < 10)
			return wb_err_set(err, WB_EINVAL, _("event %s: exception date %s is not YYYY-MM-DD"), e->uid, x);
		time_prop(out, "EXDATE", e, t - t % 86400);
		return WB_OK;
	}
	if (strlen(x) == 16) {
		if (recur_local_to_utc(x, e->tz, &t, err) != WB_OK)
			return wb_err_prefix(err, WB_EINVAL, _("event %s"), e->uid);
		time_prop(out, "EXDATE", e, t);
		return WB_OK;
	}
	wb_time day, next;
	char nx[11];
	struct tm tm = { 0 };
	if (strlen(x) != 10 || recur_local_to_utc(x, e->tz, &day, NULL) != WB_OK ||
	    sscanf(x, "%d-%d-%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3)
		return wb_err_set(err, WB_EINVAL,
		                  _("event %s: exception date %s is not a local YYYY-MM-DD or YYYY-MM-DDTHH:MM"), e->uid,
		                  x);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_mday += 1;
	time_t nt = timegm(&tm);
	gmtime_r(&nt, &tm);
	strftime(nx, sizeof nx, "%Y-%m-%d", &tm);
	recur_local_to_utc(nx, e->tz, &next, NULL);
	if (!spec)
		return WB_OK; /* not recurring: nothing to exclude */
	struct recur_spec s = *spec;
	s.exdates = NULL;
	s.n_exdates = 0;
	struct recur_occurrence *o;
	size_t n;
	int rc = recur_expand(&s, day, next, 1000, &o, &n, err);
	if (rc != WB_OK)
		return wb_err_prefix(err, rc, _("event %s"), e->uid);
	for (size_t i = 0; i < n; i++)
		time_prop(out, "EXDATE", e, o[i].start);
	free(o);
	return WB_OK;
}

static int check_event(const struct ics_event *e, size_t i, struct wb_err *err)
{
	if (!e->uid || !*e->uid)
		return wb_err_set(err, WB_EINVAL, _("event %zu has no UID"), i + 1);
	if (bad_text(e->uid) || bad_text(e->summary) || bad_text(e->description) || bad_text(e->location) ||
	    bad_text(e->categories))
		return wb_err_set(err, WB_EINVAL, _("event %s: text is not valid UTF-8"), e->uid);
	if (e->end < e->start)
		return wb_err_set(err, WB_EINVAL, _("event %s ends before it starts"), e->uid);
	for (size_t k = 0; k < e->n_exdates; k++)
		if (!e->exdates[k])
			return wb_err_set(err, WB_EINVAL, _("event %s: exception date %zu is missing"), e->uid, k + 1);
	if (!e->all_day && recur_tz_check(e->tz, err) != WB_OK)
		return wb_err_prefix(err, WB_EINVAL, _("event %s"), e->uid);
	return WB_OK;
}

static int vtimezone(struct strbuf *out, const char *tz, wb_time earliest, struct wb_err *err)
{
	icaltimezone *z = icaltimezone_get_builtin_timezone(tz);
	icalcomponent *src = z ? icaltimezone_get_component(z) : NULL;
	icalerror_clear_errno();
	if (!src)
		return wb_err_set(err, WB_EINVAL, _("time zone %s has no definition in libical's zone data"), tz);
	icalcomponent *c = icalcomponent_new_clone(src);
	/* keep the rules from 1 January of the earliest year on: ordinary programs need no 1893 history */
	time_t t = (time_t)earliest;
	struct tm tm;
	gmtime_r(&t, &tm);
	tm.tm_mon = 0, tm.tm_mday = 1, tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	struct icaltimetype from = icaltime_from_timet_with_zone(timegm(&tm), 0, icaltimezone_get_utc_timezone());
	icaltimezone_truncate_vtimezone(c, from, icaltime_null_time(), 1);
	char *text = icalcomponent_as_ical_string_r(c);
	icalcomponent_free(c);
	/* unfold libical's lines, name the zone plainly, fold again our way */
	char *save = NULL;
	struct strbuf line = STRBUF_INIT;
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		size_t len = strlen(l);
		if (len && l[len - 1] == '\r')
			l[--len] = '\0';
		if (l[0] == ' ' || l[0] == '\t') {
			strbuf_adds(&line, l + 1);
			continue;
		}
		if (line.len) {
			if (!strncmp(strbuf_str(&line), "TZID:", 5)) {
				strbuf_reset(&line);
				strbuf_addf(&line, "TZID:%s", tz);
			}
			fold_line(out, strbuf_str(&line));
			strbuf_reset(&line);
		}
		strbuf_adds(&line, l);
	}
	if (line.len)
		fold_line(out, strbuf_str(&line));
	strbuf_free(&line);
	free(text);
	return WB_OK;
}

int ics_export(const struct ics_event *ev, size_t n, char **out, struct wb_err *err)
{
	*out = NULL;
	for (size_t i = 0; i < n; i++) {
		int rc = check_event(&ev[i], i, err);
		if (rc != WB_OK)
			return rc;
	}
	struct strbuf b = STRBUF_INIT;
	fold_line(&b, "BEGIN:VCALENDAR");
	fold_line(&b, "VERSION:2.0");
	fold_line(&b, "PRODID:-//weibao//EN");
	fold_line(&b, "CALSCALE:GREGORIAN");
	fold_line(&b, "METHOD:PUBLISH");
	/* one VTIMEZONE per zone, in order of first use */
	for (size_t i = 0; i < n; i++) {
		if (ev[i].all_day || recur_tz_is_utc(ev[i].tz))
			continue;
		bool seen = false;
		wb_time earliest = ev[i].start;
		for (size_t j = 0; j < n; j++) {
			if (ev[j].all_day || recur_tz_is_utc(ev[j].tz) || strcmp(ev[j].tz, ev[i].tz))
				continue;
			if (j < i)
				seen = true;
			if (ev[j].start < earliest)
				earliest = ev[j].start;
		}
		if (!seen && vtimezone(&b, ev[i].tz, earliest, err) != WB_OK) {
			strbuf_free(&b);
			return WB_EINVAL;
		}
	}
	char stamp[32];
	fmt_utc(clock_now(), stamp, sizeof stamp);
	for (size_t i = 0; i < n; i++) {
		const struct ics_event *e = &ev[i];
		struct recur_spec spec = { 0 };
		char dtstart[17];
		if (e->rrule && *e->rrule) {
			recur_utc_to_local(e->start, e->all_day ? NULL : e->tz, dtstart, sizeof dtstart, NULL);
			spec.rrule = e->rrule;
			spec.dtstart = dtstart;
			spec.tz = e->all_day ? NULL : e->tz;
			spec.duration_min = (int)((e->end - e->start) / 60 > 527040 ? 527040 : (e->end - e->start) / 60);
			int rc = recur_validate(&spec, err);
			if (rc != WB_OK) {
				strbuf_free(&b);
				return wb_err_prefix(err, rc, _("event %s"), e->uid);
			}
		}
		fold_line(&b, "BEGIN:VEVENT");
		text_prop(&b, "UID", e->uid);
		char *l = xasprintf("DTSTAMP:%s", stamp);
		fold_line(&b, l);
		free(l);
		time_prop(&b, "DTSTART", e, e->start);
		time_prop(&b, "DTEND", e, e->all_day && e->end == e->start ? e->end + 86400 : e->end);
		if (spec.rrule) {
			char *r = rrule_for_export(e->rrule, e);
			l = xasprintf("RRULE:%s", r);
			fold_line(&b, l);
			free(l);
			free(r);
		}
		for (size_t k = 0; k < e->n_exdates; k++) {
			int rc = exdate_props(&b, e, spec.rrule ? &spec : NULL, e->exdates[k], err);
			if (rc != WB_OK) {
				strbuf_free(&b);
				return rc;
			}
		}
		text_prop(&b, "SUMMARY", e->summary);
		text_prop(&b, "DESCRIPTION", e->description);
		text_prop(&b, "LOCATION", e->location);
		if (e->categories && *e->categories) {
			/* a list: the commas between categories stay, each category's text is escaped */
			struct strbuf c = STRBUF_INIT;
			strbuf_adds(&c, "CATEGORIES:");
			char *copy = xstrdup(e->categories), *save = NULL;
			int k = 0;
			for (char *cat = strtok_r(copy, ",", &save); cat; cat = strtok_r(NULL, ",", &save)) {
				while (*cat == ' ')
					cat++;
				if (!*cat)
					continue;
				if (k++)
					strbuf_addc(&c, ',');
				add_text(&c, cat);
			}
			free(copy);
			if (k)
				fold_line(&b, strbuf_str(&c));
			strbuf_free(&c);
		}
		fold_line(&b, "END:VEVENT");
	}
	fold_line(&b, "END:VCALENDAR");
	*out = strbuf_detach(&b);
	return WB_OK;
}

/* ---- reading ---- */

struct cline {
	int lineno;
	char *name; /* upper case */
	char *value; /* raw text after the first unquoted ':' */
};

struct pre_event {
	int begin;               /* line of BEGIN:VEVENT */
	size_t first, last;      /* cline indexes inside it */
	const char *rrule;       /* raw RRULE value, or NULL */
	int rrule_line;
};

struct pre {
	struct cline *lines;
	size_t n, cap;
	struct pre_event *ev;
	size_t nev, evcap;
};

static void pre_free(struct pre *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->lines[i].name);
		free(p->lines[i].value);
	}
	free(p->lines);
	free(p->ev);
	memset(p, 0, sizeof *p);
}

/* Splits one unfolded line into name and value; false when it is not NAME[;PARAMS]:VALUE. */
static bool split_line(const char *l, char **name, char **value)
{
	size_t i = 0;
	while (isalnum((unsigned char)l[i]) || l[i] == '-')
		i++;
	if (i == 0 || (l[i] != ':' && l[i] != ';'))
		return false;
	size_t nlen = i;
	bool quoted = false;
	for (; l[i]; i++) {
		if (l[i] == '"')
			quoted = !quoted;
		else if (l[i] == ':' && !quoted)
			break;
	}
	if (l[i] != ':')
		return false;
	*name = xstrndup(l, nlen);
	for (char *c = *name; *c; c++)
		*c = (char)toupper((unsigned char)*c);
	*value = xstrdup(l + i + 1);
	return true;
}

/* Adds the logical line in cur (its first physical line is lineno) and empties cur. */
static int pre_flush(struct pre *p, struct strbuf *cur, int lineno, struct wb_err *err)
{
	const char *l = strbuf_str(cur);
	if (!utf8_valid(l, cur->len))
		return wb_err_set(err, WB_EINVAL, _("line %d is not valid UTF-8"), lineno);
	char *name, *value;
	if (!split_line(l, &name, &value)) {
		char *shown = xstrndup(l, 40);
		int rc = wb_err_set(err, WB_EINVAL, _("line %d: \"%s\" is not NAME:VALUE"), lineno, shown);
		free(shown);
		return rc;
	}
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 64;
		p->lines = xrealloc(p->lines, p->cap * sizeof *p->lines);
	}
	p->lines[p->n++] = (struct cline){ lineno, name, value };
	strbuf_reset(cur);
	return WB_OK;
}

/* Unfolds, checks the shape of every line and the BEGIN/END nesting, and finds each VEVENT's raw RRULE. */
static int pre_scan(const char *text, struct pre *p, struct wb_err *err)
{
	memset(p, 0, sizeof *p);
	struct strbuf cur = STRBUF_INIT;
	int cur_line = 0, lineno = 0, rc = WB_OK;
	/* 1: logical lines (a line starting with a space or tab continues the previous one) */
	for (const char *s = text; *s && rc == WB_OK;) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		lineno++;
		size_t l2 = len && s[len - 1] == '\r' ? len - 1 : len;
		if (l2 && (s[0] == ' ' || s[0] == '\t') && cur.len) {
			strbuf_add(&cur, s + 1, l2 - 1);
		} else {
			if (cur.len)
				rc = pre_flush(p, &cur, cur_line, err);
			if (l2) {
				strbuf_add(&cur, s, l2);
				cur_line = lineno;
			}
		}
		s = nl ? nl + 1 : s + len;
	}
	if (rc == WB_OK && cur.len)
		rc = pre_flush(p, &cur, cur_line, err);
	strbuf_free(&cur);
	if (rc != WB_OK)
		return rc;
	if (p->n == 0 || strcmp(p->lines[0].name, "BEGIN") || strcasecmp(p->lines[0].value, "VCALENDAR"))
		return wb_err_set(err, WB_EINVAL, _("line %d: a calendar file starts with BEGIN:VCALENDAR"),
		                  p->n ? p->lines[0].lineno : 1);
	/* 2: nesting */
	const char *stack[16];
	int stack_line[16];
	int depth = 0;
	struct pre_event *ev = NULL;
	int ev_depth = 0;
	for (size_t i = 0; i < p->n; i++) {
		struct cline *c = &p->lines[i];
		if (!strcmp(c->name, "BEGIN")) {
			if (depth == 16)
				return wb_err_set(err, WB_EINVAL, _("line %d: components nested too deeply"), c->lineno);
			if (depth == 0 && strcasecmp(c->value, "VCALENDAR"))
				return wb_err_set(err, WB_EINVAL, _("line %d: BEGIN:%s outside BEGIN:VCALENDAR"), c->lineno,
				                  c->value);
			stack_line[depth] = c->lineno;
			stack[depth++] = c->value;
			if (depth == 2 && !strcasecmp(c->value, "VEVENT")) {
				if (p->nev == p->evcap) {
					p->evcap = p->evcap ? p->evcap * 2 : 16;
					p->ev = xrealloc(p->ev, p->evcap * sizeof *p->ev);
				}
				ev = &p->ev[p->nev++];
				*ev = (struct pre_event){ c->lineno, i, i, NULL, 0 };
				ev_depth = depth;
			}
		} else if (!strcmp(c->name, "END")) {
			if (depth == 0 || strcasecmp(stack[depth - 1], c->value))
				return depth ? wb_err_set(err, WB_EINVAL, _("line %d: END:%s does not close BEGIN:%s (line %d)"),
				                          c->lineno, c->value, stack[depth - 1], stack_line[depth - 1])
				             : wb_err_set(err, WB_EINVAL, _("line %d: END:%s without BEGIN"), c->lineno,
				                          c->value);
			if (ev && depth == ev_depth) {
				ev->last = i;
				ev = NULL;
			}
			depth--;
		} else if (depth == 0) {
			return wb_err_set(err, WB_EINVAL, _("line %d: %s outside BEGIN:VCALENDAR"), c->lineno, c->name);
		} else if (ev && depth == ev_depth && !strcmp(c->name, "RRULE")) {
			if (ev->rrule)
				return wb_err_set(err, WB_EINVAL,
				                  _("line %d: RRULE: a second rule in one event is not supported (line %d has "
				                    "the first)"),
				                  c->lineno, ev->rrule_line);
			ev->rrule = c->value;
			ev->rrule_line = c->lineno;
		}
	}
	if (depth)
		return wb_err_set(err, WB_EINVAL, _("line %d: BEGIN:%s is never closed with END:%s"),
		                  stack_line[depth - 1], stack[depth - 1], stack[depth - 1]);
	return WB_OK;
}

static int prop_line(const struct pre *p, const struct pre_event *pe, const char *name)
{
	for (size_t i = pe->first; i <= pe->last && i < p->n; i++)
		if (!strcasecmp(p->lines[i].name, name))
			return p->lines[i].lineno;
	return pe->begin;
}

/* An IANA name for a TZID, also when it hides behind a prefix ("/freeassociation.sourceforge.net/..."). */
static char *iana_for(const char *tzid)
{
	if (!tzid || !*tzid)
		return NULL;
	for (const char *p = tzid; p; p = strchr(p, '/') ? strchr(p, '/') + 1 : NULL) {
		if (*p && recur_tz_check(p, NULL) == WB_OK)
			return recur_tz_is_utc(p) ? NULL : xstrdup(p);
	}
	return NULL;
}

struct tval {
	wb_time utc;
	bool is_date;
	char *iana;     /* the zone when it is an IANA one */
	char local[17]; /* the wall-clock time as written, YYYY-MM-DDTHH:MM (or YYYY-MM-DD for a date) */
};

static wb_time tt_wall(struct icaltimetype tt)
{
	struct tm tm = { 0 };
	tm.tm_year = tt.year - 1900;
	tm.tm_mon = tt.month - 1;
	tm.tm_mday = tt.day;
	tm.tm_hour = tt.is_date ? 0 : tt.hour;
	tm.tm_min = tt.is_date ? 0 : tt.minute;
	tm.tm_sec = tt.is_date ? 0 : tt.second;
	return (wb_time)timegm(&tm);
}

static int read_time(icalcomponent *vcal, icalproperty *prop, struct icaltimetype tt, int line,
                     struct tval *out, struct wb_err *err)
{
	memset(out, 0, sizeof *out);
	const char *pname = icalproperty_get_property_name(prop);
	if (icaltime_is_null_time(tt) || !icaltime_is_valid_time(tt))
		return wb_err_set(err, WB_EINVAL, _("line %d: %s is not a date or date-time"), line, pname);
	out->is_date = tt.is_date;
	if (tt.is_date)
		snprintf(out->local, sizeof out->local, "%04d-%02d-%02d", tt.year, tt.month, tt.day);
	else
		snprintf(out->local, sizeof out->local, "%04d-%02d-%02dT%02d:%02d", tt.year, tt.month, tt.day,
		         tt.hour, tt.minute);
	wb_time wall = tt_wall(tt);
	icalparameter *tzp = icalproperty_get_first_parameter(prop, ICAL_TZID_PARAMETER);
	const char *tzid = tzp ? icalparameter_get_tzid(tzp) : NULL;
	if (tt.is_date || !tzid || icaltime_is_utc(tt) || recur_tz_is_utc(tzid)) {
		out->utc = wall; /* dates, UTC and floating times */
		return WB_OK;
	}
	out->iana = iana_for(tzid);
	if (out->iana) {
		wb_time base;
		char hm[17];
		snprintf(hm, sizeof hm, "%.16s", out->local);
		recur_local_to_utc(hm, out->iana, &base, NULL);
		out->utc = base + tt.second;
		return WB_OK;
	}
	icaltimezone *z = icalcomponent_get_timezone(vcal, tzid);
	icalerror_clear_errno();
	if (!z)
		return wb_err_set(err, WB_EINVAL,
		                  _("line %d: %s: time zone %s is neither an IANA name nor defined by a VTIMEZONE"),
		                  line, pname, tzid);
	/* the file's own VTIMEZONE may say which IANA zone it is */
	char *loc = xstrdup(icaltimezone_get_location(z)); /* libical may reuse its buffer on the next lookup */
	out->iana = iana_for(loc);
	free(loc);
	if (out->iana) {
		wb_time base;
		char hm[17];
		snprintf(hm, sizeof hm, "%.16s", out->local);
		recur_local_to_utc(hm, out->iana, &base, NULL);
		out->utc = base + tt.second;
	} else {
		tt.zone = z;
		out->utc = (wb_time)icaltime_as_timet_with_zone(tt, z);
	}
	return WB_OK;
}

static void push_str(char ***arr, size_t *n, char *s)
{
	*arr = xrealloc(*arr, (*n + 1) * sizeof **arr);
	(*arr)[(*n)++] = s;
}

static int read_event(icalcomponent *vcal, icalcomponent *ve, const struct pre *p, const struct pre_event *pe,
                      struct ics_event *e, struct wb_err *err)
{
	memset(e, 0, sizeof *e);
	/* libical marks what it could not parse with X-LIC-ERROR: "... in DTSTART property. ..." */
	for (icalproperty *x = icalcomponent_get_first_property(ve, ICAL_XLICERROR_PROPERTY); x;
	     x = icalcomponent_get_next_property(ve, ICAL_XLICERROR_PROPERTY)) {
		const char *msg = icalproperty_get_xlicerror(x);
		char name[32] = "";
		const char *in = msg ? strstr(msg, " in ") : NULL;
		if (in)
			sscanf(in + 4, "%31[A-Za-z-] property", name);
		int line = *name ? prop_line(p, pe, name) : pe->begin;
		return wb_err_set(err, WB_EINVAL, _("line %d: %s: %s"), line, *name ? name : "VEVENT",
		                  msg ? msg : "");
	}
	const char *uid = icalcomponent_get_uid(ve);
	if (!uid || !*uid)
		return wb_err_set(err, WB_EINVAL, _("line %d: the event that starts here has no UID"), pe->begin);
	icalproperty *ps = icalcomponent_get_first_property(ve, ICAL_DTSTART_PROPERTY);
	if (!ps)
		return wb_err_set(err, WB_EINVAL, _("line %d: event %s has no DTSTART"), pe->begin, uid);
	struct tval st, en;
	int rc = read_time(vcal, ps, icalproperty_get_dtstart(ps), prop_line(p, pe, "DTSTART"), &st, err);
	if (rc != WB_OK)
		return rc;
	e->uid = xstrdup(uid);
	e->start = st.utc;
	e->all_day = st.is_date;
	e->tz = st.iana; /* taken */
	icalproperty *pend = icalcomponent_get_first_property(ve, ICAL_DTEND_PROPERTY);
	icalproperty *pdur = icalcomponent_get_first_property(ve, ICAL_DURATION_PROPERTY);
	if (pend) {
		rc = read_time(vcal, pend, icalproperty_get_dtend(pend), prop_line(p, pe, "DTEND"), &en, err);
		if (rc != WB_OK)
			return rc;
		free(en.iana);
		e->end = en.utc;
	} else if (pdur) {
		e->end = e->start + icaldurationtype_as_int(icalproperty_get_duration(pdur));
	} else {
		e->end = e->all_day ? e->start + 86400 : e->start;
	}
	if (e->end < e->start)
		return wb_err_set(err, WB_EINVAL, _("line %d: event %s ends before it starts"),
		                  prop_line(p, pe, pend ? "DTEND" : "DURATION"), uid);
	const char *s;
	if ((s = icalcomponent_get_summary(ve)) && *s)
		e->summary = xstrdup(s);
	if ((s = icalcomponent_get_description(ve)) && *s)
		e->description = xstrdup(s);
	if ((s = icalcomponent_get_location(ve)) && *s)
		e->location = xstrdup(s);
	struct strbuf cats = STRBUF_INIT;
	for (icalproperty *c = icalcomponent_get_first_property(ve, ICAL_CATEGORIES_PROPERTY); c;
	     c = icalcomponent_get_next_property(ve, ICAL_CATEGORIES_PROPERTY)) {
		const char *v = icalproperty_get_categories(c);
		if (!v || !*v)
			continue;
		if (cats.len)
			strbuf_addc(&cats, ',');
		strbuf_adds(&cats, v);
	}
	if (cats.len)
		e->categories = strbuf_detach(&cats);
	strbuf_free(&cats);
	for (icalproperty *x = icalcomponent_get_first_property(ve, ICAL_EXDATE_PROPERTY); x;
	     x = icalcomponent_get_next_property(ve, ICAL_EXDATE_PROPERTY)) {
		struct tval xt;
		rc = read_time(vcal, x, icalproperty_get_exdate(x), prop_line(p, pe, "EXDATE"), &xt, err);
		if (rc != WB_OK)
			return rc;
		bool same_zone = (!xt.iana && !e->tz && !icalproperty_get_first_parameter(x, ICAL_TZID_PARAMETER)) ||
		                 (xt.iana && e->tz && !strcmp(xt.iana, e->tz));
		if (xt.is_date || same_zone) {
			push_str(&e->exdates, &e->n_exdates, xstrdup(xt.local));
		} else {
			char local[17];
			recur_utc_to_local(xt.utc, e->tz, local, sizeof local, NULL);
			push_str(&e->exdates, &e->n_exdates, xstrdup(local));
		}
		free(xt.iana);
	}
	if (pe->rrule) {
		e->rrule = xstrdup(pe->rrule);
		char dtstart[17];
		if (e->all_day)
			snprintf(dtstart, sizeof dtstart, "%.10sT00:00", st.local);
		else
			recur_utc_to_local(e->start, e->tz, dtstart, sizeof dtstart, NULL);
		struct recur_spec spec = { .rrule = e->rrule, .dtstart = dtstart, .tz = e->tz,
			                   .exdates = (const char *const *)e->exdates, .n_exdates = e->n_exdates };
		rc = recur_validate(&spec, err);
		if (rc != WB_OK)
			return wb_err_prefix(err, rc, _("line %d: RRULE"), pe->rrule_line);
	}
	return WB_OK;
}

int ics_import(const char *text, struct ics_event **out, size_t *n, struct wb_err *err)
{
	*out = NULL;
	*n = 0;
	if (!text || !*text)
		return wb_err_set(err, WB_EINVAL, _("the calendar file is empty"));
	struct pre p;
	int rc = pre_scan(text, &p, err);
	if (rc != WB_OK) {
		pre_free(&p);
		return rc;
	}
	icalcomponent *root = icalparser_parse_string(text);
	icalerror_clear_errno();
	if (!root) {
		pre_free(&p);
		return wb_err_set(err, WB_EINVAL, _("line 1: libical cannot read this as a calendar"));
	}
	struct ics_event *ev = p.nev ? xcalloc(p.nev, sizeof *ev) : NULL;
	size_t k = 0;
	bool xroot = icalcomponent_isa(root) == ICAL_XROOT_COMPONENT;
	icalcomponent *cal = xroot ? icalcomponent_get_first_component(root, ICAL_VCALENDAR_COMPONENT) : root;
	for (; cal && rc == WB_OK;
	     cal = xroot ? icalcomponent_get_next_component(root, ICAL_VCALENDAR_COMPONENT) : NULL) {
		for (icalcomponent *ve = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
		     ve && rc == WB_OK; ve = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
			if (k == p.nev) {
				rc = wb_err_set(err, WB_EINVAL, _("the calendar's events could not be matched to its lines"));
				break;
			}
			rc = read_event(cal, ve, &p, &p.ev[k], &ev[k], err);
			k++;
		}
	}
	icalerror_clear_errno();
	icalcomponent_free(root);
	pre_free(&p);
	if (rc != WB_OK) {
		ics_events_free(&ev, k);
		return rc;
	}
	*out = ev;
	*n = k;
	return WB_OK;
}

void ics_events_free(struct ics_event **ev, size_t n)
{
	if (!ev || !*ev)
		return;
	for (size_t i = 0; i < n; i++) {
		struct ics_event *e = &(*ev)[i];
		free(e->uid);
		free(e->summary);
		free(e->description);
		free(e->location);
		free(e->rrule);
		free(e->tz);
		for (size_t k = 0; k < e->n_exdates; k++)
			free(e->exdates[k]);
		free(e->exdates);
		free(e->categories);
	}
	free(*ev);
	*ev = NULL;
}

#include "contact.h"

#include "i18n.h"
#include "xmalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

void contact_clear(struct contact *c)
{
	xfree_str(&c->name);
	xfree_str(&c->email);
	xfree_str(&c->phone);
	xfree_str(&c->org);
	xfree_str(&c->language);
	xfree_str(&c->timezone);
}

void contact_free(struct contact **c)
{
	if (!c || !*c)
		return;
	contact_clear(*c);
	free(*c);
	*c = NULL;
}

void organisation_clear(struct organisation *o)
{
	xfree_str(&o->name);
	xfree_str(&o->domain);
	xfree_str(&o->sla_level);
	xfree_str(&o->contract_start);
	xfree_str(&o->contract_end);
	xfree_str(&o->timezone);
}

void system_info_clear(struct system_info *s)
{
	xfree_str(&s->name);
	xfree_str(&s->org);
	xfree_str(&s->version);
	xfree_str(&s->description);
}

void queue_info_clear(struct queue_info *q)
{
	xfree_str(&q->name);
	xfree_str(&q->from_addr);
	xfree_str(&q->description);
}

void user_clear(struct user *u)
{
	xfree_str(&u->login);
	xfree_str(&u->name);
	xfree_str(&u->email);
	xfree_str(&u->language);
}

static bool email_char_ok(unsigned char c)
{
	return c > 0x20 && c != 0x7F && !strchr("<>()[]\\,;:\"", c);
}

int contact_email_normalise(const char *addr, char **out, struct wb_err *err)
{
	if (!addr || !*addr)
		return wb_err_set(err, WB_EINVAL, _("an email address is required"));
	const char *at = strchr(addr, '@');
	size_t len = strlen(addr);
	bool ok = at && at != addr && strchr(at + 1, '@') == NULL && len <= 254 &&
		  (size_t)(at - addr) <= 64;
	for (const unsigned char *p = (const unsigned char *)addr; ok && *p; p++)
		if (!email_char_ok(*p) && *p != '@')
			ok = false;
	if (ok) {
		const char *dom = at + 1;
		/* single-label domains (root@localhost) are real on a maintenance desk */
		ok = *dom && *dom != '.' && dom[strlen(dom) - 1] != '.' && !strstr(dom, "..") &&
		     addr[0] != '.' && at[-1] != '.';
	}
	if (!ok)
		return wb_err_set(err, WB_EINVAL, _("malformed email address '%s'"), addr);
	char *low = xstrdup(addr);
	for (char *p = low; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	*out = low;
	return WB_OK;
}

bool contact_looks_like_phone(const char *s)
{
	int digits = 0;
	for (; s && *s; s++) {
		if (isdigit((unsigned char)*s))
			digits++;
		else if (!strchr(" +-().", *s))
			return false;
	}
	return digits >= 5;
}

int contact_phone_normalise(const char *phone, const char *default_cc, char **out,
			    struct wb_err *err)
{
	if (!phone || !contact_looks_like_phone(phone))
		return wb_err_set(err, WB_EINVAL, _("malformed phone number '%s'"), phone ? phone : "");
	char digits[40];
	size_t n = 0;
	bool plus = false;
	for (const char *p = phone; *p; p++) {
		if (*p == '+' && n == 0)
			plus = true;
		if (isdigit((unsigned char)*p)) {
			if (n + 1 >= sizeof digits)
				return wb_err_set(err, WB_EINVAL, _("phone number '%s' has too many digits"), phone);
			digits[n++] = *p;
		}
	}
	digits[n] = '\0';
	const char *d = digits;
	const char *cc = default_cc && *default_cc ? default_cc : "86";
	char *res;
	if (plus) {
		res = xstrdup(d);
	} else if (d[0] == '0' && d[1] == '0') {
		res = xstrdup(d + 2);
	} else if (strncmp(d, cc, strlen(cc)) == 0 && n >= strlen(cc) + 8) {
		/* already carries the country code: "8613800138000" */
		res = xstrdup(d);
	} else {
		if (d[0] == '0')
			d++; /* national trunk prefix: 010-1234 5678 */
		res = xasprintf("%s%s", cc, d);
	}
	size_t rn = strlen(res);
	if (rn < 7 || rn > 15) {
		free(res);
		return wb_err_set(err, WB_EINVAL, _("phone number '%s' has %zu digits with its country code; expected 7 to 15"),
				  phone, rn);
	}
	*out = res;
	return WB_OK;
}

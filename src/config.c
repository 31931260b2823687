#include "config.h"

#include "i18n.h"
#include "xmalloc.h"

#include <ini.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static void set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = xstrdup(v);
}

static void defaults(struct wb_config *c)
{
	memset(c, 0, sizeof *c);
	c->desk_name = xstrdup("weibao");
	c->country_code = xstrdup("86");
	c->tag_prefix = xstrdup("#");
	c->timezone = xstrdup("Asia/Shanghai");
	c->workdays = xstrdup("mon-fri");
	c->hours = xstrdup("09:00-18:00");
	c->holidays = xstrdup("");
	c->risk = 0.75;
	c->mail_from = xstrdup("support@weibao.localhost"); /* a valid From with the default domain */
	c->mail_domain = xstrdup("weibao.localhost");
	c->reopen_closed = true;
	c->max_new_per_hour = 20;
	c->max_message_bytes = 25L * 1024 * 1024;
	c->smtp_port = 587;
	c->smtp_tls = xstrdup("starttls");
	c->smtp_verify = true;
	c->smtp_timeout = 60;
	c->remind_after_days = 3;
	c->autoclose_after_days = 7;
}

struct parse_state {
	struct wb_config *cfg;
	struct wb_err *err;
	int line_error;
	char bad[160];
};

static bool parse_bool(const char *v, bool *out)
{
	if (!strcasecmp(v, "yes") || !strcasecmp(v, "true") || !strcmp(v, "1") || !strcasecmp(v, "on"))
		*out = true;
	else if (!strcasecmp(v, "no") || !strcasecmp(v, "false") || !strcmp(v, "0") || !strcasecmp(v, "off"))
		*out = false;
	else
		return false;
	return true;
}

static bool parse_int(const char *v, long lo, long hi, long *out)
{
	char *end;
	long n = strtol(v, &end, 10);
	if (end == v || *end || n < lo || n > hi)
		return false;
	*out = n;
	return true;
}

/* One entry per setting: section, name, and where it goes. */
enum kind { STR, BOOL, INT, DOUBLE };
struct setting {
	const char *section, *name;
	enum kind kind;
	size_t offset;
	long lo, hi;
};
#define S(sec, name, field) { sec, name, STR, offsetof(struct wb_config, field), 0, 0 }
#define B(sec, name, field) { sec, name, BOOL, offsetof(struct wb_config, field), 0, 0 }
#define I(sec, name, field, lo, hi) { sec, name, INT, offsetof(struct wb_config, field), lo, hi }
static const struct setting settings[] = {
	S("desk", "name", desk_name), S("desk", "language", language), S("desk", "theme", theme),
	S("desk", "country_code", country_code), S("desk", "tag_prefix", tag_prefix),
	S("desk", "timezone", timezone),
	S("database", "path", db_path),
	S("sla", "workdays", workdays), S("sla", "hours", hours), S("sla", "holidays", holidays),
	{ "sla", "risk", DOUBLE, offsetof(struct wb_config, risk), 0, 0 },
	S("mail", "from", mail_from), S("mail", "domain", mail_domain), S("mail", "signature", signature),
	B("mail", "reopen_closed", reopen_closed), I("mail", "max_new_per_hour", max_new_per_hour, 1, 100000),
	S("mail", "templates", templates_dir),
	S("smtp", "host", smtp_host), I("smtp", "port", smtp_port, 1, 65535), S("smtp", "tls", smtp_tls),
	B("smtp", "verify", smtp_verify), S("smtp", "ca_file", smtp_ca_file), S("smtp", "user", smtp_user),
	S("smtp", "password", smtp_password), S("smtp", "password_command", smtp_password_command),
	I("smtp", "timeout", smtp_timeout, 1, 3600),
	I("automation", "remind_after_days", remind_after_days, 0, 3650),
	I("automation", "autoclose_after_days", autoclose_after_days, 0, 3650),
};
#undef S
#undef B
#undef I

static int on_entry(void *user, const char *section, const char *name, const char *value)
{
	struct parse_state *ps = user;
	struct wb_config *c = ps->cfg;
	if (!strcmp(section, "mail") && !strcmp(name, "max_size_mb")) {
		long n;
		if (!parse_int(value, 1, 2048, &n))
			goto bad;
		c->max_message_bytes = n * 1024 * 1024;
		return 1;
	}
	for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++) {
		const struct setting *s = &settings[i];
		if (strcmp(s->section, section) || strcmp(s->name, name))
			continue;
		void *field = (char *)c + s->offset;
		switch (s->kind) {
		case STR:
			set_str(field, value);
			break;
		case BOOL:
			if (!parse_bool(value, field))
				goto bad;
			break;
		case INT: {
			long n;
			if (!parse_int(value, s->lo, s->hi, &n))
				goto bad;
			*(int *)field = (int)n;
			break;
		}
		case DOUBLE: {
			char *end;
			double d = strtod(value, &end);
			if (end == value || *end || d <= 0 || d >= 1)
				goto bad;
			*(double *)field = d;
			break;
		}
		}
		if (!strcmp(section, "smtp") && !strcmp(name, "password"))
			c->has_password = true;
		return 1;
	}
	snprintf(ps->bad, sizeof ps->bad, "[%s] %s", section, name);
	return 0;
bad:
	snprintf(ps->bad, sizeof ps->bad, "[%s] %s = %s", section, name, value);
	return 0;
}

static char *standard_path(void)
{
	const char *env = getenv("WEIBAO_CONFIG");
	if (env && *env)
		return xstrdup(env);
	const char *xdg = getenv("XDG_CONFIG_HOME");
	if (xdg && *xdg)
		return xasprintf("%s/weibao/config", xdg);
	const char *home = getenv("HOME");
	return xasprintf("%s/.config/weibao/config", home ? home : ".");
}

int config_load(const char *path, struct wb_config *cfg, struct wb_err *err)
{
	defaults(cfg);
	bool explicit_path = path != NULL || (getenv("WEIBAO_CONFIG") && *getenv("WEIBAO_CONFIG"));
	char *file = path ? xstrdup(path) : standard_path();
	FILE *f = fopen(file, "r");
	if (!f) {
		if (explicit_path) {
			wb_err_set(err, WB_ENOTFOUND, _("cannot read config file %s"), file);
			free(file);
			return WB_ENOTFOUND;
		}
		free(file);
		return WB_OK;
	}
	struct parse_state ps = { cfg, err, 0, "" };
	int line = ini_parse_file(f, on_entry, &ps);
	struct stat st;
	bool exposed = fstat(fileno(f), &st) == 0 && (st.st_mode & 077);
	fclose(f);
	cfg->path = file;
	if (line != 0) {
		if (ps.bad[0])
			return wb_err_set(err, WB_EINVAL, _("%s:%d: unknown setting or bad value: %s"), file, line,
					  ps.bad);
		return wb_err_set(err, WB_EINVAL, _("%s:%d: not an INI line"), file, line);
	}
	if (cfg->has_password && exposed)
		return wb_err_set(err, WB_EREFUSED,
				  _("%s holds an SMTP password but is readable by group or others; run: chmod 600 %s"),
				  file, file);
	return WB_OK;
}

void config_clear(struct wb_config *c)
{
	char **strs[] = { &c->path, &c->desk_name, &c->language, &c->theme, &c->country_code,
			  &c->tag_prefix, &c->timezone, &c->db_path, &c->workdays, &c->hours, &c->holidays,
			  &c->mail_from, &c->mail_domain, &c->signature, &c->templates_dir, &c->smtp_host,
			  &c->smtp_tls, &c->smtp_ca_file, &c->smtp_user, &c->smtp_password,
			  &c->smtp_password_command };
	for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
		xfree_str(strs[i]);
}

char *config_default_db_path(void)
{
	const char *env = getenv("WEIBAO_DB");
	if (env && *env)
		return xstrdup(env);
	const char *xdg = getenv("XDG_DATA_HOME");
	if (xdg && *xdg)
		return xasprintf("%s/weibao/weibao.db", xdg);
	const char *home = getenv("HOME");
	return xasprintf("%s/.local/share/weibao/weibao.db", home ? home : ".");
}

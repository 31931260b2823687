/* config.h — the INI configuration file (inih). Every setting has a default, so no file is needed.
 *
 * Path: $WEIBAO_CONFIG, else $XDG_CONFIG_HOME/weibao/config, else ~/.config/weibao/config. */
#ifndef WB_CONFIG_H
#define WB_CONFIG_H

#include "err.h"

#include <stdbool.h>

struct wb_config {
	char *path;              /* the file read, or NULL when none existed */
	/* [desk] */
	char *desk_name;
	char *language;          /* overrides LANGUAGE/LC_MESSAGES per operator, e.g. zh_CN */
	char *theme;
	char *country_code;      /* default phone country code, "86" */
	char *tag_prefix;        /* ticket tag in mail subjects: "#" gives [#123] */
	char *timezone;          /* the desk's zone for SLA business hours: Asia/Shanghai */
	/* [database] */
	char *db_path;
	/* [sla] defaults written to a new database */
	char *workdays, *hours, *holidays;
	double risk;             /* fraction of the target after which a ticket is "at risk" */
	/* [mail] */
	char *mail_from;         /* the desk's address */
	char *mail_domain;       /* Message-ID domain */
	char *signature;
	bool reopen_closed;      /* mail to a closed ticket reopens it (else opens a linked new one) */
	int max_new_per_hour;    /* per sender; more are held for review */
	long max_message_bytes;
	char *templates_dir;
	/* [smtp] */
	char *smtp_host;
	int smtp_port;
	char *smtp_tls;          /* starttls | none */
	bool smtp_verify;
	char *smtp_ca_file;
	char *smtp_user;
	char *smtp_password;
	char *smtp_password_command;
	int smtp_timeout;        /* seconds */
	bool has_password;       /* the file holds a password (then it must not be group/other readable) */
	/* [automation] `weibao automate`; 0 turns a step off */
	int remind_after_days;   /* remind a customer who has not answered a waiting ticket (3) */
	int autoclose_after_days; /* close resolved tickets after this many days (7) */
};

/* Fills defaults, then reads `path` (NULL = the standard places; a missing file there is fine,
 * a missing explicit file is WB_ENOTFOUND). Errors name the file, line and setting. */
int config_load(const char *path, struct wb_config *cfg, struct wb_err *err);
void config_clear(struct wb_config *cfg);
/* The default database path: $WEIBAO_DB, else $XDG_DATA_HOME/weibao/weibao.db, else
 * ~/.local/share/weibao/weibao.db. Caller frees. */
char *config_default_db_path(void);

#endif

/* contact.h — people and organisations of the desk, and how they are matched:
 * email addresses case-insensitively, phone numbers by their digits with a country code. */
#ifndef WB_CONTACT_H
#define WB_CONTACT_H

#include "clock.h"
#include "err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct contact {
	int64_t id;
	char *name;
	char *email;      /* lowercase, or NULL */
	char *phone;      /* normalised: digits with country code, e.g. "8613800138000", or NULL */
	int64_t org_id;
	char *org;
	char *language;   /* preferred language for mail, e.g. "zh_CN", or NULL (the desk's) */
	char *timezone;   /* IANA name or NULL */
	wb_time created_at;
};
void contact_clear(struct contact *c);
void contact_free(struct contact **c);

struct organisation {
	int64_t id;
	char *name;
	char *domain;          /* mail domain that maps unknown senders to it, or NULL */
	char *sla_level;       /* basic | standard | premium */
	char *contract_start;  /* YYYY-MM-DD or NULL */
	char *contract_end;
	char *timezone;
};
void organisation_clear(struct organisation *o);

struct system_info {
	int64_t id;
	char *name;
	int64_t org_id;
	char *org;
	char *version;
	char *description;
};
void system_info_clear(struct system_info *s);

struct queue_info {
	int64_t id;
	char *name;
	char *from_addr;   /* the From address replies in this queue use */
	char *description;
};
void queue_info_clear(struct queue_info *q);

struct user {
	int64_t id;
	char *login;
	char *name;
	char *email;
	int role;          /* enum user_role */
	char *language;
};
void user_clear(struct user *u);

/* Checks one address "local@domain.tld" (no display name, no spaces or controls) and
 * writes its lowercase form to *out (caller frees). WB_EINVAL names the address. */
int contact_email_normalise(const char *addr, char **out, struct wb_err *err);
/* Normalises a phone number to digits with country code: "+86 138-0013-8000", "8613800138000"
 * and "138 0013 8000" (with default_cc "86") are all "8613800138000". A leading "00" is an
 * international prefix; a national trunk "0" is dropped before adding default_cc.
 * WB_EINVAL when it holds letters or too few/many digits. Caller frees *out. */
int contact_phone_normalise(const char *phone, const char *default_cc, char **out, struct wb_err *err);
/* True when s looks like a phone number (digits, spaces, + - ( ) .), with at least 5 digits. */
bool contact_looks_like_phone(const char *s);

#endif

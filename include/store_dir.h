/* store_dir.h — the desk's directory in the database: operators (users), organisations with
 * their contracts, contacts, systems under maintenance, queues, SLA policies.
 * Structs are defined in contact.h; *_clear() frees what these functions fill in. */
#ifndef WB_STORE_DIR_H
#define WB_STORE_DIR_H

#include "contact.h"
#include "err.h"
#include "store.h"

#include <stddef.h>
#include <stdint.h>

enum store_entity { ENTITY_USER, ENTITY_ORG, ENTITY_CONTACT, ENTITY_SYSTEM, ENTITY_QUEUE };

int store_user_add(struct store *s, const struct user *u, int64_t *id, struct wb_err *err);
/* By login, or by "#id"/numeric id. WB_ENOTFOUND names it. */
int store_user_find(struct store *s, const char *login, struct user *out, struct wb_err *err);
int store_user_get(struct store *s, int64_t id, struct user *out, struct wb_err *err);
int store_user_list(struct store *s, struct user **out, size_t *n, struct wb_err *err);

int store_org_add(struct store *s, const struct organisation *o, int64_t *id, struct wb_err *err);
/* By name (case-insensitive) or numeric id. */
int store_org_find(struct store *s, const char *name, struct organisation *out, struct wb_err *err);
/* The organisation whose mail domain is `domain`; *id 0 when none. */
int store_org_by_domain(struct store *s, const char *domain, int64_t *id, struct wb_err *err);
int store_org_list(struct store *s, struct organisation **out, size_t *n, struct wb_err *err);

int store_contact_add(struct store *s, const struct contact *c, int64_t *id, struct wb_err *err);
int store_contact_get(struct store *s, int64_t id, struct contact *out, struct wb_err *err);
/* Exact match on the normalised email (case-insensitive) or phone; WB_ENOTFOUND when none. */
int store_contact_by_email(struct store *s, const char *email, struct contact *out, struct wb_err *err);
int store_contact_by_phone(struct store *s, const char *phone, struct contact *out, struct wb_err *err);
/* Lookup as you type: phone digits, email or name starting with `prefix` (names also containing it),
 * at most `limit`. *out is an array the caller frees with store_contacts_free. */
int store_contact_lookup(struct store *s, const char *prefix, size_t limit, struct contact **out,
			 size_t *n, struct wb_err *err);
/* Keyset page of contacts ordered by id, after `after_id`. */
int store_contact_list(struct store *s, int64_t after_id, size_t limit, struct contact **out,
		       size_t *n, struct wb_err *err);
void store_contacts_free(struct contact **c, size_t n);

int store_system_add(struct store *s, const struct system_info *sys, int64_t *id, struct wb_err *err);
/* By name (unique within the organisation when org_id != 0, else across the desk) or numeric id. */
int store_system_find(struct store *s, const char *name, int64_t org_id, struct system_info *out,
		      struct wb_err *err);
int store_system_list(struct store *s, struct system_info **out, size_t *n, struct wb_err *err);

int store_queue_add(struct store *s, const struct queue_info *q, int64_t *id, struct wb_err *err);
int store_queue_find(struct store *s, const char *name, struct queue_info *out, struct wb_err *err);
int store_queue_list(struct store *s, struct queue_info **out, size_t *n, struct wb_err *err);

/* Changes one field of a directory entry (field names as the CLI shows them: name, email,
 * phone, role, language, org, domain, sla_level, contract_start, contract_end, timezone,
 * version, description, from). WB_EINVAL names an unknown field. Old value returned in *old
 * (caller frees; may be NULL) for the audit log. */
int store_entity_set(struct store *s, enum store_entity e, int64_t id, const char *field,
		     const char *value, char **old, struct wb_err *err);

/* SLA targets per contract level and priority, in minutes. WB_ENOTFOUND when none is set. */
int store_sla_policy_get(struct store *s, const char *level, int priority, int *response_min,
			 int *resolve_min, bool *always, struct wb_err *err);
int store_sla_policy_set(struct store *s, const char *level, int priority, int response_min,
			 int resolve_min, bool always, struct wb_err *err);

#endif

/* directory.h — domain rules for the desk's directory: who may add and change operators,
 * organisations, contacts, systems and queues, with validation and the audit log. */
#ifndef WB_DIRECTORY_H
#define WB_DIRECTORY_H

#include "contact.h"
#include "desk.h"
#include "store_dir.h"

int directory_user_add(struct desk *d, const struct user *u, int64_t *id, struct wb_err *err);
int directory_org_add(struct desk *d, const struct organisation *o, int64_t *id, struct wb_err *err);
/* Email and phone are normalised; org may be given by name in c->org. */
int directory_contact_add(struct desk *d, const struct contact *c, int64_t *id, struct wb_err *err);
/* The organisation by name in sys->org. */
int directory_system_add(struct desk *d, const struct system_info *sys, int64_t *id, struct wb_err *err);
int directory_queue_add(struct desk *d, const struct queue_info *q, int64_t *id, struct wb_err *err);
/* Changes one field (see store_entity_set) of the entry named by key: a login, a name, a
 * number, or for contacts an email or phone. Roles need an admin; SLA levels a supervisor. */
int directory_set(struct desk *d, enum store_entity e, const char *key, const char *field,
		  const char *value, struct wb_err *err);
/* Resolves a contact by number, email or phone. */
int directory_contact_find(struct desk *d, const char *key, struct contact *out, struct wb_err *err);

/* Look-ups by name or number (as store_dir.h describes each); WB_ENOTFOUND names the key.
 * *out is the caller's: user_clear, organisation_clear, system_info_clear, queue_info_clear. */
int directory_user_find(struct desk *d, const char *login, struct user *out, struct wb_err *err);
int directory_org_find(struct desk *d, const char *name, struct organisation *out, struct wb_err *err);
/* A system by name across the desk, or by number. */
int directory_system_find(struct desk *d, const char *name, struct system_info *out, struct wb_err *err);
int directory_queue_find(struct desk *d, const char *name, struct queue_info *out, struct wb_err *err);

/* Whole lists, in number order. *out is the caller's array: clear each item as above, then
 * free(*out). */
int directory_user_list(struct desk *d, struct user **out, size_t *n, struct wb_err *err);
int directory_org_list(struct desk *d, struct organisation **out, size_t *n, struct wb_err *err);
int directory_system_list(struct desk *d, struct system_info **out, size_t *n, struct wb_err *err);
int directory_queue_list(struct desk *d, struct queue_info **out, size_t *n, struct wb_err *err);
/* Contacts can be very many: a page of at most limit in number order after after_id.
 * *out: store_contacts_free (or clear each item and free(*out)). */
int directory_contact_page(struct desk *d, int64_t after_id, size_t limit, struct contact **out, size_t *n,
			   struct wb_err *err);

#endif

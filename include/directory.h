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

#endif

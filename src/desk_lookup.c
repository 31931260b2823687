#include "desk_lookup.h"

#include "store_dir.h"
#include "xmalloc.h"

#include <stdlib.h>
#include <string.h>

int desk_lookup_queues(struct desk *d, struct queue_info **out, size_t *n, struct wb_err *err)
{
	return store_queue_list(d->store, out, n, err);
}

void desk_lookup_queues_free(struct queue_info **q, size_t n)
{
	if (!*q)
		return;
	for (size_t i = 0; i < n; i++)
		queue_info_clear(&(*q)[i]);
	free(*q);
	*q = NULL;
}

int desk_lookup_users(struct desk *d, struct user **out, size_t *n, struct wb_err *err)
{
	return store_user_list(d->store, out, n, err);
}

void desk_lookup_users_free(struct user **u, size_t n)
{
	if (!*u)
		return;
	for (size_t i = 0; i < n; i++)
		user_clear(&(*u)[i]);
	free(*u);
	*u = NULL;
}

int desk_lookup_contacts(struct desk *d, const char *typed, size_t limit, struct contact **out, size_t *n,
			 struct wb_err *err)
{
	*out = NULL;
	*n = 0;
	if (!typed || !*typed)
		return WB_OK;
	/* the store matches phone digits by prefix and inside the number, emails by prefix, names inside */
	return store_contact_lookup(d->store, typed, limit, out, n, err);
}

void desk_lookup_contacts_free(struct contact **c, size_t n)
{
	store_contacts_free(c, n);
}

int desk_lookup_open_tickets(struct desk *d, int64_t requester_id, size_t limit, struct ticket_list *out,
			     struct wb_err *err)
{
	return store_ticket_open_of(d->store, requester_id, limit, out, err);
}

int desk_lookup_attachments(struct desk *d, int64_t ticket_id, struct attachment_info **out, size_t *n,
			    struct wb_err *err)
{
	return store_attachment_list(d->store, ticket_id, out, n, err);
}

void desk_lookup_attachments_free(struct attachment_info **a, size_t n)
{
	store_attachments_free(a, n);
}

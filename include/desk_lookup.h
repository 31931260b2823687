/* desk_lookup.h — read-only look-ups the full-screen console needs beside desk.h: the queues and
 * operators to choose from, callers as you type, a caller's open tickets, a ticket's attachments.
 * Domain layer: no SQL here (the store answers), no terminal. */
#ifndef WB_DESK_LOOKUP_H
#define WB_DESK_LOOKUP_H

#include "contact.h"
#include "desk.h"
#include "err.h"
#include "store_ticket.h"
#include "ticket.h"

#include <stddef.h>
#include <stdint.h>

/* Every queue, by id. *out: desk_lookup_queues_free(). */
int desk_lookup_queues(struct desk *d, struct queue_info **out, size_t *n, struct wb_err *err);
void desk_lookup_queues_free(struct queue_info **q, size_t n);

/* Every operator. *out: desk_lookup_users_free(). */
int desk_lookup_users(struct desk *d, struct user **out, size_t *n, struct wb_err *err);
void desk_lookup_users_free(struct user **u, size_t n);

/* Contacts whose phone digits, email or name start with (names: contain) `typed`, at most limit.
 * A typed phone number is also matched in its normalised form. *out: desk_lookup_contacts_free(). */
int desk_lookup_contacts(struct desk *d, const char *typed, size_t limit, struct contact **out, size_t *n,
			 struct wb_err *err);
void desk_lookup_contacts_free(struct contact **c, size_t n);

/* The open tickets of one requester, newest first. out: ticket_list_free(). */
int desk_lookup_open_tickets(struct desk *d, int64_t requester_id, size_t limit, struct ticket_list *out,
			     struct wb_err *err);

/* A ticket's attachments. *out: desk_lookup_attachments_free(). */
int desk_lookup_attachments(struct desk *d, int64_t ticket_id, struct attachment_info **out, size_t *n,
			    struct wb_err *err);
void desk_lookup_attachments_free(struct attachment_info **a, size_t n);

#endif

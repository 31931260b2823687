/* demo.h — a realistic sample desk: organisations with contracts, systems, contacts,
 * operators and tickets across every kind and status, some of it in Chinese. */
#ifndef WB_DEMO_H
#define WB_DEMO_H

#include "desk.h"

struct demo_stats {
	int orgs, systems, contacts, users, tickets, messages;
};

/* Adds the sample desk through the domain calls, in one transaction. The same seed gives the
 * same desk. Tickets are spread over the 60 days before now. */
int demo_build(struct desk *d, int tickets, unsigned seed, struct demo_stats *stats, struct wb_err *err);

#endif

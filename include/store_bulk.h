/* store_bulk.h — loading many tickets at once (an import of a mail archive, the benchmark's desk).
 *
 * Adding a ticket normally writes its search entry at once, and each message rewrites it (subject and
 * every body so far), which is what a desk needs one ticket at a time but costs most of a large load.
 * Between store_bulk_begin and store_bulk_end, tickets created through this store (store_ticket_insert)
 * and the messages added to them are stored without their search entry; store_bulk_end then writes
 * each one's entry once, from what the tables hold: the subject and every message's text in the order
 * the messages were added, as the ticket would have had it (messages moved into it from another ticket
 * by a merge take their place by age rather than at the end: the same words). Messages added to older
 * tickets are indexed as usual. Other processes keep working normally meanwhile; they do not find the
 * load's tickets by search until store_bulk_end.
 *
 * Where the load started is kept in the database (setting "search.pending_from"), so a load that was
 * interrupted is finished by the next store_bulk_end on that database (`weibao import` calls it every time). */
#ifndef WB_STORE_BULK_H
#define WB_STORE_BULK_H

#include "store.h"

#include <stdint.h>

enum {
	/* Also leave out the ticket and message indexes (queue views, reports, a ticket's messages) until
	 * store_bulk_end, which builds them once, sorted: several times faster than keeping ~20 indexes up
	 * to date row by row. Only for a load into a desk without tickets that reads no tickets back while
	 * it loads (the benchmark's generator): anything else would scan whole tables. Ignored when the
	 * desk already has tickets. */
	STORE_BULK_DEFER_INDEXES = 1,
};

/* Starts a bulk load (outside a transaction: it commits its own mark). flags: STORE_BULK_*, or 0.
 * Also gives this connection a larger page cache until store_bulk_end. */
int store_bulk_begin(struct store *s, unsigned flags, struct wb_err *err);
/* Builds the indexes left out, writes the search entries of the load's tickets (several transactions
 * of many thousand tickets; call it outside a transaction), and ends the bulk load. *indexed (may be
 * NULL) is set to the number of tickets indexed. Safe to call when no load is running: it then only
 * finishes an interrupted one, if any. On failure the load stays open: call it again. */
int store_bulk_end(struct store *s, int64_t *indexed, struct wb_err *err);
/* True while this store is in a bulk load. */
bool store_bulk_active(const struct store *s);

#endif

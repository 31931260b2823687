/* canned.h — canned responses: text files with placeholders filled from the ticket.
 *
 * Files NAME.txt in a folder (the console uses ~/.config/weibao/canned). Placeholders:
 * {{ticket.id}} {{ticket.subject}} {{ticket.status}} {{ticket.priority}} {{ticket.queue}}
 * {{requester.name}} {{requester.email}} {{org.name}} {{operator.name}} {{operator.login}}.
 * An unknown placeholder stays as written, so a typo shows in the editor instead of vanishing. */
#ifndef WB_CANNED_H
#define WB_CANNED_H

#include "contact.h"
#include "err.h"
#include "ticket.h"

#include <stddef.h>

/* The names (without .txt) of the responses in dir, sorted. A missing folder is no responses.
 * *names: canned_names_free(). */
int canned_list(const char *dir, char ***names, size_t *n, struct wb_err *err);
void canned_names_free(char ***names, size_t n);
/* The text of dir/NAME.txt (caller frees). */
int canned_load(const char *dir, const char *name, char **text, struct wb_err *err);
/* tmpl with its placeholders filled in (newly allocated; caller frees). me may be NULL. */
char *canned_expand(const char *tmpl, const struct ticket *t, const struct user *me);

#endif

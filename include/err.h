/* err.h — errors as values.
 *
 * Functions that can fail return an int (WB_OK or a negative WB_E* code) and,
 * when given a non-NULL struct wb_err, fill it with one line a user can act on.
 * Library code never prints and never exits. */
#ifndef WB_ERR_H
#define WB_ERR_H

#include <stddef.h>

enum {
	WB_OK        = 0,
	WB_EINVAL    = -1, /* bad input: usage, malformed value */
	WB_ENOTFOUND = -2, /* the thing named does not exist */
	WB_EREFUSED  = -3, /* not allowed: role, workflow, policy */
	WB_EBUSY     = -4, /* the database stayed locked; try again later */
	WB_EDB       = -5, /* storage failed */
	WB_ECONFLICT = -6, /* someone else changed it first */
	WB_EIO       = -7, /* a file or the network failed */
	WB_ETEMP     = -8, /* temporary failure: retry later */
};

struct wb_err {
	int code;
	char msg[512];
};

/* Sets err (when not NULL) and returns code, so callers can `return wb_err_set(...)`. */
int wb_err_set(struct wb_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Prepends "what: " to an existing message. Returns err->code (or code when err is NULL). */
int wb_err_prefix(struct wb_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void wb_err_clear(struct wb_err *err);
/* Process exit status for a CLI command that failed with code: 1 refused/not found, 2 usage. */
int wb_err_exit_status(int code);

#endif

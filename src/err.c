#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int wb_err_set(struct wb_err *err, int code, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof err->msg, fmt, ap);
		va_end(ap);
		err->code = code;
	}
	return code;
}

int wb_err_prefix(struct wb_err *err, int code, const char *fmt, ...)
{
	if (!err)
		return code;
	char old[sizeof err->msg];
	memcpy(old, err->msg, sizeof old);
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	size_t used = n < 0 ? 0 : (size_t)n;
	if (used < sizeof err->msg - 3) {
		memcpy(err->msg + used, ": ", 2);
		strncpy(err->msg + used + 2, old, sizeof err->msg - used - 3);
		err->msg[sizeof err->msg - 1] = '\0';
	}
	if (!err->code)
		err->code = code;
	return err->code;
}

void wb_err_clear(struct wb_err *err)
{
	if (err) {
		err->code = 0;
		err->msg[0] = '\0';
	}
}

int wb_err_exit_status(int code)
{
	switch (code) {
	case WB_OK:
		return 0;
	case WB_EINVAL:
		return 2;
	default:
		return 1;
	}
}

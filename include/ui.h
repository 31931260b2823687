/* ui.h — the full-screen console: what the command line calls when weibao runs without a command. */
#ifndef WB_UI_H
#define WB_UI_H

#include "desk.h"
#include "err.h"

#include <stdbool.h>

struct ui_options {
	const char *theme;     /* theme name or path; NULL = the config's or the default */
	const char *keys_file; /* a key file read over the built-in table; NULL = ~/.config/weibao/keys if present */
	bool no_color;
	bool no_mouse;
	const char *db_path;     /* for the background mail sender started after a reply */
	const char *config_path; /* NULL = the standard places */
};

/* Runs the console on an open desk until the operator quits (or a hang-up/termination signal
 * arrives: an unsent reply is then kept as a draft). Returns WB_OK, or an error when the terminal
 * cannot be used or the theme/key file is bad (nothing was drawn then). */
int ui_main(struct desk *desk, const struct ui_options *opt, struct wb_err *err);

#endif

/* cli_calendar.h — `weibao plan|calendar|window …`: the maintenance calendar on the command line. */
#ifndef WB_CLI_CALENDAR_H
#define WB_CLI_CALENDAR_H

#include "cli_opt.h"
#include "plan.h"

/* Subcommand groups (argv after the group word); each returns an exit status. */
int cli_plan(struct cli_ctx *ctx, int argc, char **argv);
int cli_calendar(struct cli_ctx *ctx, int argc, char **argv);
int cli_window(struct cli_ctx *ctx, int argc, char **argv);


#endif

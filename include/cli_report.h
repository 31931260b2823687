/* cli_report.h — `weibao report` (a period's evaluation in five formats, to a file or by mail)
 * and `weibao automate` (the cron pass: SLA escalation, reminders, auto-close). */
#ifndef WB_CLI_REPORT_H
#define WB_CLI_REPORT_H

#include "cli_opt.h"

int cli_report(struct cli_ctx *ctx, int argc, char **argv);
int cli_automate(struct cli_ctx *ctx, int argc, char **argv);

#endif

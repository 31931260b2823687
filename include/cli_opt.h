/* cli_opt.h — table-driven option parsing for weibao's subcommands; the same table prints --help. */
#ifndef WB_CLI_OPT_H
#define WB_CLI_OPT_H

#include "config.h"
#include "desk.h"
#include "err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct cli_opt {
	const char *name;   /* "subject" for --subject */
	const char *arg;    /* placeholder such as "TEXT", or NULL for a flag */
	const char *help;   /* N_() text */
	const char *value;  /* filled by cli_parse: the argument, or "" for a flag that was given */
};

struct cli_cmd {
	const char *usage;      /* "ticket new --subject S --requester EMAIL [options]" */
	const char *summary;    /* N_() one line */
	struct cli_opt *opts;   /* NULL-name terminated */
	int min_args, max_args; /* positional arguments */
};

/* Parses argv (after the command words) into cmd->opts; positional args into args and nargs
 * (pointers into argv). --help prints usage and returns 1 with *exit_code 0. Errors print one
 * line and return 1 with *exit_code 2. Returns 0 to go on. */
int cli_parse(struct cli_cmd *cmd, int argc, char **argv, char ***args, int *nargs, int *exit_code);
const char *cli_get(const struct cli_cmd *cmd, const char *name);
bool cli_has(const struct cli_cmd *cmd, const char *name);
void cli_usage(const struct cli_cmd *cmd, FILE *out);
/* Prints a help table: each row's left column padded to `width` cells, then its N_() text
 * translated. */
void cli_help_rows(FILE *out, const char *const (*rows)[2], size_t n, int width);

struct cli_ctx;

/* One subcommand of a group, `weibao GROUP NAME ...`. Exactly one of run and run_verb is set;
 * both get the arguments after NAME, run_verb gets NAME as well (for names that share a handler). */
struct cli_sub {
	const char *name;  /* "show" */
	const char *usage; /* left column of the group's help: "show ID"; NULL: an alias not listed */
	const char *help;  /* N_() right column */
	int (*run)(struct cli_ctx *ctx, int argc, char **argv);
	int (*run_verb)(struct cli_ctx *ctx, const char *verb, int argc, char **argv);
};

/* A command group: its subcommands and how its help looks. */
struct cli_group {
	const char *title;       /* N_() first line of the help */
	const char *unknown;     /* N_() error naming an unknown subcommand: one %s, the name */
	const struct cli_sub *subs;
	size_t n;
	int width;               /* of the help's left column */
	/* Optional: runs with all of argv when the first word is missing or an option; --help then
	 * prints its help before the group's. NULL: no word prints the help on stderr (status 2). */
	int (*fallback)(struct cli_ctx *ctx, int argc, char **argv);
};

/* Runs the subcommand argv[0] of g. --help or -h prints the group's help on stdout (status 0); an
 * unknown name prints g->unknown on stderr (status 2). Returns the exit status. */
int cli_dispatch(struct cli_ctx *ctx, const struct cli_group *g, int argc, char **argv);

/* The shared state of one weibao run, set up by cli.c. */
struct cli_ctx {
	struct wb_config cfg;
	char *db_path;
	const char *theme;
	const char *agent;  /* "@mailgate": open the desk as the program's own agent */
	struct desk *desk;  /* opened on first use by cli_desk */
};
/* Opens the desk for commands that need it; prints the error and returns its exit status. */
int cli_desk(struct cli_ctx *ctx, struct desk **out);

/* Prints "weibao: message" on stderr and returns the exit status for the error. */
int cli_fail(const struct wb_err *err);
/* Usage error: one line on stderr, exit status 2. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Parses a ticket id "42" or "#42"; prints the error itself and returns its exit status. */
int cli_ticket_id(const char *s, int64_t *id);
/* The same for the number of another thing: `what` names it in the error ("plan"). */
int cli_number_id(const char *what, const char *s, int64_t *id);
/* For commands whose first argument is a number: cli_parse, then that number into *id (what as in
 * cli_number_id, NULL for a ticket), then the desk into *d unless d is NULL. Returns 0 to go on;
 * 1 to stop with *exit_code (0 after --help), any error printed. */
int cli_parse_id(struct cli_ctx *ctx, struct cli_cmd *cmd, int argc, char **argv, const char *what, int64_t *id,
		 struct desk **d, int *exit_code);
/* Reads the text of --body-file F (or - for standard input), checked as UTF-8 and at most
 * TICKET_BODY_MAX bytes. Caller frees *out. */
int cli_read_body(const char *path, char **out, struct wb_err *err);

/* Subcommand groups: argv[0] is the group word's first argument. Each returns an exit status. */
int cli_ticket(struct cli_ctx *ctx, int argc, char **argv);
int cli_directory(struct cli_ctx *ctx, const char *group, int argc, char **argv);
int cli_db(struct cli_ctx *ctx, int argc, char **argv);
int cli_demo(struct cli_ctx *ctx, int argc, char **argv);
int cli_outbox(struct cli_ctx *ctx, int argc, char **argv);
int cli_mailgate(struct cli_ctx *ctx, int argc, char **argv);
int cli_import(struct cli_ctx *ctx, int argc, char **argv);

#endif

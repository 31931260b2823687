/* cli.h — the command line: argument parsing and wiring only. */
#ifndef WB_CLI_H
#define WB_CLI_H

/* Runs weibao with the given arguments; returns the process exit status. */
int cli_main(int argc, char **argv);

#endif

/* cli_demo.c — `weibao demo`: fill the database with a sample desk. */
#include "cli_opt.h"

#include "demo.h"
#include "i18n.h"

#include <stdio.h>
#include <stdlib.h>

static struct cli_opt demo_opts[] = {
	{ "tickets", "N", N_("how many tickets (default 300)"), NULL },
	{ "seed", "N", N_("random seed: the same seed gives the same desk"), NULL },
	{ NULL, NULL, NULL, NULL },
};

int cli_demo(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_cmd cmd = { "demo [--tickets N]", N_("Fill the database with a realistic sample desk."),
			       demo_opts, 0, 0 };
	char **args;
	int nargs, ex;
	if (cli_parse(&cmd, argc, argv, &args, &nargs, &ex))
		return ex;
	free(args);
	long n = 300;
	if (cli_has(&cmd, "tickets")) {
		char *end;
		n = strtol(cli_get(&cmd, "tickets"), &end, 10);
		if (*end || n < 0 || n > 10000000)
			return cli_usage_error(_("--tickets wants a number from 0 to 10000000, not '%s'"),
					       cli_get(&cmd, "tickets"));
	}
	unsigned seed = cli_has(&cmd, "seed") ? (unsigned)strtoul(cli_get(&cmd, "seed"), NULL, 10) : 1;
	struct desk *d;
	if ((ex = cli_desk(ctx, &d)))
		return ex;
	d->notify = NULL; /* the sample desk's history mails nobody */
	struct wb_err err = { 0 };
	struct demo_stats st;
	if (demo_build(d, (int)n, seed, &st, &err))
		return cli_fail(&err);
	printf(_("demo desk in %s: %d organisations, %d systems, %d contacts, %d tickets\n"), ctx->db_path,
	       st.orgs, st.systems, st.contacts, st.tickets);
	return 0;
}

/* cli_mail.c — `weibao mailgate`, its quarantine, and `weibao import mbox|maildir`. */
#include "cli_opt.h"

#include "fmt.h"
#include "i18n.h"
#include "mailgate.h"
#include "store_mail.h"
#include "strbuf.h"
#include "utf8.h"
#include "xmalloc.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define EX_TEMPFAIL 75

static int read_all(FILE *f, char **out, size_t *len)
{
	struct strbuf b = STRBUF_INIT;
	if (strbuf_read(&b, f, 0) < 0) {
		strbuf_free(&b);
		return -1;
	}
	*len = b.len;
	*out = strbuf_detach(&b);
	return 0;
}

static struct cli_opt gate_opts[] = {
	{ "queue", "Q", N_("queue for new tickets (default: the first queue)"), NULL },
	{ NULL, NULL, NULL, NULL },
};

static int gate_one(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_cmd cmd = { "mailgate [--queue Q] < message",
			       N_("File one email from standard input onto its ticket. Exit status as mail servers "
				  "expect: 0 stored, 65 kept in quarantine as not understood, 75 try again later."),
			       gate_opts, 0, 0 };
	char **args;
	int nargs, ex;
	if (cli_parse(&cmd, argc, argv, &args, &nargs, &ex))
		return ex;
	free(args);
	char *raw;
	size_t len;
	if (read_all(stdin, &raw, &len)) {
		fprintf(stderr, "weibao: %s\n", _("cannot read the message from standard input"));
		return EX_TEMPFAIL;
	}
	ctx->agent = "@mailgate";
	struct desk *d;
	if (cli_desk(ctx, &d)) {
		free(raw);
		return EX_TEMPFAIL;
	}
	struct mailgate_opts o = { cli_get(&cmd, "queue"), false };
	struct mailgate_result r;
	struct wb_err err = { 0 };
	int rc = mailgate_deliver(d, raw, len, &o, &r, &err);
	free(raw);
	if (rc) {
		fprintf(stderr, "weibao: %s\n", err.msg);
		return mailgate_exit_status(rc, &r);
	}
	switch (r.outcome) {
	case GATE_CREATED:
		printf(_("new ticket #%lld\n"), (long long)r.ticket_id);
		break;
	case GATE_APPENDED:
		printf(_("added to ticket #%lld%s\n"), (long long)r.ticket_id,
		       r.reopened ? _(" (reopened)") : r.rated ? _(" (rating recorded)") : "");
		break;
	case GATE_DUPLICATE:
		printf(_("already stored (ticket #%lld)\n"), (long long)r.ticket_id);
		break;
	case GATE_HELD:
		printf(_("held in quarantine #%lld: %s\n"), (long long)r.quarantine_id, r.reason);
		break;
	case GATE_QUARANTINED:
		fprintf(stderr, _("weibao: kept in quarantine #%lld: %s\n"), (long long)r.quarantine_id, r.reason);
		break;
	}
	return mailgate_exit_status(rc, &r);
}

static struct cli_opt qlist_opts[] = {
	{ "all", NULL, N_("also messages already retried or dropped"), NULL },
	{ NULL, NULL, NULL, NULL },
};

static int quarantine_cmd(struct cli_ctx *ctx, int argc, char **argv)
{
	const char *verb = argc > 0 ? argv[0] : "";
	bool list = !strcmp(verb, "list");
	if (!list && strcmp(verb, "show") && strcmp(verb, "retry") && strcmp(verb, "drop"))
		return cli_usage_error(_("usage: weibao mailgate quarantine list|show ID|retry ID|drop ID"));
	char usage[64];
	snprintf(usage, sizeof usage, list ? "mailgate quarantine list [--all]" : "mailgate quarantine %s ID", verb);
	struct cli_cmd cmd = { usage, NULL, list ? qlist_opts : NULL, list ? 0 : 1, list ? 0 : 1 };
	char **args;
	int nargs, ex;
	if (cli_parse(&cmd, argc - 1, argv + 1, &args, &nargs, &ex))
		return ex;
	int64_t id = 0;
	if (!list && cli_ticket_id(args[0], &id)) {
		free(args);
		return 2;
	}
	free(args);
	struct desk *d;
	if ((ex = cli_desk(ctx, &d)))
		return ex;
	struct wb_err err = { 0 };
	if (list) {
		struct quarantined *q;
		size_t n;
		if (mailgate_quarantine_list(d, 0, 1000, cli_has(&cmd, "all"), &q, &n, &err))
			return cli_fail(&err);
		for (size_t i = 0; i < n; i++) {
			char when[32];
			fmt_datetime(q[i].received_at, when, sizeof when);
			char *from = utf8_pad(q[i].sender ? q[i].sender : "-", 28);
			char *subj = utf8_pad(q[i].subject ? q[i].subject : "-", 30);
			printf("%-5lld %s %-8s %s %s %s\n", (long long)q[i].id, when, q[i].state, from, subj, q[i].reason);
			free(from);
			free(subj);
		}
		store_quarantine_list_free(&q, n);
		return 0;
	}
	int rc;
	if (!strcmp(verb, "show")) {
		struct quarantined q;
		if ((rc = mailgate_quarantine_get(d, id, &q, &err)) == WB_OK) {
			printf("%s %s\n%s %s\n\n", _("Reason:"), q.reason, _("State:"), q.state);
			fwrite(q.raw, 1, (size_t)q.size, stdout);
			quarantined_clear(&q);
		}
	} else if (!strcmp(verb, "drop")) {
		rc = mailgate_quarantine_drop(d, id, &err);
	} else {
		struct mailgate_result r;
		if ((rc = mailgate_quarantine_retry(d, id, &r, &err)) == WB_OK)
			printf(_("filed on ticket #%lld\n"), (long long)r.ticket_id);
	}
	return rc ? cli_fail(&err) : 0;
}

int cli_mailgate(struct cli_ctx *ctx, int argc, char **argv)
{
	if (argc > 0 && !strcmp(argv[0], "quarantine"))
		return quarantine_cmd(ctx, argc - 1, argv + 1);
	return gate_one(ctx, argc, argv);
}

/* ---- import ---- */

struct import_tally {
	long n, outcome[GATE_QUARANTINED + 1], failed;
};

static void progress(bool tty, const char *what, long done, long total)
{
	if (!tty)
		return;
	if (total > 0) {
		int pct = (int)(done * 100 / total);
		int bar = pct * 30 / 100;
		fprintf(stderr, "\r%s [%.*s%*s] %3d%%", what, bar, "##############################", 30 - bar, "", pct);
	} else {
		fprintf(stderr, "\r%s %ld", what, done);
	}
}

static int import_one(struct mailgate_batch *b, const char *raw, size_t len, struct import_tally *t,
		      struct wb_err *err)
{
	struct mailgate_opts o = { NULL, true };
	struct mailgate_result r;
	size_t before = b->n;
	int rc = mailgate_batch_deliver(b, raw, len, &o, &r, err);
	if (b->n == before)
		return rc; /* the batch's transaction could not be started: the message was not tried */
	t->n++;
	if (rc) {
		t->failed++;
		return rc;
	}
	t->outcome[r.outcome]++;
	return WB_OK;
}

/* mbox: messages start at lines "From "; ">From " lines were escaped (mboxrd) and lose one '>'. */
static int import_mbox(struct mailgate_batch *b, const char *path, struct import_tally *t, struct wb_err *err)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return wb_err_set(err, WB_EIO, _("cannot read %s: %s"), path, strerror(errno));
	struct stat st;
	long total = fstat(fileno(f), &st) == 0 ? (long)st.st_size : 0;
	bool tty = isatty(2);
	char *line = NULL;
	size_t cap = 0, mlen = 0, mcap = 0;
	ssize_t n;
	char *msg = NULL;
	bool in_msg = false;
	int rc = WB_OK;
	long done = 0;
	while (rc == WB_OK) {
		n = getline(&line, &cap, f);
		bool boundary = n < 0 || (n >= 5 && !strncmp(line, "From ", 5));
		if (boundary && in_msg && mlen) {
			rc = import_one(b, msg, mlen, t, err);
			mlen = 0;
			progress(tty, _("importing"), done, total);
		}
		if (n < 0)
			break;
		done += n;
		if (boundary) {
			in_msg = true;
			continue;
		}
		const char *p = line;
		size_t l = (size_t)n;
		const char *q = line;
		while (*q == '>')
			q++;
		if (q != line && !strncmp(q, "From ", 5)) {
			p++;
			l--;
		}
		if (mlen + l + 1 > mcap) {
			mcap = (mlen + l + 1) * 2;
			msg = xrealloc(msg, mcap);
		}
		memcpy(msg + mlen, p, l);
		mlen += l;
	}
	free(line);
	free(msg);
	fclose(f);
	return rc;
}

static int import_maildir(struct mailgate_batch *b, const char *dir, struct import_tally *t, struct wb_err *err)
{
	const char *subs[] = { "cur", "new" };
	bool tty = isatty(2);
	int rc = WB_OK;
	for (size_t s = 0; s < 2 && rc == WB_OK; s++) {
		char *path = xasprintf("%s/%s", dir, subs[s]);
		DIR *dp = opendir(path);
		if (!dp) {
			free(path);
			if (s == 1 && t->n == 0)
				return wb_err_set(err, WB_EIO, _("%s is not a maildir (no cur/ or new/)"), dir);
			continue;
		}
		struct dirent *e;
		while (rc == WB_OK && (e = readdir(dp))) {
			if (e->d_name[0] == '.')
				continue;
			char *file = xasprintf("%s/%s", path, e->d_name);
			FILE *f = fopen(file, "rb");
			char *raw;
			size_t len;
			if (f && read_all(f, &raw, &len) == 0) {
				rc = import_one(b, raw, len, t, err);
				free(raw);
			}
			if (f)
				fclose(f);
			free(file);
			progress(tty, _("importing"), t->n, 0);
		}
		closedir(dp);
		free(path);
	}
	return rc;
}

int cli_import(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_cmd cmd = { "import mbox FILE | import maildir DIR",
			       N_("Bring in mail history through the mail gate; running it again adds nothing new."),
			       NULL, 2, 2 };
	char **args;
	int nargs, ex;
	if (cli_parse(&cmd, argc, argv, &args, &nargs, &ex))
		return ex;
	bool mbox = !strcmp(args[0], "mbox");
	if (!mbox && strcmp(args[0], "maildir")) {
		free(args);
		return cli_usage_error(_("unknown import format '%s' (allowed: mbox, maildir)"), args[0]);
	}
	const char *path = args[1];
	ctx->agent = "@mailgate";
	struct desk *d;
	if ((ex = cli_desk(ctx, &d))) {
		free(args);
		return ex;
	}
	d->notify = NULL; /* imported history is acknowledged to nobody */
	struct import_tally t;
	memset(&t, 0, sizeof t);
	struct wb_err err = { 0 };
	/* MAILGATE_BATCH messages per transaction: one bad message undoes only itself */
	struct mailgate_batch b = { .d = d };
	int rc = mbox ? import_mbox(&b, path, &t, &err) : import_maildir(&b, path, &t, &err);
	free(args);
	int end = mailgate_batch_end(&b, rc == WB_OK, &err);
	if (rc == WB_OK)
		rc = end;
	if (isatty(2))
		fputc('\n', stderr);
	printf(_("%ld messages: %ld created, %ld appended, %ld duplicates, %ld quarantined, %ld held\n"), t.n,
	       t.outcome[GATE_CREATED], t.outcome[GATE_APPENDED], t.outcome[GATE_DUPLICATE],
	       t.outcome[GATE_QUARANTINED], t.outcome[GATE_HELD]);
	return rc ? cli_fail(&err) : 0;
}

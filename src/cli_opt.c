#include "cli_opt.h"

#include "i18n.h"
#include "strbuf.h"
#include "ticket.h"
#include "utf8.h"
#include "xmalloc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cli_usage(const struct cli_cmd *cmd, FILE *out)
{
	fprintf(out, _("usage: weibao %s\n"), cmd->usage);
	if (cmd->summary)
		fprintf(out, "%s\n", _(cmd->summary));
	if (cmd->opts && cmd->opts[0].name)
		fprintf(out, "\n%s\n", _("options:"));
	for (const struct cli_opt *o = cmd->opts; o && o->name; o++) {
		char left[64];
		snprintf(left, sizeof left, "--%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
		char *pad = utf8_pad(left, 26);
		fprintf(out, "  %s %s\n", pad, _(o->help));
		free(pad);
	}
	fprintf(out, "  %-26s %s\n", "--help", _("show this help"));
}

static void help_row(FILE *out, const char *left, const char *help, int width)
{
	char *p = utf8_pad(left, width);
	fprintf(out, "  %s %s\n", p, _(help));
	free(p);
}

void cli_help_rows(FILE *out, const char *const (*rows)[2], size_t n, int width)
{
	for (size_t i = 0; i < n; i++)
		help_row(out, rows[i][0], rows[i][1], width);
}

static void group_help(const struct cli_group *g, FILE *out)
{
	fprintf(out, "%s\n", _(g->title));
	for (size_t i = 0; i < g->n; i++)
		if (g->subs[i].usage)
			help_row(out, g->subs[i].usage, g->subs[i].help, g->width);
}

int cli_dispatch(struct cli_ctx *ctx, const struct cli_group *g, int argc, char **argv)
{
	bool help = argc >= 1 && (!strcmp(argv[0], "--help") || !strcmp(argv[0], "-h"));
	if (g->fallback && (argc < 1 || argv[0][0] == '-')) {
		int ex = g->fallback(ctx, argc, argv);
		if (!help)
			return ex;
		fputc('\n', stdout);
		group_help(g, stdout);
		return 0;
	}
	if (argc < 1 || help) {
		group_help(g, help ? stdout : stderr);
		return help ? 0 : 2;
	}
	for (size_t i = 0; i < g->n; i++) {
		const struct cli_sub *s = &g->subs[i];
		if (strcmp(s->name, argv[0]))
			continue;
		return s->run ? s->run(ctx, argc - 1, argv + 1) : s->run_verb(ctx, argv[0], argc - 1, argv + 1);
	}
	return cli_usage_error(_(g->unknown), argv[0]);
}

int cli_usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("weibao: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	return 2;
}

int cli_parse(struct cli_cmd *cmd, int argc, char **argv, char ***args, int *nargs, int *exit_code)
{
	char **pos = xcalloc((size_t)argc + 1, sizeof *pos);
	int np = 0;
	bool only_args = false;
	for (int i = 0; i < argc; i++) {
		char *a = argv[i];
		if (only_args || a[0] != '-' || a[1] == '\0') {
			pos[np++] = a;
			continue;
		}
		if (strcmp(a, "--") == 0) {
			only_args = true;
			continue;
		}
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			cli_usage(cmd, stdout);
			*exit_code = 0;
			goto stop;
		}
		if (a[1] != '-') {
			*exit_code = cli_usage_error(_("unknown option '%s' (see --help)"), a);
			goto stop;
		}
		const char *name = a + 2;
		const char *eq = strchr(name, '=');
		size_t len = eq ? (size_t)(eq - name) : strlen(name);
		struct cli_opt *found = NULL;
		for (struct cli_opt *o = cmd->opts; o && o->name; o++)
			if (strlen(o->name) == len && strncmp(o->name, name, len) == 0)
				found = o;
		if (!found) {
			*exit_code = cli_usage_error(_("unknown option '--%.*s' for 'weibao %s' (see --help)"),
						     (int)len, name, cmd->usage);
			goto stop;
		}
		if (!found->arg) {
			if (eq) {
				*exit_code = cli_usage_error(_("option --%s takes no value"), found->name);
				goto stop;
			}
			found->value = "";
		} else if (eq) {
			found->value = eq + 1;
		} else if (i + 1 < argc) {
			found->value = argv[++i];
		} else {
			*exit_code = cli_usage_error(_("option --%s needs a value (%s)"), found->name, found->arg);
			goto stop;
		}
	}
	if (np < cmd->min_args || np > cmd->max_args) {
		*exit_code = cli_usage_error(_("wrong number of arguments; usage: weibao %s"), cmd->usage);
		goto stop;
	}
	*args = pos;
	*nargs = np;
	return 0;
stop:
	free(pos);
	*args = NULL;
	*nargs = 0;
	return 1;
}

const char *cli_get(const struct cli_cmd *cmd, const char *name)
{
	for (const struct cli_opt *o = cmd->opts; o && o->name; o++)
		if (strcmp(o->name, name) == 0)
			return o->value;
	return NULL;
}

bool cli_has(const struct cli_cmd *cmd, const char *name)
{
	return cli_get(cmd, name) != NULL;
}

int cli_fail(const struct wb_err *err)
{
	fprintf(stderr, "weibao: %s\n", err->msg[0] ? err->msg : _("failed"));
	return wb_err_exit_status(err->code ? err->code : WB_EDB);
}

int cli_number_id(const char *what, const char *s, int64_t *id)
{
	const char *p = s && *s == '#' ? s + 1 : s;
	char *end;
	errno = 0;
	long long v = p && *p ? strtoll(p, &end, 10) : 0;
	if (!p || !*p || *end || v <= 0 || errno)
		return what ? cli_usage_error(_("'%s' is not a %s number"), s ? s : "", what)
			    : cli_usage_error(_("'%s' is not a ticket number"), s ? s : "");
	*id = v;
	return 0;
}

int cli_ticket_id(const char *s, int64_t *id)
{
	return cli_number_id(NULL, s, id);
}

int cli_parse_id(struct cli_ctx *ctx, struct cli_cmd *cmd, int argc, char **argv, const char *what, int64_t *id,
		 struct desk **d, int *exit_code)
{
	char **args;
	int nargs;
	if (cli_parse(cmd, argc, argv, &args, &nargs, exit_code))
		return 1;
	*exit_code = cli_number_id(what, args[0], id);
	free(args);
	if (!*exit_code && d)
		*exit_code = cli_desk(ctx, d);
	return *exit_code != 0;
}

int cli_read_body(const char *path, char **out, struct wb_err *err)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!f)
		return wb_err_set(err, WB_EINVAL, _("cannot read %s: %s"), path, strerror(errno));
	struct strbuf b = STRBUF_INIT;
	int over = strbuf_read(&b, f, TICKET_BODY_MAX);
	if (f != stdin)
		fclose(f);
	size_t len = b.len;
	char *buf = strbuf_detach(&b);
	if (over > 0) {
		free(buf);
		return wb_err_set(err, WB_EINVAL, _("message body in %s is too large (more than %d bytes)"),
				  strcmp(path, "-") == 0 ? _("standard input") : path, TICKET_BODY_MAX);
	}
	if (memchr(buf, '\0', len) || !utf8_valid(buf, len)) {
		free(buf);
		return wb_err_set(err, WB_EINVAL, _("message body in %s is not valid UTF-8 text"),
				  strcmp(path, "-") == 0 ? _("standard input") : path);
	}
	*out = buf;
	return WB_OK;
}

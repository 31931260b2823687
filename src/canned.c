#include "canned.h"

#include "i18n.h"
#include "strbuf.h"
#include "xmalloc.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int canned_list(const char *dir, char ***names, size_t *n, struct wb_err *err)
{
	*names = NULL;
	*n = 0;
	DIR *d = opendir(dir);
	if (!d)
		return errno == ENOENT ? WB_OK : wb_err_set(err, WB_EIO, _("cannot read %s: %s"), dir, strerror(errno));
	struct dirent *e;
	size_t cap = 0;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (len <= 4 || strcmp(e->d_name + len - 4, ".txt") || e->d_name[0] == '.')
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			*names = xrealloc(*names, cap * sizeof **names);
		}
		(*names)[(*n)++] = xstrndup(e->d_name, len - 4);
	}
	closedir(d);
	if (*n)
		qsort(*names, *n, sizeof **names, cmp_names);
	return WB_OK;
}

void canned_names_free(char ***names, size_t n)
{
	if (!*names)
		return;
	for (size_t i = 0; i < n; i++)
		free((*names)[i]);
	free(*names);
	*names = NULL;
}

int canned_load(const char *dir, const char *name, char **text, struct wb_err *err)
{
	*text = NULL;
	if (strchr(name, '/'))
		return wb_err_set(err, WB_EINVAL, _("canned response name '%s' holds a '/'"), name);
	char *path = xasprintf("%s/%s.txt", dir, name);
	FILE *f = fopen(path, "r");
	if (!f) {
		int rc = wb_err_set(err, WB_ENOTFOUND, _("cannot read canned response %s: %s"), path, strerror(errno));
		free(path);
		return rc;
	}
	free(path);
	struct strbuf b = STRBUF_INIT;
	strbuf_read(&b, f, 0);
	fclose(f);
	*text = strbuf_detach(&b);
	return WB_OK;
}

/* The value of one placeholder name, or NULL when unknown. buf holds numbers. */
static const char *lookup(const char *name, const struct ticket *t, const struct user *me, char *buf, size_t n)
{
	if (!strcmp(name, "ticket.id")) {
		snprintf(buf, n, "%lld", (long long)t->id);
		return buf;
	}
	if (!strcmp(name, "ticket.subject"))
		return t->subject ? t->subject : "";
	if (!strcmp(name, "ticket.status"))
		return ticket_status_label(t->status);
	if (!strcmp(name, "ticket.priority"))
		return ticket_priority_label(t->priority);
	if (!strcmp(name, "ticket.queue"))
		return t->queue ? t->queue : "";
	if (!strcmp(name, "requester.name"))
		return t->requester_name && *t->requester_name ? t->requester_name
			: t->requester_email ? t->requester_email : "";
	if (!strcmp(name, "requester.email"))
		return t->requester_email ? t->requester_email : "";
	if (!strcmp(name, "org.name"))
		return t->org ? t->org : "";
	if (!strcmp(name, "operator.name"))
		return me && me->name && *me->name ? me->name : me && me->login ? me->login : "";
	if (!strcmp(name, "operator.login"))
		return me && me->login ? me->login : "";
	return NULL;
}

char *canned_expand(const char *tmpl, const struct ticket *t, const struct user *me)
{
	struct strbuf b = STRBUF_INIT;
	const char *p = tmpl ? tmpl : "";
	for (;;) {
		const char *open = strstr(p, "{{");
		if (!open) {
			strbuf_adds(&b, p);
			break;
		}
		const char *close = strstr(open + 2, "}}");
		if (!close) {
			strbuf_adds(&b, p);
			break;
		}
		strbuf_add(&b, p, (size_t)(open - p));
		const char *s = open + 2, *e = close;
		while (s < e && *s == ' ')
			s++;
		while (e > s && e[-1] == ' ')
			e--;
		char *name = xstrndup(s, (size_t)(e - s));
		char num[32];
		const char *v = lookup(name, t, me, num, sizeof num);
		free(name);
		if (v)
			strbuf_adds(&b, v);
		else
			strbuf_add(&b, open, (size_t)(close + 2 - open));
		p = close + 2;
	}
	return strbuf_detach(&b);
}

#include "i18n.h"

#include "xmalloc.h"

#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* glibc's translation cache is keyed by the LC_MESSAGES name, not by LANGUAGE: bumping this counter after
 * changing LANGUAGE at run time drops cached lookups (documented in the gettext manual, "Being a gettext
 * grok"). */
extern int _nl_msg_cat_cntr;

#define DOMAIN "weibao"

/* The language i18n_init settled on (the config's, else the environment's LANGUAGE, else the language of
 * a locale that is not installed); NULL leaves the choice to LC_MESSAGES. */
static char *base_language;
/* The run-time override from i18n_set_language, or NULL. */
static char *override;

static bool is_c_locale(const char *name)
{
	return !name || !strcmp(name, "C") || !strcmp(name, "POSIX");
}

/* The language part of a locale name: "zh_CN.UTF-8@x" -> "zh_CN". */
static void locale_language(const char *name, char *buf, size_t n)
{
	size_t len = strcspn(name, ".@");
	if (len >= n)
		len = n - 1;
	memcpy(buf, name, len);
	buf[len] = '\0';
}

/* The first of LC_ALL, LC_MESSAGES, LANG that is set and not empty (how POSIX picks LC_MESSAGES). */
static const char *env_messages_locale(void)
{
	const char *names[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
	for (size_t i = 0; i < 3; i++) {
		const char *v = getenv(names[i]);
		if (v && *v)
			return v;
	}
	return NULL;
}

static void apply_language(void)
{
	const char *language = override ? override : base_language;
	if (language) {
		setenv("LANGUAGE", language, 1);
		/* glibc ignores LANGUAGE while LC_MESSAGES is plain C; C.UTF-8 is not "C" and always exists. */
		if (is_c_locale(setlocale(LC_MESSAGES, NULL)))
			setlocale(LC_MESSAGES, "C.UTF-8");
	} else {
		unsetenv("LANGUAGE");
	}
	++_nl_msg_cat_cntr;
}

void i18n_init(const char *language)
{
	free(base_language);
	base_language = NULL;
	const char *env = getenv("LANGUAGE");
	bool chosen = language && *language;
	if (chosen)
		base_language = xstrdup(language);
	if (!setlocale(LC_ALL, "")) {
		/* The environment names a locale that is not installed (LANG=zh_CN.UTF-8 on a machine with only
		 * C.UTF-8): keep UTF-8 text handling and still speak the language it asked for. */
		const char *want = env_messages_locale();
		setlocale(LC_ALL, "C.UTF-8");
		if (!base_language && env && *env) {
			base_language = xstrdup(env);
		} else if (!base_language && want && !is_c_locale(want) && strncmp(want, "C.", 2)) {
			char lang[64];
			locale_language(want, lang, sizeof lang);
			base_language = xstrdup(lang);
		}
	} else if (!base_language && env && *env && !is_c_locale(setlocale(LC_MESSAGES, NULL))) {
		base_language = xstrdup(env); /* LANGUAGE counts only outside the C locale, as in glibc */
	}
	if (chosen && is_c_locale(setlocale(LC_CTYPE, NULL)))
		setlocale(LC_CTYPE, "C.UTF-8"); /* a chosen language needs UTF-8 text (Chinese, widths) */
	apply_language();
	const char *dir = getenv("WEIBAO_LOCALEDIR");
	if (!dir || !*dir)
		dir = access("build/locale", R_OK) == 0 ? "build/locale" : WB_LOCALEDIR;
	/* glibc makes a relative directory absolute with getcwd() on every lookup, i.e. on every _() the
	 * console draws (about 150 system calls a page): resolve it once here */
	char *abs = dir[0] != '/' ? realpath(dir, NULL) : NULL;
	bindtextdomain(DOMAIN, abs ? abs : dir);
	free(abs);
	bind_textdomain_codeset(DOMAIN, "UTF-8");
	textdomain(DOMAIN);
}

char *i18n_set_language(const char *language)
{
	char *prev = override;
	override = language && *language ? xstrdup(language) : NULL;
	apply_language();
	return prev;
}

const char *i18n_ctx(const char *ctx_and_text)
{
	const char *t = gettext(ctx_and_text);
	if (t != ctx_and_text)
		return t;
	const char *eot = strchr(ctx_and_text, '\004');
	return eot ? eot + 1 : ctx_and_text;
}

const char *i18n_language(void)
{
	static char lang[64];
	/* TRANSLATORS: the catalogue's own language code, as in the file name po/zh_CN.po (zh_CN).
	   The English original answers "en". */
	const char *own = _("en");
	locale_language(own, lang, sizeof lang);
	return lang;
}

/* i18n.h — gettext for every user-visible string.
 *
 * _("text") translates at once; N_("text") only marks a string for `make pot` (translate it with _() where it
 * is shown); ngettext(one, many, n) for counts. Catalogues are po/<lang>.po, compiled to
 * build/locale/<lang>/LC_MESSAGES/weibao.mo by the Makefile and installed under $(LOCALEDIR). */
#ifndef WB_I18N_H
#define WB_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s) /* marks a string for extraction; translated where shown */

/* The same English word can need two translations ("open" a ticket: 打开; an "open" checklist: 待完成).
 * C_("plan status", "open") translates within a context; NC_() marks such a string in a table and
 * i18n_ctx() translates it where shown. Both give back the plain English text when untranslated. */
#define C_(ctx, s) i18n_ctx(ctx "\004" s)
#define NC_(ctx, s) (ctx "\004" s)
const char *i18n_ctx(const char *ctx_and_text) __attribute__((format_arg(1)));

/* Sets the locale from the environment and binds the "weibao" text domain, looking in $WEIBAO_LOCALEDIR,
 * else ./build/locale when it exists, else the install directory. language (may be NULL or "") overrides
 * the environment's message language, as the config's `language =` does ("zh_CN", "en").
 *
 * Works on machines where only the C.UTF-8 locale exists: when the environment names a locale that is
 * not installed (LANG=zh_CN.UTF-8 without locale-gen), or names plain C while a language is asked for,
 * messages still come out in the wanted language as UTF-8 (C.UTF-8 for the locale, LANGUAGE for the
 * catalogue). */
void i18n_init(const char *language);

/* Switches the message language at run time, e.g. to write one email in a contact's language.
 * NULL or "" goes back to the language i18n_init chose (config, then environment). Returns the previous
 * override (newly allocated, or NULL when there was none): pass it to i18n_set_language again to restore
 * it, then free it. Not thread-safe (it changes LANGUAGE in the environment). */
char *i18n_set_language(const char *language);

/* The language messages are shown in now, as a catalogue name: "zh_CN", or "en" when untranslated
 * (C/POSIX locale or a language without a catalogue). Points to static storage valid until the next call. */
const char *i18n_language(void);

#endif

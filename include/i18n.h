/* i18n.h — gettext for every user-visible string. */
#ifndef WB_I18N_H
#define WB_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s) /* marks a string for extraction; translated where shown */

/* Binds the "weibao" text domain. language (may be NULL) overrides the locale's
 * language for messages, as the config's `language =` does. */
void i18n_init(const char *language);

#endif

#include "i18n.h"

#include <locale.h>
#include <stdlib.h>
#include <unistd.h>

void i18n_init(const char *language)
{
	setlocale(LC_ALL, "");
	if (language && *language)
		setenv("LANGUAGE", language, 1);
	const char *dir = getenv("WEIBAO_LOCALEDIR");
	if (!dir || !*dir)
		dir = access("build/locale", R_OK) == 0 ? "build/locale" : WB_LOCALEDIR;
	bindtextdomain("weibao", dir);
	bind_textdomain_codeset("weibao", "UTF-8");
	textdomain("weibao");
}

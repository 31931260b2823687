# weibao — a terminal helpdesk console for software maintenance teams.
# `make run` and `make test` are all the set-up a newcomer needs.

PREFIX   ?= /usr/local
DESTDIR  ?=
BINDIR    = $(PREFIX)/bin
DATADIR   = $(PREFIX)/share/weibao
MANDIR    = $(PREFIX)/share/man
LOCALEDIR = $(PREFIX)/share/locale
VERSION   = 0.1.0

CC      ?= gcc
PKGS     = ncursesw sqlite3 libesmtp-1.0 openssl gmime-3.0 libical inih cmocka
# pkg-config name -> Debian package that provides it
DEBPKG_ncursesw     = libncurses-dev
DEBPKG_sqlite3      = libsqlite3-dev
DEBPKG_libesmtp-1.0 = libesmtp-dev
DEBPKG_openssl      = libssl-dev
DEBPKG_gmime-3.0    = libgmime-3.0-dev
DEBPKG_libical      = libical-dev
DEBPKG_inih         = libinih-dev
DEBPKG_cmocka       = libcmocka-dev
# tools the tests drive: a real SMTP server, a real terminal, gettext's tools
TOOLS    = /usr/bin/tmux:tmux /usr/bin/msgfmt:gettext /usr/bin/xgettext:gettext \
           /usr/lib/python3/dist-packages/aiosmtpd:python3-aiosmtpd \
           /usr/bin/pkg-config:pkg-config /usr/bin/sqlite3:sqlite3 /usr/bin/python3:python3 \
           /usr/share/zoneinfo/Asia/Shanghai:tzdata \
           /usr/bin/clang-14:clang-14 /usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a:libclang-rt-14-dev

APP_PKGS   = $(filter-out cmocka,$(PKGS))
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(APP_PKGS) 2>/dev/null)
TEST_LIBS  = $(PKG_LIBS) $(shell pkg-config --libs cmocka 2>/dev/null)

WARN     = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
CPPFLAGS = -Iinclude -D_GNU_SOURCE -D_XOPEN_SOURCE_EXTENDED -DWB_VERSION='"$(VERSION)"' \
           -DWB_LOCALEDIR='"$(LOCALEDIR)"' -DWB_DATADIR='"$(DATADIR)"'
CFLAGS  ?= -O2 -g
ALL_CFLAGS = -std=c11 $(WARN) $(CFLAGS) $(CPPFLAGS) $(PKG_CFLAGS)
SAN      = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

SRCS     = $(wildcard src/*.c)
LIB_SRCS = $(filter-out src/main.c,$(SRCS))
OBJS     = $(LIB_SRCS:src/%.c=build/obj/%.o)
SAN_OBJS = $(LIB_SRCS:src/%.c=build/san/%.o)
UNIT     = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT:tests/unit/%.c=build/tests/%)
UNIT_SAN = $(UNIT:tests/unit/%.c=build/tests-san/%)
HDRS     = $(wildcard include/*.h)

DEMO_DB ?= build/demo.db

# Translations: po/<lang>.po -> build/locale/<lang>/LC_MESSAGES/weibao.mo (found there by i18n_init when run
# from the source tree, installed under $(LOCALEDIR)). `make pot` refreshes the template and the catalogues.
PO_FILES = $(wildcard po/*.po)
PO_LANGS = $(PO_FILES:po/%.po=%)
MO_FILES = $(PO_LANGS:%=build/locale/%/LC_MESSAGES/weibao.mo)
XGETTEXT_FLAGS = --from-code=UTF-8 --language=C --keyword=_ --keyword=N_ --keyword=ngettext:1,2 \
                 --keyword=C_:1c,2 --keyword=NC_:1c,2 \
                 --add-comments=TRANSLATORS: --package-name=weibao --package-version=$(VERSION) \
                 --msgid-bugs-address="the weibao issue tracker" --sort-by-file

.PHONY: all deps run test unit unit-san shell-tests bench bench-smoke install clean pot locale fuzz fuzz-smoke

all: weibao locale

deps:
	@missing=""; \
	for p in $(PKGS); do pkg-config --exists $$p 2>/dev/null || missing="$$missing $$p"; done; \
	debs=""; \
	for p in $$missing; do case $$p in \
	  ncursesw) debs="$$debs $(DEBPKG_ncursesw)";; sqlite3) debs="$$debs $(DEBPKG_sqlite3)";; \
	  libesmtp-1.0) debs="$$debs $(DEBPKG_libesmtp-1.0)";; openssl) debs="$$debs $(DEBPKG_openssl)";; gmime-3.0) debs="$$debs $(DEBPKG_gmime-3.0)";; \
	  libical) debs="$$debs $(DEBPKG_libical)";; inih) debs="$$debs $(DEBPKG_inih)";; \
	  cmocka) debs="$$debs $(DEBPKG_cmocka)";; esac; done; \
	for t in $(TOOLS); do [ -e "$${t%%:*}" ] || debs="$$debs $${t##*:}"; done; \
	command -v pkg-config >/dev/null || debs="pkg-config $$debs"; \
	if [ -n "$$debs" ]; then \
	  echo "weibao: installing missing Debian packages:$$debs"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$debs >/dev/null \
	    || { echo "weibao: apt-get install$$debs failed" >&2; exit 1; }; \
	else echo "weibao: all build dependencies are present"; fi

# The catalogues come with the binary so that `make run` speaks the operator's language.
weibao: build/obj/main.o build/libweibao.a | $(MO_FILES)
	@echo "  CCLD  $@"; $(CC) $(ALL_CFLAGS) -o $@ $^ $(PKG_LIBS) -lm

build/libweibao.a: $(OBJS)
	@rm -f $@
	@ar rcs $@ $^

build/obj/%.o: src/%.c $(HDRS) | build/obj
	@echo "  CC    $<"; $(CC) $(ALL_CFLAGS) -c -o $@ $<

build/san/%.o: src/%.c $(HDRS) | build/san
	@echo "  CC    $< (asan+ubsan)"; $(CC) $(ALL_CFLAGS) $(SAN) -O1 -c -o $@ $<

build/libweibao-san.a: $(SAN_OBJS)
	@rm -f $@
	@ar rcs $@ $^

build/tests/%: tests/unit/%.c $(wildcard tests/unit/*.h) build/libweibao.a | build/tests
	@echo "  CCLD  $@"; $(CC) $(ALL_CFLAGS) -Itests/unit -o $@ $< build/libweibao.a $(TEST_LIBS) -lm

build/tests-san/%: tests/unit/%.c $(wildcard tests/unit/*.h) build/libweibao-san.a | build/tests-san
	@echo "  CCLD  $@"; $(CC) $(ALL_CFLAGS) $(SAN) -Itests/unit -o $@ $< build/libweibao-san.a $(TEST_LIBS) -lm

build/obj build/san build/tests build/tests-san:
	@mkdir -p $@

locale: $(MO_FILES)

build/locale/%/LC_MESSAGES/weibao.mo: po/%.po
	@mkdir -p $(@D)
	@echo "  MSGFMT $<"; msgfmt --check-format -o $@ $<

pot:
	xgettext $(XGETTEXT_FLAGS) -o po/weibao.pot $(sort $(wildcard src/*.c include/*.h))
	@for po in $(PO_FILES); do echo "  MSGMERGE $$po"; msgmerge --quiet --update --backup=off $$po po/weibao.pot; done

run: deps weibao
	@[ -f $(DEMO_DB) ] || ./weibao --db $(DEMO_DB) demo
	./weibao --db $(DEMO_DB)

# Every test: unit tests, the same under ASan+UBSan, then the binary driven from the shell and in tmux.
test: deps
	@$(MAKE) --no-print-directory weibao $(UNIT_BIN) $(UNIT_SAN)
	@$(MAKE) --no-print-directory unit unit-san shell-tests fuzz-smoke bench-smoke

unit: $(UNIT_BIN)
	@WB_TEST_ROOT=$(CURDIR) tests/run-unit build/tests

unit-san: $(UNIT_SAN)
	@ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 WB_TEST_ROOT=$(CURDIR) tests/run-unit build/tests-san

shell-tests: weibao
	@tests/run-shell

# Fuzzing mail_parse with libFuzzer (clang 14), seeded from the real-world mail corpus.
# `make fuzz` runs FUZZ_SECONDS (default 300); `make fuzz-smoke` (part of `make test`) runs 30.
FUZZ_CC      ?= clang-14
FUZZ_SECONDS ?= 300
FUZZ_SEEDS   ?= ../shared/mail-corpus
FUZZ_SRCS     = src/mail_parse.c src/mail_charset.c src/mail_html.c src/mail_quote.c src/mail_subject.c \
                src/strbuf.c src/utf8.c src/xmalloc.c src/err.c
FUZZ_FLAGS    = -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all $(CPPFLAGS) \
                $(shell pkg-config --cflags gmime-3.0)

build/fuzz/fuzz_mail_parse: tests/fuzz/fuzz_mail_parse.c $(FUZZ_SRCS) $(HDRS)
	@mkdir -p build/fuzz/corpus
	@echo "  CCLD  $@ (libFuzzer)"; $(FUZZ_CC) $(FUZZ_FLAGS) -o $@ tests/fuzz/fuzz_mail_parse.c $(FUZZ_SRCS) \
	  $(shell pkg-config --libs gmime-3.0)

fuzz: build/fuzz/fuzz_mail_parse
	@mkdir -p build/fuzz/corpus; seeds=""; [ -d $(FUZZ_SEEDS) ] && seeds=$(FUZZ_SEEDS); \
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 build/fuzz/fuzz_mail_parse \
	  -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
	  -artifact_prefix=build/fuzz/ -print_final_stats=0 build/fuzz/corpus $$seeds

fuzz-smoke:
	@mkdir -p build && $(MAKE) --no-print-directory fuzz FUZZ_SECONDS=30 2>build/fuzz-smoke.log \
	  && echo "fuzz-smoke: mail_parse survived 30 s of libFuzzer" \
	  || { tail -40 build/fuzz-smoke.log; echo "fuzz-smoke: FAILED (crash input in build/fuzz/)"; exit 1; }

# The performance benchmark (issue 7; see bench/run): BENCH_TICKETS=N, default 1,000,000.
BENCH_BIN = build/bench/gen build/bench/queries build/bench/floor

bench: weibao $(BENCH_BIN)
	@bench/run

# The benchmark at 20,000 tickets (1 message each, 3 terminal runs; the desk is generated once
# into bench/data/): checks that every figure is produced, not how fast. Part of `make test`.
bench-smoke: weibao $(BENCH_BIN)
	@BENCH_TICKETS=20000 BENCH_MESSAGES=1 BENCH_RUNS=3 BENCH_QUERY_RUNS=10 BENCH_SMOKE=1 bench/run >build/bench/smoke.txt 2>&1 \
	  || { cat build/bench/smoke.txt; exit 1; }; tail -n 1 build/bench/smoke.txt

build/bench/%: bench/%.c build/libweibao.a | build/bench
	@echo "  CCLD  $@"; $(CC) $(ALL_CFLAGS) -o $@ $< build/libweibao.a $(PKG_LIBS) -lm

build/bench:
	@mkdir -p $@

install: weibao locale
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/themes $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/zh_CN/man1
	install -m 755 weibao $(DESTDIR)$(BINDIR)/weibao
	install -m 644 themes/* $(DESTDIR)$(DATADIR)/themes/ 2>/dev/null || true
	for l in docs/templates/*/; do l=$$(basename $$l); \
	  install -d $(DESTDIR)$(DATADIR)/templates/$$l && \
	  install -m 644 docs/templates/$$l/*.txt $(DESTDIR)$(DATADIR)/templates/$$l/ || exit 1; done
	install -m 644 docs/weibao.1 $(DESTDIR)$(MANDIR)/man1/weibao.1
	install -m 644 docs/weibao.zh_CN.1 $(DESTDIR)$(MANDIR)/zh_CN/man1/weibao.1
	@for l in $(PO_LANGS); do \
	  install -d $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES && \
	  install -m 644 build/locale/$$l/LC_MESSAGES/weibao.mo $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/weibao.mo || exit 1; \
	done

clean:
	rm -rf build weibao

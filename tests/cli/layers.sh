#!/bin/sh
# Keeps the layers apart (docs: /work/shared/STYLE.md "Layers you can see from the file names"):
#   - the command line and the console (src/cli*.c, src/ui_*.c) call the domain or the mail layer,
#     never the store: no store_* call and no reaching into a desk's ->store. The store's own types
#     keep their one free function (store_quarantine_list_free, ...), which holds no SQL: allowed;
#   - only the store (src/store*.c and its private header include/store_priv.h) speaks to SQLite;
#   - only src/ui_term.c includes curses, only src/smtp.c includes libesmtp.
# Each breach is printed as file:line: text. Source check only: no binary needed. Exit 0 pass, 1 fail.
top=${WB_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$top" || exit 1
[ -f src/cli.c ] && [ -f src/ui_term.c ] && [ -f src/store.c ] || { echo "FAIL: no sources under $top/src"; exit 1; }

# scan REGEX FILE...: prints file:line: text of each line matching REGEX outside comments
# (and outside what the regex $ALLOW matches, when set)
scan() {
	re=$1; shift
	[ $# -gt 0 ] || return 0
	awk -v re="$re" -v allow="${ALLOW:-}" '
	FNR == 1 { incomment = 0 }
	{
		line = $0; code = ""
		# drop /* ... */ (also across lines) and // comments, keep the rest of the line
		while (line != "") {
			if (incomment) {
				i = index(line, "*/")
				if (!i) { line = ""; break }
				line = substr(line, i + 2); incomment = 0
			} else {
				i = index(line, "/*"); j = index(line, "//")
				if (j && (!i || j < i)) { code = code substr(line, 1, j - 1); line = ""; break }
				if (!i) { code = code line; line = ""; break }
				code = code substr(line, 1, i - 1); line = substr(line, i + 2); incomment = 1
			}
		}
		if (allow != "")
			gsub(allow, "(", code)
		if (code ~ re) printf "%s:%d: %s\n", FILENAME, FNR, $0
	}' "$@"
}

# except PATTERN FILE...: the files whose names do not match the shell PATTERN
except() {
	pat=$1; shift
	for f in "$@"; do
		case $f in $pat) ;; *) [ -f "$f" ] && printf '%s\n' "$f";; esac
	done
}

STORE_CALL='(^|[^A-Za-z0-9_])store_[a-z0-9_]*[ \t]*\('
# every store call but the free functions (a line with both is still caught)
store_calls() { ALLOW='store_[a-z0-9_]*_free[ \t]*\(' scan "$STORE_CALL" "$@"; }
reach_store() { scan '(->|\.)store([^A-Za-z0-9_]|$)' "$@"; }
sqlite_use() { scan 'sqlite3_|sqlite3\.h' "$@"; }
curses_use() { scan '#[ \t]*include[ \t]*[<"]([a-z]+/)?n?curses(w)?\.h' "$@"; }
esmtp_use() { scan '#[ \t]*include[ \t]*[<"]libesmtp\.h' "$@"; }

# check LABEL CMD...: runs a scanner, reports its hits
bad=0
check() {
	label=$1; shift
	out=$("$@")
	if [ -n "$out" ]; then
		echo "FAIL: $label:"
		printf '%s\n' "$out" | sed 's/^/  /'
		bad=1
	fi
}

# The checker itself must catch each kind of breach (a test that cannot fail proves nothing).
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/cli_x.c" <<'EOF'
/* store_begin(d->store) in a comment is fine */
static int f(struct desk *d) { return store_ticket_get(d->store, 1, NULL, NULL); }
static void g(struct quarantined *q) { store_quarantine_list_free(&q, 0); } // store_x( here too
static void h(void) { restore_signals(); }
#include <ncursesw/curses.h>
#include <libesmtp.h>
static int k(sqlite3_stmt *st);
EOF
got=$(store_calls "$tmp/cli_x.c" | cut -d: -f2 | tr '\n' ' ')
[ "$got" = "2 " ] || { echo "FAIL: the store-call check found lines '$got' in its sample, want '2 '"; exit 1; }
got=$(reach_store "$tmp/cli_x.c" | cut -d: -f2 | tr '\n' ' ')
[ "$got" = "2 " ] || { echo "FAIL: the ->store check found lines '$got' in its sample, want '2 '"; exit 1; }
[ "$(curses_use "$tmp/cli_x.c" | cut -d: -f2)" = 5 ] || { echo "FAIL: the curses check missed its sample"; exit 1; }
[ "$(esmtp_use "$tmp/cli_x.c" | cut -d: -f2)" = 6 ] || { echo "FAIL: the libesmtp check missed its sample"; exit 1; }
[ "$(sqlite_use "$tmp/cli_x.c" | cut -d: -f2)" = 7 ] || { echo "FAIL: the sqlite check missed its sample"; exit 1; }

top_files=$(ls src/cli*.c src/ui_*.c)
# shellcheck disable=SC2086
check "the command line or the console calls the store (use a domain or mail function)" store_calls $top_files
# shellcheck disable=SC2086
check "the command line or the console reaches into the desk's store" reach_store $top_files
# shellcheck disable=SC2046
check "SQLite outside the store (src/store*.c)" sqlite_use $(except 'src/store*.c' src/*.c include/*.h | grep -vx include/store_priv.h)
# shellcheck disable=SC2046
check "curses outside src/ui_term.c" curses_use $(except src/ui_term.c src/*.c include/*.h)
# shellcheck disable=SC2046
check "libesmtp outside src/smtp.c" esmtp_use $(except src/smtp.c src/*.c include/*.h)
[ $bad = 0 ] || exit 1
echo ok

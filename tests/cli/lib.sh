# Shared helpers for the shell tests (sourced, not run). Each test gets its own folder and database.
set -u
WEIBAO=${WEIBAO:-$(cd "$(dirname "$0")/../.." && pwd)/weibao}
T=$(mktemp -d "${TMPDIR:-/tmp}/wbcli.XXXXXX")
trap 'rm -rf "$T"' EXIT
export WEIBAO_CONFIG="$T/config" XDG_DATA_HOME="$T/data" WEIBAO_USER=tester LANG=C.UTF-8 LC_ALL=C.UTF-8
unset WEIBAO_DB LANGUAGE
: >"$WEIBAO_CONFIG"
DB="$T/desk.db"
wb() { "$WEIBAO" --db "$DB" "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
# expect_exit CODE CMD...: runs CMD, keeps stderr in $T/err, checks the exit status
expect_exit() {
	want=$1; shift
	"$@" >"$T/out" 2>"$T/err"; got=$?
	[ "$got" = "$want" ] || fail "'$*' exited $got, want $want; stderr: $(cat "$T/err")"
}
# expect_err TEXT: the last stderr is one line and contains TEXT
expect_err() {
	[ "$(wc -l <"$T/err")" -eq 1 ] || fail "error is not one line: $(cat "$T/err")"
	grep -qF -- "$1" "$T/err" || fail "error '$(cat "$T/err")' does not mention '$1'"
}

#!/bin/sh
# The reopen figure counts tickets, as its drill-down list shows them: a ticket reopened twice in
# the period counts once. Two tickets: #1 resolved and reopened twice, #2 once -> reopened 2.
set -u
W=${WEIBAO:?}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export WEIBAO_CONFIG=/dev/null WEIBAO_DB="$tmp/desk.db" WEIBAO_USER=admin WEIBAO_NOW=2026-11-02T10:00:00Z
fail() { echo "FAIL: $*"; exit 1; }
run() { "$W" "$@" >/dev/null || fail "weibao $*"; }
a=$("$W" ticket new --subject "登录失败" --requester a@example.cn) || fail "new a"
b=$("$W" ticket new --subject "导出报表出错" --requester b@example.cn) || fail "new b"
run ticket set "$a" --status in_progress
run ticket set "$b" --status in_progress
for i in 1 2; do run ticket resolve "$a"; run ticket reopen "$a"; done
run ticket resolve "$b"; run ticket reopen "$b"; run ticket resolve "$b"
n=$("$W" report --period 2026-11 --format json | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["reopened"])') ||
	fail "report"
[ "$n" = 2 ] || fail "reopened $n, want 2 tickets (3 reopen events)"
echo ok

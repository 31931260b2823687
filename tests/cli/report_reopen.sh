#!/bin/sh
# The reopen figure counts tickets, as its drill-down list shows them: a ticket reopened twice in
# the period counts once. The rate is the share of the tickets resolved in the period that were
# reopened, so it never passes 100%. #1 resolved and reopened twice (open now), #2 reopened once and
# resolved again, #3 resolved: reopened 2 of 3 resolved = 66.7% (closed now: 2).
set -u
W=${WEIBAO:?}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export WEIBAO_CONFIG=/dev/null WEIBAO_DB="$tmp/desk.db" WEIBAO_USER=admin WEIBAO_NOW=2026-11-02T10:00:00Z
fail() { echo "FAIL: $*"; exit 1; }
run() { "$W" "$@" >/dev/null || fail "weibao $*"; }
a=$("$W" ticket new --subject "登录失败" --requester a@example.cn) || fail "new a"
b=$("$W" ticket new --subject "导出报表出错" --requester b@example.cn) || fail "new b"
c=$("$W" ticket new --subject "备份检查" --requester c@example.cn) || fail "new c"
for t in "$a" "$b" "$c"; do run ticket set "$t" --status in_progress; done
for i in 1 2; do run ticket resolve "$a"; run ticket reopen "$a"; done
run ticket resolve "$b"; run ticket reopen "$b"; run ticket resolve "$b"
run ticket resolve "$c"
got=$("$W" report --period 2026-11 --format json |
	/usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["reopened"], d["reopen_rate_pct"], d["closed"])') ||
	fail "report"
[ "$got" = "2 66.7 2" ] || fail "reopened, rate, closed: $got, want 2 tickets (3 reopen events), 66.7% of 3 resolved, 2 closed"
echo ok

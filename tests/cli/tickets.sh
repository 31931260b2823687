# The command line drives the whole ticket life: create, list, take, reply, resolve, search.
. "$(dirname "$0")/lib.sh"
export WEIBAO_NOW=2026-11-25T02:00:00Z
expect_exit 0 wb org add 华信银行 --domain huaxin-bank.cn --sla premium
id=$(wb ticket new --subject "网上银行登录报错 500" --requester Zhang.Wei@Huaxin-Bank.cn --priority P1 --kind bug --body "今天早上开始无法登录") || fail "ticket new"
[ "$id" = 1 ] || fail "first ticket id is $id"
wb ticket list >"$T/list"
grep -q "网上银行登录报错 500" "$T/list" || fail "list does not show the ticket"
# the requester was matched to the organisation by mail domain; premium P1 is a 24x7 15-minute response
wb ticket show 1 --json >"$T/show.json"
/usr/bin/python3 - "$T/show.json" <<'PY' || fail "show --json"
import json, sys
t = json.load(open(sys.argv[1]))
assert t["organisation"] == "华信银行", t
assert t["requester_email"] == "zhang.wei@huaxin-bank.cn", t
assert t["response_due"] == "2026-11-25T02:15:00Z", t["response_due"]
assert t["status"] == "new" and t["priority"] == "P1"
PY
expect_exit 0 wb ticket take 1
expect_exit 1 wb ticket resolve 1
expect_err "allowed: triaged, in_progress, closed"
expect_exit 0 wb ticket set 1 --status in_progress
echo "已修复，请验证。" | wb ticket reply 1 --body-file - --minutes 30 || fail "reply"
expect_exit 0 wb ticket set 1 --status resolved --fixed 5.0.5
wb ticket show 1 >"$T/show"
grep -q "已修复，请验证。" "$T/show" || fail "reply not shown"
grep -q "Time worked *30m" "$T/show" || fail "minutes not summed: $(grep -i worked "$T/show")"
grep -q "Fixed in *5.0.5" "$T/show" || fail "fixed-in version not shown"
# resolved tickets leave the open list but stay in --status all
wb ticket list --json >"$T/open.json"
[ "$(cat "$T/open.json")" = "[]" ] || fail "resolved ticket still listed as open"
wb ticket list --status all --csv | grep -q '^1,P1,resolved,bug,' || fail "csv"
wb ticket search 登录 | grep -q "网上银行" || fail "search Chinese substring"
wb ticket search 验证 | grep -q "网上银行" || fail "search in the reply body"
expect_exit 1 wb ticket show 99
expect_err "no ticket #99"
expect_exit 2 wb ticket show abc
expect_err "'abc' is not a ticket number"
echo ok

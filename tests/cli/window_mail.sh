# An announced maintenance window queues one notice per affected contact through the outbox,
# ahead of time and again when it closes, never twice; the mail goes out with `outbox send`.
. "$(dirname "$0")/lib.sh"
export WEIBAO_NOW=2026-11-25T02:00:00Z
wb org add 华信银行 --domain huaxin-bank.cn >/dev/null || fail "org"
wb system add 网上银行 --org 华信银行 >/dev/null || fail "system"
wb contact add 张伟 --email zhang.wei@huaxin-bank.cn --org 华信银行 >/dev/null || fail "contact"
wb contact add 王芳 --email wang.fang@huaxin-bank.cn --org 华信银行 >/dev/null || fail "contact"
wb contact add 李娜 --phone "+86 137 2222 3333" --org 华信银行 >/dev/null || fail "contact without mail"
wb window add --system 网上银行 --start 2026-11-26T22:00 --end 2026-11-26T23:30 --title "数据库升级" --lead 48 --announce >/dev/null \
	|| fail "window add"
said=$(wb window notify) || fail "notify"
echo "$said" | grep -q "2" || fail "window notify said '$said', want 2 notices (李娜 has no mail address)"
echo "$said" | grep -q "3" && fail "window notify counted the contact without mail: '$said'"
n=$(wb outbox list --json | /usr/bin/python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
[ "$n" = 2 ] || fail "$n notices queued ahead of the window, want 2 (one per contact with mail)"
wb window notify >/dev/null || fail "notify again"
n=$(wb outbox list --json | /usr/bin/python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
[ "$n" = 2 ] || fail "a second run queued again ($n)"
# after the window closes, the closing notice
WEIBAO_NOW=2026-11-26T16:00:00Z wb window notify >/dev/null || fail "notify after"
n=$(wb outbox list --json | /usr/bin/python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
[ "$n" = 4 ] || fail "$n notices after the window closed, want 4"
mkdir "$T/out"; WEIBAO_NOW=2026-11-26T16:00:00Z wb outbox send --to-dir "$T/out" >/dev/null || fail "send to dir"
[ "$(ls "$T/out" | wc -l)" = 4 ] || fail "$(ls "$T/out" | wc -l) files written"
grep -l "zhang.wei@huaxin-bank.cn" "$T/out"/* >/dev/null || fail "no notice to 张伟"
echo ok

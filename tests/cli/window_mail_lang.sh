# Maintenance notices are written for each contact: in the contact's language (else the desk's) and
# with the times on the contact's wall clock (else its organisation's), whatever language the process
# that queues them speaks. Expected local times are worked out by hand below, not asked of weibao.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
[ -x "$PY" ] || { echo "no /usr/bin/python3 to read the mails"; exit 77; }
top=${WB_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
export WEIBAO_LOCALEDIR="$top/build/locale"
[ -f "$WEIBAO_LOCALEDIR/zh_CN/LC_MESSAGES/weibao.mo" ] || fail "no catalogue in $WEIBAO_LOCALEDIR (make)"
# the desk (and so this process) speaks Chinese and lives in Shanghai
printf '[desk]\nname = 维保服务台\nlanguage = zh_CN\ntimezone = Asia/Shanghai\n' >"$WEIBAO_CONFIG"
export WEIBAO_NOW=2026-11-25T02:00:00Z
wb org add 华信银行 --domain huaxin-bank.cn --timezone Asia/Tokyo >/dev/null || fail "org"
wb system add 网上银行 --org 华信银行 >/dev/null || fail "system"
wb contact add 张伟 --email zhang.wei@huaxin-bank.cn --org 华信银行 --language zh_CN --timezone Asia/Shanghai >/dev/null \
	|| fail "contact zh"
wb contact add "Anna Weber" --email anna.weber@huaxin-bank.cn --org 华信银行 --language en --timezone Europe/Berlin \
	>/dev/null || fail "contact en"
# no language, no zone: the desk's language, the organisation's zone
wb contact add 李娜 --email li.na@huaxin-bank.cn --org 华信银行 >/dev/null || fail "contact without preferences"

# 2026-11-26 20:00-22:30 UTC (a Thursday evening in UTC):
#   Asia/Shanghai (UTC+8, no DST):  Fri 2026-11-27 04:00 - 06:30
#   Europe/Berlin (CET, UTC+1):     Thu 2026-11-26 21:00 - 23:30
#   Asia/Tokyo    (UTC+9, no DST):  Fri 2026-11-27 05:00 - 07:30
wb window add --system 网上银行 --start 2026-11-26T20:00Z --end 2026-11-26T22:30Z --title 数据库升级 \
	--description "核心库迁移到新服务器" --lead 48 --announce >/dev/null || fail "window add"
out=$(wb window notify) || fail "notify"
# the process still speaks its own language after writing mail in another
[ "$out" = "已将 3 条通知放入发件队列" ] || fail "notify printed '$out', want the desk's Chinese"

# send-dir -> one file per recipient: NAME.txt holding "Subject: ...", a blank line, the decoded body
unpack() {
	mkdir "$T/$1" "$T/$1.txt" || exit 1
	wb outbox send --to-dir "$T/$1" >/dev/null || fail "outbox send ($1)"
	"$PY" - "$T/$1" "$T/$1.txt" <<'PYEOF' || fail "cannot read the mails in $1"
import email, os, sys
from email import policy
src, dst = sys.argv[1], sys.argv[2]
for f in sorted(os.listdir(src)):
    m = email.message_from_binary_file(open(os.path.join(src, f), "rb"), policy=policy.default)
    who = m["To"].addresses[0].addr_spec.split("@")[0]
    with open(os.path.join(dst, who + ".txt"), "w", encoding="utf-8") as o:
        o.write("Subject: %s\n\n%s" % (m["Subject"], m.get_body(("plain",)).get_content()))
PYEOF
	[ "$(ls "$T/$1.txt" | wc -l)" = 3 ] || fail "$1: $(ls "$T/$1.txt" | wc -l) recipients, want 3"
}
# has FILE TEXT...: every TEXT is in FILE; lacks FILE TEXT...: none is
has() { f=$1; shift; for s in "$@"; do grep -qF -- "$s" "$f" || fail "$(basename "$f") lacks '$s':
$(cat "$f")"; done; }
lacks() { f=$1; shift; for s in "$@"; do ! grep -qF -- "$s" "$f" || fail "$(basename "$f") has '$s':
$(cat "$f")"; done; }

unpack ahead
a=$T/ahead.txt
has "$a/zhang.wei.txt" "Subject: 计划维护通知：数据库升级（2026年11月27日 周五 04:00）" "张伟，您好" \
	"开始：2026年11月27日 周五 04:00" "结束：2026年11月27日 周五 06:30" "Asia/Shanghai" "核心库迁移到新服务器"
lacks "$a/zhang.wei.txt" "Planned" "21:00" "05:00" "Europe/Berlin" "Asia/Tokyo"
has "$a/anna.weber.txt" "Subject: Planned maintenance: 数据库升级 (Thu 26 Nov 2026 21:00)" "Dear Anna Weber" \
	"Start: Thu 26 Nov 2026 21:00" "End:   Thu 26 Nov 2026 23:30" "Europe/Berlin" "核心库迁移到新服务器"
lacks "$a/anna.weber.txt" "计划维护" "您好" "周" "年" "04:00" "Asia/"
has "$a/li.na.txt" "Subject: 计划维护通知：数据库升级（2026年11月27日 周五 05:00）" \
	"开始：2026年11月27日 周五 05:00" "结束：2026年11月27日 周五 07:30" "Asia/Tokyo"
lacks "$a/li.na.txt" "Planned" "04:00" "Asia/Shanghai"

# after the window, the closing notice, the same way
export WEIBAO_NOW=2026-11-26T23:00:00Z
out=$(wb window notify) || fail "notify after"
[ "$out" = "已将 3 条通知放入发件队列" ] || fail "notify after printed '$out'"
unpack closed
c=$T/closed.txt
has "$c/zhang.wei.txt" "Subject: 维护已完成：数据库升级" "已于2026年11月27日 周五 06:30结束" "Asia/Shanghai"
has "$c/anna.weber.txt" "Subject: Maintenance finished: 数据库升级" "(Thu 26 Nov 2026 23:30, times in Europe/Berlin"
lacks "$c/anna.weber.txt" "维护已完成" "周"
has "$c/li.na.txt" "Subject: 维护已完成：数据库升级" "2026年11月27日 周五 07:30" "Asia/Tokyo"

# a plan that notifies contacts: Saturday 22:00-00:00 in Shanghai = 2026-11-28 14:00-16:00 UTC
#   Asia/Shanghai: Sat 2026-11-28 22:00 - Sun 2026-11-29 00:00
#   Europe/Berlin: Sat 2026-11-28 15:00 - 17:00
#   Asia/Tokyo:    Sat 2026-11-28 23:00 - Sun 2026-11-29 01:00
wb plan add --name 安全更新 --system 网上银行 --kind security_update --rule "FREQ=WEEKLY;BYDAY=SA" \
	--start 2026-11-28T22:00 --tz Asia/Shanghai --duration 120 --lead 96 --notify contacts >/dev/null || fail "plan add"
wb calendar generate --days 7 >/dev/null || fail "generate"
unpack plan
p=$T/plan.txt
has "$p/zhang.wei.txt" "Subject: 计划维护通知：安全更新（2026年11月28日 周六 22:00）" "内容：安全更新（安全更新）" \
	"结束：2026年11月29日 周日 00:00"
has "$p/anna.weber.txt" "Subject: Planned maintenance: 安全更新 (Sat 28 Nov 2026 15:00)" \
	"What:  安全更新 (security update)" "End:   Sat 28 Nov 2026 17:00" "Europe/Berlin"
has "$p/li.na.txt" "开始：2026年11月28日 周六 23:00" "结束：2026年11月29日 周日 01:00" "Asia/Tokyo"
echo ok

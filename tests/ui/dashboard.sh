# The evaluation dashboard: D opens it on this month with figures in aligned blocks and block-character
# charts; [ ] and w/m/q switch the period; Enter on a figure shows exactly the tickets behind it (the bottom
# line names the narrowing, Esc goes back); :dashboard PERIOD opens a given period; without a UTF-8 locale
# the charts are ASCII.
. "$(dirname "$0")/tmux.inc"
wb demo --tickets 60 >/dev/null || fail "demo"
month=$(date +%Y-%m)

start 80 24
wait_for "Welcome"
send D
wait_for " Dashboard · $month"
wait_for "Opened / closed"
wait_for "response SLA"
grep -q '[▁▂▃▄▅▆▇█▏▎▍▌▋▊▉]' "$T/screen" || fail "no block character on the dashboard"
# the live breached figure (the last line of the right-hand block)
breached=$(sed -n 's/.* breached  *\([0-9][0-9]*\) *$/\1/p' "$T/screen" | tail -1)
[ -n "$breached" ] || fail "no breached figure"

# a ticket opened elsewhere shows without a key: the report is built again when the data moves
bugs=$(sed -n 's/^ bug  *\([0-9][0-9]*\) \/ .*/\1/p' "$T/screen")
[ -n "$bugs" ] || fail "no bug row"
wb ticket new --subject "dashboard zq9" --requester ops@example.com --kind bug >/dev/null || fail "ticket new"
i=0
while [ $i -lt 100 ]; do
	screen
	[ "$(sed -n 's/^ bug  *\([0-9][0-9]*\) \/ .*/\1/p' "$T/screen")" = $((bugs + 1)) ] && break
	sleep 0.05; i=$((i + 1))
done
[ $i -lt 100 ] || fail "the new bug did not show on the dashboard (was $bugs)"

# the previous month and back, then a quarter, a week, and the month again
send "["
wait_for " Dashboard · $(date -d "$(date +%Y-%m-15) -1 month" +%Y-%m) "
send "]"
wait_for " Dashboard · $month "
send q
wait_for " Dashboard · $(date +%Y)Q$(( ($(date +%-m) + 2) / 3 )) "
wait_for "quarter · as of"
send w
wait_for " Dashboard · $(date +%G-W%V) "
send m
wait_for " Dashboard · $month "

# the help screen lists the dashboard's keys from the key table
send "?"
wait_for "Evaluation dashboard"
send G
wait_for "Show a quarter"
send Escape
wait_for " Dashboard · $month "

# a channel figure: Enter lists exactly the tickets opened this month by web, the bottom line says
# so, and Esc comes back to the dashboard
first=$(sed -n "s/^ Dashboard · $month · \([0-9-]*\) to \([0-9-]*\) .*/\1/p" "$T/screen")
last=$(sed -n "s/^ Dashboard · $month · \([0-9-]*\) to \([0-9-]*\) .*/\2/p" "$T/screen")
web=$(sed -n 's/^ web  *\([0-9][0-9]*\) \/ .*/\1/p' "$T/screen")
[ -n "$first" ] && [ -n "$web" ] || fail "no period or web figure"
send j j j j j j j Enter
wait_gone " Dashboard ·"
wait_for "opened $first–$last · web · Esc: dashboard"
rows=$(grep -c " P[1-4] " "$T/screen")
[ "$web" -gt 18 ] || [ "$rows" = "$web" ] || fail "the web list has $rows tickets, the dashboard said $web"
send Escape
wait_for " Dashboard · $month "
# drill down: G is the last figure (breached now); Enter shows that list, with as many tickets
send G Enter
wait_gone " Dashboard ·"
wait_for " Breached "
wait_for "breached $breached "
rows=$(grep -c " P[1-4] " "$T/screen")
[ "$rows" -gt 0 ] || [ "$breached" = 0 ] || fail "the Breached list is empty, the dashboard said $breached"

# :dashboard with a period; Esc goes back to the list
type_text ":dashboard 2026Q1"
send Enter
wait_for " Dashboard · 2026Q1 · 2026-01-01 to 2026-03-31"
send Escape
wait_gone " Dashboard ·"
# a period it cannot read is named, and this month shows instead
type_text ":dashboard 2026-13"
send Enter
wait_for "2026-13"
wait_for " Dashboard · $month "
send Escape
wait_gone " Dashboard ·"
type_text ":dashboard 2026Q1"
send Enter
wait_for " Dashboard · 2026Q1 "
send "]" Escape
wait_gone " Dashboard ·"
# D comes back to the period shown last
send D
wait_for " Dashboard · 2026Q2 · 2026-04-01 to 2026-06-30"
send Escape q
[ "$(wait_exit)" = 0 ] || fail "exit status"

# a hand-made desk in Asia/Shanghai (UTC+8): October's phone figure lists exactly its three tickets,
# whatever their status, and none from the edges of the month (see tests/cli/ticket_period.sh)
DB="$T/drill.db"
printf '[desk]\ntimezone = Asia/Shanghai\n' >"$WEIBAO_CONFIG"
new() { WEIBAO_NOW=$1 wb ticket new --subject "$2" --kind question --channel "$3" --requester c@example.com \
	>/dev/null || fail "new $2"; }
new 2026-09-30T16:30:00Z "drill one" phone
new 2026-10-31T15:59:00Z "drill two" phone
new 2026-10-31T16:00:00Z "drill three" phone
new 2026-10-10T02:00:00Z "drill four" email
new 2026-10-12T02:00:00Z "drill five" phone
WEIBAO_NOW=2026-10-13T01:00:00Z wb ticket set 5 --status in_progress >/dev/null || fail "in progress"
WEIBAO_NOW=2026-10-13T01:00:00Z wb ticket set 5 --status resolved >/dev/null || fail "resolve"
start 80 24 WEIBAO_NOW=2026-11-20T04:00:00Z
wait_for "drill"
type_text ":dashboard 2026-10"
send Enter
wait_for " Dashboard · 2026-10 · 2026-10-01 to 2026-10-31"
grep -q "^ phone  *3 / 1 " "$T/screen" || fail "October's phone figure is not 3 opened, 1 closed"
send j j j j j j Enter
wait_for "opened 2026-10-01–2026-10-31 · phone · Esc: dashboard"
for s in "drill one" "drill two" "drill five"; do grep -q "$s" "$T/screen" || fail "'$s' is not listed"; done
grep -q "drill three\|drill four" "$T/screen" && fail "a ticket from outside the figure is listed"
[ "$(grep -c " P[1-4] " "$T/screen")" = 3 ] || fail "the phone list does not hold 3 tickets"
# back to the dashboard, then on to the closed figure (day by day): the resolved ticket only
send Escape
wait_for " Dashboard · 2026-10 "
send j j j j j j j j j j Enter
wait_for "resolved or closed 2026-10-01–2026-10-31 · Esc: dashboard"
grep -q "drill five" "$T/screen" || fail "the resolved ticket is not listed"
[ "$(grep -c " P[1-4] " "$T/screen")" = 1 ] || fail "the closed list does not hold 1 ticket"
send Escape
wait_for " Dashboard · 2026-10 "
# Esc on the dashboard goes to the list; q there quits as usual
send Escape
wait_gone " Dashboard ·"
send q
[ "$(wait_exit)" = 0 ] || fail "exit status"
: >"$WEIBAO_CONFIG"
DB="$T/desk.db"

# no UTF-8: the bars are ASCII and no block character shows
start 80 24 LC_ALL=C LANG=C
wait_for "Welcome"
send D
wait_for " Dashboard - $month - "
grep -q ' #' "$T/screen" || fail "no ASCII bar"
grep -q '[▁▂▃▄▅▆▇█▏▎▍▌▋▊▉]' "$T/screen" && fail "block characters in the C locale"
send Escape q
[ "$(wait_exit)" = 0 ] || fail "exit status"

# Chinese labels (a translation made here) are cut by display width: the figures stay in their columns
command -v msgfmt >/dev/null 2>&1 || exit 0
mkdir -p "$T/locale/zh_CN/LC_MESSAGES"
cat >"$T/zh.po" <<'PO'
msgid ""
msgstr "Content-Type: text/plain; charset=UTF-8\n"

msgid "bug"
msgstr "缺陷"

msgid "security update"
msgstr "安全更新（补丁与升级，计划内）"

msgid "Opened / closed"
msgstr "新建 / 关闭"

msgid "Response and resolution"
msgstr "响应与解决时间"
PO
msgfmt -o "$T/locale/zh_CN/LC_MESSAGES/weibao.mo" "$T/zh.po" || fail "msgfmt"
start 80 24 LANGUAGE=zh_CN WEIBAO_LOCALEDIR="$T/locale"
wait_for "Welcome"
send D
wait_for "响应与解决时间"
# the screen may still be drawing when the heading appears: look again for a moment
aligned=0
tries=0
while [ $aligned = 0 ] && [ $tries -lt 30 ]; do
	screen
	/usr/bin/python3 - "$T/screen" <<-'PY' 2>"$T/align.err" && aligned=1
	import sys, unicodedata
	def col(line, sub):
	    i = line.index(sub)
	    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line[:i])
	rows = open(sys.argv[1], encoding="utf-8").read().split("\n")
	def row(prefix):
	    return next(r for r in rows if r.startswith(prefix))
	want = col(row(" feature request"), " / ")
	for p in (" 缺陷", " 安全更新", " support question"):
	    got = col(row(p), " / ")
	    if got != want:
	        sys.exit("%s: ' / ' at column %d, want %d" % (p, got, want))
	if col(row("新建 / 关闭"), "响应与解决时间") != 40:
	    sys.exit("the right-hand block does not start at column 40")
	PY
	tries=$((tries + 1))
	[ $aligned = 1 ] || sleep 0.1
done
[ $aligned = 1 ] || fail "Chinese labels moved the figures: $(tail -1 "$T/align.err")"
send Escape q
[ "$(wait_exit)" = 0 ] || fail "exit status"
exit 0

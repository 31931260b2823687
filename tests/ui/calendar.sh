# The month view (key C): a known plan shows on its days with its status, months move, Enter lists a
# day and opens its task.
. "$(dirname "$0")/tmux.inc"
export WEIBAO_NOW=2026-11-25T01:00:00Z   # Wednesday 09:00 in Shanghai
wb org add Acme --timezone Asia/Shanghai >/dev/null || fail "org"
wb system add erp --org Acme >/dev/null || fail "system"
wb plan add --name "daily inspection" --system erp --rule "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR" \
	--start 2026-11-23T09:00 --duration 30 --checklist "disk|logs" >/dev/null || fail "plan"
wb plan add --name "patch day" --kind security_update --system erp --rule "FREQ=MONTHLY;BYDAY=2TU" \
	--start 2026-11-01T22:00 >/dev/null || fail "plan 2"
wb calendar generate --days 2 >/dev/null || fail "generate"   # tasks #1 (25th) and #2 (26th)
wb window add --system erp --start "2026-11-28 22:00" --end "2026-11-29 02:00" --title "ERP upgrade" >/dev/null \
	|| fail "window"

start 100 30 WEIBAO_NOW=2026-11-25T01:00:00Z
wait_for "tester"
send C
wait_for "Maintenance calendar  2026-11"
wait_for "today: 1 open, 0 missed"
# the 25th: one open task; the 28th and 29th: the window
grep -q "^23 .*25 .*28 1W *29 1W" "$T/screen" || fail "week of the 23rd not as expected"
grep -q " 1o  *1o  *1\." "$T/screen" || fail "25th open, 26th open, 27th planned not shown"
grep -q "09:00-09:30  open     daily inspection  erp  #1" "$T/screen" || fail "today's task not listed"
# next month: the second Tuesday (8 December) has both plans
send PageDown
wait_for "2026-12"
send Up Up Left Left Left        # 25 Dec - 14 - 3 days
wait_for " 2026-12-08"
wait_for "22:00-23:00  planned  patch day"
wait_for "09:00-09:30  planned  daily inspection"
# back to today; the week view lists each day's tasks and windows in its own column
send t
wait_for " 2026-11-25"
send w
wait_for "Mon 11-23"
wait_for "Sat 11-28"
grep -q "09:00 daily … 22:00 ERP up" "$T/screen" || fail "the week view does not show the window on Saturday"
[ "$(grep -o '09:00 daily' "$T/screen" | wc -l)" = 3 ] || fail "the week view does not show Wednesday to Friday's inspections"
send w
wait_gone "Mon 11-23"
# a plan made from the console shows up at once, with its tasks generated
send a
wait_for "New maintenance plan"
type_text "backup check"
send Tab Tab
type_text "erp"
send Tab Tab Tab Tab          # owner, how often (every workday), rule, to the start
send BSpace BSpace BSpace BSpace BSpace
type_text "10:00"
send Tab Tab Tab Tab Tab Tab  # duration, zone, exceptions, lead, notify, to the checklist
type_text "backup ran"
send Enter
type_text "restore tested"
send C-x
wait_for " 2o "
wb plan list | grep -q "backup check" || fail "the plan made in the console was not stored"
send Enter Enter
wait_for "#1  daily inspection 2026-11-25"
send q q
[ "$(wait_exit)" = 0 ] || fail "exit status"

# The calendar's agenda (C, then A): what is coming from the selected day, one heading a day in date
# order with its tasks and windows under it; a task over and not done shows as missed; j then Enter
# opens the second task; PgDn reads further ahead; A goes back to the month grid.
. "$(dirname "$0")/tmux.inc"
T0=2026-11-24T16:00:00Z                  # Wednesday 25th, 00:00 in Shanghai
wb org add Acme --timezone Asia/Shanghai >/dev/null || fail "org"
wb system add erp --org Acme >/dev/null || fail "system"
wb system add db --org Acme >/dev/null || fail "system db"
WEIBAO_NOW=$T0 wb plan add --name "daily inspection" --system erp --rule "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR" \
	--start 2026-11-23T09:00 --duration 30 --checklist "disk|logs" >/dev/null || fail "plan"
WEIBAO_NOW=$T0 wb plan add --name "backup check" --kind backup_check --system db --rule "FREQ=WEEKLY;BYDAY=TH" \
	--start 2026-11-01T08:00 --duration 30 --checklist "restore tested" >/dev/null || fail "plan 2"
WEIBAO_NOW=$T0 wb calendar generate --days 3 >/dev/null || fail "generate"   # the 25th to the 27th
# Friday's inspection done early: both items ticked
fri=$(WEIBAO_NOW=$T0 wb calendar --from 2026-11-27 --to 2026-11-28 | sed -n 's/.*daily inspection .* #\([0-9]*\)$/\1/p')
[ -n "$fri" ] || fail "no task for Friday's inspection"
WEIBAO_NOW=$T0 wb plan done "$fri" 1 --result ok >/dev/null && WEIBAO_NOW=$T0 wb plan done "$fri" 2 --result ok >/dev/null \
	|| fail "ticking Friday's checklist"
WEIBAO_NOW=$T0 wb window add --system erp --start "2026-11-28 22:00" --end "2026-11-29 02:00" \
	--title "ERP upgrade" >/dev/null || fail "window"

# 10:00 in Shanghai on the 25th: that morning's inspection (09:00-09:30) is over and not done
start 80 24 WEIBAO_NOW=2026-11-25T02:00:00Z TERM=xterm-256color
wait_for "tester"
send C
wait_for "Maintenance calendar  2026-11"
send A
wait_for "agenda from Wed 25 Nov 2026"
wait_for "Sat 28 Nov 2026"
# headings in date order, each day's lines under it in time order
grep -n "" "$T/screen" | sed -n 's/^\([0-9]*\): \(... [0-9]* ... 2026\).*/\1 \2/p' >"$T/heads"
[ "$(cut -d' ' -f2- "$T/heads" | head -5 | tr '\n' ',')" = \
	"Wed 25 Nov 2026,Thu 26 Nov 2026,Fri 27 Nov 2026,Sat 28 Nov 2026,Mon 30 Nov 2026," ] \
	|| fail "the first five days with anything planned are not listed in date order: $(cat "$T/heads")"
sed -n '/^ Wed 25 Nov 2026  today/,/^ Mon 30 Nov 2026/p' "$T/screen" >"$T/days"
grep -v "^ ... [0-9]* Nov 2026" "$T/days" | sed 's/ *$//' >"$T/items"
sed -n 1p "$T/items" | grep -q "^   09:00-09:30  inspection  *erp  *daily inspection  #[0-9]*  *missed$" \
	|| fail "the 25th's inspection, over and not done, does not show as missed"
sed -n 2p "$T/items" | grep -q "^   08:00-08:30  backup check  *db  *backup check  #[0-9]*  *open$" \
	|| fail "Thursday's backup check is not the second line"
sed -n 3p "$T/items" | grep -q "^   09:00-09:30  inspection  *erp  *daily inspection  #[0-9]*  *open$" \
	|| fail "Thursday's inspection does not follow its backup check"
sed -n 4p "$T/items" | grep -q "^   09:00-09:30  inspection  *erp  *daily inspection  #$fri  *done$" \
	|| fail "Friday's inspection is not listed as done"
sed -n 5p "$T/items" | grep -q "^   22:00-11-29 02:00  window  *erp  *ERP upgrade$" \
	|| fail "Saturday's window is not listed"
sed -n '/^ Mon 30 Nov 2026/{n;p;}' "$T/screen" | grep -q "09:00-09:30  inspection .*daily inspection .*planned" \
	|| fail "Monday's inspection (not generated yet) is not listed as planned"
# every heading on the screen: a later day than the one above it (no day twice)
cut -d' ' -f3- "$T/heads" | while read -r d; do date -u -d "$d" +%F; done >"$T/iso"
[ "$(grep -c "" "$T/iso")" -ge 8 ] || fail "fewer day headings than the screen has room for: $(cat "$T/heads")"
sort -u "$T/iso" | cmp -s - "$T/iso" || fail "the days are not in date order: $(cat "$T/heads")"
# the missed line is drawn in the missed colour (the default theme's sla_breached: bright red), not the open one's
j_line=$(grep -n "daily inspection  #" "$T/screen" | head -1 | cut -d: -f1)
send j
wait_match "08:00-08:30  backup check"
tmux -S "$SOCK" capture-pane -p -e | sed -n "${j_line}p" >"$T/esc"
grep -q '91m\|38;5;9m\|38;5;196m' "$T/esc" || fail "the missed line is not in the missed colour: $(cat -v "$T/esc")"
# Enter on the second line (the selection moved there) opens Thursday's backup check
send Enter
wait_for "backup check 2026-11-26"
grep -q "agenda from" "$T/screen" && fail "the agenda is still shown over the ticket"
send q
wait_for "tester"
# PgDn moves a screen and the agenda reads on past its first fortnight; A goes back to the grid
send C
wait_for "Maintenance calendar  2026-11"
send A
wait_for "agenda from Wed 25 Nov 2026"
send PageDown PageDown PageDown
wait_match "^ ... [0-9]+ (Dec 2026|Jan 2027)"
grep -q "^ Wed 25 Nov 2026" "$T/screen" && fail "PgDn did not move a screen"
grep -q "^ ... [0-9]* Jan 2027" "$T/screen" || fail "three screens ahead should reach January: the agenda did not read on"
send PageUp PageUp PageUp
wait_for " Wed 25 Nov 2026  today"
send A
wait_gone "agenda from"
wait_for " 2026-11-25"
grep -q "^Mon  *Tue  *Wed  *Thu  *Fri  *Sat  *Sun" "$T/screen" || fail "A did not go back to the month grid"
send q q
[ "$(wait_exit)" = 0 ] || fail "exit status"

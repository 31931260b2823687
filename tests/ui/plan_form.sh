# Plans from the console at 80x24: the calendar's e opens a known plan in the same form as a, filled
# in; a new name and checklist saved there is what `weibao plan show` prints. P lists the plans with
# their system, kind, schedule and next start; d removes one after asking. ? lists the calendar's keys.
. "$(dirname "$0")/tmux.inc"
export WEIBAO_NOW=2026-11-25T01:00:00Z   # Wednesday 09:00 in Shanghai
wb org add Acme --timezone Asia/Shanghai >/dev/null || fail "org"
wb system add erp --org Acme >/dev/null || fail "system"
wb system add mail --org Acme >/dev/null || fail "system 2"
wb plan add --name "daily inspection" --system erp --rule "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR" \
	--start 2026-11-23T09:00 --duration 30 --checklist "disk|logs" >/dev/null || fail "plan"
wb plan add --name "patch day" --kind security_update --system mail --rule "FREQ=MONTHLY;BYDAY=2TU" \
	--start 2026-11-01T22:00 >/dev/null || fail "plan 2"
wb calendar generate --days 1 >/dev/null || fail "generate"

start 80 24 WEIBAO_NOW=2026-11-25T01:00:00Z
wait_for "tester"
send C
wait_for "09:00-09:30  open     daily inspection  erp  #1"
# e on today (the day's first plan) opens the form filled with the plan
send e
wait_for "Edit maintenance plan #1"
grep -q "^Name  *daily inspection" "$T/screen" || fail "the name is not filled in"
grep -q "^Rule (RFC 5545)  *FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR" "$T/screen" || fail "the rule is not filled in"
grep -q "= every weekday at 09:00" "$T/screen" || fail "the rule is not put in words"
grep -q "^Time zone  *Asia/Shanghai" "$T/screen" || fail "the zone is not filled in"
grep -q "^Checklist (an item a line) disk" "$T/screen" || fail "the checklist is not filled in"
grep -q "^ *logs" "$T/screen" || fail "the second checklist item is not shown"
send C-u
type_text "morning inspection"
send BTab                     # back from the first field to the checklist, on its last line
send C-u
type_text "error log reviewed"
send Enter
type_text "database vacuumed"
send C-x
wait_for "Plan #1 saved"
wait_for "09:00-09:30  open     morning inspection  erp  #1"
wb plan show 1 >"$T/show" || fail "plan show"
grep -q "^name  *morning inspection" "$T/show" || { cat "$T/show"; fail "the new name was not stored"; }
sed -n '/^checklist:/,/^next:/p' "$T/show" >"$T/items"
printf 'checklist:\n  1. disk\n  2. error log reviewed\n  3. database vacuumed\nnext:\n' | diff - "$T/items" \
	|| fail "the checklist was not stored as edited"
grep -q "^rule  *FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR" "$T/show" || fail "the rule changed though it was not edited"
# a bad value keeps the form open and names the field
send e
wait_for "Edit maintenance plan #1"
send Tab Tab Tab Tab Tab Tab Tab   # to the duration
send C-u
type_text "0"
send C-x
wait_for "Duration (minutes) must be a number from 1"
send Escape
wait_gone "Edit maintenance plan"
[ "$(wb plan show 1 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["duration_min"])')" = 30 ] \
	|| fail "a cancelled form changed the plan"
# P: the list of plans
send P
wait_for "Maintenance plans (2)"
grep -q "^ 1 *morning inspection *erp *inspection *11-25 09:00 *every weekday" "$T/screen" \
	|| fail "plan 1 not listed with its system, kind, next start and schedule"
grep -q "^ 2 *patch day *mail *security update *12-08 22:00 *monthly" "$T/screen" \
	|| fail "plan 2 not listed with its next start (the second Tuesday of December)"
send j d
wait_for "Remove plan #2 'patch day'?"
send n
wait_for "Maintenance plans (2)"
send d
wait_for "Remove plan #2 'patch day'?"
send y
wait_for "Plan #2 removed"
wait_for "Maintenance plans (1)"
wb plan list | grep -q "patch day" && fail "the removed plan is still listed by the command line"
wb plan list --all --json | grep -q '"name":"patch day".*"active":false' || fail "plan 2 is not marked removed"
# Enter in the list edits too
send Enter
wait_for "Edit maintenance plan #1"
send Escape
wait_for "Maintenance plans (1)"
send Escape
wait_for "Maintenance calendar"
# ? from the calendar: its keys to move by day, week, month and to today, first
send '?'
wait_for "every key, from the key table"
# it opens at the calendar's own keys
grep -q "^Maintenance calendar" "$T/screen" || fail "the help does not open at the calendar's section"
grep -q "Jump to today" "$T/screen" || fail "the calendar's keys are not on the help's first page"
# every page of the help, top to bottom, into one file
send g
wait_for "Everywhere"
: >"$T/help"
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
	screen; cat "$T/screen" >>"$T/help"
	grep -q "^Dashboard" "$T/screen" && break
	send PageDown; sleep 0.1
done
grep -q "^Maintenance calendar" "$T/help" || fail "no calendar section in the help"
for k in "Left, h +Previous day" "Right, l +Next day" "Up, k +Previous week" "Down, j +Next week" \
	"PageUp, < +Previous month" "PageDown, > +Next month" "t, Home +Jump to today" "P +List the maintenance plans" \
	"e +Edit the maintenance plan" "d, Delete +Remove" "o, Enter +Tick the item: ok" "n +Tick the item with a short note" \
	"T +Tick the checklist of a maintenance task"; do
	grep -qE "^  $k" "$T/help" || fail "the help does not list '$k'"
done
send q
wait_for "Maintenance calendar"
send q q
[ "$(wait_exit)" = 0 ] || fail "exit status"

# A maintenance task's checklist in the console at 80x24: the ticket view lists the items, T opens
# them, o ticks an item ok and n with a note (the same plan_check as `weibao plan done`); the command
# line then shows who ticked what. The last item ticked resolves the task, as `plan done` does, unless
# an item failed.
. "$(dirname "$0")/tmux.inc"
export WEIBAO_NOW=2026-11-25T01:00:00Z   # Wednesday 09:00 in Shanghai
wb org add Acme --timezone Asia/Shanghai >/dev/null || fail "org"
wb system add erp --org Acme >/dev/null || fail "system"
wb plan add --name "daily inspection" --system erp --rule "FREQ=DAILY" --start 2026-11-23T09:00 \
	--duration 30 --checklist "disk space under 80%|error log reviewed|database vacuumed" >/dev/null || fail "plan"
wb plan add --name "backup check" --kind backup_check --system erp --rule "FREQ=DAILY" --start 2026-11-23T10:00 \
	--checklist "backup ran" >/dev/null || fail "plan 2"
wb calendar generate --days 1 >/dev/null || fail "generate"   # tasks #1 and #2, today

start 80 24 WEIBAO_NOW=2026-11-25T01:00:00Z
wait_for "tester"
send C
wait_for "daily inspection  erp  #1"
send Enter Enter
wait_for "#1  daily inspection 2026-11-25"
wait_for "Checklist of plan #1 daily inspection (0 of 3 ticked)"
grep -q "\[ \] 1. disk space under 80%" "$T/screen" || fail "the ticket view does not list the items"
send T
wait_for "Checklist of #1"
grep -q "^ \[ \]  1. disk space under 80%" "$T/screen" || fail "item 1 not shown unticked"
send o
wait_for "Item 1 ticked: ok (1 of 3)"
grep -q "^ \[x\]  1. disk space under 80% .* ok  *tester  *11-25 09:00" "$T/screen" \
	|| fail "item 1 not shown ticked by tester"
# the cursor moved on to item 2: tick it with a note
send n
wait_for "Note:"
type_text "only 85% free after cleanup"
send Enter
wait_for "Item 2 ticked: note (2 of 3)"
grep -q "^ \[x\]  2. error log reviewed .* note  *tester .*only 85% free" "$T/screen" || fail "item 2 not shown with its note"
wb plan checklist 1 --json >"$T/json" || fail "plan checklist"
python3 - "$T/json" <<'PY' || fail "the command line does not show the two ticks"
import json, sys
d = json.load(open(sys.argv[1]))
it = d["items"]
assert [i["by"] for i in it] == ["tester", "tester", None], it
assert [i["result"] for i in it] == ["ok", "note", None], it
assert it[1]["note"] == "only 85% free after cleanup", it
assert it[0]["at"] == "2026-11-25T01:00:00Z", it
assert d["status"] == "open", d
PY
[ "$(wb ticket show 1 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')" = in_progress ] \
	|| fail "the first tick did not start the task"
# back in the ticket view: the items as ticked
send q
wait_for "Checklist of plan #1 daily inspection (2 of 3 ticked)"
grep -q "\[x\] 1. disk space under 80% — ok · tester · 2026-11-25 09:00" "$T/screen" || fail "the ticket view misses tick 1"
# the last item resolves the task
send T
wait_for "Checklist of #1"
send o
wait_for "Every item ticked: task #1 resolved"
[ "$(wb ticket show 1 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')" = resolved ] \
	|| fail "the task was not resolved when every item was ticked"
send q
wait_for "Status: resolved"
# e in the task's view opens its plan in the form
send e
wait_for "Edit maintenance plan #1"
grep -q "^Checklist (an item a line) disk space under 80%" "$T/screen" || fail "the plan's form is not filled in"
send Escape
wait_for "Status: resolved"
# a failed item: every item ticked, but the task stays open for someone to act on it
send q
wait_for "tester"
send C
wait_for "backup check  erp  #2"
send Enter j Enter
wait_for "#2  backup check 2026-11-25"
send T
wait_for "Checklist of #2"
send f
wait_for "What failed"
type_text "tape missing"
send Enter
wait_for "Every item ticked; task #2 stays in progress"
wb plan checklist 2 --json | grep -q '"result":"failed","note":"tape missing","by":"tester"' \
	|| fail "the failed tick is not stored with its reason"
[ "$(wb ticket show 2 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')" = in_progress ] \
	|| fail "a task with a failed item was resolved"
send q
wait_for "[x] 1. backup ran — failed · tester · 2026-11-25 09:00 · tape missing"
send q q
[ "$(wait_exit)" = 0 ] || fail "exit status"

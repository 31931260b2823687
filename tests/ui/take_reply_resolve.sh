# The operator's common path: find an unassigned ticket, take it, reply with their editor, resolve it.
# The command line then shows the same ticket resolved with the reply in its conversation.
. "$(dirname "$0")/tmux.inc"
wb demo --tickets 60 >/dev/null || fail "demo"
cat >"$T/editor" <<'ED'
#!/bin/sh
printf '已修复，请验证。Fixed in 5.0.5\n' >"$1"
ED
chmod +x "$T/editor"

# chooses the entry named $1 in the open menu by its number
choose() {
	n=$(grep -o "[1-9]  $1" "$T/screen" | head -1 | cut -c1)
	[ -n "$n" ] || fail "the menu does not offer '$1'"
	send "$n"
}

start 80 24 EDITOR="$T/editor"
wait_for "Welcome"
send "]" "]"
wait_for " Unassigned "
send Enter
wait_for "Assignee: nobody"
id=$(sed -n 's/^ #\([0-9]*\)  .*/\1/p' "$T/screen" | head -1)
[ -n "$id" ] || fail "no ticket number in the ticket view"
send t
wait_for "Assignee: tester"
wait_for "#$id: assigned to you"
send r
wait_for "Reply to #$id queued"
wait_for "── reply · tester"
wait_for "已修复，请验证。"
send s
wait_for "Change status to"
choose "in progress"
wait_for "Status: in progress"
send s
wait_for "Change status to"
grep -q "  new " "$T/screen" && fail "a status not allowed from here is offered"
choose "resolved"
wait_for "Status: resolved"
send q
wait_for "Requester"
send q
[ "$(wait_exit)" = 0 ] || fail "exit status"

wb ticket show "$id" >"$T/show" || fail "ticket show"
grep -q "^Status *resolved" "$T/show" || fail "not resolved: $(head -5 "$T/show")"
grep -q "^Assignee *tester" "$T/show" || fail "not taken"
grep -q "已修复，请验证。Fixed in 5.0.5" "$T/show" || fail "reply text missing"

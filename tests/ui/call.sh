# Logging a phone call: a new caller becomes a new phone ticket; a call about an open ticket goes on it.
# `weibao ticket show` then prints the call.
. "$(dirname "$0")/tmux.inc"
wb demo --tickets 40 >/dev/null || fail "demo"

start 80 24
wait_for "Welcome"
# the common path: c, the number, Tab, the note, C-x
send c
wait_for "Log a phone call"
type_text "+86 139 1234 5678"
wait_for "(a new caller)"
send Tab
type_text "客户来电：打印机无法连接 printer offline"
send C-x
wait_for "Call logged as new phone ticket #"
id=$(sed -n 's/.*Call logged as new phone ticket #\([0-9]*\).*/\1/p' "$T/screen" | head -1)
[ -n "$id" ] || fail "no ticket number"
wb ticket show "$id" >"$T/show" || fail "ticket show $id"
grep -q "^Channel *phone" "$T/show" || fail "not a phone ticket: $(cat "$T/show")"
grep -q "phone call" "$T/show" || fail "the call is not in the conversation"
grep -q "客户来电：打印机无法连接 printer offline" "$T/show" || fail "the notes are missing"
grep -q "8613912345678" "$T/show" || fail "the caller's number is not on the ticket"

# the same caller again: lookup as you type finds them
send c
wait_for "Log a phone call"
type_text "1391234"
wait_for "8613912345678"
send Escape
wait_for "Call not logged"

# a call about the open ticket goes on that ticket
send Enter
wait_for "Assignee:"
tid=$(sed -n 's/^ #\([0-9]*\)  .*/\1/p' "$T/screen" | head -1)
send c
wait_for "Log a phone call"
wait_for "◀ #$tid "          # the call goes on the open ticket unless changed
type_text "回电确认已恢复"
send C-x
wait_for "Call logged on #$tid"
wait_for "回电确认已恢复"   # the ticket view shows it at once
send q q
[ "$(wait_exit)" = 0 ] || fail "exit status"
wb ticket show "$tid" | grep -q "回电确认已恢复" || fail "call not on ticket #$tid"

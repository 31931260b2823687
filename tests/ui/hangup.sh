# SSH drops while a reply is being written (SIGHUP): the terminal is given back, the text is kept as
# a draft, and the next reply to that ticket starts from it. Uses the built-in editor (no $EDITOR).
. "$(dirname "$0")/tmux.inc"
wb demo --tickets 30 >/dev/null || fail "demo"

start 80 24
wait_for "Welcome"
send Enter
wait_for "Assignee:"
id=$(sed -n 's/^ #\([0-9]*\)  .*/\1/p' "$T/screen" | head -1)
send r
wait_for "Reply to #$id"
type_text "写了一半的回复 half a reply"
wait_for "half a reply"
pid=$(console_pid)
[ -n "$pid" ] || fail "no console process"
kill -HUP "$pid"
[ "$(wait_exit)" = 0 ] || fail "exit status after SIGHUP"
wb ticket show "$id" | grep -q "half a reply" && fail "the unfinished reply was sent"

start 80 24
wait_for "Unsent drafts: #$id reply"   # offered back at once
send : && type_text "$id" && send Enter
wait_for "Assignee:"
send r
wait_for "写了一半的回复 half a reply"
type_text " — done"
send C-x
wait_for "Reply to #$id queued"
send q q
[ "$(wait_exit)" = 0 ] || fail "exit status"
wb ticket show "$id" | grep -q "写了一半的回复 half a reply — done" || fail "the finished reply is not on the ticket"

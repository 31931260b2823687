# ':save NAME' keeps the current view and its '/' text as a saved search in the side list; it
# survives a restart, shows only its tickets, and ':unsave' removes it.
. "$(dirname "$0")/tmux.inc"
wb demo --tickets 40 >/dev/null || fail "demo"
wb ticket new --subject "固件升级 zq9 一号" --requester ops@example.com --kind bug --queue Bugs >/dev/null || fail "new"
wb ticket new --subject "固件升级 zq9 二号" --requester ops@example.com --kind bug --queue Bugs >/dev/null || fail "new"
wb ticket new --subject "固件升级 zq9 三号" --requester ops@example.com --kind question >/dev/null || fail "new"

start 132 43
wait_for "Welcome"
send ":"
type_text "view bug"
send Enter
wait_for "zq9 二号"
send /
type_text "zq9"
send Enter
wait_for "Filter: zq9"
send ":"
type_text "save 固件 bugs"
send Enter
wait_for "Saved search '固件 bugs'"
wait_for "Saved searches"
send q
wait_exit

# a new session still has it, and it shows the two bugs only
start 132 43
wait_for "固件 bugs"
send ":"
type_text "view 固件"
send Enter
wait_for "zq9 一号"
screen
grep -q "zq9 三号" "$T/screen" && fail "the saved search shows a ticket of another queue"
[ "$(grep -c 'zq9' "$T/screen")" -ge 2 ] || fail "the saved search lost its tickets"
send ":"
type_text "unsave 固件 bugs"
send Enter
wait_for "Removed saved search"
wait_gone "Saved searches"
send q
wait_exit
echo ok

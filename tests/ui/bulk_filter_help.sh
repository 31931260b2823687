# Space marks tickets and one key acts on all of them; '/' narrows the list as you type; '?' shows
# the help made from the key table (a rebinding in ~/.config/weibao/keys shows there too).
. "$(dirname "$0")/tmux.inc"
wb demo --tickets 60 >/dev/null || fail "demo"
for x in A B; do
	wb ticket new --subject "固件升级 zq7 $x" --requester ops@example.com --assign alice >/dev/null || fail "ticket new"
done
mkdir -p "$XDG_CONFIG_HOME/weibao"
echo "bind list T take" >"$XDG_CONFIG_HOME/weibao/keys"

start 80 24
wait_for "Welcome"
send "]" "]"
wait_for " Unassigned "
# the title changes before the rows are drawn: wait for the rows themselves
wait_match "^ *[0-9]+ P[1-4] "
a=$(sed -n '3s/^ *\([0-9]*\) .*/\1/p' "$T/screen")
b=$(sed -n '4s/^ *\([0-9]*\) .*/\1/p' "$T/screen")
[ -n "$a" ] && [ -n "$b" ] || fail "no rows"
send Space Space
wait_for "[2 marked]"
send T
wait_for "2 tickets: assigned to you"
for id in $a $b; do
	wb ticket show "$id" | grep -q "^Assignee *tester" || fail "#$id was not taken"
done
# they left the Unassigned view
wait_gone "$(printf '%6s P' "$a")"

# '/' narrows as you type
send "[" "["
wait_for " All open "
send /
type_text "固件升级 zq7"
wait_for "/ 固件升级 zq7"
wait_for "zq7 B"
rows=$(grep -c "P[1-4] " "$T/screen")
[ "$rows" = 2 ] || fail "the filter shows $rows rows, want the 2 matching ones"
send Enter
wait_for "Filter: 固件升级 zq7"
send / Escape
wait_gone "Filter:"
wait_for "$(printf '%6s P' "$a")"   # the whole list is back
send "?"
wait_for "every key, from the key table"
wait_for "Log a phone call"
send G
wait_for "Forms and editors"
send q q
[ "$(wait_exit)" = 0 ] || fail "exit status"

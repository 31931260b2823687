# Several operators at once: a change made by another process shows on screen within a second,
# with no key pressed, in the list, in the top bar's counts and in the open ticket.
. "$(dirname "$0")/tmux.inc"
wb demo --tickets 40 >/dev/null || fail "demo"

start 80 24
wait_for "Welcome"
before=$(sed -n 's/.*unassigned \([0-9]*\).*/\1/p' "$T/screen" | head -1)
[ -n "$before" ] || fail "no unassigned count in the top bar"
WEIBAO_USER=bob wb ticket new --subject "另一位同事刚建的工单 live" --requester someone@example.com \
	--priority P1 >/dev/null || fail "ticket new from the second process"
wait_for "另一位同事刚建" 2
wait_for "unassigned $((before + 1))" 2

# the open ticket follows a note written elsewhere
send g Enter
wait_for "Assignee:"
id=$(sed -n 's/^ #\([0-9]*\)  .*/\1/p' "$T/screen" | head -1)
WEIBAO_USER=bob wb ticket note "$id" --body "bob 在另一个终端写的备注" >/dev/null || fail "note"
wait_for "bob 在另一个终端写的备注" 2
# polling for changes costs next to nothing while idle: under 5% of one CPU over two seconds
pid=$(console_pid)
[ -n "$pid" ] || fail "no console process"
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
t0=$(ticks "$pid"); sleep 2; t1=$(ticks "$pid")
hz=$(getconf CLK_TCK)
[ $((t1 - t0)) -le $((hz / 10)) ] || fail "idle console used $((t1 - t0)) ticks of $((2 * hz)) in 2s"
send q q
[ "$(wait_exit)" = 0 ] || fail "exit status"

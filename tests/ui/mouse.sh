# A mouse click selects the row under it (xterm SGR mouse reports, as terminals send them).
. "$(dirname "$0")/tmux.inc"
wb demo --tickets 30 >/dev/null || fail "demo"
start 80 24 TERM=xterm-256color
wait_for "Welcome"
# the ticket shown on screen line 10 (row 9 from 0)
want=$(sed -n '10s/^[ *]*\([0-9]*\) .*/\1/p' "$T/screen")
[ -n "$want" ] || fail "no ticket on line 10"
# press and release of button 1 at column 20, line 10
send -l "$(printf '\033[<0;20;10M\033[<0;20;10m')"
send Enter
wait_for "#$want  "
send q q
[ "$(wait_exit)" = 0 ] || fail "exit status"

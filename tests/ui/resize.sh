# Resizing redraws: the side list comes and goes with the width, a terminal below 80x24 is told it
# is too small, and growing again brings the screen back.
. "$(dirname "$0")/tmux.inc"
wb demo --tickets 40 >/dev/null || fail "demo"

start 132 43
wait_for "Welcome"
wait_for " Views"
resize 80 24
wait_gone " Views"
wait_for "Requester"
resize 70 20
wait_for "Terminal too small"
send j            # keys do nothing harmful while too small
resize 100 30
wait_for "Requester"
wait_gone "Terminal too small"
rows=$(grep -c "P[1-4] " "$T/screen")
[ "$rows" -ge 20 ] || fail "only $rows ticket rows after growing to 30 lines"
send q
[ "$(wait_exit)" = 0 ] || fail "exit status"

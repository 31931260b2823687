# The evaluation dashboard: D opens it on this month with figures in aligned blocks and block-character
# charts; [ ] and w/m/q switch the period; Enter on a figure shows the tickets behind it (or says why the
# list cannot); :dashboard PERIOD opens a given period; without a UTF-8 locale the charts are ASCII.
. "$(dirname "$0")/tmux.inc"
wb demo --tickets 60 >/dev/null || fail "demo"
month=$(date +%Y-%m)

start 80 24
wait_for "Welcome"
send D
wait_for " Dashboard · $month"
wait_for "Opened / closed"
wait_for "response SLA"
grep -q '[▁▂▃▄▅▆▇█▏▎▍▌▋▊▉]' "$T/screen" || fail "no block character on the dashboard"
# the live breached figure (the last line of the right-hand block)
breached=$(sed -n 's/.* breached  *\([0-9][0-9]*\) *$/\1/p' "$T/screen" | tail -1)
[ -n "$breached" ] || fail "no breached figure"

# the previous month and back, then a quarter, a week, and the month again
send "["
wait_for " Dashboard · $(date -d "$(date +%Y-%m-15) -1 month" +%Y-%m) "
send "]"
wait_for " Dashboard · $month "
send q
wait_for " Dashboard · $(date +%Y)Q$(( ($(date +%-m) + 2) / 3 )) "
wait_for "quarter · as of"
send w
wait_for " Dashboard · $(date +%G-W%V) "
send m
wait_for " Dashboard · $month "

# a figure the list cannot express says so and the dashboard stays
send j j j j j j j Enter
wait_for "cannot filter by channel"
wait_for " Dashboard · $month "
# drill down: G is the last figure (breached now); Enter shows that list, with as many tickets
send G Enter
wait_gone " Dashboard ·"
wait_for " Breached "
wait_for "breached $breached "
rows=$(grep -c " P[1-4] " "$T/screen")
[ "$rows" -gt 0 ] || [ "$breached" = 0 ] || fail "the Breached list is empty, the dashboard said $breached"

# :dashboard with a period; Esc goes back to the list
type_text ":dashboard 2026Q1"
send Enter
wait_for " Dashboard · 2026Q1 · 2026-01-01 to 2026-03-31"
send Escape
wait_gone " Dashboard ·"
send q
[ "$(wait_exit)" = 0 ] || fail "exit status"

# no UTF-8: the bars are ASCII and no block character shows
start 80 24 LC_ALL=C LANG=C
wait_for "Welcome"
send D
wait_for " Dashboard - $month - "
grep -q ' #' "$T/screen" || fail "no ASCII bar"
grep -q '[▁▂▃▄▅▆▇█▏▎▍▌▋▊▉]' "$T/screen" && fail "block characters in the C locale"
send Escape q
[ "$(wait_exit)" = 0 ] || fail "exit status"
exit 0

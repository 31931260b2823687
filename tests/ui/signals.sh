# Terminal hygiene: Ctrl-Z puts the screen away and `fg` (SIGCONT) brings it back repainted; a crash
# (SIGSEGV) still hands the terminal back: normal screen, cursor visible; SIGTERM quits cleanly.
. "$(dirname "$0")/tmux.inc"
wb demo --tickets 20 >/dev/null || fail "demo"
cursor() { tmux -S "$SOCK" display -p '#{cursor_flag}'; }
alt() { tmux -S "$SOCK" display -p '#{alternate_on}'; }

command -v bash >/dev/null 2>&1 || { echo "bash is not installed"; exit 77; }
# Ctrl-Z needs a shell with job control around the console, as in real life
NSOCK=$((NSOCK + 1)); SOCK="$T/tmux.$NSOCK.sock"
tmux -S "$SOCK" -f /dev/null new-session -d -x 80 -y 24 "env PS1='$ ' bash --norc --noprofile -i" \
	|| fail "tmux did not start"
sleep 0.2
type_text "'$WEIBAO' --db '$DB'"
send Enter
wait_for "Welcome"
[ "$(alt)" = 1 ] || fail "the console does not use the alternate screen"
send C-z
wait_for "Stopped"
[ "$(alt)" = 0 ] || fail "the screen was not put away on Ctrl-Z"
[ "$(cursor)" = 1 ] || fail "the cursor is hidden at the shell prompt"
type_text "fg"
send Enter
wait_for "SLA due"
wait_for "Requester"
[ "$(alt)" = 1 ] || fail "fg did not bring the screen back"
send j q
wait_for "$ "
type_text "echo \$? >'$T/rc'"
send Enter
[ "$(wait_exit)" = 0 ] || fail "exit status after resume"

start 80 24
wait_for "Welcome"
kill -SEGV "$(console_pid)"
[ "$(wait_exit)" = 139 ] || fail "a crash should end with SIGSEGV's status"
[ "$(alt)" = 0 ] || fail "the alternate screen is still on after a crash"
[ "$(cursor)" = 1 ] || fail "the cursor is still hidden after a crash"

start 80 24
wait_for "Welcome"
kill -TERM "$(console_pid)"
[ "$(wait_exit)" = 0 ] || fail "SIGTERM should quit cleanly"
[ "$(alt)" = 0 ] || fail "the alternate screen is still on after SIGTERM"
[ "$(cursor)" = 1 ] || fail "the cursor is still hidden after SIGTERM"

# Themes: a bad name is refused before the screen is touched; 256-colour themes fall back to the
# basic colours on an 8-colour terminal; NO_COLOR keeps the roles apart with attributes only.
. "$(dirname "$0")/tmux.inc"
wb demo --tickets 20 >/dev/null || fail "demo"

wb --theme no-such-theme >"$T/out" 2>"$T/err" </dev/null; rc=$?
[ "$rc" = 1 ] || fail "a missing theme exited $rc"
grep -q "no-such-theme" "$T/err" || fail "the error does not name the theme: $(cat "$T/err")"

colours() { tmux -S "$SOCK" capture-pane -p -e >"$T/esc"; }

start 80 24 TERM=xterm-256color --theme dark
wait_for "Welcome"
colours
grep -q '38;5;' "$T/esc" || fail "the dark theme shows no 256-colour cells on a 256-colour terminal"
send q
wait_exit >/dev/null

start 80 24 TERM=screen --theme dark
wait_for "Welcome"
colours
grep -q '38;5;' "$T/esc" && fail "256-colour codes sent to an 8-colour terminal"
grep -q '\[3[0-7]m\|;3[0-7]m' "$T/esc" || fail "no basic colours on an 8-colour terminal"
send q
wait_exit >/dev/null

start 80 24 NO_COLOR=1 TERM=xterm-256color
wait_for "Welcome"
colours
grep -q '\[3[0-7]m\|;3[0-7]m\|38;5;\|\[4[0-7]m\|48;5;' "$T/esc" && fail "NO_COLOR still shows colours"
grep -q '7m' "$T/esc" || fail "NO_COLOR: the selection and the bars are not in reverse video"
send q
[ "$(wait_exit)" = 0 ] || fail "exit status"

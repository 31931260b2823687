# Canned responses: files in ~/.config/weibao/canned are offered when a reply starts, with the
# ticket's placeholders filled in; the operator's editor then gets the text.
. "$(dirname "$0")/tmux.inc"
wb demo --tickets 20 >/dev/null || fail "demo"
mkdir -p "$XDG_CONFIG_HOME/weibao/canned"
printf '{{requester.name}}，您好：\n工单 #{{ticket.id}} 已处理，请确认。\n— {{operator.login}}\n' \
	>"$XDG_CONFIG_HOME/weibao/canned/已处理.txt"
printf 'Please send us the logs.\n' >"$XDG_CONFIG_HOME/weibao/canned/ask-logs.txt"
cat >"$T/editor" <<'ED'
#!/bin/sh
exit 0
ED
chmod +x "$T/editor"

start 80 24 EDITOR="$T/editor"
wait_for "Welcome"
send Enter
wait_for "Assignee:"
id=$(sed -n 's/^ #\([0-9]*\)  .*/\1/p' "$T/screen" | head -1)
requester=$(sed -n 's/^ Requester: \([^<]*\) <.*/\1/p' "$T/screen" | head -1)
[ -n "$requester" ] || fail "no requester name on screen"
send r
wait_for "Start from a canned response"
wait_for "ask-logs"
n=$(grep -o "[1-9]  已处理" "$T/screen" | head -1 | cut -c1)
[ -n "$n" ] || fail "the canned response is not offered"
send "$n"
wait_for "Reply to #$id queued"
send q q
[ "$(wait_exit)" = 0 ] || fail "exit status"
wb ticket show "$id" >"$T/show"
grep -q "工单 #$id 已处理，请确认。" "$T/show" || fail "ticket id not filled in: $(tail -5 "$T/show")"
grep -q "$requester，您好" "$T/show" || fail "requester name not filled in"
grep -q "— tester" "$T/show" || fail "operator not filled in"

# Two operators on one ticket: a reply written while someone else changed the ticket is not sent
# blindly. The console shows the change and asks; "n" keeps the text as a draft, offered next time.
. "$(dirname "$0")/tmux.inc"
wb demo --tickets 30 >/dev/null || fail "demo"
# the "editor" lets a colleague change the ticket while the reply is being written
cat >"$T/editor" <<ED
#!/bin/sh
id=\$(cat "$T/id")
WEIBAO_USER=carol "$WEIBAO" --db "$DB" ticket set "\$id" --priority P4 >/dev/null 2>&1
printf '请重启服务后再试。\n' >"\$1"
ED
chmod +x "$T/editor"

start 80 24 EDITOR="$T/editor"
wait_for "Welcome"
send Enter
wait_for "Assignee:"
id=$(sed -n 's/^ #\([0-9]*\)  .*/\1/p' "$T/screen" | head -1)
echo "$id" >"$T/id"
send r
wait_for "Send anyway?"
wait_for "P4 low"            # the colleague's change is on screen before the question
send n
wait_for "kept as a draft"
wb ticket show "$id" | grep -q "请重启服务后再试" && fail "the reply was sent despite the conflict"
# the next reply starts from the draft; this time the editor keeps it as it is
cat >"$T/editor" <<'ED'
#!/bin/sh
exit 0
ED
send r
wait_for "Reply to #$id queued"
wait_for "请重启服务后再试。"
send q q
[ "$(wait_exit)" = 0 ] || fail "exit status"
wb ticket show "$id" | grep -q "请重启服务后再试" || fail "the reply from the draft is not on the ticket"

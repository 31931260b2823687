# The outbox through the real binary and a real SMTP server (tests/smtpd.py on 127.0.0.1):
# replies queue mail in their transaction, `outbox send` delivers it threaded and in Chinese,
# settings errors keep it queued, a killed sender resends once after the lease, the daemon wakes.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
[ -x "$PY" ] && [ -d /usr/lib/python3/dist-packages/aiosmtpd ] || { echo "python3-aiosmtpd is not installed"; exit 77; }
TOP=${WB_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$TOP" # the default templates in docs/templates
pids=""
trap 'for p in $pids; do kill "$p" 2>/dev/null; done; rm -rf "$T"' EXIT

# start_server DIR ARGS...: runs tests/smtpd.py, sets $port
start_server() {
	dir=$1; shift
	rm -f "$T/port.fifo"; mkfifo "$T/port.fifo"
	"$PY" "$TOP/tests/smtpd.py" "$dir" --lifetime 60 "$@" >"$T/port.fifo" 2>>"$T/server.log" &
	pids="$pids $!"
	read -r port <"$T/port.fifo" || fail "the SMTP server did not start: $(cat "$T/server.log")"
}
count() { sqlite3 "$DB" "SELECT count(*) FROM outbox $1"; }
eml_count() { ls "$1" 2>/dev/null | grep -c '\.eml$'; }
base_config() {
	cat >"$WEIBAO_CONFIG" <<EOF
[desk]
name = 维保支持
[mail]
from = support@weibao.example.cn
domain = weibao.example.cn
EOF
}

base_config
wb db init >/dev/null || fail "init"
id=$(wb ticket new --subject "软件维保方案 升级失败" --requester wang.li@example.cn --name 王丽 --body "请帮忙") || fail "new"
[ "$(count "")" = 1 ] || fail "a new ticket queues one acknowledgement, got $(count "")"
expect_exit 0 wb ticket reply "$id" --body "您好，补丁已经发布，请升级到 2.4.1。"
[ "$(count "")" = 2 ] || fail "a reply queues exactly one mail"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM outbox o JOIN messages m ON m.id = o.message_id WHERE m.kind = 'reply'")" = 1 ] ||
	fail "the reply's mail names its message"
# failed replies queue nothing
expect_exit 1 wb ticket reply 99 --body "nobody"
expect_exit 1 wb ticket reply "$id" --body "stale" --expect-version 1
[ "$(count "")" = 2 ] || fail "a failed reply queued mail"
# notes queue nothing
expect_exit 0 wb ticket note "$id" --body "internal"
[ "$(count "")" = 2 ] || fail "a note queued mail"

# no SMTP configured: mail stays queued, one line, exit 0
expect_exit 0 wb outbox send
[ "$(wc -l <"$T/out")" = 1 ] && grep -q "stay queued" "$T/out" || fail "send without [smtp]: $(cat "$T/out")"
[ "$(count "WHERE state = 'queued'")" = 2 ] || fail "mail left the queue without SMTP"
wb ticket show "$id" | grep -q "mail queued" || fail "ticket show does not show the queued mail"

# plain SMTP
start_server "$T/mail1"
base_config
printf '[smtp]\nhost = 127.0.0.1\nport = %s\ntls = none\ntimeout = 5\n' "$port" >>"$WEIBAO_CONFIG"
expect_exit 0 wb outbox send
grep -q "^sent 2, retrying 0, failed 0; 0 waiting" "$T/out" || fail "send: $(cat "$T/out")"
[ "$(eml_count "$T/mail1")" = 2 ] || fail "the server got $(eml_count "$T/mail1") mails, want 2"
expect_exit 0 wb outbox send
[ "$(eml_count "$T/mail1")" = 2 ] || fail "a second pass sent again"
wb ticket show "$id" | grep -q "reply · tester .* mail sent" || fail "ticket show does not show the sent reply"
"$PY" - "$T/mail1" "$id" <<'EOF' || fail "the received mail is not right"
import email, email.policy, sys
d, tid = sys.argv[1], sys.argv[2]
ack = email.message_from_binary_file(open(d + "/0001.eml", "rb"), policy=email.policy.default)
rep = email.message_from_binary_file(open(d + "/0002.eml", "rb"), policy=email.policy.default)
raw = open(d + "/0002.eml", "rb").read()
assert all(b < 0x80 for b in raw), "8-bit bytes on the wire"
assert "[#%s]" % tid in raw.decode().split("\r\n\r\n")[0], "the tag is not readable in the raw header"
assert rep["Subject"] == "Re: 软件维保方案 升级失败 [#%s]" % tid, rep["Subject"]
assert ack["Subject"].endswith("软件维保方案 升级失败 [#%s]" % tid), ack["Subject"]
assert "补丁已经发布，请升级到 2.4.1。" in rep.get_content(), rep.get_content()
assert rep["From"].addresses[0].display_name == "维保支持", rep["From"]
assert rep["From"].addresses[0].addr_spec == "support@weibao.example.cn"
assert rep["To"].addresses[0].addr_spec == "wang.li@example.cn"
assert rep["To"].addresses[0].display_name == "王丽"
assert rep["In-Reply-To"] == ack["Message-ID"], (rep["In-Reply-To"], ack["Message-ID"])
assert ack["Message-ID"] in rep["References"]
assert rep["Message-ID"] != ack["Message-ID"]
EOF
# the stored Message-IDs are the ones that went out
mid=$(sqlite3 "$DB" "SELECT email_message_id FROM outbox WHERE id = 2")
grep -q "^Message-Id: <$mid>" "$T/mail1/0002.eml" || fail "outbox 2 went out with another Message-ID"
wb outbox list --json | "$PY" -c '
import json, sys
v = json.load(sys.stdin)
assert [m["state"] for m in v] == ["sent", "sent"], v
assert v[0]["recipients"][0]["code"] == 250, v
' || fail "outbox list --json"
expect_exit 1 wb outbox retry 2
expect_err "already sent"
expect_exit 1 wb outbox cancel 2
expect_exit 1 wb outbox retry 77
expect_err "no outbox message 77"
expect_exit 2 wb outbox list --state bogus

# a 5xx: failed, reported on the ticket and on stderr
start_server "$T/mail2" --reject-rcpt gone@example.cn
base_config
printf '[smtp]\nhost = 127.0.0.1\nport = %s\ntls = none\ntimeout = 5\n' "$port" >>"$WEIBAO_CONFIG"
id2=$(wb ticket new --subject "退信" --requester gone@example.cn) || fail "new 2"
expect_exit 0 wb outbox send
grep -q "failed 1" "$T/out" || fail "5xx not counted: $(cat "$T/out")"
grep -q "gone@example.cn.*550" "$T/err" || fail "5xx not reported: $(cat "$T/err")"
wb ticket show "$id2" | grep -q "mail to gone@example.cn failed.*550" || fail "5xx not on the ticket"
wb outbox list --state failed | grep -q "gone@example.cn" || fail "outbox list --state failed"
# retry sends it again (and it fails again, once)
expect_exit 0 wb outbox retry 3
expect_exit 0 wb outbox send
grep -q "failed 1" "$T/out" || fail "retry: $(cat "$T/out")"

# STARTTLS + AUTH; a wrong password is a clear error and the mail stays queued
start_server "$T/mail3" --tls --auth "agent:right"
base_config
printf '[smtp]\nhost = localhost\nport = %s\ntls = starttls\nca_file = %s\nuser = agent\npassword = wrong\ntimeout = 5\n' \
	"$port" "$T/mail3/ca.pem" >>"$WEIBAO_CONFIG"
chmod 600 "$WEIBAO_CONFIG"
id3=$(wb ticket new --subject "TLS" --requester ops@example.cn) || fail "new 3"
expect_exit 1 wb outbox send
expect_err "refused the login"
grep -q wrong "$T/err" && fail "the password was echoed"
[ "$(sqlite3 "$DB" "SELECT state || attempts FROM outbox WHERE ticket_id = $id3")" = queued0 ] || fail "mail left the queue after a refused login"
sed -i 's/^password = wrong/password_command = printf right/' "$WEIBAO_CONFIG"
expect_exit 0 wb outbox send
grep -q "^sent 1" "$T/out" || fail "STARTTLS send: $(cat "$T/out") $(cat "$T/err")"
[ "$(eml_count "$T/mail3")" = 1 ] || fail "TLS server got $(eml_count "$T/mail3")"

# a sender killed mid-session leaves the mail "sending"; after the lease it goes once
"$PY" -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(4)
print(s.getsockname()[1], flush=True)
conns = []
while True:
    c, _ = s.accept(); conns.append(c)   # never says a word
' >"$T/silent.port" &
pids="$pids $!"
i=0; while [ ! -s "$T/silent.port" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
base_config
printf '[smtp]\nhost = 127.0.0.1\nport = %s\ntls = none\ntimeout = 30\n' "$(cat "$T/silent.port")" >>"$WEIBAO_CONFIG"
id4=$(wb ticket new --subject "被中断的发送" --requester kill@example.cn) || fail "new 4"
wb outbox send >/dev/null 2>&1 &
sender=$!
i=0; while [ "$(count "WHERE state = 'sending'")" != 1 ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
[ "$(count "WHERE state = 'sending'")" = 1 ] || fail "the sender never claimed the mail"
kill -9 "$sender"; wait "$sender" 2>/dev/null
[ "$(count "WHERE state = 'sending'")" = 1 ] || fail "the killed sender's mail is not left sending"
start_server "$T/mail4"
base_config
printf '[smtp]\nhost = 127.0.0.1\nport = %s\ntls = none\ntimeout = 5\n' "$port" >>"$WEIBAO_CONFIG"
expect_exit 0 wb outbox send
[ "$(eml_count "$T/mail4")" = 0 ] || fail "resent before the lease ran out"
now=$(date +%s)
WEIBAO_NOW=$((now + 601)) expect_exit 0 wb outbox send
grep -q "^sent 1" "$T/out" || fail "after the lease: $(cat "$T/out")"
WEIBAO_NOW=$((now + 2000)) expect_exit 0 wb outbox send
[ "$(eml_count "$T/mail4")" = 1 ] || fail "the server got $(eml_count "$T/mail4") copies, want 1"
mid=$(sqlite3 "$DB" "SELECT email_message_id FROM outbox WHERE ticket_id = $id4")
grep -q "^Message-Id: <$mid>" "$T/mail4/0001.eml" || fail "the resend has another Message-ID"
[ "$(sqlite3 "$DB" "SELECT state || attempts FROM outbox WHERE ticket_id = $id4")" = sent2 ] || fail "after resend"

# the daemon wakes up when a reply is queued by another process
"$WEIBAO" --db "$DB" outbox daemon >"$T/daemon.out" 2>"$T/daemon.err" &
daemon=$!
pids="$pids $daemon"
sleep 0.3
expect_exit 0 wb ticket reply "$id4" --body "守护进程会发送这封回复。"
i=0; while [ "$(eml_count "$T/mail4")" != 2 ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
[ "$(eml_count "$T/mail4")" = 2 ] || fail "the daemon did not send the reply within 5 s: $(cat "$T/daemon.err")"
kill -TERM "$daemon"
i=0; while kill -0 "$daemon" 2>/dev/null && [ $i -lt 60 ]; do sleep 0.05; i=$((i + 1)); done
kill -0 "$daemon" 2>/dev/null && fail "the daemon did not stop on SIGTERM"
wait "$daemon"; rc=$?
[ "$rc" = 0 ] || fail "the daemon exited $rc"
grep -q "^sent 1" "$T/daemon.out" || fail "daemon output: $(cat "$T/daemon.out")"

# --to-dir writes .eml files for the offline demo
id5=$(wb ticket new --subject "offline" --requester off@example.cn) || fail "new 5"
mkdir "$T/eml"
expect_exit 0 wb outbox send --to-dir "$T/eml"
grep -q "^wrote 1 messages" "$T/out" || fail "--to-dir: $(cat "$T/out")"
grep -q "^Subject: .*\[#$id5\]" "$T/eml/"*.eml || fail "--to-dir file"
# templates are found from any folder (beside the program), and without any template files
# installed the mail still goes out from the built-in ones
mkdir "$T/elsewhere" "$T/bin" "$T/eml2"
cp "$WEIBAO" "$T/bin/weibao"
base_config
for prog in "$WEIBAO" "$T/bin/weibao"; do
	(cd "$T/elsewhere" && "$prog" --db "$DB" ticket new --subject "任意目录 $prog" --requester any@example.cn >/dev/null) ||
		fail "ticket new from another folder with $prog"
done
expect_exit 0 wb outbox send --to-dir "$T/eml2"
grep -q "^wrote 2 messages" "$T/out" || fail "from elsewhere: $(cat "$T/out")"
[ "$(grep -l "^Subject: We received your request" "$T/eml2/"*.eml | wc -l)" = 2 ] || fail "acknowledgements from elsewhere"
# `weibao automate` reminds a customer who keeps the ticket waiting, through the outbox
id6=$(wb ticket new --subject "等待答复" --requester wait@example.cn) || fail "new 6"
wb ticket set "$id6" --status triaged && wb ticket set "$id6" --status waiting || fail "waiting"
WEIBAO_NOW=$(($(date +%s) + 5 * 86400)) expect_exit 0 wb automate
[ "$(count "WHERE ticket_id = $id6")" = 2 ] || fail "automate queued $(count "WHERE ticket_id = $id6") mails for #$id6, want ack + reminder"
sqlite3 "$DB" "SELECT b.raw FROM outbox o JOIN outbox_body b ON b.outbox_id = o.id WHERE o.ticket_id = $id6 ORDER BY o.id DESC LIMIT 1" | grep -q "^Subject: Waiting for your answer: .*\[#$id6\]" ||
	fail "the reminder's subject"
# a mailed report goes through the outbox with the report attached
expect_exit 1 wb report --mail-to boss@example.cn
expect_err "mail is not configured"
printf '[smtp]\nhost = 127.0.0.1\nport = %s\ntls = none\ntimeout = 5\n' "$port" >>"$WEIBAO_CONFIG"
expect_exit 0 wb outbox send
before=$(eml_count "$T/mail4")
wb outbox list >"$T/list"
expect_exit 0 wb report --mail-to "Boss <boss@example.cn>"
expect_exit 0 wb outbox send
[ "$(eml_count "$T/mail4")" = $((before + 1)) ] || fail "the report did not arrive: $(cat "$T/out") $(cat "$T/list")"
last=$(ls "$T/mail4" | grep '\.eml$' | sort | tail -1)
grep -q "^boss@example.cn$" "$T/mail4/${last%.eml}.env" || fail "report recipient"
grep -qi "^Content-Disposition: attachment" "$T/mail4/$last" || fail "the report is not attached"
echo ok

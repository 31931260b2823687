# The mail gate against the real-world corpus (../shared/mail-corpus) and the threading,
# safety and exit-status rules of issue 6.
. "$(dirname "$0")/lib.sh"
CORPUS=${WB_CORPUS:-$(cd "$(dirname "$0")/../.." && pwd)/../shared/mail-corpus}
[ -f "$CORPUS/MANIFEST.tsv" ] || { echo "mail corpus not found at $CORPUS"; exit 77; }
wb db init >/dev/null || fail "init"
gate() { "$WEIBAO" --db "$DB" mailgate "$@"; }

# 1. every corpus message does what its manifest row says
tail -n +2 "$CORPUS/MANIFEST.tsv" | while IFS="$(printf '\t')" read -r file src feat subj snippet natt action notes; do
	gate <"$CORPUS/$file" >"$T/out" 2>"$T/err"; rc=$?
	case $action in
	new-ticket)
		[ $rc = 0 ] || fail "$file: exit $rc ($(cat "$T/err"))"
		tid=$(sed -n 's/^new ticket #\([0-9]*\)$/\1/p; s/^added to ticket #\([0-9]*\).*/\1/p' "$T/out")
		[ -n "$tid" ] || fail "$file: not filed on a ticket: $(cat "$T/out")"
		wb ticket show "$tid" --json >"$T/t.json"
		/usr/bin/python3 - "$T/t.json" "$snippet" "$file" <<'PY' || fail "$file: snippet not on ticket $tid"
import json, sys
t = json.load(open(sys.argv[1]))
text = " ".join(m["body"] or "" for m in t["messages"])
norm = lambda s: " ".join(s.split())
sys.exit(0 if sys.argv[2] == "-" or norm(sys.argv[2]) in norm(text) else 1)
PY
		;;
	ignore-autoreply)
		[ $rc = 0 ] || fail "$file: exit $rc"
		grep -q "^held in quarantine" "$T/out" || fail "$file: an automatic message was filed: $(cat "$T/out")"
		;;
	quarantine)
		[ $rc = 65 ] || fail "$file: exit $rc, want 65"
		grep -q "kept in quarantine" "$T/err" || fail "$file: $(cat "$T/err")"
		;;
	esac
done || exit 1
# nothing is dropped: every corpus message is a ticket message or in the quarantine
total=$(tail -n +2 "$CORPUS/MANIFEST.tsv" | wc -l)
stored=$(sqlite3 "$DB" "SELECT (SELECT count(*) FROM messages WHERE kind = 'inbound') + (SELECT count(*) FROM quarantine)")
[ "$stored" = "$total" ] || fail "$stored of $total corpus messages stored"

# 2. threading, duplicates, reopening, ratings
msg() { # msg FROM SUBJECT MESSAGE-ID [EXTRA-HEADER] BODY
	printf 'From: %s\r\nTo: support@weibao.localhost\r\nSubject: %s\r\nMessage-ID: <%s>\r\n%sContent-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n' \
		"$1" "$2" "$3" "$4" "$5"
}
msg "王芳 <wang.fang@example.cn>" "打印机无法连接" "m1@example.cn" "" "办公室的打印机从今天早上开始无法连接。" >"$T/m1"
gate <"$T/m1" >"$T/out" || fail "m1"
t1=$(sed -n 's/^new ticket #\([0-9]*\)$/\1/p' "$T/out")
[ -n "$t1" ] || fail "m1 made no ticket"
gate <"$T/m1" | grep -q "already stored (ticket #$t1)" || fail "duplicate not recognised"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM messages WHERE email_message_id = 'm1@example.cn'")" = 1 ] || fail "stored twice"
# by header
msg "wang.fang@example.cn" "Re: something else" "m2@example.cn" "In-Reply-To: <m1@example.cn>\r\n" "补充：型号是 HP 1020。" >"$T/m2"
gate <"$T/m2" | grep -q "added to ticket #$t1" || fail "reply by In-Reply-To not threaded"
# by tag behind a Chinese reply prefix with a full-width colon
msg "wang.fang@example.cn" "回复：[#$t1] 打印机无法连接" "m3@example.cn" "" "重启后还是不行。" >"$T/m3"
gate <"$T/m3" | grep -q "added to ticket #$t1" || fail "reply by tag not threaded"
# someone not on the ticket is flagged for the operator
msg "boss@example.cn" "答复: [#$t1] 打印机无法连接" "m4@example.cn" "" "请优先处理。" >"$T/m4"
gate <"$T/m4" | grep -q "added to ticket #$t1" || fail "m4"
wb ticket show "$t1" | grep -q "flagged" || fail "reply from a stranger not flagged"
# a closed ticket reopens on a new message
wb ticket set "$t1" --status triaged && wb ticket close "$t1" || fail "close"
msg "wang.fang@example.cn" "Re: [#$t1] 打印机无法连接" "m5@example.cn" "" "问题又出现了。" >"$T/m5"
gate <"$T/m5" | grep -q "reopened" || fail "closed ticket not reopened"
[ "$(wb ticket show "$t1" --json | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')" = reopened ] || fail "status"
# a rating by reply on a resolved ticket is recorded and does not reopen it
wb ticket set "$t1" --status resolved || fail "resolve"
msg "wang.fang@example.cn" "Re: [#$t1] 已解决" "m6@example.cn" "" "５" >"$T/m6"
gate <"$T/m6" | grep -q "rating recorded" || fail "rating not recorded"
[ "$(sqlite3 "$DB" "SELECT score FROM ratings WHERE ticket_id = $t1")" = 5 ] || fail "rating value"

# 3. safety: own address, flood, size, busy database
msg "support@weibao.localhost" "loop" "m7@example.cn" "" "x" >"$T/m7"
gate <"$T/m7" | grep -q "desk's own address" || fail "mail from ourselves not held"
printf '[mail]\nmax_new_per_hour = 3\nmax_size_mb = 1\n' >"$WEIBAO_CONFIG"
for i in 1 2 3 4; do
	msg "flood@example.com" "request $i" "f$i@example.com" "" "hello" | gate >"$T/f$i" || fail "flood $i"
done
grep -q "^new ticket" "$T/f3" || fail "third request held too early"
grep -q "held for review" "$T/f4" || fail "fourth request in an hour not held"
{ msg "big@example.com" "big" "big@example.com" "" "x"; head -c 1200000 /dev/zero | tr '\0' 'a'; } >"$T/big"
expect_exit 65 gate <"$T/big"
grep -q "over the size limit" "$T/err" || fail "size limit: $(cat "$T/err")"
: >"$WEIBAO_CONFIG"
# a locked database: 75 so the mail server retries, and the same message later stores fine
msg "late@example.com" "稍后投递" "late@example.com" "" "retry me" >"$T/late"
/usr/bin/python3 -c '
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(4)
c.execute("COMMIT")' "$DB" >"$T/lock" &
lock=$!
while ! grep -q locked "$T/lock" 2>/dev/null; do sleep 0.05; done
WEIBAO_BUSY_MS=300 gate <"$T/late" >/dev/null 2>"$T/err"; rc=$?
wait $lock
[ $rc = 75 ] || fail "locked database gave exit $rc, want 75 ($(cat "$T/err"))"
gate <"$T/late" | grep -q "^new ticket" || fail "the retried message was not stored"

# 4. quarantine commands: list, show, retry once fixed, drop
qid=$(gate quarantine list | awk '/no usable From/ {print $1; exit}')
[ -n "$qid" ] || fail "quarantine list"
gate quarantine show "$qid" | grep -qiE "^(subject|content-type):" || fail "show raw"
expect_exit 1 gate quarantine retry "$qid"
expect_err "still cannot be filed"
expect_exit 0 gate quarantine drop "$qid"
gate quarantine list | awk '{print $1}' | grep -qx "$qid" && fail "dropped message still listed"

# 5. import mbox twice: the second run adds nothing
for f in "$CORPUS"/erofslist-*.eml; do echo "From x@y Thu Jan  1 00:00:00 2026"; tr -d '\r' <"$f"; echo; done >"$T/hist.mbox"
"$WEIBAO" --db "$T/import.db" db init >/dev/null
"$WEIBAO" --db "$T/import.db" import mbox "$T/hist.mbox" >"$T/i1" || fail "import: $(cat "$T/i1")"
grep -q " 0 duplicates" "$T/i1" || fail "first import: $(cat "$T/i1")"
# the import is a bulk load (store_bulk.h): its tickets are searchable once it is done, bodies included
"$WEIBAO" --db "$T/import.db" ticket search 贡献 >"$T/s1" || fail "search after import"
[ "$(grep -c '^[0-9]' "$T/s1")" -ge 1 ] || fail "a word of an imported body is not found: $(cat "$T/s1")"
"$WEIBAO" --db "$T/import.db" import mbox "$T/hist.mbox" >"$T/i2" || fail "import 2"
n=$(ls "$CORPUS"/erofslist-*.eml | wc -l)
grep -q "^$n messages: 0 created, 0 appended, .* 0 quarantined" "$T/i2" || fail "second import was not a no-op: $(cat "$T/i2")"
echo ok

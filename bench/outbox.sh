#!/bin/sh
# Outbox throughput: N queued mails (default 500) sent in one `weibao outbox send` pass to a
# loopback aiosmtpd (tests/smtpd.py, plain SMTP). Prints "outbox_smtp_sessions S" (how many
# connections the server saw) and, last, "outbox_msgs_per_sec N".
# Usage: bench/outbox.sh [N]     (run from the source tree after `make weibao`)
#
# The desk database stays on disk, but the test server's mail folder goes to tmpfs (/dev/shm)
# when there is one: the server creates two files per mail, and on a shared VM disk each
# creation took ~0.5 ms (strace), so the figure measured the test server's disk, not weibao
# (Python's own smtplib reached only 200-300 mails/s to it over one session).
# BENCH_SERVER_DIR=DIR puts the server's folder under DIR instead (e.g. /tmp: on disk).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
WEIBAO=${WEIBAO:-$top/weibao}
N=${1:-500}
PY=/usr/bin/python3
[ -x "$PY" ] && [ -d /usr/lib/python3/dist-packages/aiosmtpd ] || { echo "bench/outbox.sh: needs python3-aiosmtpd (make deps)" >&2; exit 77; }
T=$(mktemp -d "${TMPDIR:-/tmp}/wbbench.XXXXXX")
srv=""
mkfifo "$T/port"
sdir=${BENCH_SERVER_DIR:-}
[ -n "$sdir" ] || { [ -d /dev/shm ] && [ -w /dev/shm ] && sdir=/dev/shm; } || sdir=$T
M=$(mktemp -d "$sdir/wbbench-mail.XXXXXX") || { rm -rf "$T"; exit 1; }
trap '[ -n "$srv" ] && kill "$srv" 2>/dev/null; rm -rf "$T" "$M"' EXIT
"$PY" "$top/tests/smtpd.py" "$M/mail" --lifetime 600 >"$T/port" 2>"$T/server.log" &
srv=$!
read -r port <"$T/port"
cat >"$T/config" <<CFG
[mail]
from = support@weibao.example.cn
domain = weibao.example.cn
[smtp]
host = 127.0.0.1
port = $port
tls = none
CFG
export WEIBAO_CONFIG="$T/config" WEIBAO_USER=bench LANG=C.UTF-8 LC_ALL=C.UTF-8
cd "$top"
wb() { "$WEIBAO" --db "$T/desk.db" "$@"; }
wb ticket new --subject "软件维保方案 基准" --requester wang@example.cn --name 王丽 --body "基准测试" >/dev/null
# N copies of the rendered acknowledgement, each with its own outbox Message-ID
sqlite3 "$T/desk.db" "
WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < $N)
INSERT INTO outbox(ticket_id, email_message_id, envelope_from, state, attempts, next_attempt_at, created_at)
  SELECT ticket_id, 'bench' || i || '.' || email_message_id, envelope_from, 'queued', 0, next_attempt_at, created_at
  FROM outbox, n WHERE outbox.id = 1;
INSERT INTO outbox_body(outbox_id, raw) SELECT o.id, b.raw FROM outbox o, outbox_body b WHERE o.id > 1 AND b.outbox_id = 1;
INSERT INTO outbox_rcpt(outbox_id, addr) SELECT id, 'user' || id || '@example.cn' FROM outbox WHERE id > 1;"
start=$(date +%s%N)
wb outbox send >"$T/out"
end=$(date +%s%N)
got=$(ls "$M/mail" | grep -c '\.eml$' || true)
[ "$got" = "$N" ] || { echo "bench/outbox.sh: the server received $got of $N mails: $(cat "$T/out")" >&2; exit 1; }
ms=$(( (end - start) / 1000000 ))
[ "$ms" -gt 0 ] || ms=1
echo "outbox_smtp_sessions $(wc -l <"$M/mail/sessions")"
echo "outbox_msgs_per_sec $(( N * 1000 / ms ))"

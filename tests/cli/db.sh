# Database commands: init makes the first user admin, backup works while another process writes,
# check reports ok, and a second run of migrate changes nothing.
. "$(dirname "$0")/lib.sh"
wb db init | grep -q "you are tester (admin)" || fail "init"
[ "$(stat -c %a "$DB")" = 600 ] || fail "database mode $(stat -c %a "$DB")"
wb demo --tickets 200 >/dev/null || fail "demo"
( i=0; while [ $i -lt 50 ]; do wb ticket new --subject "during backup $i" --requester x@example.com >/dev/null || exit 1; i=$((i+1)); done ) & w=$!
wb db backup "$T/copy.db" | grep -q "backed up" || fail "backup"
wait $w || fail "writes during backup failed"
"$WEIBAO" --db "$T/copy.db" db check | grep -qx ok || fail "backup is not a sound database"
n=$("$WEIBAO" --db "$T/copy.db" ticket list --status all --limit 0 --csv | wc -l)
[ "$n" -gt 200 ] || fail "backup holds $n lines"
wb db migrate >/dev/null || fail "migrate"
expect_exit 1 "$WEIBAO" --db "$T/missing.db" db check
expect_err "no database at"
# a viewer can read but not write
WEIBAO_USER=visitor "$WEIBAO" --db "$DB" ticket list >/dev/null || fail "viewer cannot read"
expect_exit 1 env WEIBAO_USER=visitor "$WEIBAO" --db "$DB" ticket take 1
expect_err "this needs the operator role"
echo ok

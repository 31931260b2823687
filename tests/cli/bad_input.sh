# Bad input gets a one-line error naming what was wrong, the right exit status, and leaves the
# stored tickets exactly as they were.
. "$(dirname "$0")/lib.sh"
wb demo --tickets 30 >/dev/null || fail "demo"
snapshot() { wb ticket list --status all --limit 0 --json; wb ticket show 3 --json; }
snapshot >"$T/before"
sum_before=$(sqlite3 "$DB" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null; md5sum <"$DB")

expect_exit 2 wb ticket set 3 --status finished
expect_err "unknown status 'finished'"
expect_exit 2 wb ticket new --subject hello --requester not-an-address
expect_err "malformed email address 'not-an-address'"
printf 'caf\351 au lait\n' >"$T/latin1.txt"
expect_exit 2 wb ticket note 3 --body-file "$T/latin1.txt"
expect_err "not valid UTF-8"
expect_exit 2 wb ticket new --subject "$(printf 'bad \377 subject')" --requester a@example.com
expect_err "subject is not valid UTF-8"
head -c 10485760 /dev/zero | tr '\0' 'x' >"$T/big.txt"
expect_exit 2 wb ticket reply 3 --body-file "$T/big.txt"
expect_err "too large"
expect_exit 1 wb ticket reply 424242 --body hi
expect_err "no ticket #424242"
expect_exit 1 wb ticket set 1 2 424242 --priority P1
expect_err "no ticket #424242"
expect_exit 2 wb ticket set 3 --colour red
expect_err "unknown option '--colour'"
expect_exit 2 wb ticket new --subject x --requester a@example.com --priority P9
expect_err "unknown priority 'P9'"

snapshot >"$T/after"
cmp -s "$T/before" "$T/after" || { diff "$T/before" "$T/after" | head; fail "stored tickets changed"; }
sqlite3 "$DB" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
[ "$(md5sum <"$DB")" = "$sum_before" ] || fail "database file changed"
echo ok

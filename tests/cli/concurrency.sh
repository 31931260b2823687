# Two operators' processes creating 1,000 tickets each at the same time lose none.
. "$(dirname "$0")/lib.sh"
wb db init >/dev/null || fail "init"
wb user add second --role operator >/dev/null || fail "user add"
make_many() {
	who=$1
	i=0
	while [ $i -lt 1000 ]; do
		WEIBAO_USER=$who "$WEIBAO" --db "$DB" ticket new --subject "$who $i 并发测试" --requester "$who@example.com" \
			>/dev/null 2>>"$T/$who.err" || echo "$i" >>"$T/$who.failed"
		i=$((i + 1))
	done
}
make_many tester & p1=$!
make_many second & p2=$!
wait $p1 $p2
[ ! -s "$T/tester.failed" ] || fail "tester: $(wc -l <"$T/tester.failed") failed: $(head -3 "$T/tester.err")"
[ ! -s "$T/second.failed" ] || fail "second: $(wc -l <"$T/second.failed") failed: $(head -3 "$T/second.err")"
n=$(sqlite3 "$DB" "SELECT count(*) FROM tickets")
[ "$n" = 2000 ] || fail "$n tickets stored, want 2000"
for who in tester second; do
	m=$(sqlite3 "$DB" "SELECT count(DISTINCT subject) FROM tickets WHERE subject LIKE '$who %'")
	[ "$m" = 1000 ] || fail "$who: $m distinct tickets"
done
wb db check | grep -qx ok || fail "integrity"
echo ok

# Two operators' processes creating 1,000 tickets each at the same time lose none; and many
# short-lived processes starting at once all get through.
. "$(dirname "$0")/lib.sh"
wb db init >/dev/null || fail "init"
wb user add second --role operator >/dev/null || fail "user add"
for who in tester second; do
	i=0
	while [ $i -lt 1000 ]; do printf '%s %d 并发测试\t%s@example.com\tP%d\n' "$who" $i "$who" $((i % 4 + 1)); i=$((i + 1)); done >"$T/$who.tsv"
done
# each ticket is its own transaction, so the two writers interleave for the whole run
WEIBAO_USER=tester "$WEIBAO" --db "$DB" ticket import "$T/tester.tsv" >"$T/tester.ids" 2>"$T/tester.err" & p1=$!
WEIBAO_USER=second "$WEIBAO" --db "$DB" ticket import "$T/second.tsv" >"$T/second.ids" 2>"$T/second.err" & p2=$!
wait $p1 || fail "tester: $(cat "$T/tester.err")"
wait $p2 || fail "second: $(cat "$T/second.err")"
[ "$(sort -u "$T/tester.ids" "$T/second.ids" | wc -l)" = 2000 ] || fail "ids handed out: $(cat "$T"/*.ids | wc -l)"
# they really ran at the same time: their ids interleave
first_second=$(head -1 "$T/second.ids"); last_tester=$(tail -1 "$T/tester.ids")
[ "$first_second" -lt "$last_tester" ] || echo "note: the two imports did not overlap on this machine"
n=$(sqlite3 "$DB" "SELECT count(*) FROM tickets")
[ "$n" = 2000 ] || fail "$n tickets stored, want 2000"
for who in tester second; do
	m=$(sqlite3 "$DB" "SELECT count(DISTINCT subject) FROM tickets WHERE subject LIKE '$who %'")
	[ "$m" = 1000 ] || fail "$who: $m distinct tickets"
done
# 20 processes at once, one ticket each
i=0
while [ $i -lt 20 ]; do
	"$WEIBAO" --db "$DB" ticket new --subject "burst $i" --requester "burst@example.com" >/dev/null 2>>"$T/burst.err" || echo x >>"$T/burst.failed" &
	i=$((i + 1))
done
wait
[ ! -s "$T/burst.failed" ] || fail "burst: $(head -3 "$T/burst.err")"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM tickets WHERE subject LIKE 'burst %'")" = 20 ] || fail "burst lost tickets"
wb db check | grep -qx ok || fail "integrity"
echo ok

#!/bin/sh
# weibao report and weibao automate through the real binary on a small desk worked out by hand.
#
# Desk in UTC, Mon-Fri 09:00-18:00, holiday Thu 2026-10-01; SLA "standard" P3: first response 4
# business hours, resolution 45 (five days).
#   N1 bug/email, Fri 10-02 10:00; reply 11:00 (20 min) -> met, 3600 s; resolved Mon 10-05 10:00,
#      fixed in 1.0.1 (due Fri 10-09 10:00) -> met, 259200 s.
#   N2 security/web, Sat 10-03 10:00: response due Mon 10-05 13:00, unanswered -> overdue at now;
#      resolution due Fri 10-09 18:00 -> pending. Open: backlog 1, aged 3d 2h (3-7 days).
#   N3 question/phone, on the holiday 10-01 09:00: response due Fri 10-02 13:00; call 15:00 -> late,
#      108000 s; resolved 16:00 (due Thu 10-08 18:00) -> met, 111600 s; closed 17:00; rated 5.
# Report for 2026-10 at Tue 10-06 12:00: opened 3, closed 2; response times 3600 and 108000 ->
#   median (position 1) 3600, p90 (position 2) 108000; response SLA 1 met, 1 late, 1 overdue = 33.3%;
#   resolution SLA 2 met, 1 pending = 100.0%; backlog 1; 20 minutes worked; one rating of 5.
set -u
W=${WEIBAO:?}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/config" <<'CFG'
[desk]
timezone = UTC
[sla]
workdays = mon-fri
hours = 09:00-18:00
holidays = 2026-10-01
CFG
export WEIBAO_CONFIG="$tmp/config" WEIBAO_DB="$tmp/desk.db" WEIBAO_USER=admin
fail() { echo "FAIL: $*"; exit 1; }
at() { WEIBAO_NOW=$1; export WEIBAO_NOW; }
run() { "$W" "$@" >/dev/null || fail "weibao $*"; }

at 2026-10-01T09:00:00Z
run ticket new --subject "查询账单" --kind question --channel phone --phone 13800138000
at 2026-10-02T10:00:00Z
run ticket new --subject "Login fails" --kind bug --channel email --requester wang@example.com
at 2026-10-02T11:00:00Z
run ticket reply 2 --body "Looking into it" --minutes 20
run ticket set 2 --status in_progress
at 2026-10-02T15:00:00Z
run ticket call 1 --body "explained the bill"
run ticket set 1 --status in_progress
at 2026-10-02T16:00:00Z
run ticket set 1 --status resolved
at 2026-10-02T17:00:00Z
run ticket set 1 --status closed
run ticket rate 1 5
at 2026-10-03T10:00:00Z
run ticket new --subject "OpenSSL update" --kind security --channel web --requester ops@example.com
at 2026-10-05T10:00:00Z
run ticket set 2 --status resolved --fixed 1.0.1

at 2026-10-06T12:00:00Z
"$W" report --period 2026-10 --format json >"$tmp/r.json" || fail "report json"
/usr/bin/python3 - "$tmp/r.json" <<'PY' || fail "json figures"
import json, sys
r = json.load(open(sys.argv[1]))
want = {
    ("opened",): 3, ("closed",): 2,
    ("by_kind", "bug", "opened"): 1, ("by_kind", "question", "closed"): 1,
    ("by_channel", "phone", "opened"): 1, ("by_channel", "web", "closed"): 0,
    ("first_response", "tickets"): 2, ("first_response", "median_secs"): 3600,
    ("first_response", "p90_secs"): 108000,
    ("resolution", "tickets"): 2, ("resolution", "median_secs"): 111600, ("resolution", "p90_secs"): 259200,
    ("sla", "first_response", "met"): 1, ("sla", "first_response", "late"): 1,
    ("sla", "first_response", "overdue"): 1, ("sla", "first_response", "compliance_pct"): 33.3,
    ("sla", "resolution", "met"): 2, ("sla", "resolution", "pending"): 1,
    ("sla", "resolution", "compliance_pct"): 100.0,
    ("security_updates", "pending"): 1, ("backlog", "tickets"): 1, ("backlog", "3to7d"): 1,
    ("minutes_worked",): 20, ("satisfaction", "ratings"): 1, ("satisfaction", "average"): 5.0,
    ("bugs_fixed", 0, "version"): "1.0.1", ("reopened",): 0,
}
bad = []
for path, v in want.items():
    x = r
    for k in path:
        x = x[k]
    if x != v:
        bad.append("%s = %r, want %r" % ("/".join(map(str, path)), x, v))
assert len(r["opened_daily"]) == 31 and sum(r["opened_daily"]) == 3, r["opened_daily"]
if bad:
    print("\n".join(bad)); sys.exit(1)
PY

# HTML: parses, every element closed, one <svg> per chart, the Chinese subject-free labels escaped
"$W" report --period 2026-10 --format html --output "$tmp/r.html" || fail "report html"
/usr/bin/python3 - "$tmp/r.html" <<'PY' || fail "html does not parse"
import sys
from html.parser import HTMLParser
VOID = {"meta", "br", "img", "hr", "input", "link"}
class P(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.svgs, self.titles, self.errors = [], 0, [], []
        self.in_title = False
    def handle_starttag(self, tag, attrs):
        if tag == "script" or any(a in ("src", "href") for a, _ in attrs):
            self.errors.append("external or script: %s" % tag)
        if tag == "svg":
            self.svgs += 1
        if tag == "title" and "svg" in self.stack:
            self.in_title = True
        if tag not in VOID:
            self.stack.append(tag)
    def handle_startendtag(self, tag, attrs):
        pass
    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append("</%s> closes %s" % (tag, self.stack[-1:] or "nothing"))
        else:
            self.stack.pop()
        self.in_title = False
    def handle_data(self, d):
        if self.in_title:
            self.titles.append(d)
p = P()
p.feed(open(sys.argv[1], encoding="utf-8").read())
p.close()
assert not p.errors, p.errors
assert not p.stack, p.stack
assert p.svgs == 8, p.svgs
for t in ["Tickets by kind", "Tickets by channel", "Opened per day", "Closed per day", "SLA compliance",
          "Backlog at period end by age", "Time worked by organisation", "Satisfaction ratings"]:
    assert t in p.titles, (t, p.titles)
PY

"$W" report --period 2026-10 --format csv >"$tmp/r.csv" || fail "report csv"
for line in "summary,opened,value,3" "sla,first_response,late,1" "times,resolution,p90_secs,259200" \
	"worked,,minutes,20" "satisfaction,5,ratings,1"; do
	grep -qx "$line" "$tmp/r.csv" || fail "csv lacks $line"
done
"$W" report --period 2026-10 >"$tmp/r.txt" || fail "report text"
grep -q "Maintenance report 2026-10" "$tmp/r.txt" || fail "text title"
grep -Eq "first response SLA met +33.3%" "$tmp/r.txt" || fail "text compliance"
"$W" report --period 2026-10 --format md | grep -q "^| first response | 2 | 1h 0m | 1d 6h |$" || fail "md times"
"$W" report --from 2026-10-02 --to 2026-10-02 --format json | grep -q '"opened":1,"closed":1' || fail "custom range"
"$W" report --period 2026-W40 --format json | grep -q '"first_day":"2026-09-28","last_day":"2026-10-04"' \
	|| fail "iso week"

# usage errors exit 2, an unknown organisation 1, mail without an outbox 1 with a clear message
"$W" report --period 2026-13 2>"$tmp/err"; [ $? -eq 2 ] || fail "bad period status"
grep -q "2026-13" "$tmp/err" || fail "bad period message"
"$W" report --format pdf 2>/dev/null; [ $? -eq 2 ] || fail "bad format status"
"$W" report --from 2026-10-01 2>/dev/null; [ $? -eq 2 ] || fail "--from without --to"
"$W" report --org Nobody 2>"$tmp/err"; [ $? -eq 1 ] || fail "unknown org status"
"$W" report --mail-to boss@example.com 2>"$tmp/err"; [ $? -eq 1 ] || fail "mail status"
grep -q "mail is not configured" "$tmp/err" || fail "mail message: $(cat "$tmp/err")"

# automate: N2's first response is breached (recorded once); N1 closes 7 days after it was resolved
at 2026-10-13T12:00:00Z
"$W" automate --dry-run >"$tmp/a0" || fail "automate dry run"
"$W" automate --dry-run >"$tmp/a1" || fail "automate dry run 2"
cmp -s "$tmp/a0" "$tmp/a1" || fail "a dry run changed something"
grep -q "^#3	sla_breached response	would do$" "$tmp/a0" || fail "dry run: $(cat "$tmp/a0")"
grep -q "^#2	close	would do$" "$tmp/a0" || fail "dry run close: $(cat "$tmp/a0")"
"$W" automate >"$tmp/a2" || fail "automate"
grep -q "^#3	sla_breached response	done$" "$tmp/a2" || fail "automate: $(cat "$tmp/a2")"
grep -q "^#2	close	done$" "$tmp/a2" || fail "automate close: $(cat "$tmp/a2")"
"$W" automate >"$tmp/a3" || fail "automate again"
[ "$(cat "$tmp/a3")" = "nothing to do" ] || fail "second run did something: $(cat "$tmp/a3")"
"$W" ticket show 2 --json | grep -q '"status":"closed"' || fail "N1 not closed"
"$W" ticket show 3 --json | grep -q 'SLA: response breached' || fail "no escalation event on N2"
exit 0

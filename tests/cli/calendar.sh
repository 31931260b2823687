#!/bin/sh
# The maintenance calendar through the real binary: a plan, idempotent generation, a checklist,
# a missed task, a window marking tickets, and an .ics export imported into a second desk.
# Exit 0 pass, 77 skip, anything else fail.
[ -x "$WEIBAO" ] || { echo "no weibao binary at $WEIBAO"; exit 77; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
export XDG_CONFIG_HOME="$tmp" WEIBAO_USER=alice WEIBAO_CONFIG= LANGUAGE=C
unset WEIBAO_CONFIG
db="$tmp/desk.db"
w() { "$WEIBAO" --db "$db" "$@"; }
fail() { echo "FAIL: $*"; exit 1; }
expect() { # expect "what" "needle" "haystack"
	case $3 in *"$2"*) ;; *) printf 'FAIL: %s: wanted "%s" in:\n%s\n' "$1" "$2" "$3"; exit 1;; esac
}

export WEIBAO_NOW=2026-11-25T01:00:00Z # Wednesday 09:00 in Shanghai
w org add Acme --timezone Asia/Shanghai >/dev/null || fail "org add"
w system add erp --org Acme >/dev/null || fail "system add"
w queue add Maintenance >/dev/null || fail "queue add"

id=$(w plan add --name "daily inspection" --system erp --rule "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR" \
	--start 2026-11-23T09:00 --duration 30 --except 2026-11-30 \
	--checklist "disk space under 80%|error log reviewed|database vacuumed") || fail "plan add"
[ "$id" = 1 ] || fail "plan add printed '$id'"

out=$(w plan list); expect "plan list" "every weekday at 09:00" "$out"
out=$(w plan show 1); expect "plan show zone" "Asia/Shanghai" "$out"   # the organisation's zone by default
expect "plan show checklist" "3. database vacuumed" "$out"
expect "plan show next skips the exception" "2026-12-01 09:00" "$out"
case $out in *"2026-11-30 09:00"*) fail "2026-11-30 is an exception date";; esac

# bad input: usage errors exit 2 and name the value
w plan add --name x --system erp --rule "FREQ=FORTNIGHTLY" --start 2026-12-01T09:00 2>"$tmp/err"; rc=$?
[ $rc = 2 ] || fail "bad rule exit $rc"
expect "bad rule message" "FORTNIGHTLY" "$(cat "$tmp/err")"
w plan add --name x --system nosuch --rule "FREQ=DAILY" --start 2026-12-01T09:00 2>/dev/null; rc=$?
[ $rc = 1 ] || fail "unknown system exit $rc"

# generation: 7 days from today = Wed, Thu, Fri, (Mon 30 is excepted), Tue
out=$(w calendar generate --days 7) || fail "generate"
expect "generate" "4 maintenance tasks created" "$out"
out=$(w calendar generate --days 7); expect "generate again" "0 maintenance tasks created" "$out"
n=$(w ticket list --kind maintenance --csv | tail -n +2 | wc -l)
[ "$n" = 4 ] || fail "expected 4 maintenance tickets, got $n"
out=$(w ticket list --kind maintenance --queue Maintenance); expect "task subject" "daily inspection 2026-11-25" "$out"

# the checklist of today's task (ticket 1)
w plan done 1 1 --result ok || fail "done 1"
w plan done 1 2 --result failed --note "disk errors in dmesg" || fail "done 2"
w plan done 1 9 --result ok 2>/dev/null && fail "item 9 accepted"
w plan done 1 1 --result great 2>/dev/null && fail "result 'great' accepted"
out=$(w plan checklist 1); expect "checklist failed item" "[failed] error log reviewed" "$out"
expect "checklist who" "alice" "$out"
w plan done 1 2 --result ok && w plan done 1 3 --result note --note "vacuumed, 2 GB freed" || fail "done 2/3"
out=$(w ticket show 1 --json); expect "task resolved" '"status":"resolved"' "$out"
out=$(w plan checklist 1 --json); expect "checklist json" '"result":"note","note":"vacuumed, 2 GB freed","by":"alice"' "$out"

# Thursday's task was not done by 09:30: missed; Friday's is open
export WEIBAO_NOW=2026-11-26T02:00:00Z
out=$(w calendar --from 2026-11-25 --to 2026-11-27 --json)
expect "done" '"date":"2026-11-25","start":"2026-11-25T01:00:00Z","end":"2026-11-25T01:30:00Z","status":"done"' "$out"
expect "missed" '"date":"2026-11-26","start":"2026-11-26T01:00:00Z","end":"2026-11-26T01:30:00Z","status":"missed"' "$out"
expect "open" '"date":"2026-11-27","start":"2026-11-27T01:00:00Z","end":"2026-11-27T01:30:00Z","status":"open"' "$out"
out=$(w calendar today); expect "today counts" "open 0, missed 1" "$out"

# a window: tickets opened during it are marked
wid=$(w window add --system erp --start "2026-11-26 09:30" --end "2026-11-26 11:00" --title "ERP upgrade" --announce) \
	|| fail "window add"
w window add --system erp --start 2026-11-26T12:00 --end 2026-11-26T11:00 --title bad 2>/dev/null && fail "window ending before its start"
out=$(w window list --json); expect "window list" '"title":"ERP upgrade","start":"2026-11-26T01:30:00Z"' "$out"
inwin=$(w ticket new --subject "ERP is slow" --system erp --requester li@acme.example) || fail "ticket new"
export WEIBAO_NOW=2026-11-26T03:00:00Z
outwin=$(w ticket new --subject "ERP is slow again" --system erp --requester li@acme.example) || fail "ticket new"
if command -v sqlite3 >/dev/null; then
	got=$(sqlite3 "$db" "SELECT id || ':' || in_window FROM tickets WHERE id IN ($inwin, $outwin) ORDER BY id" | tr '\n' ' ')
	[ "$got" = "$inwin:1 $outwin:0 " ] || fail "in_window marks: $got"
fi
out=$(w calendar --from 2026-11-26 --to 2026-11-26); expect "window in the agenda" "ERP upgrade" "$out"

# iCalendar: export, import into another desk, the same agenda; importing again adds nothing
w calendar export --ics "$tmp/maint.ics" || fail "export"
head -1 "$tmp/maint.ics" | grep -q "^BEGIN:VCALENDAR" || fail "not an iCalendar file"
grep -q "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR" "$tmp/maint.ics" || fail "no RRULE in the export"
db2="$tmp/other.db"
"$WEIBAO" --db "$db2" org add Beta --timezone Asia/Shanghai >/dev/null && "$WEIBAO" --db "$db2" system add crm --org Beta >/dev/null \
	|| fail "second desk"
out=$("$WEIBAO" --db "$db2" calendar import --ics "$tmp/maint.ics" --system crm) || fail "import"
expect "import counts" "1 plans and 1 windows imported, 0 already there" "$out"
out=$("$WEIBAO" --db "$db2" calendar import --ics "$tmp/maint.ics" --system crm)
expect "import again" "0 plans and 0 windows imported, 2 already there" "$out"
a=$(w calendar --from 2026-12-01 --to 2026-12-31 --json | grep -o '"start":"[^"]*","end":"[^"]*"' | sort)
b=$("$WEIBAO" --db "$db2" calendar --from 2026-12-01 --to 2026-12-31 --json | grep -o '"start":"[^"]*","end":"[^"]*"' | sort)
[ -n "$a" ] && [ "$a" = "$b" ] || fail "imported agenda differs:
$a
---
$b"
out=$("$WEIBAO" --db "$db2" plan show 1); expect "imported checklist" "2. error log reviewed" "$out"
printf 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:nonsense\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n' >"$tmp/bad.ics"
w calendar import --ics "$tmp/bad.ics" --system erp 2>"$tmp/err" && fail "bad .ics accepted"
expect "bad ics message" "DTSTART" "$(cat "$tmp/err")"

# changing the schedule: future tasks nobody touched are cancelled (closed), the next run follows the change
fri=$(w ticket list --kind maintenance --csv | grep "2026-11-27" | cut -d, -f1)
[ -n "$fri" ] || fail "no task for 2026-11-27"
w plan set 1 --start 2026-11-23T10:00 --checklist "backup verified" || fail "plan set"
out=$(w plan show 1); expect "plan set checklist" "1. backup verified" "$out"
expect "plan set schedule" "every weekday at 10:00" "$out"
w plan set 1 --kind cleaning 2>/dev/null && fail "plan set accepted kind 'cleaning'"
out=$(w ticket show "$fri" --json); expect "untouched task cancelled" '"status":"closed"' "$out"
out=$(w calendar generate --days 7); expect "generate after change" "3 maintenance tasks created" "$out"
out=$(w calendar --from 2026-11-27 --to 2026-11-27 --json); expect "new time" '"start":"2026-11-27T02:00:00Z"' "$out"
case $out in *'"start":"2026-11-27T01:00:00Z"'*) fail "the old task still shows";; esac

# removing a plan stops generation; the history stays
w plan remove 1 || fail "remove"
out=$(w plan list); case $out in *"daily inspection"*) fail "removed plan still listed";; esac
out=$(w calendar generate --days 30); expect "no generation after remove" "0 maintenance tasks created" "$out"
out=$(w plan list --all); expect "plan list --all" "daily inspection" "$out"
echo "calendar: ok"

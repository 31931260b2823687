#!/bin/sh
# weibao ticket list --opened-from/--opened-to/--resolved-from/--resolved-to/--channel: whole local days
# of the desk's zone (Asia/Shanghai here, UTC+8), both ends included; the list holds the same tickets
# as the report's figure for that period and channel. Bad dates and channels: one line, exit 2.
#   1 phone   2026-10-01 00:30 local (still 09-30 in UTC)      -> in October
#   2 phone   2026-10-31 23:59 local                           -> in October
#   3 phone   2026-11-01 00:00 local (still 10-31 in UTC)      -> not in October
#   4 email   2026-10-10 10:00 local                           -> October, not phone
#   5 phone   2026-10-12 10:00 local, resolved 10-13 09:00    -> October, resolved (shown: a period
#                                                                 lists every status by default)
. "$(dirname "$0")/lib.sh"
cat >"$WEIBAO_CONFIG" <<'CFG'
[desk]
timezone = Asia/Shanghai
CFG
at() { WEIBAO_NOW=$1; export WEIBAO_NOW; }
new() { wb ticket new --subject "$1" --kind question --channel "$2" --requester c@example.com >/dev/null || fail "new $1"; }
at 2026-09-30T16:30:00Z; new "one" phone
at 2026-10-31T15:59:00Z; new "two" phone
at 2026-10-31T16:00:00Z; new "three" phone
at 2026-10-10T02:00:00Z; new "four" email
at 2026-10-12T02:00:00Z; new "five" phone
at 2026-10-13T01:00:00Z
wb ticket set 5 --status in_progress >/dev/null || fail "in progress"
wb ticket set 5 --status resolved >/dev/null || fail "resolve"
at 2026-11-20T12:00:00Z

# ids TEXT...: the ids `ticket list --csv` prints for these options, sorted, on one line
ids() { wb ticket list --csv --limit 0 "$@" | tail -n +2 | cut -d, -f1 | sort -n | tr '\n' ' '; }
got=$(ids --opened-from 2026-10-01 --opened-to 2026-10-31 --channel phone)
[ "$got" = "1 2 5 " ] || fail "October by phone: '$got', want '1 2 5 '"
# the same number as the report's figure
n=$(wb report --period 2026-10 --format json | /usr/bin/python3 -c \
	'import json,sys; print(json.load(sys.stdin)["by_channel"]["phone"]["opened"])') || fail "report"
[ "$n" = 3 ] || fail "the report counts $n phone tickets in October"
got=$(ids --opened-from 2026-10-01 --opened-to 2026-10-31)
[ "$got" = "1 2 4 5 " ] || fail "October: '$got'"
got=$(ids --opened-from 2026-11-01)
[ "$got" = "3 " ] || fail "from November: '$got'"
got=$(ids --opened-to 2026-09-30)
[ "$got" = "" ] || fail "until September: '$got'"
got=$(ids --opened-from 2026-10-01 --opened-to 2026-10-31 --channel phone --status open)
[ "$got" = "1 2 " ] || fail "open ones: '$got'"
got=$(ids --resolved-from 2026-10-13 --resolved-to 2026-10-13)
[ "$got" = "5 " ] || fail "resolved on 10-13: '$got'"
got=$(ids --resolved-from 2026-10-14)
[ "$got" = "" ] || fail "resolved from 10-14: '$got'"
got=$(ids --channel email)
[ "$got" = "4 " ] || fail "email: '$got'"

# bad input: one line naming the value, status 2
expect_exit 2 wb ticket list --opened-from 2026-02-30
expect_err "2026-02-30"
expect_exit 2 wb ticket list --opened-to 10/31/2026
expect_err "10/31/2026"
expect_exit 2 wb ticket list --resolved-from yesterday
expect_err "yesterday"
expect_exit 2 wb ticket list --channel fax
expect_err "fax"
expect_exit 2 wb ticket list --opened-from 2026-10-31 --opened-to 2026-10-01
expect_err "2026-10-01"
exit 0

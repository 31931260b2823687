# The console in Chinese (LANGUAGE=zh_CN under C.UTF-8, and `language = zh_CN` in the config under LANG=C):
# the welcome line, column titles, the help screen and ticket view come from the catalogue, and the columns
# stay aligned under their two-cell-per-character titles at 80x24 and 132x43.
. "$(dirname "$0")/tmux.inc"
TOP=$(cd "$(dirname "$0")/../.." && pwd)
export WEIBAO_LOCALEDIR="$TOP/build/locale"
[ -f "$WEIBAO_LOCALEDIR/zh_CN/LC_MESSAGES/weibao.mo" ] || fail "no catalogue in $WEIBAO_LOCALEDIR (make)"
command -v gettext >/dev/null 2>&1 || { echo "gettext is not installed"; exit 77; }
# what the catalogue says, asked of gettext(1) rather than of weibao
zh() { TEXTDOMAINDIR="$WEIBAO_LOCALEDIR" LC_ALL=C.UTF-8 LANGUAGE=zh_CN gettext weibao "$1"; }
# the first N characters (not bytes)
first() { printf '%s' "$2" | python3 -c 'import sys; print(sys.stdin.read()[:int(sys.argv[1])])' "$1"; }
wb demo --tickets 120 >/dev/null || fail "demo"

welcome=$(first 8 "$(zh "Welcome. Enter opens a ticket, t takes it, c logs a phone call, ? shows every key.")")
subject=$(zh "Subject") requester=$(zh "Requester") status=$(zh "Status")
for w in "$welcome" "$subject" "$requester" "$status"; do
	printf '%s' "$w" | LC_ALL=C grep -q '[^ -~]' || fail "the catalogue has no Chinese for '$w'"
done

check_alignment() {
	python3 - "$T/screen" "$subject" "$requester" "$status" <<'PY' || fail "columns are not aligned"
import sys, unicodedata
def wide(c):
    return unicodedata.east_asian_width(c) in "WF"
def cells(line):
    out = []   # one entry per terminal cell; a wide character's second cell is None
    for c in line:
        out.append(c)
        if wide(c):
            out.append(None)
    return out
def text(row):
    return "".join(c if c else "\0" for c in row)
lines = [cells(l) for l in open(sys.argv[1], encoding="utf-8").read().split("\n")]
names = [text(cells(n)) for n in sys.argv[2:]]
head = next(i for i, l in enumerate(lines) if all(text(l).find(n) >= 0 for n in names[:2]))
h = lines[head]
assert "Subject" not in text(h) and "Requester" not in text(h), "English titles: " + text(h)
want = {n: text(h).find(n) for n in names}
hash_at = text(h).find("#")
rows = [l for l in lines[head + 1:]
        if "".join(c or "" for c in l[hash_at - 5:hash_at + 1]).strip().lstrip("*").isdigit()]
assert len(rows) >= 10, len(rows)
assert [r for r in rows if None in r[want[names[0]]:want[names[1]]]], "no row with Chinese text on screen"
for r in rows:
    for n, at in want.items():
        # each column starts exactly under its title, after a blank cell, never inside a wide character
        assert r[at] not in (" ", None), (n, "".join(c or "" for c in r))
        assert r[at - 1] == " ", (n, "".join(c or "" for c in r))
print("aligned rows:", len(rows))
PY
}

start 80 24 LANGUAGE=zh_CN
wait_for "$welcome"
check_alignment
send "?"
wait_for "$(first 6 "$(zh " weibao help — every key, from the key table" | sed 's/^ //')")"
wait_for "$(zh "Log a phone call")"
send q
wait_for "$subject"
send Enter
wait_for "$(zh "Requester")"
send q q
[ "$(wait_exit)" = 0 ] || fail "exit status"

# the operator's config chooses Chinese even when the environment says C
printf '[desk]\nlanguage = zh_CN\n' >"$WEIBAO_CONFIG"
start 132 43 LANG=C LC_ALL=C
wait_for "$welcome"
wait_for "$(zh "Unassigned")"
check_alignment
send q
[ "$(wait_exit)" = 0 ] || fail "exit status"

# The demo queue shows at 80x24 and at 132x43, and Chinese subjects (two cells a character) keep
# every column aligned with their neighbours.
. "$(dirname "$0")/tmux.inc"
wb demo --tickets 120 >/dev/null || fail "demo"

check_alignment() {
	python3 - "$T/screen" <<'PY' || fail "columns are not aligned"
import sys, unicodedata
def wide(c):
    return unicodedata.east_asian_width(c) in "WF"
def cells(line):
    # one entry per terminal cell; a wide character's second cell is None
    out = []
    for c in line:
        out.append(c)
        if wide(c):
            out.append(None)
    return out
lines = [cells(l) for l in open(sys.argv[1], encoding="utf-8").read().split("\n")]
def find(row, word):
    s = "".join(c if c else "\0" for c in row)
    return s.find(word)
head = next(i for i, l in enumerate(lines) if find(l, "Subject") >= 0 and find(l, "Requester") >= 0)
h = lines[head]
want = {name: find(h, name) for name in ("Subject", "Requester", "Status")}
hash_at = find(h, "#")
rows = [l for l in lines[head + 1:]
        if "".join(c or "" for c in l[hash_at - 5:hash_at + 1]).strip().lstrip("*").isdigit()]
assert len(rows) >= 10, len(rows)
cjk = [r for r in rows if None in r[want["Subject"]:want["Requester"]]]
narrow = [r for r in rows if None not in r]
assert cjk, "no row with Chinese text on screen"
assert narrow, "no row without Chinese text on screen"
for r in rows:
    for name, at in want.items():
        # each column starts exactly under its title, after a blank cell, never inside a wide character
        assert r[at] not in (" ", None), (name, "".join(c or "" for c in r))
        assert r[at - 1] == " ", (name, "".join(c or "" for c in r))
print("aligned rows:", len(rows), "with Chinese:", len(cjk))
PY
}

start 80 24
wait_for "Welcome"
wait_for "mine 0"
check_alignment
grep -q "Terminal too small" "$T/screen" && fail "80x24 is big enough"
send q
[ "$(wait_exit)" = 0 ] || fail "q at the top did not quit cleanly"

start 132 43
wait_for "Welcome"
wait_for "Unassigned"      # the side list of views shows on a wide terminal
grep -q "Kind" "$T/screen" || fail "the wide list has no Kind column"
grep -q "Queues" "$T/screen" || fail "no queue views in the side list"
check_alignment
# G goes to the last ticket (the same one the command line lists last), g back to the first
last=$(wb ticket list --limit 0 --csv | tail -1 | cut -d, -f1)
first=$(wb ticket list --limit 1 --csv | tail -1 | cut -d, -f1)
[ -n "$last" ] && [ -n "$first" ] || fail "ticket list --csv"
send G Enter
wait_for "#$last  "
send q g Enter
wait_for "#$first  "
send q
wait_for "Requester"
send q
[ "$(wait_exit)" = 0 ] || fail "quit"

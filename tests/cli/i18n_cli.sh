#!/bin/sh
# The interface speaks Chinese when asked: by LANGUAGE, by a LANG naming a locale this machine may not have
# installed, or by the config's `language =` (which also wins over the environment). `weibao ticket list`
# keeps its columns aligned in Chinese (a CJK character is two cells).
top=${WB_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
W=${WEIBAO:-$top/weibao}
PY=/usr/bin/python3
[ -x "$PY" ] || { echo "python3 is missing"; exit 77; }
command -v gettext >/dev/null 2>&1 || { echo "gettext is missing (make deps)"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export WEIBAO_LOCALEDIR="$top/build/locale" HOME="$tmp" XDG_CONFIG_HOME="$tmp/cfg" XDG_DATA_HOME="$tmp/data"
export WEIBAO_NOW=2026-11-25T10:00:00Z WEIBAO_USER=root
unset WEIBAO_CONFIG WEIBAO_DB LANGUAGE LC_MESSAGES
[ -f "$WEIBAO_LOCALEDIR/zh_CN/LC_MESSAGES/weibao.mo" ] || { echo "no catalogue in $WEIBAO_LOCALEDIR (make)"; exit 1; }
fail=0

en="With no command, weibao opens the full-screen console."
# the expected Chinese comes from the catalogue itself, through gettext(1), not from weibao
zh=$(TEXTDOMAINDIR="$WEIBAO_LOCALEDIR" LC_ALL=C.UTF-8 LANGUAGE=zh_CN gettext weibao "$en")
[ "$zh" != "$en" ] || { echo "the catalogue has no Chinese for: $en"; exit 1; }

# speaks LABEL EXPECTED ENV... -- weibao ARGS: runs env -i with ENV and checks --help's second line
speaks() {
	label=$1 want=$2
	shift 2
	out=$(env -i PATH="$PATH" HOME="$HOME" XDG_CONFIG_HOME="$XDG_CONFIG_HOME" \
		WEIBAO_LOCALEDIR="$WEIBAO_LOCALEDIR" "$@" --help 2>&1)
	got=$(printf '%s\n' "$out" | sed -n 3p)
	if [ "$got" != "$want" ]; then
		echo "FAIL $label: expected '$want', got:"
		printf '%s\n' "$out" | head -5 | sed 's/^/    /'
		fail=1
	else
		echo "ok   $label"
	fi
}

speaks "LANG=C.UTF-8 LANGUAGE=zh_CN" "$zh" LANG=C.UTF-8 LANGUAGE=zh_CN "$W"
speaks "LC_ALL=C.UTF-8 LANGUAGE=zh_CN" "$zh" LC_ALL=C.UTF-8 LANGUAGE=zh_CN "$W"
speaks "LANG=C.UTF-8 alone" "$en" LANG=C.UTF-8 "$W"
# zh_CN.UTF-8 need not be installed (locale -a): weibao still answers in Chinese
speaks "LANG=zh_CN.UTF-8" "$zh" LANG=zh_CN.UTF-8 "$W"
speaks "LC_MESSAGES=zh_CN.UTF-8" "$zh" LANG=C.UTF-8 LC_MESSAGES=zh_CN.UTF-8 "$W"

mkdir -p "$tmp/cfg/weibao"
printf '[desk]\nlanguage = zh_CN\n' >"$tmp/zh.ini"
printf '[desk]\nlanguage = en\n' >"$tmp/en.ini"
speaks "config language = zh_CN under LANG=C" "$zh" LANG=C "$W" --config "$tmp/zh.ini"
speaks "config language = zh_CN with no locale at all" "$zh" "$W" --config "$tmp/zh.ini"
speaks "config language = zh_CN via WEIBAO_CONFIG" "$zh" LANG=C.UTF-8 WEIBAO_CONFIG="$tmp/zh.ini" "$W"
speaks "config language = en over LANGUAGE=zh_CN" "$en" LANG=C.UTF-8 LANGUAGE=zh_CN "$W" --config "$tmp/en.ini"
speaks "config language = en over LANG=zh_CN.UTF-8" "$en" LANG=zh_CN.UTF-8 "$W" --config "$tmp/en.ini"

# ticket list: every heading starts in the same display column as the cells under it
db="$tmp/desk.db"
LC_ALL=C.UTF-8 "$W" --db "$db" demo --tickets 60 >/dev/null || { echo "demo failed"; exit 1; }
for lang in zh_CN en; do
	LC_ALL=C.UTF-8 LANGUAGE=$lang "$W" --db "$db" ticket list --status all --limit 0 >"$tmp/list.$lang" ||
		{ echo "ticket list failed ($lang)"; fail=1; continue; }
	"$PY" - "$tmp/list.$lang" "$lang" <<'PYEOF' || fail=1
import sys, unicodedata
path, lang = sys.argv[1], sys.argv[2]
try:
    lines = open(path, encoding="utf-8").read().splitlines()
except UnicodeDecodeError as e:
    sys.exit(f"{lang}: ticket list printed invalid UTF-8 (a character cut in half?): {e}")
def cells(s):
    """[(column, char)]: wide and fullwidth characters take two cells."""
    out, col = [], 0
    for ch in s:
        out.append((col, ch))
        col += 2 if unicodedata.east_asian_width(ch) in "WF" else (0 if unicodedata.combining(ch) else 1)
    return out
head = cells(lines[0])
starts = [c for i, (c, ch) in enumerate(head) if ch != " " and (i == 0 or head[i - 1][1] == " ")]
if len(starts) != 8:
    sys.exit(f"{lang}: expected 8 headings, got {len(starts)}: {lines[0]!r}")
if lang == "zh_CN" and not any(unicodedata.east_asian_width(ch) == "W" for ch in lines[0]):
    sys.exit(f"{lang}: headings are not Chinese: {lines[0]!r}")
if "…" in lines[0]:
    sys.exit(f"{lang}: a heading was cut: {lines[0]!r}")
rows = [l for l in lines[1:] if l.strip() and l[0].isdigit()]
if len(rows) < 20:
    sys.exit(f"{lang}: only {len(rows)} rows listed")
cjk_rows = 0
for row in rows:
    rc = cells(row)
    at = {c: ch for c, ch in rc}
    if any(unicodedata.east_asian_width(ch) == "W" for _, ch in rc):
        cjk_rows += 1
    for s in starts[1:]:
        # the cell before each column is the separating space, and a character starts exactly there
        if at.get(s - 1) != " " or s not in at:
            sys.exit(f"{lang}: column at cell {s} is out of line in\n  {lines[0]}\n  {row}")
if cjk_rows == 0:
    sys.exit(f"{lang}: no row holds Chinese text, the check proves nothing")
print(f"ok   ticket list aligned in {lang} ({len(rows)} rows, {cjk_rows} with Chinese)")
PYEOF
done
exit $fail

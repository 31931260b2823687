#!/bin/sh
# The manual pages (docs/weibao.1 English, docs/weibao.zh_CN.1 Chinese) render without groff warnings and
# keep up with the program: every command `weibao --help` and `weibao ticket --help` lists, and every
# WEIBAO_* variable the sources read, is described in both.
top=${WB_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
W=${WEIBAO:-$top/weibao}
command -v groff >/dev/null 2>&1 || { echo "groff is missing"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C.UTF-8 LANGUAGE=en WEIBAO_LOCALEDIR="$top/build/locale"
fail=0

# the words a page must mention: command groups, ticket verbs, environment variables
"$W" --help | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p' >"$tmp/words"
"$W" ticket --help | sed -n 's/^  \([a-z][a-z-]*\).*/\1/p' >>"$tmp/words"
grep -oh 'getenv("WEIBAO_[A-Z_]*")' "$top"/src/*.c | sed 's/getenv("\(.*\)")/\1/' | sort -u >>"$tmp/words"
[ "$(wc -l <"$tmp/words")" -ge 20 ] || { echo "found too few commands to check:"; cat "$tmp/words"; exit 1; }

for page in "$top/docs/weibao.1" "$top/docs/weibao.zh_CN.1"; do
	name=$(basename "$page")
	[ -f "$page" ] || { echo "$name is missing"; fail=1; continue; }
	if ! groff -k -ww -z -man -Tutf8 "$page" 2>"$tmp/warn" || [ -s "$tmp/warn" ]; then
		echo "$name: groff warnings:"
		sed 's/^/    /' "$tmp/warn" | head -20
		fail=1
	fi
	groff -k -man -Tutf8 -rLL=200n "$page" 2>/dev/null | sed 's/.\x08//g' >"$tmp/text"
	missing=""
	while read -r w; do
		grep -qw -- "$w" "$tmp/text" || missing="$missing $w"
	done <"$tmp/words"
	if [ -n "$missing" ]; then
		echo "$name does not describe:$missing"
		fail=1
	else
		echo "ok   $name ($(wc -l <"$tmp/words") commands and variables)"
	fi
done
# the Chinese page is Chinese
grep -q '描述' "$top/docs/weibao.zh_CN.1" || { echo "weibao.zh_CN.1 is not in Chinese"; fail=1; }
exit $fail

#!/bin/sh
# Every string the sources mark for translation (_(), N_(), ngettext, C_(), NC_()) has a finished
# translation in every po/*.po (po/zh_CN.po: Simplified Chinese), and every translation keeps the original's
# printf placeholders (msgfmt -c).
# The template is extracted afresh here, so a string added without `make pot` + translating fails.
top=${WB_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
for t in xgettext msgmerge msgattrib msgfmt; do
	command -v $t >/dev/null 2>&1 || { echo "$t is missing (make deps installs gettext)"; exit 77; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$top" || exit 1

# the same keywords as `make pot`
xgettext --from-code=UTF-8 --language=C --keyword=_ --keyword=N_ --keyword=ngettext:1,2 \
	--keyword=C_:1c,2 --keyword=NC_:1c,2 --add-comments=TRANSLATORS: -o "$tmp/weibao.pot" src/*.c include/*.h || exit 1
[ -s "$tmp/weibao.pot" ] || { echo "xgettext found no strings"; exit 1; }

fail=0
for po in po/*.po; do
	[ -f "$po" ] || { echo "$po is missing"; exit 1; }
	msgmerge --quiet -o "$tmp/merged.po" "$po" "$tmp/weibao.pot" || { echo "$po: msgmerge failed"; exit 1; }
	msgattrib --untranslated --no-obsolete -o "$tmp/untranslated.po" "$tmp/merged.po"
	msgattrib --only-fuzzy --no-obsolete -o "$tmp/fuzzy.po" "$tmp/merged.po"
	for kind in untranslated fuzzy; do
		# entries with a source reference (the header has none)
		if grep -q '^#:' "$tmp/$kind.po" 2>/dev/null; then
			echo "$po: $kind strings (run make pot, then translate them):"
			grep -A3 '^#:' "$tmp/$kind.po" | grep '^#:\|^msgid' | sed 's/^/    /' | head -60
			fail=1
		fi
	done
	# placeholders: msgfmt -c compares each translation's printf directives with its msgid
	if ! msgfmt -c -o /dev/null "$tmp/merged.po" 2>"$tmp/fmt.log"; then
		echo "$po: translations whose placeholders differ from the original:"
		sed 's/^/    /' "$tmp/fmt.log" | head -40
		# show the entries the line numbers point at
		for n in $(sed -n 's/^[^:]*merged\.po:\([0-9][0-9]*\):.*/\1/p' "$tmp/fmt.log" | sort -un | head -20); do
			sed -n "$((n > 4 ? n - 4 : 1)),$((n + 1))p" "$tmp/merged.po" | grep '^#:\|^msg' | sed 's/^/        /'
		done
		fail=1
	fi
	total=$(msgattrib --translated --no-fuzzy --no-obsolete "$tmp/merged.po" | grep -c '^msgid ')
	echo "$po: $((total - 1)) strings translated"
done
exit $fail

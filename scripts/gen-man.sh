#!/usr/bin/env bash
# Write the man pages of the built SOHOA into OUTDIR, from its --help texts
# (help2man): sohoa(1) listing the commands, and sohoa-CMD(1) for each
# command.  CMakeLists.txt runs it at build time.
#   usage: gen-man.sh SOHOA OUTDIR
# help2man runs "gen-man.sh --help-of SOHOA [CMD] --help", which prints the
# help with its usage lines in the GNU form help2man reads for SYNOPSIS
# ("Usage: ..." then "  or: ..."; a wrapped line joined to the one before).
set -euo pipefail
if [ "${1:-}" = --help-of ]; then
	shift
	"$@" | awk '
		done { print; next }
		/^$/ { done = 1; print line; print; next }
		/^usage: / { line = "Usage: " substr($0, 8); next }
		/^ +sohoa / { print line; sub(/^ +/, ""); line = "  or: " $0; next }
		{ sub(/^ +/, " "); line = line $0 }'
	exit
fi
sohoa=$1
out=$2
command -v help2man >/dev/null ||
	{ echo "gen-man.sh: help2man is missing (apt install help2man)" >&2; exit 1; }
version=$("$sohoa" --version | sed 's/^sohoa //')
mkdir -p "$out"
rm -f "$out"/*.1 "$out"/*.1.gz
see_also=$(mktemp)
trap 'rm -f "$see_also"' EXIT
# "  name  what it does" lines between "commands:" and the blank line;
# -L: help2man writes what its locale (C by default) cannot encode as "?"
"$sohoa" --help | sed -n '/^commands:$/,/^$/p' | grep '^  [a-z]' |
while read -r cmd what; do
	printf '[SEE ALSO]\n.BR sohoa (1)\n' >"$see_also"
	help2man -N --no-info -L C.UTF-8 -i "$see_also" -s 1 \
	    -n "$what" --version-string "sohoa-$cmd (sohoa) $version" \
	    -o "$out/sohoa-$cmd.1" "bash $0 --help-of $sohoa $cmd"
done
{
	echo '[SEE ALSO]'
	"$sohoa" --help |
		sed -n '/^commands:$/,/^$/s/^  \([a-z][a-z-]*\) .*/.BR sohoa-\1 (1),/p' |
		sed '$s/,$//'
} >"$see_also"
help2man -N --no-info -L C.UTF-8 -i "$see_also" -s 1 \
    -n "offline digitization and archival of commune records" \
    --version-string "sohoa $version" -o "$out/sohoa.1" \
    "bash $0 --help-of $sohoa"
gzip -9nf "$out"/*.1

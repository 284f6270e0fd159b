#!/usr/bin/env bash
# Write the bash completion of sohoa to OUT from the built SOHOA's help:
# the commands from 'sohoa --help', each command's long options from
# 'sohoa CMD --help'.  CMakeLists.txt runs it at build time.
#   usage: gen-completion.sh SOHOA OUT
set -euo pipefail
sohoa=$1
out=$2

# "  name      what it does" lines between "commands:" and the blank line
commands=$("$sohoa" --help |
	sed -n '/^commands:$/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p')
if [ -z "$commands" ]; then
	echo "gen-completion.sh: no commands in '$sohoa --help'" >&2
	exit 1
fi
# option lines: "  -j, --jobs N" or "      --json"
long_options() {
	sed -nE 's/^  (-[[:alnum:]], |    )?(--[a-z0-9][a-z0-9-]*).*/\2/p' |
		sort -u | tr '\n' ' ' | sed 's/ $//'
}

{
	cat <<'HEAD'
# bash completion for sohoa: its commands and their long options.
# Generated from the --help texts by scripts/gen-completion.sh.
_sohoa()
{
	local cur=${COMP_WORDS[COMP_CWORD]} cmd= words i

	COMPREPLY=()
	[ "${COMP_WORDS[COMP_CWORD-1]}" = --archive ] && return
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		--archive) ((i++)) ;;
		-*) ;;
		*) cmd=${COMP_WORDS[i]}; break ;;
		esac
	done
	case $cmd in
HEAD
	printf "\t'') words='%s' ;;\n" "$("$sohoa" --help | long_options)"
	printf "\thelp) words='%s' ;;\n" "$(echo $commands)"
	for c in $commands; do
		printf "\t%s) words='%s' ;;\n" "$c" \
		    "$("$sohoa" "$c" --help | long_options)"
	done
	cat <<TAIL
	*) return ;;
	esac
	# a command's arguments are files: left to 'complete -o default'
	if [ -z "\$cmd" ] && [[ \$cur != -* ]]; then
		words='help $(echo $commands)'
	elif [ "\$cmd" != help ] && [[ \$cur != -* ]]; then
		return
	fi
	COMPREPLY=(\$(compgen -W "\$words" -- "\$cur"))
}
complete -o default -F _sohoa sohoa
TAIL
} >"$out.tmp"
mv "$out.tmp" "$out"

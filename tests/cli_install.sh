#!/usr/bin/env bash
# The install (issue 15): 'cmake --install' of the build tree into a
# temporary prefix puts the command, its data, headers, libsohoa.a,
# sohoa.pc, the man pages and the bash completion there; the installed
# sohoa, run from another folder and after the whole prefix is moved,
# finds its document types under the prefix (not the source tree), and
# fails with a clear message when they are gone; 'man -l' renders a page
# and the completion completes 'sohoa ing'.
# Needs cmake, man-db, pkg-config, a C compiler, tesseract-ocr-vie and
# tesseract-ocr-osd (scripts/deps.sh --test).
set -u
BIN=${SOHOA_BIN:?set SOHOA_BIN to the built sohoa}
BUILD=$(cd "$(dirname "$BIN")" && pwd)
SRC=${SOHOA_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
SAMPLE=$SRC/samples/death-clean-g4.tif
T=$(mktemp -d "${TMPDIR:-/tmp}/cli_install.XXXXXX")
trap 'rm -rf "$T"' EXIT
fail=0
bad() { echo "cli_install: FAIL: $*" >&2; fail=1; }

for tool in cmake man pkg-config cc; do
	command -v $tool >/dev/null ||
		bad "'$tool' is missing (bash scripts/deps.sh --test)"
done
[ $fail -eq 0 ] || exit 1

# the prefix is one sohoa was not built for, reached through DESTDIR
P=$T/root/opt/sohoa
if ! DESTDIR=$T/root cmake --install "$BUILD" --prefix /opt/sohoa \
    >"$T/install.log" 2>&1; then
	bad "cmake --install failed: $(tail -5 "$T/install.log")"
	exit 1
fi
for f in bin/sohoa share/sohoa/doctypes/death.conf include/sohoa/sohoa.h \
    share/man/man1/sohoa.1.gz share/man/man1/sohoa-ingest.1.gz \
    share/man/man1/sohoa-sign-pdf.1.gz \
    share/bash-completion/completions/sohoa share/doc/sohoa/README.md \
    lib/systemd/system/sohoa-watch@.service share/sohoa/demo.sh \
    share/sohoa/samples/HS-2024-0001/HS-2024-0001.tif; do
	[ -e "$P/$f" ] || bad "'$f' is not installed"
done
lib=$(find "$P" -name libsohoa.a)
pc=$(find "$P" -name sohoa.pc)
[ -n "$lib" ] || bad "libsohoa.a is not installed"
[ -n "$pc" ] || bad "sohoa.pc is not installed"
[ -n "$(find "$T/root" -name watch.conf)" ] || bad "watch.conf is not installed"
n=$("$BIN" --help | sed -n '/^commands:$/,/^$/p' | grep -c '^  [a-z]')
m=$(ls "$P/share/man/man1" | grep -c '^sohoa-')
[ "$n" = "$m" ] || bad "$m man pages for $n commands"

# run from elsewhere, with nothing pointing at the source tree
mkdir -p "$T/cwd"
cd "$T/cwd" || exit 1
run() {
	env -u SOHOA_DOCTYPES -u SOHOA_SOURCE_DIR "$@"
}
v=$(run "$P/bin/sohoa" --version)
[ "$v" = "$("$BIN" --version)" ] || bad "installed --version says '$v'"
"$P/bin/sohoa" --help | grep -q -- '--version' ||
	bad "'sohoa --help' does not mention --version"

doc_type() {
	run "$1" extract --json "$SAMPLE" 2>"$T/err" |
		grep -o '"doc_type": *"[a-z_]*"' | head -1 | cut -d'"' -f4
}
# the whole prefix moved: a copied install still finds its data
mv "$T/root/opt/sohoa" "$T/moved"
P=$T/moved
got=$(doc_type "$P/bin/sohoa")
[ "$got" = death ] ||
	bad "installed extract: doc_type '$got': $(head -3 "$T/err")"
# its data gone: an error naming it, never the source tree's rules
mv "$P/share/sohoa" "$T/share.away"
got=$(doc_type "$P/bin/sohoa")
# (the last place it looks is the prefix the build was configured for)
built_for=$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "$BUILD/CMakeCache.txt")
if [ -n "$got" ] && [ ! -d "$built_for/share/sohoa/doctypes" ]; then
	bad "extract without installed data read '$got' from somewhere"
fi
[ -n "$got" ] || grep -q "cannot find sohoa's 'doctypes'" "$T/err" ||
	bad "extract without installed data: $(head -3 "$T/err")"
mv "$T/share.away" "$P/share/sohoa"

# man pages render, also found through MANPATH
MANPAGER=cat man -l "$P/share/man/man1/sohoa-ingest.1.gz" 2>&1 |
	grep -q "SYNOPSIS" || bad "man -l sohoa-ingest.1.gz shows no SYNOPSIS"
MANPATH=$P/share/man MANPAGER=cat man sohoa 2>&1 | grep -q "sohoa-ingest" ||
	bad "man sohoa does not list sohoa-ingest"

# bash completion: commands, then a command's long options
comp=$P/share/bash-completion/completions/sohoa
got=$(bash -c 'source "$1" && complete -p sohoa >/dev/null &&
	COMP_WORDS=(sohoa ing) COMP_CWORD=1 && _sohoa &&
	echo "${COMPREPLY[*]}"' _ "$comp" 2>&1)
[ "$got" = ingest ] || bad "completion of 'sohoa ing': '$got'"
got=$(bash -c 'source "$1" && COMP_WORDS=(sohoa ingest --dossier-f) &&
	COMP_CWORD=2 && _sohoa && echo "${COMPREPLY[*]}"' _ "$comp" 2>&1)
[ "$got" = --dossier-from ] ||
	bad "completion of 'sohoa ingest --dossier-f': '$got'"

# a program builds against the installed headers and libsohoa.a
cat >"$T/x.c" <<'EOF'
#include <stdio.h>
#include <string.h>
#include <sohoa/sohoa.h>
#include <sohoa/buf.h>

int
main(void)
{
	struct sohoa_ctx *ctx = sohoa_ctx_new();
	struct sohoa_buf dir = SOHOA_BUF_INIT;
	int rc = sohoa_data_path(ctx, "doctypes", NULL, &dir);

	printf("%s %s\n", SOHOA_VERSION, rc == SOHOA_OK ? dir.buf : "-");
	sohoa_buf_release(&dir);
	sohoa_ctx_destroy(&ctx);
	return rc;
}
EOF
pkgc="pkg-config --define-variable=prefix=$P"
export PKG_CONFIG_PATH=$(dirname "$(find "$P" -name sohoa.pc)")
if ! cc -o "$T/x" "$T/x.c" $($pkgc --cflags sohoa) \
    $($pkgc --libs sohoa) 2>"$T/cc.err"; then
	bad "cannot build against the installed library: $(head -5 "$T/cc.err")"
fi
# in <prefix>/bin it finds <prefix>/share/sohoa too
got=
cp "$T/x" "$P/bin/x" 2>/dev/null && got=$("$P/bin/x") &&
	[ "$got" = "$(sed -n 's/^#define SOHOA_VERSION "\(.*\)"/\1/p' \
	    "$P/include/sohoa/sohoa.h") $P/bin/../share/sohoa/doctypes" ] ||
	bad "program against the library: '${got:-}'"

[ $fail -eq 0 ] && echo "cli_install: ok"
exit $fail

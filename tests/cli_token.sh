#!/usr/bin/env bash
# Signing with a key held by a PKCS#11 token (issue 16): a SoftHSM2 token
# made in a temporary SOFTHSM2_CONF, an RSA key generated on it (it never
# leaves it), a certificate made by openssl through the engine and stored
# on the token too.  Then bundles and PDFs signed with the token key and
# checked by tools that are not sohoa (openssl cms -verify, pdfsig), and
# every way it goes wrong ending in one plain line and exit 1: a wrong
# PIN, a locked token, a key that does not match its certificate, no such
# object or token, a PIN in the URI, no terminal to ask the PIN on.  The
# PIN is asked on the terminal without echo (a pseudo-terminal here).
set -euo pipefail
BIN=${SOHOA_BIN:?SOHOA_BIN is not set}
FIX=$(dirname "$BIN")/tests/test_bundle_roundtrip
LOCKED=$(dirname "$BIN")/tests/p11_locked.so
MOD=/usr/lib/softhsm/libsofthsm2.so
T=$(mktemp -d "${TMPDIR:-/tmp}/sohoa-cli-token-XXXXXX")
# under ASan: the engine's own one-time allocations are not ours
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}fast_unwind_on_malloc=0"
export LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$(cd "$(dirname "$0")" && pwd)/lsan_pkcs11.supp:print_suppressions=0"
trap 'rm -rf "$T"' EXIT
fail=0
pass=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*" >&2; fail=$((fail + 1)); }
expect() {	# expect STATUS CMD...: run (stdin from $IN), compare the status
	local want=$1; shift
	local got=0
	"$@" <"${IN:-/dev/null}" >"$T/out" 2>"$T/err" || got=$?
	if [ "$got" = "$want" ]; then ok; else
		bad "$* exited $got, want $want: $(cat "$T/err")"; fi
}
has() {	# has FILE TEXT: FILE contains TEXT
	if grep -qF -- "$2" "$1"; then ok; else
		bad "'$1' lacks '$2': $(cat "$1")"; fi
}
one_line() {	# the error is one line, not OpenSSL's error chain
	if [ "$(wc -l <"$T/err")" = 1 ] && ! grep -q 'routines\|:error:' "$T/err"
	then ok; else bad "not one plain line: $(cat "$T/err")"; fi
}
for tool in softhsm2-util pkcs11-tool openssl pdfsig unzip tar python3; do
	command -v $tool >/dev/null || { echo "cli_token: '$tool' is missing (run scripts/deps.sh --test: softhsm2, opensc, openssl, poppler-utils)" >&2; exit 1; }
done
[ -r "$MOD" ] || { echo "cli_token: no SoftHSM2 module at $MOD (Debian package softhsm2)" >&2; exit 1; }
openssl engine pkcs11 >/dev/null 2>&1 || { echo "cli_token: OpenSSL's PKCS#11 engine is missing (Debian package libengine-pkcs11-openssl)" >&2; exit 1; }
[ -x "$FIX" ] || { echo "cli_token: '$FIX' is not built" >&2; exit 1; }
[ -r "$LOCKED" ] || { echo "cli_token: '$LOCKED' is not built (it needs p11-kit's pkcs11.h: Debian package libp11-kit-dev)" >&2; exit 1; }

# the token: a Vietnamese label, so the URI carries %-escaped UTF-8
mkdir "$T/tokens"
printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' "$T" >"$T/softhsm2.conf"
export SOFTHSM2_CONF="$T/softhsm2.conf"
LABEL="UBND xã Tân Lập"
PIN=246810
softhsm2-util --init-token --free --label "$LABEL" --pin $PIN --so-pin 13579135 >/dev/null
pkcs11-tool --module $MOD --token-label "$LABEL" --login --pin $PIN \
	--keypairgen --key-type rsa:2048 --id 01 --label signer >/dev/null 2>&1 ||
	{ echo "cli_token: cannot make a key on the token" >&2; exit 1; }
TOK=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$LABEL")
KEY="pkcs11:token=$TOK;object=signer"
# a module the URI names (p11-kit's proxy is the default, also tried below)
KEYM="$KEY?module-path=$MOD"
openssl req -new -x509 -utf8 -engine pkcs11 -keyform engine \
	-key "$KEY;pin-value=$PIN" -subj "/C=VN/O=$LABEL/CN=$LABEL" -days 30 \
	-sha256 -out "$T/cert.pem" >/dev/null 2>&1 ||
	{ echo "cli_token: openssl cannot make the certificate with the token key" >&2; exit 1; }
openssl x509 -in "$T/cert.pem" -outform DER -out "$T/cert.der"
pkcs11-tool --module $MOD --token-label "$LABEL" --login --pin $PIN \
	--write-object "$T/cert.der" --type cert --id 01 --label signer >/dev/null 2>&1 ||
	{ echo "cli_token: cannot store the certificate on the token" >&2; exit 1; }

"$FIX" --make-archive "$T/src" "$T/keys" || { echo "cannot make the archive" >&2; exit 1; }
export SOHOA_ARCHIVE="$T/src"
CODE=HS-2019-0042
echo $PIN >"$T/pin"
echo 111111 >"$T/wrong"

# a bundle signed on the token (module from the URI), checked by sohoa and
# by openssl against the certificate
IN="$T/pin" expect 0 "$BIN" export --dossier $CODE --key "$KEYM" \
	--cert "$T/cert.pem" --pin-stdin -o "$T/tok.zip"
has "$T/out" "signed by CN=$LABEL"
expect 0 "$BIN" verify --ca "$T/cert.pem" "$T/tok.zip"
has "$T/out" "is valid"
mkdir "$T/z"
unzip -q "$T/tok.zip" -d "$T/z"
Z=$(echo "$T"/z/*)
expect 0 openssl cms -verify -binary -inform DER -in "$Z/METS.xml.p7s" \
	-content "$Z/METS.xml" -CAfile "$T/cert.pem" -out /dev/null

# a BagIt bundle with PAdES-signed PDFs, the certificate read from the
# token, the module found by p11-kit's proxy: one PIN for all of it
IN="$T/pin" expect 0 "$BIN" export --dossier $CODE --key "$KEY" --pin-stdin \
	--format bagit --sign-pdfs --office "$LABEL" -o "$T/tok.tar"
expect 0 "$BIN" verify --ca "$T/cert.pem" "$T/tok.tar"
mkdir "$T/b"
tar -xf "$T/tok.tar" -C "$T/b"
B=$(echo "$T"/b/*)
expect 0 openssl cms -verify -binary -inform DER \
	-in "$B/tagmanifest-sha256.txt.p7s" -content "$B/tagmanifest-sha256.txt" \
	-CAfile "$T/cert.pem" -out /dev/null
n=0
for pdf in "$B"/data/representations/rep1/data/*.pdf; do
	n=$((n + 1))
	expect 0 pdfsig "$pdf"
	has "$T/out" "Signature Validation: Signature is Valid."
	has "$T/out" "Total document signed"
	has "$T/out" "ETSI.CAdES.detached"
	has "$T/out" "Signer Certificate Common Name: $LABEL"
done
[ $n -ge 2 ] && ok || bad "the bag holds $n PDFs"

# sign-pdf on the token, the PDF then checked by pdfsig
cp "$(echo "$B"/data/representations/rep1/data/*.1.pdf)" "$T/doc.pdf"
IN="$T/pin" expect 0 "$BIN" sign-pdf --key "$KEYM" --pin-stdin \
	--office "$LABEL" -o "$T/signed.pdf" "$T/doc.pdf"
expect 0 pdfsig "$T/signed.pdf"
has "$T/out" "Signature #2"
[ "$(grep -c 'Signature is Valid.' "$T/out")" = 2 ] && ok || bad "pdfsig: $(cat "$T/out")"

# each way it goes wrong: exit 1, one plain line, no file left behind
IN="$T/wrong" expect 1 "$BIN" sign-pdf --key "$KEYM" --pin-stdin \
	--office X -o "$T/bad.pdf" "$T/doc.pdf"
has "$T/err" "sohoa: wrong PIN for token '$LABEL'"
one_line
IN="$T/wrong" expect 1 "$BIN" export --dossier $CODE --key "$KEYM" \
	--cert "$T/cert.pem" --pin-stdin -o "$T/bad.zip"
has "$T/err" "sohoa: wrong PIN for token '$LABEL'"
one_line
IN="$T/pin" expect 1 "$BIN" export --dossier $CODE --key "$KEYM" \
	--cert "$T/keys/cert.pem" --pin-stdin -o "$T/bad.zip"
has "$T/err" "sohoa: the key does not match the certificate in '$T/keys/cert.pem'"
one_line
IN="$T/pin" expect 1 "$BIN" sign-pdf --key "$KEY?module-path=$LOCKED" \
	--pin-stdin --office X -o "$T/bad.pdf" "$T/doc.pdf"
has "$T/err" "sohoa: the token '$LABEL' is locked"
one_line
IN="$T/pin" expect 1 "$BIN" sign-pdf --key "pkcs11:token=$TOK;object=nobody?module-path=$MOD" \
	--pin-stdin --office X -o "$T/bad.pdf" "$T/doc.pdf"
has "$T/err" "sohoa: no object 'nobody' on token '$LABEL'"
one_line
IN="$T/pin" expect 1 "$BIN" sign-pdf --key "pkcs11:token=Other;object=signer?module-path=$MOD" \
	--pin-stdin --office X -o "$T/bad.pdf" "$T/doc.pdf"
has "$T/err" "sohoa: token 'Other' is not plugged in"
one_line
expect 1 "$BIN" sign-pdf --key "$KEYM&pin-value=$PIN" --office X \
	-o "$T/bad.pdf" "$T/doc.pdf"
has "$T/err" "the PIN must not be in the PKCS#11 URI"
one_line
IN="$T/pin" expect 1 "$BIN" sign-pdf --key "$KEY?module-path=$T/none.so" \
	--pin-stdin --office X -o "$T/bad.pdf" "$T/doc.pdf"
has "$T/err" "cannot read the PKCS#11 module '$T/none.so'"
one_line
# without a terminal the PIN cannot be asked: said, and nothing read
IN="$T/pin" expect 1 setsid -w "$BIN" sign-pdf --key "$KEYM" --office X \
	-o "$T/bad.pdf" "$T/doc.pdf"
has "$T/err" "no terminal to ask for it (pass --pin-stdin"
one_line
expect 2 "$BIN" sign-pdf --key "$T/keys/key.pem" --office X "$T/doc.pdf"
has "$T/err" "missing --cert"
[ ! -e "$T/bad.pdf" ] && [ ! -e "$T/bad.zip" ] && ok || bad "a refused signature left a file"
ls -A "$T" | grep -q 'tmp-' && bad "temporary files left: $(ls -A "$T")" || ok

# the PIN asked on the terminal: a prompt naming the token, no echo
python3 - "$BIN" "$KEYM" "$T/doc.pdf" "$T/tty.pdf" "$PIN" "$LABEL" <<'EOF' && ok || bad "PIN prompt on a terminal"
import os, pty, select, sys, termios, time
bin, key, src, dst, pin, label = sys.argv[1:]
pid, fd = pty.fork()
if pid == 0:
    os.execv(bin, [bin, 'sign-pdf', '--key', key, '--office', 'X', '-o', dst, src])
out, sent, end = b'', False, time.time() + 30
while time.time() < end:
    r, _, _ = select.select([fd], [], [], 0.05)
    if r:
        try:
            d = os.read(fd, 4096)
        except OSError:
            break
        if not d:
            break
        out += d
    # typed once the prompt turned echo off (the prompt is written first)
    if not sent and ("PIN for token '%s': " % label).encode() in out and \
            not termios.tcgetattr(fd)[3] & termios.ECHO:
        os.write(fd, (pin + '\n').encode())
        sent = True
_, status = os.waitpid(pid, 0)
text = out.decode(errors='replace')
problems = []
if not sent:
    problems.append('no prompt')
if pin in text:
    problems.append('the PIN was echoed')
if os.waitstatus_to_exitcode(status) != 0 or not os.path.exists(dst):
    problems.append('exit %d' % os.waitstatus_to_exitcode(status))
for p in problems:
    print('cli_token: FAIL: terminal: %s: %r' % (p, text), file=sys.stderr)
sys.exit(1 if problems else 0)
EOF
expect 0 pdfsig "$T/tty.pdf"
has "$T/out" "Signature is Valid."

echo "cli_token: $pass passed, $fail failed"
[ $fail -eq 0 ]

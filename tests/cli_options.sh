#!/usr/bin/env bash
# The command-line conventions (issue 15) and terminal-safe output (issue
# 14, item 8): every option form, every kind of usage error (two lines,
# exit 2), --help for every command, global options before the command,
# exit 130 on SIGINT and 143 on SIGTERM during an ingest (what was stored
# stays, integrity_check ok), the progress bar at 40 and 120 columns under
# a pseudo-terminal (no line wider than the terminal, a failed page counted
# as failed), -q and -v, and hostile values (ESC, CR, newline in a dossier
# code, a field value, page text, a bundle member name) printed escaped.
set -u
BIN=${SOHOA_BIN:?set SOHOA_BIN to the built sohoa}
FIX=$(dirname "$BIN")/tests/test_bundle_roundtrip
PY=/usr/bin/python3
T=$(mktemp -d "${TMPDIR:-/tmp}/cli_options.XXXXXX")
pid=
trap '[ -n "$pid" ] && kill -9 $pid 2>/dev/null; rm -rf "$T"' EXIT
fails=0
checks=0
fail() { echo "cli_options: FAIL: $*" >&2; fails=$((fails + 1)); }
ok() { checks=$((checks + 1)); }
for tool in sqlite3 tar; do
	command -v $tool >/dev/null || { echo "cli_options: needs '$tool' (run scripts/deps.sh --test)" >&2; exit 1; }
done
[ -x "$FIX" ] || { echo "cli_options: '$FIX' is not built" >&2; exit 1; }
export OMP_THREAD_LIMIT=1 SOHOA_USER=test
unset SOHOA_ARCHIVE COLUMNS
cd "$T"
ESC=$(printf '\033')
CR=$(printf '\r')

# run WANT CMD...: run sohoa, compare the exit status; out and err kept
run() {
	local want=$1 got=0
	shift
	"$BIN" "$@" >out 2>err || got=$?
	if [ "$got" = "$want" ]; then ok; else
		fail "sohoa $* exited $got, want $want: $(head -c 400 err)"; fi
}
# usage CMD ARGS...: a usage error of CMD: exit 2, nothing on stdout, two
# lines on stderr, "sohoa CMD: ..." then the hint
usage() {
	local cmd=$1 got=0
	shift
	"$BIN" "$@" >out 2>err || got=$?
	[ "$got" = 2 ] || { fail "sohoa $* exited $got, want 2: $(cat err)"; return; }
	[ ! -s out ] || fail "sohoa $*: usage error wrote to stdout: $(head -c 200 out)"
	[ "$(wc -l <err)" = 2 ] || { fail "sohoa $*: want 2 lines, got: $(cat err)"; return; }
	if [ -n "$cmd" ]; then
		head -1 err | grep -q "^sohoa $cmd: ." || fail "sohoa $*: first line: $(head -1 err)"
		[ "$(tail -1 err)" = "see 'sohoa $cmd --help'" ] || fail "sohoa $*: hint: $(tail -1 err)"
	else
		head -1 err | grep -q "^sohoa: ." || fail "sohoa $*: first line: $(head -1 err)"
		[ "$(tail -1 err)" = "see 'sohoa --help'" ] || fail "sohoa $*: hint: $(tail -1 err)"
	fi
	ok
}
# says FILE TEXT: FILE holds TEXT (fixed string)
says() { if grep -qF -- "$2" "$1"; then ok; else fail "'$1' lacks '$2': $(head -c 600 "$1")"; fi; }
# clean FILE...: no raw ESC, CR or C1 CSI in the files
clean() {
	local f
	for f in "$@"; do
		if grep -q "[$ESC$CR]" "$f" || LC_ALL=C grep -q $'\xc2\x9b' "$f"; then
			fail "raw control characters in $f: $(cat -v "$f" | head -c 600)"
		else ok; fi
	done
}
hits() { "$PY" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$1"; }

# --- inputs: small pages, a page that cannot be read ------------------------
SRC=${SOHOA_SOURCE_DIR:?set SOHOA_SOURCE_DIR to the source tree}
{ "$PY" "$SRC/tests/cli_crash_pages.py" g14 14 && "$PY" "$SRC/tests/cli_crash_pages.py" g4 4; } ||
	{ echo "cli_options: cannot make the pages (python3-pil)" >&2; exit 1; }
mkdir -p one/HS-1 -- -dash/HS-1 long/HS-L bar/HS-B small/HS-S
ln g14/HS-K1/rieng-01.png one/HS-1/p.png
ln g14/HS-K2/rieng-03.png -- -dash/HS-1/-p.png
ln g14/HS-K1/so-dang-ky.tif long/HS-L/pages.tif
ln g4/HS-K1/so-dang-ky.tif bar/HS-B/a-rather-long-file-name-for-the-progress-bar.tif
# one page whose strip points past the end of the file: its read fails
"$PY" - <<'PYEOF' || { echo "cli_options: cannot make the inputs (python3-pil)" >&2; exit 1; }
import struct
from PIL import Image
Image.open('g4/HS-K2/rieng-02.jpg').convert('1').save('bar/HS-B/cut.tif',
    compression='group4', dpi=(300, 300))
b = bytearray(open('bar/HS-B/cut.tif', 'rb').read())
off = struct.unpack_from('<I', b, 4)[0]
for i in range(struct.unpack_from('<H', b, off)[0]):
    e = off + 2 + 12 * i
    if struct.unpack_from('<H', b, e)[0] == 273:
        struct.pack_into('<I', b, e + 8, len(b) + 100000)
open('bar/HS-B/cut.tif', 'wb').write(b)
PYEOF
ln one/HS-1/p.png small/HS-S/p.png
ln bar/HS-B/cut.tif small/HS-S/cut.tif

# --- global options, --help, --version ---------------------------------------
run 0 --help
says out "--version"
says out "130"
says out "--archive DIR"
run 0 --version
grep -qx "sohoa [0-9][0-9.]*" out && ok || fail "--version: $(cat out)"
run 0 help search
says out "usage: sohoa search"
cmds=$(sed -n '/^commands:/,/^$/p' <("$BIN" --help) | awk 'NF > 1 { print $1 }')
[ "$(echo "$cmds" | wc -w)" -ge 14 ] && ok || fail "commands in --help: $cmds"
for c in $cmds; do
	for h in --help -h; do
		run 0 $c $h
		head -1 out | grep -q "^usage: sohoa $c " && ok || fail "$c $h: $(head -1 out)"
		[ ! -s err ] && ok || fail "$c $h wrote to stderr: $(cat err)"
		# the help fits 80 columns, as the man pages made from it will
		[ "$(awk 'length > 79' out | wc -l)" = 0 ] && ok ||
			fail "$c $h: lines over 79 columns: $(awk 'length > 79' out)"
	done
done
run 0 init --archive A
says err "created archive in 'A'"
run 0 -q init --archive Q
[ ! -s err ] && ok || fail "init -q said: $(cat err)"
# --archive before the command, after it, as --archive=DIR, and the last wins
run 0 --archive A status --json
run 0 status --archive=A --json
run 0 --archive nowhere status --archive A --json
SOHOA_ARCHIVE=A run 0 status --json

# --- usage errors: one line and the hint, exit 2 -----------------------------
usage "" 
usage "" bogus
usage "" --bogus status
usage "" --archive
usage ingest ingest --archive A
usage ingest ingest --archive A --bogus one
usage ingest ingest --archive A -x one
usage ingest ingest --archive A -j
usage ingest ingest --archive A --jobs
usage ingest ingest --archive A -j two one
usage ingest ingest --archive A --jobs=0 one
usage ingest ingest --archive A -j 999 one
usage ingest ingest --archive A --json=yes one
usage ingest ingest --archive A --do x one
says err "ambiguous"
usage ingest ingest --archive A --dossier "" one
usage search search --archive A
usage search search --archive A -n 0 duc
usage search search --archive A --limit=x duc
usage search search --archive A --field novalue duc
usage search search --archive A -van
usage show show --archive A
usage show show --archive A 1 2
usage show show --archive A abc
usage set set --archive A 1
usage set set --archive A 1 "bad key=x"
usage status status --archive A extra
usage dossier dossier --archive A frobnicate
usage dossier dossier --archive A show
usage export export --archive A --key k.pem --cert c.pem
usage export export --archive A --dossier X --key k.pem --cert c.pem --format cpio
usage verify verify
usage verify verify a.zip b.zip
usage verify verify --archive A a.zip
usage verify --archive A verify a.zip
usage import import --archive A
usage extract extract
usage extract extract --disable nonsense x.png
usage keygen keygen extra
usage pdf pdf --archive A
usage sign-pdf sign-pdf --key k --cert c in.pdf
usage init init --archive A extra

# --- option forms ------------------------------------------------------------
"$FIX" --make-archive F keys >fix.out 2>&1 || { echo "cli_options: cannot make the archive: $(cat fix.out)" >&2; exit 1; }
for form in "-n 1" "-n1" "--limit=1" "--limit 1" "--lim 1" "-qn1"; do
	run 0 search --archive F --json $form --dossier HS-2019-0042
	[ "$(hits out)" = 1 ] && ok || fail "search $form: $(cat out)"
done
run 0 search --archive F --json --dossier HS-2019-0042
[ "$(hits out)" = 2 ] && ok || fail "search without a limit: $(cat out)"
# 'search -n 3 duc' is a limit and a word, not "NOT n" (issue 15)
run 0 search --archive F -n 3 --json thi
[ "$(hits out)" -ge 1 ] && ok || fail "search -n 3 thi: $(cat out)"
# after '--' a word may start with '-': a NOT
run 0 search --archive F --json -- thi -dao
[ "$(hits out)" = 0 ] && ok || fail "search -- thi -dao: $(cat out)"
# options after operands, -q silences information
run 0 search --archive F zzzqqq --json -q
[ "$(cat out)" = "[]" ] && [ ! -s err ] && ok || fail "search -q: $(cat out) $(cat err)"
run 0 search --archive F zzzqqq --json
says err "no documents match"
run 0 show 1 --json --archive F
run 0 keygen --ec -o k1
[ -s k1/key.pem ] && ok || fail "keygen -o"
run 0 keygen --ec --output=k2 --json
[ -s k2/key.pem ] && ok || fail "keygen --output="
run 0 keygen --ec -ok3
[ -s k3/key.pem ] && ok || fail "keygen -ok3"
# (the first run reads the page, the others find it done: cheaper)
run 0 init --archive J -q
want=1
for form in "-j 2" "-j2" "--jobs=2" "--jobs 2" "-qj2" "-vj 2"; do
	run 0 ingest --archive J $form --json one
	"$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(d["pages"] != int(sys.argv[2]))' out $want && ok ||
		fail "ingest $form: $(cat out)"
	want=0
done
# '--' ends the options: a folder and a file named with a leading '-'
run 0 init --archive D -q
run 0 ingest --archive D -qj1 -- -dash
[ ! -s err ] && ok || fail "ingest -q said: $(cat err)"
[ "$(sqlite3 D/sohoa.db "SELECT name FROM files")" = "-p.png" ] && ok || fail "ingest -- -dash"
run 0 extract --json -- -dash/HS-1/-p.png
says out "KHAI SINH"

# --- Ctrl-C and SIGTERM during an ingest -------------------------------------
# job control: a background job gets SIGINT as a foreground one would
set -m
stored() { sqlite3 L/sohoa.db "PRAGMA busy_timeout = 5000; SELECT count(*) FROM pages" 2>/dev/null | tail -1; }
interrupt() {	# interrupt SIG WANT: run the ingest, signal it after a page
	local before now got=0
	before=$(stored); before=${before:-0}
	"$BIN" ingest --archive L -j1 long >int.out 2>int.err &
	pid=$!
	for _ in $(seq 1 600); do
		now=$(stored); now=${now:-0}
		[ "$now" -gt "$before" ] && break
		kill -0 $pid 2>/dev/null || break
		sleep 0.05
	done
	kill -"$1" $pid
	wait $pid || got=$?
	pid=
	[ "$got" = "$2" ] && ok || fail "ingest stopped by SIG$1 exited $got, want $2: $(cat int.err)"
	grep -q "^sohoa: stopping after the pages being read" int.err && ok ||
		fail "SIG$1: no 'stopping' line: $(cat int.err)"
	[ "$(sqlite3 L/sohoa.db 'PRAGMA integrity_check')" = ok ] && ok || fail "SIG$1: integrity_check"
	now=$(stored)
	# (all of them when the signal came during the last page)
	[ "$now" -gt "$before" ] && ok ||
		fail "SIG$1: $now pages stored (were $before)"
	echo "cli_options: SIG$1: stopped with $now of 14 pages stored" >&2
}
run 0 init --archive L -q
interrupt INT 130
interrupt TERM 143
set +m
run 0 ingest --archive L -j1 --json long
"$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(d["pages"] + 2 > 14 or d["failed"] != 0 or d["documents"] != 7)' out && ok ||
	fail "the ingest after the interruptions: $(cat out)"
[ "$(sqlite3 L/sohoa.db "SELECT count(*) FROM pages WHERE status = 'ok'")" = 14 ] && ok ||
	fail "pages after finishing: $(sqlite3 L/sohoa.db 'SELECT count(*) FROM pages')"
[ "$(sqlite3 L/sohoa.db 'PRAGMA integrity_check')" = ok ] && ok || fail "integrity_check at the end"

# --- progress: a bar that fits the terminal, a failed page counted ----------
# not a terminal: no bar, the failure line and the summary
run 0 init --archive S1 -q
run 1 ingest --archive S1 small
clean err
[ "$(wc -l <err)" = 2 ] && grep -q "^sohoa: cannot read 'small/HS-S/cut.tif' page 1: " err &&
	grep -q "^sohoa: 1 page stored from .* 1 failed (1 page, 0 files)" err && ok ||
	fail "ingest summary without a terminal: $(cat err)"
run 0 init --archive S2 -q
run 1 ingest --archive S2 -q small
[ "$(wc -l <err)" = 1 ] && grep -q "^sohoa: cannot read 'small/HS-S/cut.tif'" err && ok ||
	fail "ingest -q: $(cat err)"
run 0 init --archive S3 -q
run 1 ingest --archive S3 -v small
grep -q "^sohoa: ingested 'small/HS-S/p.png': 1 page, 1 document$" err && ok || fail "ingest -v: $(cat err)"
# a terminal of 40 and of 120 columns (a pseudo-terminal from python's pty)
for cols in 40 120; do
	run 0 init --archive "P$cols" -q
	"$PY" - "$BIN" "P$cols" "$cols" <<'PYEOF' || fail "progress at $cols columns"
import fcntl, json, os, pty, re, struct, subprocess, sys, termios, unicodedata
bin, archive, cols = sys.argv[1], sys.argv[2], int(sys.argv[3])
m, s = pty.openpty()
fcntl.ioctl(s, termios.TIOCSWINSZ, struct.pack('HHHH', 24, cols, 0, 0))
p = subprocess.Popen([bin, 'ingest', '--archive', archive, '-j1', '--json', 'bar'],
                     stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=s)
os.close(s)
raw = b''
while True:
    try:
        d = os.read(m, 65536)
    except OSError:
        break
    if not d:
        break
    raw += d
summary = json.loads(p.stdout.read())
rc = p.wait()
text = raw.decode()
bad = []
def width(t):
    return sum(0 if unicodedata.combining(c) else
               2 if unicodedata.east_asian_width(c) in 'WF' else 1 for c in t)
# the bar: what follows a '\r' and ends with erase-to-end-of-line
bars = re.findall(r'\r([^\r\n]*?)\x1b\[K', text)
bars = [b for b in bars if b]
if len(bars) < 4:
    bad.append('%d bars drawn' % len(bars))
for b in bars:
    if '\x1b' in b or width(b) > cols - 1:
        bad.append('bar of %d columns: %r' % (width(b), b))
    if not re.match(r'\[[#.]+\] \d+/5 pages', b):
        bad.append('bar: %r' % b)
if not any(b.startswith('[') and '5/5 pages, 1 failed' in b for b in bars):
    bad.append('no final bar counting the failed page: %r' % bars[-1:])
if cols >= 120 and not any('a-rather-long-file-name' in b for b in bars):
    bad.append('no file name at %d columns: %r' % (cols, bars))
# no line is redrawn on a new line: lines are failures and the summary
lines = [l for l in re.sub(r'\r[^\r\n]*?\x1b\[K', '', text).replace('\r\x1b[K', '').split('\r\n') if l]
# (a third line when a file went on the document of the file before)
if len(lines) == 3 and 'going on the document of the file before' in lines[2]:
    lines = lines[:2]
if len(lines) != 2 or not lines[0].startswith("sohoa: cannot read 'bar/HS-B/cut.tif' page 1") \
        or not re.match(r'sohoa: 4 pages stored from .* 1 failed \(1 page, 0 files\)', lines[1]):
    bad.append('lines: %r' % lines)
if rc != 1 or summary['pages'] != 5 or summary['pages_failed'] != 1:
    bad.append('exit %d, summary %r' % (rc, summary))
for b in bad:
    print('cli_options: FAIL: %d columns: %s' % (cols, b), file=sys.stderr)
sys.exit(1 if bad else 0)
PYEOF
	ok
done

# --- hostile values are printed escaped --------------------------------------
# a dossier code, a field value, a title and page text with ESC, CR and LF
sqlite3 F/sohoa.db "UPDATE dossiers SET code = 'HS' || char(27) || '[2J' || char(13) || char(10) || 'X';
	UPDATE fields SET value = 'A' || char(27) || '[31mB' || char(10) || 'C' WHERE key = 'doc_number';
	UPDATE documents SET title = 'T' || char(27) || ']0;owned' || char(7) WHERE id = 1;
	UPDATE pages SET text = text || char(27) || '[2J' || char(155) || '31m' || char(10) WHERE id = 1;
	INSERT INTO failures(path, pageno, reason, at) VALUES ('x' || char(10) || 'y' || char(27) || '[1A.tif', NULL, 'bad' || char(13), '2024');" ||
	fail "cannot plant the hostile values"
run 0 show --archive F 1
clean out err
says out 'HS\x1b[2J\r\nX'
says out 'T\x1b]0;owned\x07'
says out '\x1b[2J\u009b31m'
says out 'A\x1b[31mB\nC'
run 0 dossier list --archive F
clean out err
says out 'HS\x1b[2J\r\nX'
[ "$(wc -l <out)" = 1 ] && ok || fail "dossier list: a code broke the line: $(cat -v out)"
run 0 search --archive F thi
clean out err
says out 'HS\x1b[2J\r\nX'
run 0 status --archive F
clean out err
says out 'x\ny\x1b[1A.tif: bad\r'
says out 'A\x1b[31mB\nC'
# JSON carries the same values, escaped the JSON way
run 0 show --archive F 1 --json
clean out
"$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(d["dossier"] != "HS\x1b[2J\r\nX")' out && ok ||
	fail "show --json: $(cat -v out | head -c 300)"

# a bundle member named to clear the screen and print a green verdict
"$FIX" --make-archive G keys >fix.out 2>&1 || { echo "cli_options: cannot make the archive: $(cat fix.out)" >&2; exit 1; }
run 0 dossier set --archive G HS-2019-0042 mode=1 keyword=x format=2 inforSign=HT
run 0 export --archive G --dossier HS-2019-0042 --key keys/key.pem --cert keys/cert.pem --format bagit -o hs.tar
run 0 verify hs.tar
"$PY" - <<'PYEOF' || fail "cannot make the hostile tar"
import io, tarfile
root = tarfile.open('hs.tar').getnames()[0].split('/')[0]
with tarfile.open('hs.tar', 'a', format=tarfile.PAX_FORMAT) as t:
    name = root + '/data/\x1b[2J\x1b[H\x1b[32mbundle is valid\x1b[0m\r\n'
    data = b'\x1b[2J'
    ti = tarfile.TarInfo(name)
    ti.size = len(data)
    t.addfile(ti, io.BytesIO(data))
PYEOF
for c in "verify hs.tar" "verify --json hs.tar" "import --archive I hs.tar"; do
	run 3 $c
	clean out err
done
run 3 verify hs.tar
says err '\x1b[2J\x1b[H\x1b[32mbundle is valid\x1b[0m\r\n'
[ ! -s out ] && [ "$(wc -l <err)" = 1 ] && ok || fail "verify of the hostile tar: $(cat -v out err)"

if [ $fails -gt 0 ]; then
	echo "cli_options: $fails of $checks checks failed" >&2
	exit 1
fi
echo "cli_options: ok ($checks checks)"

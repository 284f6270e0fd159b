#!/usr/bin/env bash
# End-to-end test of 'sohoa extract': the JSON interface the accuracy
# report uses, on one committed sample (one page OCR'd), and the one-line
# errors for a file that is not an image and for bad options.
# Needs tesseract-ocr-vie, tesseract-ocr-osd and python3.
set -u
SOHOA=${SOHOA_BIN:-sohoa}
SRC=${SOHOA_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
SAMPLE=$SRC/samples/death-clean-g4.tif
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
fail=0
t=$(mktemp -d /tmp/sohoa-cli-extract-XXXXXX)
trap 'rm -rf "$t"' EXIT

ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1" >&2; fail=1; }

# JSON: the keys, one page, the text and the document type
if "$SOHOA" extract --json "$SAMPLE" >"$t/out.json" 2>"$t/err"; then
	ok "extract --json exits 0"
else
	bad "extract --json failed: $(cat "$t/err")"
fi
if "$PY" - "$t/out.json" "${SAMPLE%.tif}.expected.json" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
want = json.load(open(sys.argv[2]))
assert set(d) >= {"pages", "doc_type", "text", "confidence", "fields"}, d.keys()
assert d["pages"] == 1, d["pages"]
assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in d["text"], d["text"]
assert "Họ, chữ đệm, tên: " + want["fields"]["full_name"] in d["text"], d["text"]
assert d["doc_type"] == want["doc_type"], d["doc_type"]
assert "....." not in d["text"], "leader dots left in the text"
assert 50 < d["confidence"] <= 100, d["confidence"]
assert isinstance(d["fields"], dict)
assert isinstance(d["review"], list), d.get("review")
assert all(k in d["fields"] for k in d["review"]), d["review"]
assert d["missing"] == [], d.get("missing")
PYEOF
then
	ok "extract --json output"
else
	bad "extract --json output"
fi

# the same page without its top lines and signer block: the fields every
# death extract carries and that were not read are listed, empty
if "$PY" - "$SAMPLE" "$t/cut.tif" <<'PYEOF'
import sys
from PIL import Image
im = Image.open(sys.argv[1])
w, h = im.size
im.crop((0, int(h * 0.13), w, int(h * 0.55))).save(
    sys.argv[2], compression="group4", dpi=(300, 300))
PYEOF
then
	"$SOHOA" extract --json "$t/cut.tif" >"$t/cut.json" 2>"$t/err" ||
		bad "extract --json of a cut page: $(cat "$t/err")"
	"$SOHOA" extract "$t/cut.tif" >"$t/cut.txt" 2>"$t/err" ||
		bad "extract of a cut page: $(cat "$t/err")"
	if "$PY" - "$t/cut.json" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
unread = ["doc_number", "issuer", "issue_date", "signer"]
assert sorted(d["missing"]) == sorted(unread), d["missing"]
assert all(k in d["review"] and d["fields"][k] == "" for k in unread), d
assert d["fields"]["full_name"] == "BÙI LINH LAN", d["fields"]
assert "personal_id" not in d["missing"] and "residence" not in d["missing"]
PYEOF
	then
		ok "fields not read are listed"
	else
		bad "fields not read are listed: $(cat "$t/cut.json")"
	fi
	grep -qx "signer: (not read)  (check)" "$t/cut.txt" &&
		ok "text: not read" || bad "text: $(cat "$t/cut.txt")"
	# stored, the clerk sees it and types it: the old value was empty
	"$SOHOA" init -q --archive "$t/a" 2>"$t/err" &&
		"$SOHOA" ingest -q --archive "$t/a" --dossier HS-1 \
		"$t/cut.tif" 2>"$t/err" || bad "ingest of a cut page: $(cat "$t/err")"
	"$SOHOA" status --archive "$t/a" >"$t/status" 2>&1
	grep -q "document 1 signer: not read" "$t/status" &&
		ok "status: not read" || bad "status: $(cat "$t/status")"
	out=$("$SOHOA" set --archive "$t/a" 1 "signer=Nguyễn Văn An" 2>&1)
	[ "$out" = "document 1: signer = Nguyễn Văn An (was empty)" ] &&
		ok "set a field not read" || bad "set: $out"
else
	bad "cannot cut the sample (python3-pil)"
fi

# not an image: exit 1, one line naming the file and the reason
printf '%%PDF-1.4\n%%%%EOF\n' >"$t/fake.tif"
"$SOHOA" extract --json "$t/fake.tif" >"$t/out" 2>"$t/err"
rc=$?
if [ $rc -eq 1 ] && [ "$(wc -l <"$t/err")" -eq 1 ] && [ ! -s "$t/out" ] &&
    grep -q "cannot read '$t/fake.tif': broken PDF" "$t/err"; then
	ok "fake image: one line, exit 1"
else
	bad "fake image: exit $rc, stderr: $(cat "$t/err")"
fi

# usage errors exit 2
"$SOHOA" extract >/dev/null 2>&1
[ $? -eq 2 ] && ok "no image: exit 2" || bad "no image: exit not 2"
"$SOHOA" extract --disable nothing "$SAMPLE" >/dev/null 2>&1
[ $? -eq 2 ] && ok "bad --disable: exit 2" || bad "bad --disable: exit not 2"
"$SOHOA" extract --help | grep -q -- "--no-cleanup" && ok "--help" || bad "--help"

exit $fail

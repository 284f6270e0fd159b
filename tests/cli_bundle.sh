#!/usr/bin/env bash
# End-to-end test of signed bundles through the sohoa command: keygen,
# dossier metadata, export in both formats, verify, stock `openssl cms
# -verify`, METS checksums and the BagIt bag checked by tools that are not
# sohoa, one changed byte per kind of member, import into a fresh archive
# (twice), and search results compared with the source archive.
set -euo pipefail
BIN=${SOHOA_BIN:?SOHOA_BIN is not set}
FIX=$(dirname "$BIN")/tests/test_bundle_roundtrip
T=$(mktemp -d "${TMPDIR:-/tmp}/sohoa-cli-bundle-XXXXXX")
trap 'rm -rf "$T"' EXIT
fail=0
pass=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*" >&2; fail=$((fail + 1)); }
expect() {	# expect STATUS CMD...: run, compare the exit status
	local want=$1; shift
	local got=0
	"$@" >"$T/out" 2>"$T/err" || got=$?
	if [ "$got" = "$want" ]; then ok; else
		bad "$* exited $got, want $want: $(cat "$T/err")"; fi
}
has() {	# has FILE TEXT: FILE contains TEXT
	if grep -qF -- "$2" "$1"; then ok; else
		bad "'$1' lacks '$2': $(cat "$1")"; fi
}
for tool in openssl python3 unzip tar sha256sum pdfsig xmllint; do
	command -v $tool >/dev/null || { echo "cli_bundle: '$tool' is missing (run scripts/deps.sh --test)" >&2; exit 1; }
done
[ -x "$FIX" ] || { echo "cli_bundle: '$FIX' is not built" >&2; exit 1; }

"$FIX" --make-archive "$T/src" "$T/keys" || { echo "cannot make the archive" >&2; exit 1; }
export SOHOA_ARCHIVE="$T/src"
CODE=HS-2019-0042

# keys
expect 0 "$BIN" keygen -o "$T/k2" --cn "Người khác" --ec
has "$T/out" "CN=Người khác"
[ "$(stat -c %a "$T/k2/key.pem")" = 600 ] && ok || bad "key.pem is not 0600"
expect 1 "$BIN" keygen -o "$T/k2"
has "$T/err" "already exists"

# dossier metadata
expect 0 "$BIN" dossier list
has "$T/out" "$CODE"
expect 1 "$BIN" dossier set $CODE maintenance=9
has "$T/err" "'maintenance' cannot be '9'"
expect 1 "$BIN" dossier set $CODE numberOfPage=3
expect 1 "$BIN" dossier set $CODE keyword=x physical=1
has "$T/err" "'physical' is not a dossier metadata key"
expect 0 "$BIN" dossier show $CODE --json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["meta"]["keyword"]["source"]=="unset"' "$T/out" && ok || bad "a refused 'dossier set' stored a value"
expect 0 "$BIN" dossier set $CODE mode=1 keyword="hộ tịch" format=2 inforSign=HT
expect 0 "$BIN" dossier show $CODE --json
python3 - "$T/out" <<'EOF' && ok || bad "dossier show --json"
import json, sys
d = json.load(open(sys.argv[1]))
m = d["meta"]
assert d["valid"] is True, d
assert m["mode"]["value"] == "01" and m["mode"]["source"] == "set"
assert m["format"]["value"] == "02"
assert m["infor_sign"] == {"value": "HT", "source": "set", "element": "inforSign"}
assert m["confidence_level"] == {"value": "02", "source": "default", "element": "confidenceLevel"}
assert m["total_doc"]["value"] == "2" and m["number_of_page"]["value"] == "3"
assert m["start_date"]["value"] == "24/01/2019", m["start_date"]
EOF
expect 0 "$BIN" dossier check $CODE

# export
expect 0 "$BIN" export --dossier $CODE --key "$T/keys/key.pem" \
	--cert "$T/keys/cert.pem" -o "$T/hs.zip"
has "$T/out" "wrote '$T/hs.zip': eark"
expect 0 "$BIN" export --dossier $CODE --key "$T/keys/key.pem" \
	--cert "$T/keys/cert.pem" --format bagit -o "$T/hs.tar" --json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["format"]=="bagit" and len(d["sha256"])==64' "$T/out" && ok || bad "export --json"
expect 1 "$BIN" export --dossier $CODE --key "$T/k2/key.pem" \
	--cert "$T/keys/cert.pem" -o "$T/mismatch.zip"
has "$T/err" "does not match the certificate"
[ ! -e "$T/mismatch.zip" ] && ok || bad "a refused export left a file"
ls "$T" | grep -q 'tmp-' && bad "temporary files left: $(ls "$T")" || ok

# PAdES-signed PDFs in the bundle (pdf module), checked by poppler's pdfsig
expect 0 "$BIN" export --dossier $CODE --key "$T/keys/key.pem" \
	--cert "$T/keys/cert.pem" --sign-pdfs --office "UBND xã Tân Lập" \
	-o "$T/signed.zip"
expect 0 "$BIN" verify "$T/signed.zip"
mkdir "$T/sp"
unzip -q "$T/signed.zip" -d "$T/sp"
for pdf in "$T"/sp/*/representations/rep1/data/*.pdf; do
	expect 0 pdfsig "$pdf"
	has "$T/out" "Signature is Valid"
	has "$T/out" "ETSI.CAdES.detached"
done
expect 2 "$BIN" export --dossier $CODE --key "$T/keys/key.pem" \
	--cert "$T/keys/cert.pem" --sign-pdfs -o "$T/x.zip"

# verify
for b in hs.zip hs.tar; do
	expect 0 "$BIN" verify "$T/$b"
	has "$T/out" "bundle '$T/$b' is valid:"
	has "$T/out" "signed by CN=UBND xã Tân Lập"
	has "$T/out" "self-signed"
	expect 0 "$BIN" verify --ca "$T/keys/cert.pem" "$T/$b"
	has "$T/out" "trusted"
	expect 3 "$BIN" verify --ca "$T/k2/cert.pem" "$T/$b"
	has "$T/err" "untrusted signer"
done

# the signatures, checked by stock openssl
mkdir "$T/z" "$T/b"
unzip -q "$T/hs.zip" -d "$T/z"
tar -xf "$T/hs.tar" -C "$T/b"
Z=$(echo "$T"/z/*)
B=$(echo "$T"/b/*)
expect 0 openssl cms -verify -binary -inform DER -in "$Z/METS.xml.p7s" \
	-content "$Z/METS.xml" -CAfile "$T/keys/cert.pem" -out /dev/null
expect 0 openssl cms -verify -binary -inform DER \
	-in "$B/tagmanifest-sha256.txt.p7s" -content "$B/tagmanifest-sha256.txt" \
	-CAfile "$T/keys/cert.pem" -out /dev/null
expect 0 openssl cms -verify -binary -inform DER -in "$B/data/METS.xml.p7s" \
	-content "$B/data/METS.xml" -CAfile "$T/keys/cert.pem" -out /dev/null
expect 4 openssl cms -verify -binary -inform DER -in "$Z/METS.xml.p7s" \
	-content "$Z/metadata/descriptive/EAD.xml" -CAfile "$T/keys/cert.pem" \
	-out /dev/null

# METS checksums against the files, by an XML parser that is not sohoa's
python3 - "$Z" <<'EOF' && ok || bad "METS.xml checksums"
import hashlib, os, sys, xml.etree.ElementTree as ET
root = sys.argv[1]
M = "{http://www.loc.gov/METS/}"
X = "{http://www.w3.org/1999/xlink}href"
t = ET.parse(os.path.join(root, "METS.xml"))
seen = set()
for el in t.iter():
    if el.tag == M + "file":
        href = el.find(M + "FLocat").get(X)
    elif el.tag == M + "mdRef":
        href = el.get(X)
    else:
        continue
    data = open(os.path.join(root, href), "rb").read()
    assert el.get("CHECKSUMTYPE") == "SHA-256"
    assert int(el.get("SIZE")) == len(data), href
    assert el.get("CHECKSUM").lower() == hashlib.sha256(data).hexdigest(), href
    seen.add(href)
files = set()
for d, _, fs in os.walk(root):
    for f in fs:
        files.add(os.path.relpath(os.path.join(d, f), root))
rest = files - seen - {"METS.xml", "METS.xml.p7s"}
assert not rest, rest
assert any(f.startswith("representations/rep1/data/") and f.endswith(".1.pdf") for f in seen)
print("METS lists", len(seen), "files, all match")
EOF
for x in METS.xml metadata/descriptive/EAD.xml metadata/preservation/PREMIS.xml \
	representations/rep1/METS.xml representations/rep1/metadata/descriptive/EAD_doc_1.xml; do
	expect 0 xmllint --noout "$Z/$x"
done
python3 - "$Z/metadata/descriptive/EAD.xml" <<'EOF' && ok || bad "EAD.xml fields"
import sys, xml.etree.ElementTree as ET
r = ET.parse(sys.argv[1]).getroot()
names = [c.tag for c in r]
want = ["fileCode", "title", "maintenance", "mode", "language", "startDate",
        "endDate", "keyword", "totalDoc", "numberOfPaper", "numberOfPage",
        "format", "inforSign", "confidenceLevel", "paperFileCode",
        "riskRecovery", "riskRecoveryStatus", "description"]
assert names == want, names
v = {c.tag: c.text or "" for c in r}
assert v["confidenceLevel"] == "02" and v["paperFileCode"] == "G09.12.0042"
assert v["mode"] == "01" and v["keyword"] == "hộ tịch"
EOF
python3 - "$Z/representations/rep1" <<'EOF' && ok || bad "a field not read"
# document 2's number was not read: no number in its archival metadata,
# and in its fields.json an empty value with no raw reading, flagged
import glob, json, os, sys, xml.etree.ElementTree as ET
rep = sys.argv[1]
r = ET.parse(os.path.join(rep, "metadata/descriptive/EAD_doc_2.xml")).getroot()
v = {c.tag: c.text or "" for c in r}
assert v["codeNumber"] == "" and v["codeNotation"] == "", v
fs = glob.glob(os.path.join(rep, "supplementary/*.2/fields.json"))
assert len(fs) == 1, fs
f = {x["key"]: x for x in json.load(open(fs[0], encoding="utf-8"))}
n = f["doc_number"]
assert n["value"] == "" and n["raw"] is None and n["flagged"], n
EOF

# the bag, by tools that are not sohoa
(cd "$B" && sha256sum -c --quiet manifest-sha256.txt && sha256sum -c --quiet tagmanifest-sha256.txt) && ok || bad "sha256sum -c of the manifests"
python3 - "$B" <<'EOF' && ok || bad "RFC 8493 structure"
# The parts of RFC 8493 a validator checks: the declaration, every payload
# file in the manifest and nothing else, Payload-Oxum, tag manifest.
import hashlib, os, sys
bag = sys.argv[1]
decl = open(os.path.join(bag, "bagit.txt"), encoding="utf-8").read().splitlines()
assert decl == ["BagIt-Version: 1.0", "Tag-File-Character-Encoding: UTF-8"], decl
def manifest(name):
    out = {}
    for line in open(os.path.join(bag, name), encoding="utf-8").read().splitlines():
        h, p = line.split(None, 1)
        p = p.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")
        assert p not in out
        out[p] = h
    return out
m = manifest("manifest-sha256.txt")
payload = set()
for d, _, fs in os.walk(os.path.join(bag, "data")):
    for f in fs:
        payload.add(os.path.relpath(os.path.join(d, f), bag))
assert payload == set(m), payload ^ set(m)
size = 0
for p, h in m.items():
    data = open(os.path.join(bag, p), "rb").read()
    size += len(data)
    assert hashlib.sha256(data).hexdigest() == h, p
info = dict(l.split(": ", 1) for l in open(os.path.join(bag, "bag-info.txt"), encoding="utf-8").read().splitlines())
assert info["Payload-Oxum"] == "%d.%d" % (size, len(m)), info["Payload-Oxum"]
for k in ("Bagging-Date", "Bag-Size", "Source-Organization", "External-Identifier"):
    assert k in info, k
t = manifest("tagmanifest-sha256.txt")
assert set(t) == {"bagit.txt", "bag-info.txt", "manifest-sha256.txt"}, t
for p, h in t.items():
    assert hashlib.sha256(open(os.path.join(bag, p), "rb").read()).hexdigest() == h
EOF
if command -v bagit.py >/dev/null; then
	expect 0 bagit.py --validate "$B"
else
	echo "cli_bundle: bagit.py (Library of Congress bagit-python) is not installed; Debian 12 does not package it" >&2
fi

# one changed byte per kind of member: verify exits 3 and names it
python3 - "$T" <<'EOF'
import sys, tarfile, zipfile
t = sys.argv[1]
kinds = [".pdf", "/METS.xml", "METS.xml.p7s", "EAD.xml", "PREMIS.xml",
         "EAD_doc_1.xml", "page-001.txt", "page-001.hocr", "page-001.jpg",
         "fields.json", "sohoa.json", ".tif"]
zin = zipfile.ZipFile(t + "/hs.zip")
names = zin.namelist()
with open(t + "/flips.txt", "w") as log:
    for i, k in enumerate(kinds):
        target = next(n for n in names if n.endswith(k))
        with zipfile.ZipFile("%s/flip%d.zip" % (t, i), "w", zipfile.ZIP_DEFLATED) as z:
            for n in names:
                data = bytearray(zin.read(n))
                if n == target:
                    data[len(data) // 2] ^= 0x20
                z.writestr(n, bytes(data))
        log.write("%s/flip%d.zip\t%s\n" % (t, i, target))
    with tarfile.open(t + "/hs.tar") as tin:
        members = tin.getmembers()
        for i, k in enumerate(["bagit.txt", "bag-info.txt", "/manifest-sha256.txt",
                               "tagmanifest-sha256.txt", ".p7s", "page-002.words"]):
            target = next(m.name for m in members if m.name.endswith(k))
            with tarfile.open("%s/flip%d.tar" % (t, i), "w", format=tarfile.PAX_FORMAT) as tout:
                for m in members:
                    data = bytearray(tin.extractfile(m).read())
                    if m.name == target:
                        data[len(data) // 2] ^= 0x20
                    import io
                    tout.addfile(m, io.BytesIO(bytes(data)))
            log.write("%s/flip%d.tar\t%s\n" % (t, i, target))
    # added and missing members
    with zipfile.ZipFile(t + "/added.zip", "w") as z:
        for n in names:
            z.writestr(n, zin.read(n))
        z.writestr(names[0].split("/")[0] + "/representations/rep1/data/extra.pdf", b"%PDF-1.4")
    log.write("%s/added.zip\t%s\n" % (t, names[0].split("/")[0] + "/representations/rep1/data/extra.pdf"))
    with zipfile.ZipFile(t + "/missing.zip", "w") as z:
        gone = next(n for n in names if n.endswith(".2.pdf"))
        for n in names:
            if n != gone:
                z.writestr(n, zin.read(n))
    log.write("%s/missing.zip\t%s\n" % (t, gone))
EOF
while IFS=$'\t' read -r f member; do
	expect 3 "$BIN" verify "$f"
	has "$T/err" "is not valid: "
	has "$T/err" "${member}"
done <"$T/flips.txt"
expect 3 "$BIN" verify --json "$T/missing.zip"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["valid"] is False and "missing" in d["reason"]' "$T/out" && ok || bad "verify --json of a bad bundle"
expect 1 "$BIN" verify "$T/nonexistent.zip"

# import into a fresh archive, twice
expect 3 "$BIN" import --archive "$T/dst" "$T/flip0.zip"
has "$T/err" "nothing was imported"
[ ! -e "$T/dst/sohoa.db" ] && ok || bad "a refused import created the archive"
# a signer the archive does not trust: refused, saying who signed
expect 1 "$BIN" import --archive "$T/dst" "$T/hs.zip"
has "$T/err" "was not imported: it is signed by 'CN=UBND xã Tân Lập"
has "$T/err" "sohoa trust add"
[ "$(sqlite3 "$T/dst/sohoa.db" 'SELECT count(*) FROM documents')" = 0 ] && ok || bad "an untrusted import wrote documents"
expect 0 "$BIN" trust add --archive "$T/dst" "$T/keys/cert.pem"
has "$T/out" "trusted signer: CN=UBND xã Tân Lập"
expect 0 "$BIN" trust list --archive "$T/dst" --json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d)==1 and d[0]["ca"] is False and len(d[0]["fingerprint"])==64' "$T/out" && ok || bad "trust list --json"
expect 0 "$BIN" import --archive "$T/dst" "$T/hs.zip"
has "$T/out" "imported dossier '$CODE' (signed by CN=UBND xã Tân Lập, O=UBND xã Tân Lập, C=VN, trusted): 2 documents added"
expect 0 "$BIN" import --archive "$T/dst" "$T/hs.zip"
has "$T/out" "already up to date"
expect 0 "$BIN" import --archive "$T/dst" --ca "$T/keys/cert.pem" --json "$T/hs.tar"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["changed"] is False and d["trusted"] is True' "$T/out" && ok || bad "import of the bag changed something"
expect 0 "$BIN" dossier show $CODE --archive "$T/dst" --json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["meta"]["keyword"]["value"]=="hộ tịch" and d["valid"]' "$T/out" && ok || bad "imported dossier metadata"
if "$BIN" search --help >/dev/null 2>&1; then
	for q in "dao" "Nguyễn Thị Đào" "khai tử" "ha noi"; do
		"$BIN" search --archive "$T/src" --json "$q" >"$T/s1" 2>/dev/null || true
		"$BIN" search --archive "$T/dst" --json "$q" >"$T/s2" 2>/dev/null || true
		python3 - "$T/s1" "$T/s2" <<'EOF' && ok || bad "search '$q' differs"
import json, sys
def keys(p):
    try:
        d = json.load(open(p))
    except ValueError:
        return None
    rows = d.get("results", d) if isinstance(d, dict) else d
    return sorted(json.dumps({k: v for k, v in r.items() if k not in ("id", "document_id", "doc_id", "rank", "score")}, sort_keys=True) for r in rows)
a, b = keys(sys.argv[1]), keys(sys.argv[2])
assert a is not None and a == b and len(a) > 0, (a, b)
EOF
	done
else
	echo "cli_bundle: no 'sohoa search' in this build; search results are compared in test_bundle_roundtrip" >&2
fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]

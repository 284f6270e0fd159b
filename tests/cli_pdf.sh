#!/usr/bin/env bash
# End-to-end test of 'sohoa pdf' and 'sohoa sign-pdf': ingest a colour
# sample scan into a fresh archive, rewrite its document's PDF/A-2b, check
# it with poppler and qpdf, sign it with a self-signed certificate made by
# openssl, check the signature with pdfsig, then tamper with it.
# Needs poppler-utils, qpdf, openssl, sqlite3 and tesseract-ocr-vie.
set -u
SOHOA=${SOHOA_BIN:-sohoa}
SRC=${SOHOA_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
SAMPLE=$SRC/samples/decision-mild-200dpi.jpg
fail=0
t=$(mktemp -d /tmp/sohoa-cli-pdf-XXXXXX)

check() {	# check DESCRIPTION COMMAND...
	local what=$1
	shift
	if "$@" >/dev/null 2>&1; then
		echo "ok: $what"
	else
		echo "FAIL: $what" >&2
		fail=1
	fi
}

for tool in pdftotext pdfinfo pdfsig pdffonts qpdf openssl sqlite3; do
	if ! command -v $tool >/dev/null; then
		echo "cli_pdf: '$tool' is missing (install poppler-utils, qpdf, openssl, sqlite3)" >&2
		exit 1
	fi
done
if [ ! -f "$SAMPLE" ]; then
	echo "cli_pdf: sample '$SAMPLE' is missing (it is committed in samples/)" >&2
	exit 1
fi

A=$t/archive
"$SOHOA" init --archive "$A" 2>/dev/null || { echo "FAIL: init" >&2; exit 1; }
"$SOHOA" ingest --archive "$A" --dossier HS-2024-0042 --jobs 1 "$SAMPLE" \
	2>"$t/ingest.err" || { cat "$t/ingest.err" >&2; echo "FAIL: ingest" >&2; exit 1; }
doc=$(sqlite3 "$A/sohoa.db" "SELECT min(id) FROM documents")
read -r w h dpi < <(sqlite3 -separator ' ' "$A/sohoa.db" \
	"SELECT width, height, dpi FROM pages WHERE document_id = $doc ORDER BY id LIMIT 1")

# usage and errors
check "pdf --help exits 0" "$SOHOA" pdf --archive "$A" --help
"$SOHOA" pdf --archive "$A" 2>/dev/null; check "pdf without a document id is a usage error" test $? -eq 2
"$SOHOA" pdf --archive "$A" 9999 2>/dev/null; check "pdf of a missing document fails" test $? -eq 1
"$SOHOA" sign-pdf --key x.pem "$t/x.pdf" 2>/dev/null; check "sign-pdf without --cert/--office is a usage error" test $? -eq 2

# write the PDF: the same bytes ingest stored (one document -> PDF)
ingested=$(sqlite3 "$A/sohoa.db" "SELECT pdf_sha256 FROM documents WHERE id = $doc")
sha=$("$SOHOA" pdf --archive "$A" -o "$t/doc.pdf" "$doc" 2>"$t/pdf.err")
check "pdf exits 0" test $? -eq 0
check "pdf makes the PDF ingest made" test "$sha" = "$ingested"
check "pdf prints the stored PDF's SHA-256" test "$sha" = "$(sha256sum "$t/doc.pdf" | cut -d' ' -f1)"
check "the PDF is in the content store" test -f "$A/store/${sha:0:2}/$sha"
check "the document records the PDF" test "$(sqlite3 "$A/sohoa.db" "SELECT pdf_sha256 FROM documents WHERE id = $doc")" = "$sha"
check "qpdf --check is clean" sh -c "qpdf --check '$t/doc.pdf' | grep -q 'No syntax or stream encoding errors'"
check "the text layer has Vietnamese with diacritics" sh -c "pdftotext -enc UTF-8 '$t/doc.pdf' - | grep -q 'VIỆT NAM'"
check "XMP declares PDF/A-2" sh -c "pdfinfo -meta '$t/doc.pdf' | grep -q '<pdfaid:part>2</pdfaid:part>'"
check "XMP declares conformance B" sh -c "pdfinfo -meta '$t/doc.pdf' | grep -q '<pdfaid:conformance>B</pdfaid:conformance>'"
want=$(awk -v w="$w" -v h="$h" -v d="$dpi" 'BEGIN { printf "%g x %g pts", w * 72 / d, h * 72 / d }')
check "page size is pixels / dpi * 72 ($want)" sh -c "pdfinfo '$t/doc.pdf' | grep -q 'Page size: *$want'"
check "all fonts embedded" sh -c "pdffonts '$t/doc.pdf' | awk 'NR > 2 && \$(NF-4) != \"yes\" { bad = 1 } END { exit bad }'"

# sign it
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$t/key.pem" -out "$t/cert.pem" \
	-days 30 -subj "/CN=UBND xa Tan Lap/O=UBND xa Tan Lap/C=VN" 2>/dev/null
"$SOHOA" sign-pdf --key "$t/key.pem" --cert "$t/cert.pem" --office "UBND xã Tân Lập" \
	-o "$t/signed.pdf" "$t/doc.pdf" 2>"$t/sign.err"
check "sign-pdf exits 0" test $? -eq 0
check "the signing message gives the +07:00 time" grep -q '+07:00' "$t/sign.err"
pdfsig "$t/signed.pdf" >"$t/pdfsig.out" 2>&1
check "pdfsig: signature is valid" grep -q 'Signature Validation: Signature is Valid.' "$t/pdfsig.out"
check "pdfsig: total document signed" grep -q 'Total document signed' "$t/pdfsig.out"
check "pdfsig: ETSI.CAdES.detached" grep -q 'ETSI.CAdES.detached' "$t/pdfsig.out"
check "the signed file starts with the unsigned one" cmp -n "$(stat -c %s "$t/doc.pdf")" "$t/doc.pdf" "$t/signed.pdf"
check "the signed file passes qpdf --check" sh -c "qpdf --check '$t/signed.pdf' | grep -q 'No syntax or stream encoding errors'"

# a key that does not match the certificate is refused
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$t/other.pem" 2>/dev/null
"$SOHOA" sign-pdf --key "$t/other.pem" --cert "$t/cert.pem" --office X -o "$t/bad.pdf" "$t/doc.pdf" 2>/dev/null
check "a mismatched key fails" test $? -eq 1
check "and leaves no file" test ! -e "$t/bad.pdf"

# tamper: one byte in the middle of the image data
cp "$t/signed.pdf" "$t/tampered.pdf"
off=$(( $(stat -c %s "$t/doc.pdf") / 2 ))
printf '\x00' | dd of="$t/tampered.pdf" bs=1 seek="$off" conv=notrunc 2>/dev/null
if cmp -s "$t/signed.pdf" "$t/tampered.pdf"; then
	printf '\x01' | dd of="$t/tampered.pdf" bs=1 seek="$off" conv=notrunc 2>/dev/null
fi
pdfsig "$t/tampered.pdf" >"$t/pdfsig2.out" 2>&1
check "pdfsig: a changed byte makes it invalid" sh -c "! grep -q 'Signature is Valid.' '$t/pdfsig2.out'"

if [ $fail -eq 0 ]; then
	rm -rf "$t"
	echo "cli_pdf: all passed"
else
	echo "cli_pdf: failures; files kept in $t" >&2
fi
exit $fail

#!/bin/bash
# Corrections that mean something (issue 14, items 6 and 7), on an archive
# made by the previous release (tests/data/archive-v1, upgraded on open):
# 'sohoa set' refuses values its field's type does not allow, control
# characters and mistyped keys, storing nothing; doc_type=... changes the
# document's type in show, search and the history; 'sohoa accept' clears a
# flag; 'sohoa history' shows who changed what, from what to what.
set -u
BIN=${SOHOA_BIN:?set SOHOA_BIN to the built sohoa}
SRC=${SOHOA_SOURCE_DIR:?set SOHOA_SOURCE_DIR to the source tree}
PY=/usr/bin/python3
T=$(mktemp -d /tmp/cli_records.XXXXXX)
trap 'rm -rf "$T"' EXIT
fails=0
fail() { echo "cli_records: FAIL: $*" >&2; fails=$((fails + 1)); }
cp -r "$SRC/tests/data/archive-v1" "$T/A"
export SOHOA_ARCHIVE="$T/A" SOHOA_USER="chị Lan"
q() { sqlite3 "$T/A/sohoa.db" "$1"; }

# the archive opens, upgraded, with the old correction in its history
"$BIN" history 2 >"$T/out" 2>"$T/err" || fail "history of a v1 archive: $(cat "$T/err")"
grep -q "field_set *clerk1 *full_name: NGUYỄN HUYỀN TRÂM -> Nguyễn Huyền Trâm" "$T/out" ||
	fail "the v1 correction is not in the history: $(cat "$T/out")"

# refused values: exit 1, one line naming the field, nothing stored
before=$(q "SELECT count(*) FROM events")
refuse() {	# ARG... -- expected message
	local want=$1; shift
	"$BIN" set "$@" >"$T/out" 2>"$T/err"
	local rc=$?
	[ $rc -eq 1 ] || fail "set $*: exit $rc, want 1"
	[ "$(wc -l <"$T/err")" -eq 1 ] || fail "set $*: $(wc -l <"$T/err") lines of error"
	grep -qF -- "$want" "$T/err" || fail "set $*: '$(cat "$T/err")' does not say '$want'"
}
refuse "personal_id: 'ABC' is not a personal ID" 1 personal_id=ABC
refuse "birth_date: '2024-02-30' is not a real day" 1 birth_date=2024-02-30
refuse "birth_date: 'hello' is not a date" 1 birth_date=hello
refuse "'full_nmae' is not a field of any document type" 1 full_nmae=Lan
refuse "control character (U+001B)" 1 "full_name=$(printf 'L\033[2Jan')"
refuse "control character (U+000A)" 1 "full_name=$(printf 'L\nan')"
# one bad value among good ones: none is stored
refuse "sex: 'X' is not 'Nam' or 'Nữ'" 1 full_name="Bùi Linh Lan" sex=X
[ "$(q "SELECT count(*) FROM events")" = "$before" ] || fail "a refused set wrote history"
[ "$(q "SELECT count(*) FROM fields WHERE corrected")" = 1 ] || fail "a refused set stored a value"
"$BIN" set 1 full_name >/dev/null 2>"$T/err"; [ $? -eq 2 ] || fail "KEY without =VALUE is not a usage error"

# doc_type changes the document everywhere; dates typed DD/MM/YYYY stored ISO
"$BIN" set --json 1 doc_type=birth birth_date=5/3/2024 >"$T/out" 2>"$T/err" || fail "set: $(cat "$T/err")"
"$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); c={x["key"]:x for x in d["changes"]}; assert d["who"]=="chị Lan" and c["doc_type"]["old"]=="death" and c["birth_date"]["new"]=="2024-03-05", d' "$T/out" ||
	fail "set --json: $(cat "$T/out")"
"$BIN" show --json 1 >"$T/out" || fail "show"
"$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["doc_type"]=="birth", d["doc_type"]' "$T/out" || fail "show keeps the old type"
"$BIN" search --json --type birth "" >"$T/out" || fail "search --type birth"
"$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert [h["doc_id"] for h in d]==[1], d' "$T/out" || fail "search --type birth: $(cat "$T/out")"
"$BIN" search --json --type death "" >"$T/out" || fail "search --type death"
"$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d==[], d' "$T/out" || fail "search --type death still finds it"
# the same value again changes nothing
n=$(q "SELECT count(*) FROM events")
"$BIN" set 1 doc_type=birth >"$T/out" || fail "set the same type"
grep -q "(unchanged)" "$T/out" || fail "an unchanged value is not said"
[ "$(q "SELECT count(*) FROM events")" = "$n" ] || fail "an unchanged value wrote history"

# accept a flagged value
[ "$(q "SELECT flagged FROM fields WHERE document_id = 2 AND key = 'residence'")" = 1 ] || fail "fixture: residence not flagged"
"$BIN" accept 2 residence >/dev/null 2>"$T/err" || fail "accept: $(cat "$T/err")"
[ "$(q "SELECT flagged FROM fields WHERE document_id = 2 AND key = 'residence'")" = 0 ] || fail "accept left the flag"
"$BIN" status >"$T/out"; grep -q "residence" "$T/out" && fail "status still lists the accepted field"
"$BIN" accept 2 no_such_key >/dev/null 2>"$T/err"; [ $? -eq 1 ] || fail "accepting a missing field"

# the history: who, what, before and after, as text and JSON
"$BIN" history 1 >"$T/out" || fail "history 1"
grep -q "doc_type *chị Lan *doc_type: death -> birth" "$T/out" || fail "history: $(cat "$T/out")"
grep -q "field_set *chị Lan *birth_date: 1962-11-19 -> 2024-03-05" "$T/out" || fail "history: $(cat "$T/out")"
"$BIN" history --json 2 >"$T/out" || fail "history --json"
"$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert [e["action"] for e in d]==["field_set","field_accept"] and d[1]["who"]=="chị Lan", d' "$T/out" ||
	fail "history --json: $(cat "$T/out")"
"$BIN" history 99 >/dev/null 2>&1; [ $? -eq 1 ] || fail "history of a missing document"
[ "$(q "PRAGMA integrity_check")" = ok ] || fail "integrity"

# reorganising: every step recorded, undone in reverse, nothing lost
docs() { q "SELECT group_concat(id || ':' || ordinal || ':' || (deleted_at IS NOT NULL) || ':' || (SELECT count(*) FROM pages WHERE document_id = documents.id), ' ') FROM (SELECT * FROM documents ORDER BY id) documents"; }
start=$(docs)
[ "$start" = "1:1:0:1 2:2:0:1" ] || fail "fixture: $start"
"$BIN" merge 1 2 >/dev/null 2>"$T/err" || fail "merge: $(cat "$T/err")"
[ "$(docs)" = "1:1:0:2 2:2:1:0" ] || fail "after merge: $(docs)"
# words only document 2's page has (its marital-status wording) are now 1's
"$BIN" search --json "tình trạng hôn nhân" >"$T/out"; "$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert [h["doc_id"] for h in d]==[1], d' "$T/out" || fail "after merge the words of 2 are not found in 1: $(cat "$T/out")"
"$BIN" undelete 2 >/dev/null 2>"$T/err"; [ $? -eq 1 ] && grep -q "undo the merge" "$T/err" || fail "restore of a merged document: $(cat "$T/err")"
[ "$("$BIN" split 1 2 2>/dev/null)" = 2 ] || fail "split did not bring document 2 back"
[ "$(docs)" = "1:1:0:1 2:2:0:1" ] || fail "after split: $(docs)"
"$BIN" search --json "tình trạng hôn nhân" >"$T/out"; "$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert [h["doc_id"] for h in d]==[2], d' "$T/out" || fail "after split the words of 2 are not found in 2: $(cat "$T/out")"
"$BIN" check >"$T/out" 2>&1 || fail "check after split: $(cat "$T/out")"
"$BIN" split 1 2 >/dev/null 2>"$T/err"; [ $? -eq 1 ] || fail "splitting a one-page document"
"$BIN" move 2 HS-KHAC >/dev/null || fail "move"
[ "$(q "SELECT code FROM dossiers JOIN documents d ON d.dossier_id = dossiers.id WHERE d.id = 2")" = HS-KHAC ] || fail "move did not move"
"$BIN" delete 1 >/dev/null 2>&1; [ $? -eq 2 ] || fail "delete without --why"
"$BIN" delete --why "quét trùng" 1 >/dev/null || fail "delete"
"$BIN" search --json --type birth "" >"$T/out"; "$PY" -c 'import json,sys; assert json.load(open(sys.argv[1]))==[]' "$T/out" || fail "a deleted document is still found"
"$BIN" purge 2 >/dev/null 2>&1; [ $? -eq 2 ] || fail "purge without --yes"
"$BIN" purge --yes 2 >/dev/null 2>&1; [ $? -eq 1 ] || fail "purge of a live document"
# undo everything, newest first: back where it started
for id in $(q "SELECT id FROM events WHERE action IN ('doc_delete','doc_move','doc_split','doc_merge') AND (detail IS NULL OR detail NOT LIKE '%split_of%') AND document_id IN (1, 2) AND id > (SELECT max(id) FROM events WHERE action = 'field_accept') AND NOT (action = 'doc_delete' AND new_value LIKE 'merged into%') ORDER BY id DESC"); do
	"$BIN" undo "$id" >/dev/null 2>"$T/err" || fail "undo $id: $(cat "$T/err")"
done
[ "$(docs)" = "$start" ] || fail "after undoing all: $(docs), want $start"
[ "$(q "SELECT code FROM dossiers JOIN documents d ON d.dossier_id = dossiers.id WHERE d.id = 2")" = HS-V1-0001 ] || fail "undo of the move"
"$BIN" undo "$id" >/dev/null 2>"$T/err"; [ $? -eq 1 ] && grep -q "undone already" "$T/err" || fail "undoing twice: $(cat "$T/err")"
# purge a deleted document: rows go, pages stay with their file, history says so
"$BIN" delete --why "bản nháp" 2 >/dev/null && "$BIN" purge --yes 2 >/dev/null || fail "purge"
[ "$(q "SELECT count(*) FROM documents WHERE id = 2") $(q "SELECT count(*) FROM fields WHERE document_id = 2") $(q "SELECT count(*) FROM pages WHERE file_id = 2")" = "0 0 1" ] || fail "purge left rows or took pages"
[ "$(q "SELECT count(*) FROM events WHERE action = 'doc_purge' AND document_id = 2 AND who = 'chị Lan'")" = 1 ] || fail "purge not in the history"
[ "$(q "PRAGMA integrity_check")" = ok ] || fail "integrity after reorganising"

# a page read again: turned by hand and undone, a line corrected and undone
"$BIN" undelete 1 >/dev/null 2>&1
before=$(q "SELECT text FROM pages WHERE id = 1")
"$BIN" rotate 1 1 90 >/dev/null 2>"$T/err" || fail "rotate: $(cat "$T/err")"
[ "$(q "SELECT text FROM pages WHERE id = 1")" != "$before" ] || fail "rotate read the same text"
[ "$(q "SELECT orientation FROM pages WHERE id = 1")" = 90 ] || fail "rotate did not record the turn"
"$BIN" undo "$(q "SELECT max(id) FROM events WHERE action = 'page_rotate'")" >/dev/null 2>"$T/err" || fail "undo rotate: $(cat "$T/err")"
[ "$(q "SELECT text FROM pages WHERE id = 1")" = "$before" ] || fail "undo of the turn did not bring the text back"
"$BIN" edit-text 1 1 1 "ỦY BAN XYZQUẢNG" >/dev/null 2>"$T/err" || fail "edit-text: $(cat "$T/err")"
"$BIN" search --json xyzquang >"$T/out"; grep -q '"doc_id":1' "$T/out" || fail "the corrected line is not searchable"
"$BIN" undo "$(q "SELECT max(id) FROM events WHERE action = 'text_edit'")" >/dev/null || fail "undo edit-text"
[ "$(q "SELECT text FROM pages WHERE id = 1")" = "$before" ] || fail "undo of the line"
"$BIN" edit-text 1 1 999 x >/dev/null 2>&1; [ $? -eq 1 ] || fail "edit of a line that does not exist"
# a failed page, in no document (its document was purged above), retried
q "UPDATE pages SET status = 'failed', error = 'lỗi thử', text = '' WHERE id = 2"
"$BIN" failures >"$T/out"; grep -q "lỗi thử" "$T/out" || fail "failures list: $(cat "$T/out")"
"$BIN" failures retry >"$T/out" 2>&1 || fail "failures retry: $(cat "$T/out")"
[ "$(q "SELECT status <> 'failed' AND document_id IS NOT NULL FROM pages WHERE id = 2")" = 1 ] || fail "the retried page did not become a document"
[ "$(q "SELECT doc_type FROM documents d JOIN pages p ON p.document_id = d.id WHERE p.id = 2")" = marital_status ] || fail "the retried page's document was not read"
"$BIN" check >"$T/out" 2>&1 || fail "check after page changes: $(cat "$T/out")"
[ "$(q "PRAGMA foreign_key_check")" = "" ] || fail "foreign keys after reorganising"

# dossier metadata: each change is an event with who, the old and new
# value; setting the same value again is none
code=$(q "SELECT code FROM dossiers ORDER BY id LIMIT 1")
"$BIN" dossier set "$code" title="Hồ sơ một" >/dev/null 2>&1 &&
"$BIN" dossier set "$code" title="Hồ sơ một" >/dev/null 2>&1 &&
"$BIN" dossier set "$code" title="Hồ sơ hai" >/dev/null 2>&1 || fail "dossier set"
[ "$(q "SELECT count(*) FROM events WHERE action = 'dossier_meta' AND key = 'title' AND who = 'chị Lan'")" = 2 ] ||
	fail "dossier metadata changes are not in the history once each"
[ "$(q "SELECT old_value || ' -> ' || new_value FROM events WHERE action = 'dossier_meta' ORDER BY id DESC LIMIT 1")" = "Hồ sơ một -> Hồ sơ hai" ] ||
	fail "the last metadata change is not recorded old -> new"

if [ $fails -ne 0 ]; then
	echo "cli_records: $fails failures" >&2
	exit 1
fi
echo "cli_records: ok"

#!/bin/bash
# Sharded ingest and 'sohoa merge' without a cluster (issue 17): three
# shards made by 'sohoa ingest --shard K/3' hold exactly the files the
# rule gives them; merged, they equal one ingest of the same input (ids,
# numbers, pages, fields, failures, search results, PDFs), with a copy of
# a scan across shards skipped and the dossiers split across shards
# joined; a second merge changes nothing; a correction made in a shard
# comes with its history; a damaged, unfinished, locked or foreign shard
# is refused before anything is written; 'sohoa merge DOC OTHER' still
# joins documents.
set -u
BIN=${SOHOA_BIN:?set SOHOA_BIN to the built sohoa}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
T=$(mktemp -d /tmp/cli_merge.XXXXXX)
lockpid=
trap '[ -n "$lockpid" ] && kill $lockpid 2>/dev/null; chmod -R u+w "$T"; rm -rf "$T"' EXIT
fails=0
fail() { echo "cli_merge: FAIL: $*" >&2; fails=$((fails + 1)); }
command -v sqlite3 >/dev/null || { echo "cli_merge: needs the sqlite3 command (apt-get install sqlite3)" >&2; exit 1; }
command -v flock >/dev/null || { echo "cli_merge: needs flock (apt-get install util-linux)" >&2; exit 1; }
. "$(dirname "$0")/lib_cluster.sh"
cd "$T"
make_backlog in 3 || { echo "cli_merge: needs python3-pil and fonts-dejavu-core" >&2; exit 1; }

# one machine, and three shards (each: its share, then the shard is done)
"$BIN" init -q --archive ref && "$BIN" ingest -q --archive ref -j 1 in 2>ref.err
[ $? -eq 1 ] || fail "one ingest: the unreadable file should make it exit 1"
for k in 0 1 2; do
	"$BIN" init -q --archive s$k
	"$BIN" ingest -q --archive s$k --shard $k/3 -j 1 in 2>s$k.err &
done
wait
for k in 0 1 2; do
	[ "$(sqlite3 s$k/sohoa.db "SELECT value FROM meta WHERE key = 'shard'")" = "$k/3" ] || fail "shard $k: not recorded"
	sqlite3 s$k/sohoa.db "SELECT value FROM meta WHERE key = 'shard.run'" | grep -q '^finished ' || fail "shard $k: not finished"
	check_shard_files s$k $k 3 in
done
# the unreadable file exits 0 for its shard (recorded, merged), but it is there
grep -q "cannot read 'in/HS-B/hong.tif'" s*.err || fail "the unreadable file is not reported by its shard"
nfiles=0
for k in 0 1 2; do nfiles=$((nfiles + $(sqlite3 s$k/sohoa.db 'SELECT count(*) FROM files'))); done
[ "$nfiles" = "$(( $(sqlite3 ref/sohoa.db 'SELECT count(*) FROM files') + 1 ))" ] ||
	fail "the shards should hold every file once, and the copy once more ($nfiles files)"
# a shard archive is one shard's
"$BIN" ingest --archive s0 --shard 1/3 in >/dev/null 2>wrong.err && fail "shard 0's archive took shard 1"
grep -q "holds shard 0/3, not 1/3" wrong.err || fail "wrong shard: $(cat wrong.err)"

# the merge equals one ingest
"$BIN" merge --archive prov --json s2 s0 s1 >m1.json 2>m1.err || fail "merge: $(cat m1.err)"
grep -q '"changed":true' m1.json && grep -q '"copies_skipped":1' m1.json || fail "merge: $(cat m1.json)"
same_archive prov ref "merged shards"
[ "$(sqlite3 prov/sohoa.db "SELECT count(DISTINCT dossier_id) FROM documents")" = 2 ] || fail "dossiers not joined"

# a second merge changes nothing
sqlite3 prov/sohoa.db .dump >dump1
"$BIN" merge --archive prov --json s0 s1 s2 >m2.json 2>m2.err || fail "second merge: $(cat m2.err)"
grep -q '"changed":false' m2.json || fail "second merge changed something: $(cat m2.json)"
sqlite3 prov/sohoa.db .dump >dump2
cmp -s dump1 dump2 || fail "second merge wrote: $(diff dump1 dump2 | head -5)"

# a correction in a shard comes with its history; the other values stay
# (on a live document of HS-A: the shard of HS-B holds the copy, whose
# document the merge skips)
cs=$(for k in 0 1 2; do sqlite3 s$k/sohoa.db "SELECT 's$k' FROM files WHERE path LIKE '%/HS-A/%' LIMIT 1"; done | head -1)
doc=$(sqlite3 $cs/sohoa.db "SELECT d.id FROM documents d JOIN files f ON f.id = d.file_id WHERE d.deleted_at IS NULL ORDER BY d.id LIMIT 1")
sha=$(sqlite3 $cs/sohoa.db "SELECT f.sha256 || '|' || d.first_page FROM documents d JOIN files f ON f.id = d.file_id WHERE d.id = $doc")
SOHOA_USER=can-bo-xa "$BIN" set -q --archive $cs "$doc" doc_type=birth >/dev/null 2>set.err || fail "set in a shard: $(cat set.err)"
"$BIN" merge --archive prov --json s0 s1 s2 >m3.json 2>m3.err || fail "merge after a correction: $(cat m3.err)"
pdoc=$(sqlite3 prov/sohoa.db "SELECT d.id FROM documents d JOIN files f ON f.id = d.file_id WHERE f.sha256 || '|' || d.first_page = '$sha'")
[ "$(sqlite3 prov/sohoa.db "SELECT doc_type FROM documents WHERE id = $pdoc")" = birth ] || fail "the shard's correction was not merged"
[ "$(sqlite3 prov/sohoa.db "SELECT changed_by FROM fields WHERE document_id = $pdoc AND key = 'doc_type'")" = can-bo-xa ] || fail "who corrected it is lost"
"$BIN" history --archive prov "$pdoc" >hist.out 2>&1 || fail "history: $(cat hist.out)"
grep -q "can-bo-xa" hist.out || fail "the correction is not in the merged history: $(cat hist.out)"
[ "$(sqlite3 prov/sohoa.db "SELECT count(*) FROM events WHERE action = 'doc_type' AND who = 'can-bo-xa' AND document_id = $pdoc")" = 1 ] ||
	fail "the shard's own event was not carried over once"
"$BIN" merge --archive prov --json s0 s1 s2 >m4.json 2>&1 && grep -q '"changed":false' m4.json || fail "merge after a correction is not idempotent: $(cat m4.json)"

# refused before anything is written: damaged, unfinished, locked, foreign
cp -a s1 bad && chmod -R u+w bad
blob=$(sqlite3 bad/sohoa.db "SELECT image_sha256 FROM pages LIMIT 1")
printf 'x' >>"bad/store/${blob:0:2}/$blob"
"$BIN" merge --archive prov-bad s0 bad s2 >/dev/null 2>bad.err && fail "a damaged shard was merged"
grep -q "blob $blob is damaged" bad.err || fail "damaged shard: $(cat bad.err)"
[ "$(sqlite3 prov-bad/sohoa.db 'SELECT count(*) FROM documents')" = 0 ] || fail "a refused merge wrote documents"
cp -a s2 unfinished && chmod -R u+w unfinished
sqlite3 unfinished/sohoa.db "UPDATE meta SET value = 'planned 99' WHERE key = 'shard.run'"
"$BIN" merge --archive prov-bad s0 s1 unfinished >/dev/null 2>unf.err && fail "an unfinished shard was merged"
grep -q "is not finished" unf.err || fail "unfinished shard: $(cat unf.err)"
flock -x s2/.ingest.lock sleep 30 &
lockpid=$!
sleep 0.3
"$BIN" merge --archive prov-bad s0 s1 s2 >/dev/null 2>lock.err && fail "a shard being written was merged"
grep -q "shard 's2' is being written" lock.err || fail "locked shard: $(cat lock.err)"
kill $lockpid; wait $lockpid 2>/dev/null; lockpid=
"$BIN" init -q --archive other && "$BIN" ingest -q --archive other --shard 0/2 -j 1 in/HS-A/p1.png 2>/dev/null
"$BIN" merge --archive prov-bad s1 other >/dev/null 2>other.err && fail "a shard of another run was merged"
grep -q "not of the same run" other.err || fail "foreign shard: $(cat other.err)"
"$BIN" merge --archive prov-bad ref >/dev/null 2>notshard.err && fail "an archive that is no shard was merged"
grep -q "is not a shard archive" notshard.err || fail "not a shard: $(cat notshard.err)"
[ "$(sqlite3 prov-bad/sohoa.db 'SELECT count(*) FROM documents')" = 0 ] || fail "refused merges wrote documents"

# the other 'merge': two document ids join documents (two live ones)
cp -a prov joined && chmod -R u+w joined
set -- $(sqlite3 joined/sohoa.db "SELECT id FROM documents WHERE deleted_at IS NULL ORDER BY id LIMIT 2")
"$BIN" merge --archive joined "$1" "$2" >join.out 2>&1 || fail "merge of documents: $(cat join.out)"
grep -q "document $2 merged into document $1" join.out || fail "merge of documents: $(cat join.out)"

# documents that go on over files, with copies among them whose originals
# another shard holds, earlier in the walk: a copy that went on a record
# in its shard leaves that record's values (PDF, fields) to be made
# without it; the files after a copy that opened its own document go on
# the record before the copy, as in one ingest
xdir=$(make_span_backlog span 2) || { echo "cli_merge: needs python3-pil and fonts-dejavu-core" >&2; exit 1; }
"$BIN" init -q --archive span-ref && "$BIN" ingest -q --archive span-ref -j 1 span 2>span-ref.err ||
	fail "one ingest of the span backlog: $(cat span-ref.err)"
for k in 0 1; do
	"$BIN" init -q --archive span-s$k
	"$BIN" ingest -q --archive span-s$k --shard $k/2 -j 1 span 2>span-s$k.err ||
		fail "span shard $k: $(cat span-s$k.err)"
done
live="SELECT count(*) FROM documents WHERE deleted_at IS NULL"
[ "$(sqlite3 span-ref/sohoa.db "$live")" = 4 ] ||
	fail "one ingest should make 4 documents of the span backlog: $(sqlite3 span-ref/sohoa.db "$live")"
xs=$(for k in 0 1; do sqlite3 span-s$k/sohoa.db "SELECT 'span-s$k' FROM files WHERE path LIKE '%/$xdir/%' LIMIT 1"; done)
[ "$(sqlite3 $xs/sohoa.db "SELECT count(*) FROM pages p JOIN files f ON f.id = p.file_id JOIN documents d ON d.id = p.document_id WHERE f.path LIKE '%/p02.png' AND d.deleted_at IS NULL AND d.file_id <> f.id")" = 1 ] ||
	fail "in its shard, the copy p02 should go on the record before it"
[ "$(sqlite3 $xs/sohoa.db "SELECT count(*) FROM documents d JOIN files f ON f.id = d.file_id WHERE f.path LIKE '%/p04.png' AND d.deleted_at IS NULL AND d.npages = 3")" = 1 ] ||
	fail "in its shard, the copy p04 should open a document the next files go on"
"$BIN" merge --archive span-prov --json span-s1 span-s0 >sm1.json 2>sm1.err || fail "span merge: $(cat sm1.err)"
grep -q '"copies_skipped":2' sm1.json || fail "span merge: $(cat sm1.json)"
same_archive span-prov span-ref "merged span shards"
sqlite3 span-prov/sohoa.db .dump >sdump1
"$BIN" merge --archive span-prov --json span-s0 span-s1 >sm2.json 2>sm2.err || fail "second span merge: $(cat sm2.err)"
grep -q '"changed":false' sm2.json || fail "second span merge changed something: $(cat sm2.json)"
sqlite3 span-prov/sohoa.db .dump >sdump2
cmp -s sdump1 sdump2 || fail "second span merge wrote: $(diff sdump1 sdump2 | head -5)"

[ $fails -eq 0 ] && echo "cli_merge: ok ($(sqlite3 ref/sohoa.db 'SELECT count(*) FROM pages') pages in 3 shards)" || exit 1

-- sohoa archive schema, version 1 -> 2 (see schema.sql for the rules).
-- One history of every change (and of every view, for the web
-- interface's audit), tombstones instead of deletes, the order of pages
-- inside a document, who last set a field, users and trusted signers.

-- A deleted document keeps its row, pages and fields: deleted_at is set
-- and it leaves the search index.  Only 'sohoa purge' removes rows.
ALTER TABLE documents ADD COLUMN deleted_at TEXT;
ALTER TABLE documents ADD COLUMN deleted_by TEXT;
ALTER TABLE documents ADD COLUMN deleted_why TEXT;

-- An ingest and an import into one dossier could give two documents the
-- same number, and export then wrote a bundle it could not verify: such
-- dossiers are numbered again in order, and live numbers stay unique.
CREATE TEMP TABLE renumber AS SELECT id, row_number() OVER (
	PARTITION BY dossier_id ORDER BY ordinal, id) AS n FROM documents
	WHERE dossier_id IN (SELECT dossier_id FROM documents
	GROUP BY dossier_id, ordinal HAVING count(*) > 1);
UPDATE documents SET ordinal = (SELECT n FROM renumber r
	WHERE r.id = documents.id) WHERE id IN (SELECT id FROM renumber);
DROP TABLE renumber;
CREATE UNIQUE INDEX documents_ordinal ON documents(dossier_id, ordinal)
	WHERE deleted_at IS NULL;

-- Position of a page in its document, 0-based.  A document was a run of
-- pages of one file; after a merge it may hold pages of several files.
ALTER TABLE pages ADD COLUMN seq INTEGER;
UPDATE pages SET seq = pageno - (SELECT d.first_page FROM documents d
	WHERE d.id = pages.document_id)
	WHERE document_id IS NOT NULL;
CREATE INDEX pages_document_seq ON pages(document_id, seq);
-- A page replaced by a re-scan is read from this original, not its file's.
ALTER TABLE pages ADD COLUMN rescan_sha256 TEXT;

-- When and by whom a field was last set by a person or an import (NULL:
-- as OCR read it).  Import compares these to keep the newer value.
ALTER TABLE fields ADD COLUMN changed_at TEXT;
ALTER TABLE fields ADD COLUMN changed_by TEXT;

-- Every change, never deleted: corrections, type changes, moves, splits,
-- merges, rotations, deletions, imports, exports, checks, user changes,
-- logins and views.  action names are listed in include/sohoa/history.h.
-- detail is JSON with what undo needs or what a check found.
CREATE TABLE events (
	id          INTEGER PRIMARY KEY,
	at          TEXT NOT NULL,
	who         TEXT NOT NULL,
	source      TEXT NOT NULL DEFAULT 'cli',   -- cli, web, bundle:<sha256>
	action      TEXT NOT NULL,
	document_id INTEGER,          -- no foreign key: history outlives purge
	dossier_id  INTEGER,
	key         TEXT,
	old_value   TEXT,
	new_value   TEXT,
	detail      TEXT,
	undoes      INTEGER REFERENCES events(id)  -- the event this one undid
);
CREATE INDEX events_document ON events(document_id, id)
	WHERE document_id IS NOT NULL;
CREATE INDEX events_action ON events(action, id);
CREATE INDEX events_at ON events(at);

INSERT INTO events(at, who, source, action, document_id, key, old_value,
	new_value)
	SELECT at, who, 'cli', 'field_set', document_id, key, old_value,
	new_value FROM field_history ORDER BY id;
UPDATE fields SET
	changed_at = (SELECT h.at FROM field_history h
		WHERE h.document_id = fields.document_id AND h.key = fields.key
		ORDER BY h.id DESC LIMIT 1),
	changed_by = (SELECT h.who FROM field_history h
		WHERE h.document_id = fields.document_id AND h.key = fields.key
		ORDER BY h.id DESC LIMIT 1)
	WHERE corrected;
DROP TABLE field_history;
CREATE VIEW field_history(id, document_id, key, old_value, new_value, who,
	at) AS SELECT id, document_id, key, old_value, new_value, who, at
	FROM events WHERE action = 'field_set';

-- People who may sign in to 'sohoa serve'.  pwhash is an Argon2id
-- encoded string; a password is never stored or logged.
CREATE TABLE users (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL UNIQUE,
	role       TEXT NOT NULL
		CHECK (role IN ('officer', 'clerk', 'archivist', 'admin')),
	pwhash     TEXT NOT NULL,
	disabled   INTEGER NOT NULL DEFAULT 0,
	created_at TEXT NOT NULL,
	changed_at TEXT NOT NULL
);

-- Certificates whose bundles import without --untrusted: a signer's own
-- certificate, or a CA that issued it.
CREATE TABLE trusted_signers (
	fingerprint TEXT PRIMARY KEY,   -- SHA-256 of the DER certificate, hex
	subject     TEXT NOT NULL,
	issuer      TEXT NOT NULL,
	not_after   TEXT NOT NULL,
	is_ca       INTEGER NOT NULL DEFAULT 0,
	pem         TEXT NOT NULL,
	added_at    TEXT NOT NULL,
	added_by    TEXT NOT NULL
);

UPDATE meta SET value = '2' WHERE key = 'schema_version';

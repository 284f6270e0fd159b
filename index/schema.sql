-- sohoa archive schema (sohoa.db), version 1: the base every archive
-- starts from.  index/schema_N.sql takes an archive from version N-1 to N;
-- a new archive runs this file and then each of them in turn, so a new
-- archive and an upgraded one are the same.  PRAGMA user_version holds the
-- version and PRAGMA application_id marks the file as a sohoa archive
-- (index/archive_schema.c).  Never edit a released file: add the next one.
-- Text is NFC UTF-8.  Times are ISO 8601 with offset (local time +07:00
-- in practice), stored as TEXT.  Hashes are lower-case hex SHA-256.
-- The content store (DIR/store/ab/cdef...) holds every blob named by a
-- *_sha256 column: original scans, page view images, hOCR, word boxes, PDFs.
-- index/archive_schema.c embeds these files in the library; the connection
-- settings (WAL, synchronous, foreign keys) are made in index/archive.c.

CREATE TABLE IF NOT EXISTS meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

-- A hồ sơ.  code is what the clerk sees ("HS-2019-0042").
CREATE TABLE IF NOT EXISTS dossiers (
	id         INTEGER PRIMARY KEY,
	code       TEXT NOT NULL UNIQUE,
	created_at TEXT NOT NULL
);

-- Dossier metadata for archival export (Thông tư 05/2025 EAD fields):
-- title, maintenance, mode, language, start_date, end_date, keyword,
-- confidence_level, paper_file_code, format, description, ...
CREATE TABLE IF NOT EXISTS dossier_meta (
	dossier_id INTEGER NOT NULL REFERENCES dossiers(id),
	key        TEXT NOT NULL,
	value      TEXT NOT NULL,
	PRIMARY KEY (dossier_id, key)
);

-- One scanned file, as ingested.  sha256 names the original in the store.
CREATE TABLE IF NOT EXISTS files (
	id          INTEGER PRIMARY KEY,
	sha256      TEXT NOT NULL UNIQUE,
	dossier_id  INTEGER REFERENCES dossiers(id),
	path        TEXT NOT NULL,        -- as given on the command line
	name        TEXT NOT NULL,        -- base name, for bundles
	format      TEXT NOT NULL,        -- tiff, png, jpeg, pnm
	size        INTEGER NOT NULL,
	npages      INTEGER NOT NULL,
	done        INTEGER NOT NULL DEFAULT 0,  -- 1 once every page is stored
	ingested_at TEXT NOT NULL
);

-- A document: a run of pages of one file.
CREATE TABLE IF NOT EXISTS documents (
	id          INTEGER PRIMARY KEY,
	dossier_id  INTEGER REFERENCES dossiers(id),
	file_id     INTEGER NOT NULL REFERENCES files(id),
	first_page  INTEGER NOT NULL,     -- 0-based page of the file
	npages      INTEGER NOT NULL,
	ordinal     INTEGER NOT NULL,     -- order in the dossier, 1-based
	doc_type    TEXT NOT NULL DEFAULT 'other',
	title       TEXT NOT NULL DEFAULT '',
	doc_date    TEXT,                 -- ISO date used by search filters
	confidence  REAL NOT NULL DEFAULT 0,
	pdf_sha256  TEXT,                 -- searchable PDF in the store
	created_at  TEXT NOT NULL,
	UNIQUE (file_id, first_page)
);
CREATE INDEX IF NOT EXISTS documents_dossier ON documents(dossier_id, ordinal);

-- Every page of every file, blank and failed ones included.
CREATE TABLE IF NOT EXISTS pages (
	id           INTEGER PRIMARY KEY,
	file_id      INTEGER NOT NULL REFERENCES files(id),
	document_id  INTEGER REFERENCES documents(id),
	pageno       INTEGER NOT NULL,    -- 0-based
	status       TEXT NOT NULL,       -- ok, blank, lowconf, failed
	orientation  INTEGER NOT NULL DEFAULT 0,
	skew         REAL NOT NULL DEFAULT 0,
	confidence   REAL NOT NULL DEFAULT 0,
	width        INTEGER NOT NULL DEFAULT 0,
	height       INTEGER NOT NULL DEFAULT 0,
	dpi          INTEGER NOT NULL DEFAULT 0,
	image_sha256 TEXT,                -- upright colour view image in the store
	image_type   TEXT,
	hocr_sha256  TEXT,                -- hOCR in the store
	words_sha256 TEXT,                -- word boxes in the store: one line per
	                                  -- word, "x0 y0 x1 y1 conf line block\ttext"
	text         TEXT NOT NULL DEFAULT '',
	error        TEXT,
	seconds      REAL NOT NULL DEFAULT 0,
	UNIQUE (file_id, pageno)
);
CREATE INDEX IF NOT EXISTS pages_document ON pages(document_id, pageno);
CREATE INDEX IF NOT EXISTS pages_status ON pages(status);
CREATE INDEX IF NOT EXISTS files_dossier ON files(dossier_id);

-- Word boxes are in the hOCR; fields get their own table.
CREATE TABLE IF NOT EXISTS fields (
	document_id INTEGER NOT NULL REFERENCES documents(id),
	key         TEXT NOT NULL,
	value       TEXT NOT NULL,
	raw         TEXT,
	conf        REAL NOT NULL DEFAULT 0,
	flagged     INTEGER NOT NULL DEFAULT 0,
	corrected   INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (document_id, key)
);
CREATE INDEX IF NOT EXISTS fields_kv ON fields(key, value);
CREATE INDEX IF NOT EXISTS fields_flagged ON fields(flagged) WHERE flagged;

-- Clerk corrections (sohoa set), never deleted.
CREATE TABLE IF NOT EXISTS field_history (
	id          INTEGER PRIMARY KEY,
	document_id INTEGER NOT NULL REFERENCES documents(id),
	key         TEXT NOT NULL,
	old_value   TEXT,                 -- NULL when the field was added
	new_value   TEXT NOT NULL,
	who         TEXT NOT NULL,
	at          TEXT NOT NULL
);

-- Files that could not be ingested at all (unreadable, not an image).
-- Page-level failures are pages rows with status 'failed'.
CREATE TABLE IF NOT EXISTS failures (
	id     INTEGER PRIMARY KEY,
	path   TEXT NOT NULL,
	pageno INTEGER,
	reason TEXT NOT NULL,
	at     TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS failures_path ON failures(path, coalesce(pageno, -1));

-- Every bundle exported (issue: signed dossier bundles).
CREATE TABLE IF NOT EXISTS exports (
	id         INTEGER PRIMARY KEY,
	dossier_id INTEGER NOT NULL REFERENCES dossiers(id),
	path       TEXT NOT NULL,
	sha256     TEXT NOT NULL,
	format     TEXT NOT NULL,
	signer     TEXT NOT NULL,
	at         TEXT NOT NULL
);

INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', '1');

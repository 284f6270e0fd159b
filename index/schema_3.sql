-- sohoa archive schema, version 2 -> 3 (see schema.sql for the rules).
-- The review queue a page at a time (sohoa_archive_review_page): what is
-- left to review, in the order the queue walks it, so a page reads its
-- own rows whether the backlog is long or the items left are few and far
-- between (without them a page after a long run of reviewed documents
-- read every field of that run: 0.9 s at 200,000 documents).

-- Flagged fields nobody has corrected yet, by document then key.
CREATE INDEX fields_review ON fields(document_id, key)
	WHERE flagged AND NOT corrected;

-- Live documents of no known type, waiting for a person to give one.
CREATE INDEX documents_other ON documents(id)
	WHERE doc_type = 'other' AND deleted_at IS NULL;

UPDATE meta SET value = '3' WHERE key = 'schema_version';

/*
 * The trusted_signers table: certificates whose bundles this archive
 * takes without --untrusted.  The certificates themselves are read by
 * bundle/trust.c; this file only keeps the rows and their history.
 */
#include <stdlib.h>
#include <string.h>

#include "sohoa/history.h"
#include "archive_private.h"

int
sohoa_archive_trusted_add(struct sohoa_archive *a,
    const struct sohoa_trusted *t, int *padded)
{
	struct sohoa_buf now = SOHOA_BUF_INIT;
	struct sohoa_event ev;
	sqlite3_stmt *st = NULL;
	int rc;

	*padded = 0;
	if (sohoa_archive_now(&now) != SOHOA_OK)
		return sohoa_set_error(a->ctx, SOHOA_ERR_NOMEM, "out of memory");
	rc = sohoa_archive_begin(a);
	if (rc != SOHOA_OK)
		goto out;
	rc = sohoa_archive_prepare(a, "INSERT INTO trusted_signers(fingerprint,"
	    " subject, issuer, not_after, is_ca, pem, added_at, added_by)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", &st);
	if (rc == SOHOA_OK) {
		sqlite3_bind_text(st, 1, t->fingerprint, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, t->subject, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, t->issuer, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, t->not_after, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 5, t->is_ca);
		sqlite3_bind_text(st, 6, t->pem, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 7, now.buf, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 8, sohoa_archive_actor(a), -1,
		    SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = sohoa_archive_db_error(a, "add a trusted signer");
		else
			*padded = sqlite3_changes(a->db) > 0;
	}
	if (rc == SOHOA_OK && *padded) {
		memset(&ev, 0, sizeof(ev));
		ev.action = SOHOA_EV_TRUST_ADD;
		ev.key = t->fingerprint;
		ev.new_value = t->subject;
		rc = sohoa_archive_event_add(a, &ev, NULL);
	}
	rc = sohoa_archive_end(a, rc);
out:
	sqlite3_finalize(st);
	sohoa_buf_release(&now);
	return rc;
}

int
sohoa_archive_trusted_list(struct sohoa_archive *a,
    int (*cb)(void *arg, const struct sohoa_trusted *t), void *arg)
{
	struct sohoa_trusted t;
	sqlite3_stmt *st = NULL;
	int rc, step;

	rc = sohoa_archive_prepare(a, "SELECT fingerprint, subject, issuer,"
	    " not_after, is_ca, pem, added_at, added_by FROM trusted_signers"
	    " ORDER BY added_at, fingerprint", &st);
	if (rc != SOHOA_OK)
		return rc;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		t.fingerprint = (const char *)sqlite3_column_text(st, 0);
		t.subject = (const char *)sqlite3_column_text(st, 1);
		t.issuer = (const char *)sqlite3_column_text(st, 2);
		t.not_after = (const char *)sqlite3_column_text(st, 3);
		t.is_ca = sqlite3_column_int(st, 4);
		t.pem = (const char *)sqlite3_column_text(st, 5);
		t.added_at = (const char *)sqlite3_column_text(st, 6);
		t.added_by = (const char *)sqlite3_column_text(st, 7);
		rc = cb(arg, &t);
		if (rc != 0)
			break;
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = sohoa_archive_db_error(a, "list trusted signers");
	sqlite3_finalize(st);
	return rc;
}

int
sohoa_archive_trusted_remove(struct sohoa_archive *a, const char *fingerprint)
{
	struct sohoa_buf hex = SOHOA_BUF_INIT;
	struct sohoa_event ev;
	sqlite3_stmt *st = NULL;
	const char *p;
	char *fp = NULL, *subject = NULL;
	int rc = SOHOA_OK, n = 0;

	/* "AB:CD:…" as printed, or plain hex; a prefix of 8+ digits will do */
	for (p = fingerprint; *p; p++) {
		if (*p == ':')
			continue;
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') ||
		    (*p >= 'A' && *p <= 'F')))
			break;
		sohoa_buf_addch(&hex, *p >= 'A' && *p <= 'F' ? *p + 32 : *p);
	}
	if (*p != '\0' || hex.len < 8 || hex.len > 64) {
		rc = sohoa_set_error(a->ctx, SOHOA_ERR_INPUT, "'%s' is not a"
		    " certificate fingerprint (at least 8 hex digits, as"
		    " 'sohoa trust list' prints it)", fingerprint);
		goto out;
	}
	sohoa_buf_addch(&hex, '*');
	rc = sohoa_archive_prepare(a, "SELECT fingerprint, subject FROM"
	    " trusted_signers WHERE fingerprint GLOB ?", &st);
	if (rc != SOHOA_OK)
		goto out;
	sqlite3_bind_text(st, 1, hex.buf, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW)
		if (n++ == 0) {
			fp = strdup((const char *)sqlite3_column_text(st, 0));
			subject = strdup((const char *)
			    sqlite3_column_text(st, 1));
		}
	sqlite3_finalize(st);
	st = NULL;
	if (n == 0)
		rc = sohoa_set_error(a->ctx, SOHOA_ERR_NOTFOUND, "no trusted"
		    " signer has fingerprint '%s'", fingerprint);
	else if (n > 1)
		rc = sohoa_set_error(a->ctx, SOHOA_ERR_INPUT, "'%s' is the"
		    " start of %d fingerprints: give more digits", fingerprint,
		    n);
	else if (fp == NULL || subject == NULL)
		rc = sohoa_set_error(a->ctx, SOHOA_ERR_NOMEM, "out of memory");
	if (rc != SOHOA_OK)
		goto out;
	rc = sohoa_archive_begin(a);
	if (rc != SOHOA_OK)
		goto out;
	rc = sohoa_archive_prepare(a, "DELETE FROM trusted_signers WHERE"
	    " fingerprint = ?", &st);
	if (rc == SOHOA_OK) {
		sqlite3_bind_text(st, 1, fp, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = sohoa_archive_db_error(a, "remove a trusted signer");
	}
	if (rc == SOHOA_OK) {
		memset(&ev, 0, sizeof(ev));
		ev.action = SOHOA_EV_TRUST_REMOVE;
		ev.key = fp;
		ev.old_value = subject;
		rc = sohoa_archive_event_add(a, &ev, NULL);
	}
	rc = sohoa_archive_end(a, rc);
out:
	sqlite3_finalize(st);
	free(fp);
	free(subject);
	sohoa_buf_release(&hex);
	return rc;
}

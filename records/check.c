/*
 * Fixity and repair ('sohoa check [--repair]'): every blob the rows name
 * is hashed against its name, the database checks itself, the search
 * index is held against the documents, every live document with images
 * has its PDF.  The result is recorded as a fixity event (PREMIS: event
 * type "fixity check", outcome pass or fail, with what was found).
 * Repair restores a missing or damaged blob from a good copy the caller
 * names (a scanned file; bundles: sohoa_bundle_heal), rebuilds PDFs and
 * the index; it never deletes a damaged blob (store/damaged/ keeps it).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sohoa/archive.h"
#include "sohoa/history.h"
#include "sohoa/json.h"
#include "sohoa/records.h"

struct chk {
	struct sohoa_archive *a;
	struct sohoa_check_result *r;
	int (*progress)(void *arg, size_t done, size_t total);
	void *arg;
	size_t total;
};

static int
add_problem(struct chk *c, const struct sohoa_blob_ref *ref, int state)
{
	struct sohoa_check_result *r = c->r;
	struct sohoa_check_problem *p;
	struct sohoa_buf what = SOHOA_BUF_INIT;

	if (r->nproblems == r->aproblems) {
		size_t n = r->aproblems ? 2 * r->aproblems : 8;

		p = realloc(r->problems, n * sizeof(*p));
		if (p == NULL)
			return SOHOA_ERR_NOMEM;
		r->problems = p;
		r->aproblems = n;
	}
	if (ref->document_id)
		sohoa_buf_addf(&what, "%s of document %lld (%s)", ref->what,
		    (long long)ref->document_id, ref->path);
	else
		sohoa_buf_addf(&what, "%s '%s'", ref->what, ref->path);
	p = &r->problems[r->nproblems];
	memset(p, 0, sizeof(*p));
	p->what = sohoa_buf_detach(&what, NULL);
	p->sha256 = ref->sha256 ? strdup(ref->sha256) : NULL;
	p->document_id = ref->document_id;
	p->page_id = ref->page_id;
	p->state = state;
	p->pdf = ref->sha256 == NULL || strcmp(ref->what, "PDF") == 0;
	if (p->what == NULL || (ref->sha256 && p->sha256 == NULL))
		return SOHOA_ERR_NOMEM;
	r->nproblems++;
	return SOHOA_OK;
}

static int
count_one(void *arg, const struct sohoa_blob_ref *ref)
{
	(void)ref;
	((struct chk *)arg)->total++;
	return 0;
}

static int
check_one(void *arg, const struct sohoa_blob_ref *ref)
{
	struct chk *c = arg;
	int rc, state = SOHOA_BLOB_MISSING;

	if (c->progress != NULL && c->progress(c->arg, c->r->blobs, c->total))
		return SOHOA_ERR_CANCELLED;
	c->r->blobs++;
	if (ref->sha256 != NULL) {
		rc = sohoa_store_verify(c->a, ref->sha256, &state);
		if (rc != SOHOA_OK || state == SOHOA_BLOB_OK)
			return rc;
	}
	c->r->bad++;
	return add_problem(c, ref, state);
}

/* Heal every problem whose blob is the file PATH. */
static int
heal_file(struct chk *c, const char *path)
{
	struct sohoa_ctx *ctx = sohoa_archive_ctx(c->a);
	char sha[SOHOA_SHA256_HEX];
	size_t i;
	int rc, healed;

	rc = sohoa_sha256_file(ctx, path, sha);
	if (rc != SOHOA_OK) {
		sohoa_clear_error(ctx);	/* an unreadable copy is no copy */
		return SOHOA_OK;
	}
	for (i = 0; i < c->r->nproblems; i++) {
		struct sohoa_check_problem *p = &c->r->problems[i];

		if (p->repaired || p->sha256 == NULL ||
		    strcmp(p->sha256, sha) != 0)
			continue;
		rc = sohoa_store_heal(c->a, path, sha, &healed);
		if (rc != SOHOA_OK)
			return rc;
		p->repaired = 1;
		c->r->repaired++;
	}
	return SOHOA_OK;
}

/* Files under PATH (not following links), each tried as a copy. */
static int
heal_from(struct chk *c, const char *path, int depth)
{
	struct sohoa_buf sub = SOHOA_BUF_INIT;
	struct dirent *e;
	struct stat st;
	DIR *d;
	int rc = SOHOA_OK;

	if (lstat(path, &st) != 0)
		return sohoa_set_error(sohoa_archive_ctx(c->a), SOHOA_ERR_IO,
		    "cannot read '%s'", path);
	if (S_ISREG(st.st_mode))
		return heal_file(c, path);
	if (!S_ISDIR(st.st_mode) || depth > 32 || (d = opendir(path)) == NULL)
		return SOHOA_OK;
	while (rc == SOHOA_OK && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		sohoa_buf_reset(&sub);
		sohoa_buf_addf(&sub, "%s/%s", path, e->d_name);
		rc = heal_from(c, sub.buf, depth + 1);
	}
	closedir(d);
	sohoa_buf_release(&sub);
	return rc;
}

/* Documents whose PDF is missing or damaged get a new one. */
static int
remake_pdfs(struct chk *c)
{
	struct sohoa_archive *a = c->a;
	size_t i;
	int rc = SOHOA_OK;

	for (i = 0; rc == SOHOA_OK && i < c->r->nproblems; i++) {
		struct sohoa_check_problem *p = &c->r->problems[i];

		if (!p->pdf || p->repaired || p->document_id == 0)
			continue;
		rc = sohoa_records_pdf(a, p->document_id, NULL, 0, NULL);
		if (rc != SOHOA_OK) {
			/* its page images are gone too: said, not fatal */
			sohoa_clear_error(sohoa_archive_ctx(a));
			rc = SOHOA_OK;
			continue;
		}
		p->repaired = 1;
		c->r->repaired++;
		c->r->pdfs_made++;
	}
	return rc;
}

static int
note(struct chk *c, unsigned flags)
{
	struct sohoa_check_result *r = c->r;
	struct sohoa_buf detail = SOHOA_BUF_INIT;
	struct sohoa_event ev;
	struct sohoa_json j;
	size_t i;
	int rc;

	sohoa_json_init(&j, &detail, 0);
	sohoa_json_obj_open(&j);
	sohoa_json_key(&j, "event_type");
	sohoa_json_str(&j, "fixity check");
	sohoa_json_key(&j, "outcome");
	sohoa_json_str(&j, r->ok ? "pass" : "fail");
	sohoa_json_key(&j, "integrity");
	sohoa_json_str(&j, r->db.integrity);
	sohoa_json_key(&j, "blobs");
	sohoa_json_int(&j, (long long)r->blobs);
	sohoa_json_key(&j, "bad");
	sohoa_json_int(&j, (long long)r->bad);
	sohoa_json_key(&j, "repaired");
	sohoa_json_int(&j, (long long)r->repaired);
	sohoa_json_key(&j, "index_fixed");
	sohoa_json_int(&j, r->db.fts_fixed);
	sohoa_json_key(&j, "problems");
	sohoa_json_arr_open(&j);
	for (i = 0; i < r->nproblems; i++) {
		sohoa_json_obj_open(&j);
		sohoa_json_key(&j, "what");
		sohoa_json_str(&j, r->problems[i].what);
		sohoa_json_key(&j, "sha256");
		sohoa_json_str(&j, r->problems[i].sha256);
		sohoa_json_key(&j, "state");
		sohoa_json_str(&j, r->problems[i].state == SOHOA_BLOB_DAMAGED ?
		    "damaged" : "missing");
		sohoa_json_key(&j, "repaired");
		sohoa_json_bool(&j, r->problems[i].repaired);
		sohoa_json_obj_close(&j);
	}
	sohoa_json_arr_close(&j);
	sohoa_json_obj_close(&j);
	memset(&ev, 0, sizeof(ev));
	ev.action = (flags & SOHOA_CHECK_REPAIR) ? SOHOA_EV_REPAIR :
	    SOHOA_EV_CHECK;
	ev.new_value = r->ok ? "pass" : "fail";
	ev.detail = detail.buf;
	rc = sohoa_archive_event_add(c->a, &ev, &r->event_id);
	sohoa_buf_release(&detail);
	return rc;
}

void
sohoa_check_result_release(struct sohoa_check_result *r)
{
	size_t i;

	for (i = 0; i < r->nproblems; i++) {
		free(r->problems[i].what);
		free(r->problems[i].sha256);
	}
	free(r->problems);
	memset(r, 0, sizeof(*r));
}

int
sohoa_records_check(struct sohoa_archive *a, unsigned flags,
    const char *const *sources, size_t nsources,
    int (*progress)(void *arg, size_t done, size_t total), void *arg,
    struct sohoa_check_result *r)
{
	struct chk c;
	size_t i;
	int rc, repair = (flags & SOHOA_CHECK_REPAIR) != 0;

	sohoa_check_result_release(r);
	memset(&c, 0, sizeof(c));
	c.a = a;
	c.r = r;
	c.progress = progress;
	c.arg = arg;
	rc = sohoa_archive_check_db(a, repair, &r->db);
	if (rc == SOHOA_OK)
		rc = sohoa_archive_blob_list(a, count_one, &c);
	if (rc == SOHOA_OK)
		rc = sohoa_archive_blob_list(a, check_one, &c);
	if (rc == SOHOA_ERR_NOMEM)
		rc = sohoa_set_error(sohoa_archive_ctx(a), rc, "out of memory");
	for (i = 0; rc == SOHOA_OK && repair && i < nsources; i++)
		rc = heal_from(&c, sources[i], 0);
	if (rc == SOHOA_OK && repair)
		rc = sohoa_archive_begin(a);
	if (rc == SOHOA_OK && repair) {
		rc = remake_pdfs(&c);
		rc = sohoa_archive_end(a, rc);
	}
	if (rc != SOHOA_OK)
		return rc;
	r->ok = strcmp(r->db.integrity, "ok") == 0 && r->db.foreign_keys == 0 &&
	    ((r->db.fts_ok && !r->db.fts_missing && !r->db.fts_stale) ||
	    (repair && r->db.fts_fixed > 0)) && r->repaired == r->bad;
	if (flags & SOHOA_CHECK_NO_EVENT)
		return SOHOA_OK;
	return note(&c, flags);
}

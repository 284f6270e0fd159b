/*
 * The archive's history: one row per change (and per view, for the web
 * interface's audit), never deleted.  Every function of the library that
 * changes a record writes its event in the same transaction as the
 * change, so the history and the records cannot disagree.
 *
 *   sohoa_archive_set_actor     who the following changes are made by
 *   sohoa_archive_event_add     record an event
 *   sohoa_archive_event_list    read events, filtered
 *   sohoa_event_json            an event as 'sohoa history --json' prints it
 *
 * Strings handed to callbacks are borrowed, valid only during the call.
 */
#ifndef SOHOA_HISTORY_H
#define SOHOA_HISTORY_H

#include <stdint.h>
#include "sohoa/sohoa.h"

struct sohoa_archive;

/* Actions (the events.action column).  Keep in step with docs/README. */
#define SOHOA_EV_FIELD_SET	"field_set"	/* key, old -> new */
#define SOHOA_EV_FIELD_ACCEPT	"field_accept"	/* key, value kept as right */
#define SOHOA_EV_DOC_TYPE	"doc_type"	/* old -> new type */
#define SOHOA_EV_DOC_MOVE	"doc_move"	/* old -> new dossier code */
#define SOHOA_EV_DOSSIER_META	"dossier_meta"	/* key, old -> new value */
#define SOHOA_EV_DOC_SPLIT	"doc_split"	/* new document in detail */
#define SOHOA_EV_DOC_MERGE	"doc_merge"	/* absorbed document in detail */
#define SOHOA_EV_DOC_DELETE	"doc_delete"	/* new_value: why */
#define SOHOA_EV_DOC_RESTORE	"doc_restore"
#define SOHOA_EV_DOC_PURGE	"doc_purge"
#define SOHOA_EV_PAGE_ROTATE	"page_rotate"	/* old -> new orientation */
#define SOHOA_EV_PAGE_REPLACE	"page_replace"	/* old -> new page image */
#define SOHOA_EV_PAGE_RETRY	"page_retry"	/* a failed page read again */
#define SOHOA_EV_TEXT_EDIT	"text_edit"	/* a line of OCR text corrected */
#define SOHOA_EV_FAILURE_CLEAR	"failure_clear"
#define SOHOA_EV_IMPORT		"import"	/* a bundle, what it changed */
#define SOHOA_EV_IMPORT_CONFLICT "import_conflict" /* local value kept */
#define SOHOA_EV_EXPORT		"export"
#define SOHOA_EV_CHECK		"check"		/* fixity: what was found */
#define SOHOA_EV_REPAIR		"repair"	/* what was restored */
#define SOHOA_EV_BACKUP		"backup"
#define SOHOA_EV_RESTORE	"restore"
#define SOHOA_EV_TRUST_ADD	"trust_add"
#define SOHOA_EV_TRUST_REMOVE	"trust_remove"
#define SOHOA_EV_USER_ADD	"user_add"
#define SOHOA_EV_USER_CHANGE	"user_change"	/* role, disabled, password */
#define SOHOA_EV_LOGIN		"login"
#define SOHOA_EV_LOGIN_FAILED	"login_failed"
#define SOHOA_EV_VIEW		"view"		/* a document was looked at */
#define SOHOA_EV_UNDO		"undo"		/* undoes: the event undone */

struct sohoa_event {
	int64_t id;
	const char *at;		/* ISO 8601 with offset */
	const char *who;
	const char *source;	/* "cli", "web", "bundle:<sha256>" ... */
	const char *action;	/* SOHOA_EV_* */
	int64_t document_id;	/* 0 when none */
	int64_t dossier_id;	/* 0 when none */
	const char *key;	/* may be NULL */
	const char *old_value;	/* may be NULL */
	const char *new_value;	/* may be NULL */
	const char *detail;	/* JSON object or NULL */
	int64_t undoes;		/* the event this one undid, 0 when none */
	int64_t undone_by;	/* when listed: the undo event, 0 when none */
};

/*
 * Who makes the following changes through A (WHO, e.g. a user name) and
 * from where (SOURCE, e.g. "cli", "web").  Both are copied; NULL keeps
 * the current value.  The default is "unknown" from "api".
 */
int sohoa_archive_set_actor(struct sohoa_archive *a, const char *who,
    const char *source);
/* The current actor's name and source (borrowed). */
const char *sohoa_archive_actor(const struct sohoa_archive *a);
const char *sohoa_archive_actor_source(const struct sohoa_archive *a);

/*
 * Record EV (its id, at, who, source and undone_by are ignored: the
 * time is now and the actor is A's, unless EV->who/EV->source are set,
 * which import uses to name the bundle).  *pid (may be NULL) gets the
 * new id.
 */
int sohoa_archive_event_add(struct sohoa_archive *a,
    const struct sohoa_event *ev, int64_t *pid);

struct sohoa_event_filter {
	int64_t document_id;	/* 0: any */
	int64_t dossier_id;	/* 0: any */
	const char *action;	/* NULL: any; "!view" any but views */
	const char *who;	/* NULL: anyone */
	const char *since;	/* NULL, or at >= this (ISO date or time) */
	int64_t before_id;	/* 0, or only ids below it (paging) */
	int limit;		/* 0: no limit */
	int oldest_first;	/* default: newest first */
};

/*
 * Call CB for each event F keeps (F NULL: all), newest first unless
 * F->oldest_first; a non-zero return from CB stops and is returned.
 */
int sohoa_archive_event_list(struct sohoa_archive *a,
    const struct sohoa_event_filter *f,
    int (*cb)(void *arg, const struct sohoa_event *ev), void *arg);

/*
 * Load event ID into CB's single call; SOHOA_ERR_NOTFOUND when none.
 */
int sohoa_archive_event_get(struct sohoa_archive *a, int64_t id,
    int (*cb)(void *arg, const struct sohoa_event *ev), void *arg);

struct sohoa_json;
/*
 * Write EV as one object {id, at, who, source, action, document, dossier,
 * key, old, new, detail, undoes, undone_by} to J (null when none; detail
 * is the event's own JSON): 'sohoa history --json', 'sohoa audit --json'
 * and the web API print this.
 */
void sohoa_event_json(struct sohoa_json *j, const struct sohoa_event *ev);

#endif

/*
 * An event of the archive's history as a person reads it, for the audit
 * page and a document's history: the field it is about, and what changed
 * (old → new, dates as DD/MM/YYYY, types and roles in words, where a
 * login came from, an export's bundle by its hash).
 */
#include <string.h>

#include "sohoa/history.h"
#include "web_private.h"

/* One value of EV: the words for a type or a role, a date as DD/MM/YYYY */
static void
value(struct web_req *r, const struct sohoa_event *ev, const char *v)
{
	if (v == NULL) {
		html_raw(r, "<span class=\"none\">—</span>");
	} else if (strcmp(ev->action, SOHOA_EV_DOC_TYPE) == 0) {
		html_text(r, web_t2(r, "type", v));
	} else if (strcmp(ev->action, SOHOA_EV_USER_ADD) == 0 ||
	    (strcmp(ev->action, SOHOA_EV_USER_CHANGE) == 0 &&
	    ev->detail != NULL &&
	    strstr(ev->detail, "\"change\":\"role\"") != NULL)) {
		html_text(r, web_t2(r, "role", v));
	} else if (ev->key != NULL && strstr(ev->key, "date") != NULL) {
		html_date(r, v, 0);
	} else {
		html_text(r, v);
	}
}

void
html_event_field(struct web_req *r, const struct sohoa_event *ev,
    const char *doc_type)
{
	if (ev->key == NULL || strcmp(ev->action, SOHOA_EV_DOC_TYPE) == 0)
		return;
	if (ev->document_id > 0)
		html_text(r, web_field_label(r, doc_type, ev->key));
	else if (ev->dossier_id <= 0)
		html_text(r, ev->key);	/* a user's name */
}

void
html_event_change(struct web_req *r, const struct sohoa_event *ev)
{
	size_t n;

	if (strcmp(ev->action, SOHOA_EV_LOGIN) == 0 ||
	    strcmp(ev->action, SOHOA_EV_LOGIN_FAILED) == 0) {
		/* new_value is the address the attempt came from */
		html_tf(r, "audit.from", ev->new_value ? ev->new_value : "?",
		    NULL);
	} else if (strcmp(ev->action, SOHOA_EV_EXPORT) == 0 &&
	    ev->new_value != NULL) {
		/* the bundle's SHA-256, short, the whole in the title */
		n = strlen(ev->new_value);
		html_raw(r, "<span class=\"hash\"");
		html_attr(r, "title", ev->new_value);
		html_raw(r, ">SHA-256 ");
		html_escn(&r->out, ev->new_value, n > 12 ? 12 : n);
		html_raw(r, "…</span>");
	} else if (strcmp(ev->action, SOHOA_EV_FIELD_ACCEPT) == 0) {
		value(r, ev, ev->new_value ? ev->new_value : ev->old_value);
	} else if (ev->old_value != NULL || ev->new_value != NULL) {
		value(r, ev, ev->old_value);
		html_raw(r, " → ");
		value(r, ev, ev->new_value);
	}
}

/*
 * Field extraction: document types are described by data files
 * (doctypes/<type>.conf), loaded once and shared read-only by all threads.
 *
 *   sohoa_doctypes_load / _destroy     the rules
 *   sohoa_doc_split                    where documents start in a run of pages
 *   sohoa_doc_extract                  classify and extract fields of one document
 */
#ifndef SOHOA_FIELDS_H
#define SOHOA_FIELDS_H

#include <stddef.h>
#include "sohoa/sohoa.h"
#include "sohoa/page.h"

struct sohoa_doctypes;

/*
 * Load every *.conf in DIR.  DIR NULL means the default: $SOHOA_DOCTYPES,
 * else the source tree's doctypes/ (compiled-in path), else the installed
 * share directory.  Free with sohoa_doctypes_destroy(&dt).
 */
int sohoa_doctypes_load(struct sohoa_ctx *ctx, const char *dir,
    struct sohoa_doctypes **pdt);
void sohoa_doctypes_destroy(struct sohoa_doctypes **pdt);

/*
 * Split NPAGES pages into documents.  *pstarts gets a malloc'd array of
 * *pn page indexes where a document begins (the first is always 0; blank
 * separator pages belong to no document and are skipped).
 */
int sohoa_doc_split(struct sohoa_ctx *ctx, const struct sohoa_doctypes *dt,
    const struct sohoa_page *const *pages, size_t npages,
    size_t **pstarts, size_t *pn);

/*
 * Classify the document made of PAGES and extract its fields into OUT
 * (which the caller has initialised).  *pdoc_type gets a static string:
 * "birth", "death", "marriage", "marital_status", "decision" or "other"
 * (or another type from the data files).
 */
int sohoa_doc_extract(struct sohoa_ctx *ctx, const struct sohoa_doctypes *dt,
    const struct sohoa_page *const *pages, size_t npages,
    const char **pdoc_type, struct sohoa_fields *out);

#endif

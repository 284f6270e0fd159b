/*
 * Shared inside records/.
 */
#ifndef SOHOA_RECORDS_PRIVATE_H
#define SOHOA_RECORDS_PRIVATE_H

#include <stdint.h>
#include "sohoa/archive.h"
#include "sohoa/fields.h"

/*
 * Read the type and fields of DOC_ID from its stored pages and store
 * them where no person set them (sohoa_archive_document_reread).  With
 * ONLY_NEW, a document that has fields already (one that came back) is
 * left as it is.
 */
int records_read_fields(struct sohoa_archive *a,
    const struct sohoa_doctypes *dt, int64_t doc_id, int only_new);

#endif

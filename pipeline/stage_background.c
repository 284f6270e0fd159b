/*
 * Background stage: yellowed, stained or unevenly lit paper is flattened
 * to an even white (Leptonica's background normalisation, which measures
 * the background on tiles and interpolates it), so that a faint stroke on
 * a dark corner and one on a bright corner get the same contrast.
 */
#include <leptonica/allheaders.h>

#include "sohoa/sohoa.h"
#include "pipeline_private.h"

int
sohoa_stage_background(struct sohoa_clean *c)
{
	PIX *p;

	if ((c->disable & SOHOA_CLEAN_BACKGROUND) || c->bilevel)
		return SOHOA_OK;
	p = pixBackgroundNormSimple(c->grey, NULL, NULL);
	if (p == NULL)
		return SOHOA_OK;	/* too little background to measure */
	pixDestroy(&c->grey);
	c->grey = p;
	return SOHOA_OK;
}

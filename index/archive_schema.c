/*
 * Embeds index/schema.sql in the library as sohoa_schema_sql[], so the
 * binary needs no data file to create an archive.  The assembler reads the
 * file at build time (SOHOA_SOURCE_DIR comes from CMake, and CMake knows
 * this object depends on schema.sql).
 */
#include "archive_private.h"


__asm__(
	".section .rodata\n"
	".global sohoa_schema_sql\n"
	".type sohoa_schema_sql, @object\n"
	".balign 16\n"
	"sohoa_schema_sql:\n"
	".incbin \"" SOHOA_SOURCE_DIR "/index/schema.sql\"\n"
	".byte 0\n"
	".size sohoa_schema_sql, . - sohoa_schema_sql\n"
	".previous\n");

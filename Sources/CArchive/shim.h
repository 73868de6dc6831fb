#ifndef SCALETILE_CARCHIVE_SHIM_H
#define SCALETILE_CARCHIVE_SHIM_H

#include <archive.h>
#include <archive_entry.h>

/* AE_IFREG is a cast macro, which Swift does not import. */
static inline unsigned int scaletile_archive_regular_file_type(void) { return AE_IFREG; }

#endif

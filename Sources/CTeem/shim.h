// The C ScaleTile sees of teem's nrrd library (Debian libteem-dev, no pkg-config file).
//
// ScaleTile asks teem for the header only (`skipData`): the axes, type, endianness, encoding,
// space, space directions and origin, and the data file names. The data itself is read by
// window from the data file, so teem never holds a volume in memory.
#ifndef SCALETILE_CTEEM_SHIM_H
#define SCALETILE_CTEEM_SHIM_H

#include <teem/nrrd.h>

/// Loads the header of the NRRD at `path` into `nrrd` without reading its data, leaving the
/// I/O state (data file names, encoding, endianness, skips) in `nio`. 0 on success; else teem's
/// message is in `*error` (free it with `free`).
static inline int st_nrrd_load_header(Nrrd *nrrd, NrrdIoState *nio, const char *path, char **error) {
    nio->skipData = 1;
    // Keeps an attached header's file open where the header ends, which is where the data begins.
    nio->keepNrrdDataFileOpen = 1;
    if (nrrdLoad(nrrd, path, nio) != 0) {
        *error = biffGetDone(NRRD);
        return 1;
    }
    return 0;
}

/// Where the data begins in an attached header's file (before line and byte skips), closing the
/// file teem kept open; -1 when the data is in separate files.
static inline long st_nrrd_take_data_offset(NrrdIoState *nio) {
    long offset = -1;
    if (nio->dataFile != NULL) {
        if (nio->dataFNArr == NULL || nio->dataFNArr->len == 0) offset = ftell(nio->dataFile);
        if (nio->dataFile != stdin) fclose(nio->dataFile);
        nio->dataFile = NULL;
    }
    return offset;
}

/// The name of the encoding teem found (`raw`, `gzip`, `ascii`, …).
static inline const char *st_nrrd_encoding_name(const NrrdIoState *nio) { return nio->encoding ? nio->encoding->name : "unknown"; }
/// Whether the encoding is raw bytes.
static inline int st_nrrd_encoding_is_raw(const NrrdIoState *nio) { return nio->encoding == nrrdEncodingRaw; }
/// Whether the encoding is gzip.
static inline int st_nrrd_encoding_is_gzip(const NrrdIoState *nio) { return nio->encoding == nrrdEncodingGzip; }
/// Number of data files named by the header (0 when the data is attached).
static inline unsigned int st_nrrd_data_file_count(const NrrdIoState *nio) { return nio->dataFNArr ? nio->dataFNArr->len : 0; }

#endif

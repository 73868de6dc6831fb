// The one C header ScaleTile sees of libtiff.
//
// `TIFFGetField`/`TIFFSetField` are variadic, and libtiff's error handlers
// receive a `va_list`: Swift can use neither, so both are wrapped here as
// small typed `static inline` functions. `ScaleTileTIFF` calls only these and
// the non-variadic libtiff API, and keeps this module out of its public API.
#ifndef SCALETILE_CTIFF_SHIM_H
#define SCALETILE_CTIFF_SHIM_H

#include <tiffio.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/// Messages libtiff reported for one open file (libtiff >= 4.5 per-file handlers).
typedef struct st_tiff_messages {
    int errors;
    int warnings;
    char first_error[1024];
    /// Warnings about tag values libtiff could not read (`IO error during reading of ...`):
    /// libtiff drops such a tag and goes on, which in a truncated file silently loses the
    /// ImageDescription that holds a stack's ImageJ or OME metadata.
    int unreadable_tags;
    char first_unreadable_tag[512];
} st_tiff_messages;

static int st_tiff_error_handler(TIFF *tif, void *user_data, const char *module, const char *fmt, va_list ap) {
    (void)tif;
    st_tiff_messages *m = (st_tiff_messages *)user_data;
    if (m == NULL) return 1;
    if (m->errors++ == 0) {
        char text[900];
        vsnprintf(text, sizeof(text), fmt, ap);
        if (module != NULL && module[0] != '\0')
            snprintf(m->first_error, sizeof(m->first_error), "%s: %s", module, text);
        else
            snprintf(m->first_error, sizeof(m->first_error), "%s", text);
    }
    return 1; // handled: libtiff does not also call the process-wide handler
}

static int st_tiff_warning_handler(TIFF *tif, void *user_data, const char *module, const char *fmt, va_list ap) {
    (void)tif; (void)module;
    st_tiff_messages *m = (st_tiff_messages *)user_data;
    if (m == NULL) return 1;
    m->warnings++;
    // libtiff has no code for this warning, only its format string (tif_dirread.c).
    if (fmt != NULL && strstr(fmt, "IO error during reading of") != NULL && m->unreadable_tags++ == 0)
        vsnprintf(m->first_unreadable_tag, sizeof(m->first_unreadable_tag), fmt, ap);
    return 1; // unknown private tags (ImageJ, GeoTIFF) warn; they are not errors
}

/// Forgets the messages collected so far, so the next call's failure reads as its own.
static inline void st_tiff_messages_clear(st_tiff_messages *messages) {
    messages->errors = 0;
    messages->first_error[0] = '\0';
}

/// Opens `path` with errors and warnings routed into `messages`, which must outlive the handle.
static inline TIFF *st_tiff_open(const char *path, const char *mode, st_tiff_messages *messages) {
    memset(messages, 0, sizeof(*messages));
    TIFFOpenOptions *options = TIFFOpenOptionsAlloc();
    if (options == NULL) return NULL;
    TIFFOpenOptionsSetErrorHandlerExtR(options, st_tiff_error_handler, messages);
    TIFFOpenOptionsSetWarningHandlerExtR(options, st_tiff_warning_handler, messages);
    TIFF *tif = TIFFOpenExt(path, mode, options);
    TIFFOpenOptionsFree(options);
    return tif;
}

// MARK: - Typed TIFFGetField (return 1 when the tag is present)

static inline int st_tiff_get_u16(TIFF *tif, uint32_t tag, uint16_t *value) { return TIFFGetField(tif, tag, value); }
static inline int st_tiff_get_u32(TIFF *tif, uint32_t tag, uint32_t *value) { return TIFFGetField(tif, tag, value); }
static inline int st_tiff_get_u64(TIFF *tif, uint32_t tag, uint64_t *value) { return TIFFGetField(tif, tag, value); }
static inline int st_tiff_get_float(TIFF *tif, uint32_t tag, float *value) { return TIFFGetField(tif, tag, value); }
static inline int st_tiff_get_double(TIFF *tif, uint32_t tag, double *value) { return TIFFGetField(tif, tag, value); }
static inline int st_tiff_get_string(TIFF *tif, uint32_t tag, const char **value) { return TIFFGetField(tif, tag, value); }
/// Like `st_tiff_get_u16` but falls back to the tag's default (e.g. SAMPLEFORMAT, PLANARCONFIG).
static inline int st_tiff_get_u16_defaulted(TIFF *tif, uint32_t tag, uint16_t *value) { return TIFFGetFieldDefaulted(tif, tag, value); }
/// SubIFD offsets of the current directory (count and a pointer owned by libtiff).
static inline int st_tiff_get_subifds(TIFF *tif, uint16_t *count, uint64_t **offsets) {
    return TIFFGetField(tif, TIFFTAG_SUBIFD, count, offsets);
}

// MARK: - Typed TIFFSetField (return 1 on success)

static inline int st_tiff_set_u16(TIFF *tif, uint32_t tag, uint16_t value) { return TIFFSetField(tif, tag, (int)value); }
static inline int st_tiff_set_u32(TIFF *tif, uint32_t tag, uint32_t value) { return TIFFSetField(tif, tag, value); }
static inline int st_tiff_set_double(TIFF *tif, uint32_t tag, double value) { return TIFFSetField(tif, tag, value); }
static inline int st_tiff_set_string(TIFF *tif, uint32_t tag, const char *value) { return TIFFSetField(tif, tag, value); }
/// Reserves `count` SubIFDs in the directory being written (OME-TIFF pyramids).
static inline int st_tiff_set_subifd_count(TIFF *tif, uint16_t count) {
    uint64_t offsets[64] = {0};
    if (count > 64) return 0;
    return TIFFSetField(tif, TIFFTAG_SUBIFD, count, offsets);
}

#endif

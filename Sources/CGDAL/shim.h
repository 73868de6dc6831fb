// The one C header ScaleTile sees of GDAL/OGR/OSR.
//
// Swift cannot call C variadic functions or use C function pointers that need
// a context, so the few places where GDAL needs either are wrapped here as
// `static inline` functions. Everything else is called directly from
// `ScaleTileGDAL`, which keeps this module out of its public API.
#ifndef SCALETILE_CGDAL_SHIM_H
#define SCALETILE_CGDAL_SHIM_H

#include <gdal.h>
#include <gdal_utils.h>
#include <gdal_alg.h>
#include <gdalwarper.h>
#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <string.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

/// Messages GDAL reported while one error scope was active.
///
/// GDAL's error state is per thread; `st_gdal_push_errors` installs a handler
/// for the calling thread only, so each worker thread collects its own messages.
typedef struct st_gdal_errors {
    int failures;            // CE_Failure or CE_Fatal count
    int warnings;            // CE_Warning count
    int first_error_number;  // CPLErrorNum of the first failure
    char first_error[1024];  // message of the first failure: usually the root cause
    char last_warning[512];
} st_gdal_errors;

static void st_gdal_error_handler(CPLErr error_class, CPLErrorNum error_number, const char *message) {
    st_gdal_errors *errors = (st_gdal_errors *)CPLGetErrorHandlerUserData();
    if (errors == NULL || message == NULL) return;
    if (error_class >= CE_Failure) {
        if (errors->failures++ == 0) {
            errors->first_error_number = (int)error_number;
            strncpy(errors->first_error, message, sizeof(errors->first_error) - 1);
            errors->first_error[sizeof(errors->first_error) - 1] = '\0';
        }
    } else if (error_class == CE_Warning) {
        errors->warnings++;
        strncpy(errors->last_warning, message, sizeof(errors->last_warning) - 1);
        errors->last_warning[sizeof(errors->last_warning) - 1] = '\0';
    }
}

/// Starts collecting this thread's GDAL messages into `errors` (and keeps them off stderr).
static inline void st_gdal_push_errors(st_gdal_errors *errors) {
    memset(errors, 0, sizeof(*errors));
    CPLErrorReset();
    CPLPushErrorHandlerEx(st_gdal_error_handler, errors);
}

/// Stops collecting; pairs with `st_gdal_push_errors` on the same thread.
static inline void st_gdal_pop_errors(void) {
    CPLPopErrorHandler();
}

/// `CPLError` is variadic: this raises a failure with a fixed message.
static inline void st_gdal_raise(const char *message) {
    CPLError(CE_Failure, CPLE_AppDefined, "%s", message);
}

/// Size in bytes of a file GDAL can open (local or `/vsi…`), or -1.
/// (`VSIStatBufL` is a macro over a platform struct, so the size is found by seeking instead.)
static inline long long st_vsi_file_size(const char *path) {
    VSILFILE *file = VSIFOpenL(path, "rb");
    if (file == NULL) return -1;
    long long size = -1;
    if (VSIFSeekL(file, 0, SEEK_END) == 0) size = (long long)VSIFTellL(file);
    VSIFCloseL(file);
    return size;
}

/// Caps glibc's malloc arenas (`mallopt(M_ARENA_MAX)`), so buffers freed by one worker
/// thread are reused by the others instead of each thread keeping its own freed memory.
/// See `MemoryReturn` in ScaleTileGDAL.
static inline void st_limit_malloc_arenas(int arenas) {
#if defined(__GLIBC__)
    mallopt(M_ARENA_MAX, arenas);
#else
    (void)arenas;
#endif
}

#endif

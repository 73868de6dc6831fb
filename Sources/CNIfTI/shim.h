// The C ScaleTile sees of nifticlib (Debian libnifti2-dev) and of zlib, which nifticlib's znz
// layer is built on.
//
// Debian ships no pkg-config file for nifticlib, and nifti2_io.h includes <znzlib.h> with angle
// brackets from /usr/include/nifti, a folder no compiler flag of a system-library target can put
// on the search path. So this header includes the format's own, self-contained definitions
// (nifti1.h, nifti2.h: the header structs, datatype, unit and transform codes) and declares the
// few libnifti2 functions ScaleTile calls with nifti2_io.h's exact signatures.
#ifndef SCALETILE_CNIFTI_SHIM_H
#define SCALETILE_CNIFTI_SHIM_H

#include <nifti/nifti1.h>
#include <nifti/nifti2.h>
#include <zlib.h>
#include <stdint.h>

/// nifti2_io.h's 4x4 matrix of doubles.
typedef struct {
    double m[4][4];
} nifti_dmat44;

/// Byte-swaps every field of a NIfTI-1 header read in the other byte order (libnifti2).
void nifti_swap_as_nifti1(nifti_1_header *h);
/// Byte-swaps every field of a NIfTI-2 header read in the other byte order (libnifti2).
void nifti_swap_as_nifti2(nifti_2_header *h);
/// The qform's voxel-to-world matrix from the quaternion, offsets, voxel sizes and qfac (libnifti2).
nifti_dmat44 nifti_quatern_to_dmat44(double qb, double qc, double qd,
                                     double qx, double qy, double qz,
                                     double dx, double dy, double dz, double qfac);
/// The quaternion, offsets, voxel sizes and qfac of a voxel-to-world matrix (libnifti2).
void nifti_dmat44_to_quatern(nifti_dmat44 R,
                             double *qb, double *qc, double *qd,
                             double *qx, double *qy, double *qz,
                             double *dx, double *dy, double *dz, double *qfac);
/// The closest anatomical direction (NIFTI_L2R … NIFTI_S2I) of each voxel axis (libnifti2).
void nifti_dmat44_to_orientation(nifti_dmat44 R, int *icod, int *jcod, int *kcod);

// MARK: - zlib (gz* functions are macros or take variadic forms in places; these are plain)

/// Opens `path` for writing one gzip member at level 6; zlib writes no name and a zero time,
/// so equal bytes compress to equal files.
static inline gzFile st_gz_create(const char *path) { return gzopen(path, "wb6"); }
/// Opens a gzip stream on `fd` (owned by the stream from now on), starting at its current offset.
static inline gzFile st_gz_dopen(int fd) { return gzdopen(fd, "rb"); }
/// zlib's message for the stream's last error, or NULL when there was none.
static inline const char *st_gz_error(gzFile file) {
    int code = Z_OK;
    const char *message = gzerror(file, &code);
    return code == Z_OK || code == Z_STREAM_END ? NULL : message;
}

#endif

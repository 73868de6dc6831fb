internal import CGDAL

/// Makes freed tile-sized buffers go back to the system at once.
///
/// glibc raises its mmap threshold each time a large mmapped block is freed, after which
/// tile buffers and GDAL blocks (hundreds of KB to a few MB) come from per-thread arenas
/// and stay resident after they are freed: +40–50 MB RSS in a 2-thread tiling run. Fixing
/// the threshold keeps every buffer of 128 KiB or more in its own mapping, returned on free.
enum MemoryReturn {
    static func configure() {
        st_return_large_blocks_on_free(128 * 1024)
    }
}

import Foundation
import ScaleTileCore

/// Which page holds each plane of a stack.
///
/// A plane is one page's worth of pixels: one slice (Z) of one page channel at one timepoint.
/// Channels interleaved within a page (SamplesPerPixel > 1) share a plane and are not counted
/// in ``pageChannels``.
struct StackLayout: Equatable {
    /// Slices (Z).
    let depth: Int
    /// Channels stored as separate pages.
    let pageChannels: Int
    /// Timepoints (T).
    let timepoints: Int
    /// The main-chain page index of each plane, channel fastest, then slice, then timepoint.
    let pages: [Int]

    /// The page index of plane (`channel`, `slice`, `timepoint`).
    func page(channel: Int, slice: Int, timepoint: Int) -> Int {
        pages[channel + pageChannels * (slice + depth * timepoint)]
    }

    /// A stack without metadata: one slice per full-resolution page, in file order.
    static func plain(slicePages: [Int]) -> StackLayout {
        StackLayout(depth: slicePages.count, pageChannels: 1, timepoints: 1, pages: slicePages)
    }

    /// An ImageJ hyperstack: pages hold channels fastest, then slices, then frames.
    ///
    /// - Throws: ``ScaleTileError`` `.invalidInput` when the metadata counts more images than
    ///   the file has pages.
    static func imageJ(_ metadata: ImageJMetadata, slicePages: [Int], path: String) throws -> StackLayout {
        let (channels, slices, frames, images) = metadata.dimensions
        guard images <= slicePages.count else {
            throw ScaleTileError(.invalidInput, path, "ImageJ metadata says \(images) images, the file has \(pageCount(slicePages.count))")
        }
        guard images >= 1 else {
            throw ScaleTileError(.invalidInput, path, "ImageJ metadata says \(images) images")
        }
        return StackLayout(depth: slices, pageChannels: channels, timepoints: frames, pages: Array(slicePages.prefix(images)))
    }

    /// An OME-TIFF image: its TiffData elements (or, without any, the dimension order from the
    /// first page on) give the page of each plane.
    ///
    /// - Parameters:
    ///   - pageCount: pages in the file's main chain; OME's IFD numbers count them all.
    ///   - samplesPerPixel: channels interleaved in each page.
    /// - Throws: ``ScaleTileError`` when the planes outnumber the pages, a TiffData points past
    ///   the last page, a plane has no page, or planes live in other files.
    static func ome(_ metadata: OMEMetadata, pageCount: Int, samplesPerPixel: Int, path: String) throws -> StackLayout {
        if let companion = metadata.companionFile {
            throw ScaleTileError(.unsupported, path, "the OME metadata is kept in \(companion), which ScaleTile does not read; convert the dataset to a single OME-TIFF")
        }
        guard metadata.sizeC % samplesPerPixel == 0 else {
            throw ScaleTileError(.invalidInput, path, "OME metadata says SizeC=\(metadata.sizeC), which the \(samplesPerPixel) samples per pixel of the pages do not divide")
        }
        let pageChannels = metadata.sizeC / samplesPerPixel
        // Sizes come from the file: a product past Int counts more planes than any file has.
        let planeCount = MemoryBudget.product([metadata.sizeZ, pageChannels, metadata.sizeT]) ?? Int.max
        guard planeCount <= pageCount else {
            let channels = samplesPerPixel > 1 ? "SizeC \(metadata.sizeC) / \(samplesPerPixel) samples per pixel" : "SizeC \(metadata.sizeC)"
            throw ScaleTileError(.invalidInput, path, "OME metadata describes \(planeCount) planes (SizeZ \(metadata.sizeZ) × \(channels) × SizeT \(metadata.sizeT)), the file has \(StackLayout.pageCount(pageCount))")
        }

        // Pages of each plane, in dimension order; nil until some TiffData names it.
        var pageOfPlane = [Int?](repeating: nil, count: planeCount)
        let thisFile = (path as NSString).lastPathComponent
        let entries = metadata.tiffData.isEmpty ? [OMEMetadata.TiffData()] : metadata.tiffData
        for entry in entries {
            let inThisFile = entry.fileName.map { $0 == thisFile || ($0 as NSString).lastPathComponent == thisFile }
                ?? entry.uuid.map { $0 == metadata.fileUUID } ?? true
            guard inThisFile else {
                throw ScaleTileError(.unsupported, path, "OME metadata puts planes in another file (\(entry.fileName ?? entry.uuid ?? "?")); ScaleTile reads single-file OME-TIFFs only")
            }
            let firstPage = entry.ifd ?? 0
            guard entry.firstZ < metadata.sizeZ, entry.firstC < pageChannels, entry.firstT < metadata.sizeT else {
                throw ScaleTileError(.invalidInput, path, "OME metadata has a TiffData starting at plane Z\(entry.firstZ) C\(entry.firstC) T\(entry.firstT), outside SizeZ \(metadata.sizeZ) × SizeC \(pageChannels) × SizeT \(metadata.sizeT)")
            }
            let firstPlane = metadata.planeIndex(z: entry.firstZ, c: entry.firstC, t: entry.firstT, pageChannels: pageChannels)
            // Without PlaneCount, a TiffData without IFD covers the whole file (extra pages are
            // ignored), one with an IFD covers that page alone.
            let count = entry.planeCount ?? (entry.ifd == nil ? min(pageCount - firstPage, planeCount - firstPlane) : 1)
            guard firstPage >= 0, count >= 0 else {
                throw ScaleTileError(.invalidInput, path, "OME metadata has a TiffData with IFD \(firstPage) and PlaneCount \(count); neither may be negative")
            }
            // Both bounds below are checked as `count <= room`, which cannot overflow.
            guard count <= planeCount - firstPlane else {
                throw ScaleTileError(.invalidInput, path, "OME metadata has a TiffData covering \(count) planes from plane \(firstPlane + 1), past the \(planeCount) planes of the image")
            }
            guard firstPage <= pageCount, count <= pageCount - firstPage else {
                throw ScaleTileError(.invalidInput, path, "OME metadata puts planes in pages \(firstPage.addingReportingOverflow(1).partialValue) to \(firstPage.addingReportingOverflow(count).partialValue), the file has \(StackLayout.pageCount(pageCount))")
            }
            for k in 0..<count { pageOfPlane[firstPlane + k] = firstPage + k }
        }

        var pages = [Int](repeating: 0, count: planeCount)
        for c in 0..<pageChannels {
            for z in 0..<metadata.sizeZ {
                for t in 0..<metadata.sizeT {
                    let plane = metadata.planeIndex(z: z, c: c, t: t, pageChannels: pageChannels)
                    guard let page = pageOfPlane[plane] else {
                        throw ScaleTileError(.invalidInput, path, "OME metadata gives no page for plane Z\(z) C\(c) T\(t)")
                    }
                    pages[c + pageChannels * (z + metadata.sizeZ * t)] = page
                }
            }
        }
        return StackLayout(depth: metadata.sizeZ, pageChannels: pageChannels, timepoints: metadata.sizeT, pages: pages)
    }

    /// "1 page", "13 pages".
    static func pageCount(_ count: Int) -> String { count == 1 ? "1 page" : "\(count) pages" }
}

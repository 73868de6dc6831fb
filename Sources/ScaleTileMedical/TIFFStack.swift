import Foundation
internal import CTIFF
import ScaleTileCore

/// Where a stack's slices, channels and spacing come from.
public enum StackFlavour: String, Hashable, Sendable, Codable {
    /// No stack metadata: each full-resolution page is one slice; spacing is 1 pixel.
    case plain
    /// ImageJ's `ImageJ=…` ImageDescription: hyperstack counts, Z spacing and unit; X and Y
    /// spacing from the XResolution and YResolution tags.
    case imagej
    /// OME-XML in the first page's ImageDescription: sizes, dimension order, physical sizes,
    /// and the page of each plane.
    case ome
}

/// A volume stored as a multi-page TIFF, as medical and microscopy tools write them: plain
/// multi-page files, ImageJ hyperstacks and OME-TIFFs, classic or BigTIFF, striped or tiled,
/// in any compression libtiff decodes.
///
/// Opening walks every page's directory and checks the file before any pixel is read: that
/// every page is there and its strips or tiles lie inside the file, that the slices share one
/// size and sample type, and that the metadata does not promise more pages than exist. A broken
/// file therefore fails at open, with one line naming the file and the problem, before a job
/// writes anything. Reads then decode only the pages, and the strips or tiles of those pages,
/// that a window touches.
///
/// Reduced-resolution pages and masks (NewSubfileType bits 1 and 4) and SubIFDs are not
/// slices. A single-page TIFF opens as a stack of depth 1.
///
/// Not `Sendable`: the libtiff handle keeps a current page and codec state, and the decode
/// buffer is reused between reads, so a stack belongs to one task at a time. Open one per task.
public final class TIFFStack {
    /// The path as given.
    public let path: String
    /// Width (X), height (Y) and depth (Z, slices).
    public let size: RasterSize
    /// Channels: channel pages times samples per pixel.
    public let channelCount: Int
    /// Timepoints (ImageJ frames, OME SizeT).
    public let timepointCount: Int
    /// The sample type of every slice.
    public let pixelType: PixelType
    /// The physical size of a voxel; 1 × 1 × 1 `pixel` without metadata.
    public let spacing: Spacing
    /// Which metadata described the stack.
    public let flavour: StackFlavour
    /// Pages in the file's main chain, slices or not.
    public let pageCount: Int
    /// Whether the file is a BigTIFF.
    public let isBigTIFF: Bool

    let file: TIFFFile
    /// Every page of the main chain, by index.
    let pages: [PageDirectory]
    let layout: StackLayout
    /// Channels interleaved within each page.
    let samplesPerPixel: Int
    /// The page libtiff has loaded, so consecutive reads of one page do not reload it.
    var currentPage: Int?
    /// Where strips and tiles are decoded before their part of a window is copied out; grown to
    /// the largest block read so far and reused by every read.
    var scratch = UnsafeMutableRawBufferPointer(start: nil, count: 0)
    /// Strips and tiles decoded so far, which shows that reads decode only what windows touch.
    var blocksDecoded = 0
    /// Decoded strips and tiles kept for overlapping windows (see ``blockCacheBytes``).
    var blockCache = DecodedBlockCache(budget: TIFFStack.defaultBlockCacheBytes)

    /// The budget of decoded strips and tiles a stack keeps for later windows, unless told otherwise.
    public static let defaultBlockCacheBytes = 32 << 20

    /// Bytes of decoded strips and tiles kept for later windows; 0 keeps none. Reading whole
    /// slices in order (``forEachSlice(channel:timepoint:_:)``) never goes through it.
    public var blockCacheBytes: Int {
        get { blockCache.budget }
        set { blockCache.budget = Swift.max(0, newValue) }
    }

    /// Opens and checks the stack at `path`.
    ///
    /// - Throws: ``ScaleTileError``: `.notFound` when there is no such file; `.invalidInput` when
    ///   libtiff cannot read it, it is truncated, its slices differ in size or sample type, or its
    ///   metadata disagrees with its pages; `.unsupported` for samples or codecs ScaleTile cannot
    ///   decode.
    public init(opening path: String) throws {
        try TIFFStack.requireFile(path)
        let header = try TIFFHeader(path: path)
        let file: TIFFFile
        do {
            file = try TIFFFile(path, mode: .read)
        } catch {
            if let header, let overrun = header.overrun(ofDirectoryAt: header.firstDirectoryOffset, path: path) {
                throw ScaleTileError(.invalidInput, path, "truncated: the directory of page 1 \(overrun)")
            }
            throw error
        }
        let pages = try file.readPageDirectories(header: header, validating: true)
        let slicePages = pages.filter(\.isFullResolution).map(\.index)
        guard let firstSlicePage = slicePages.first else {
            throw ScaleTileError(.invalidInput, path, "has no full-resolution page, only reduced-resolution copies or masks")
        }

        var layout = StackLayout.plain(slicePages: slicePages)
        var flavour = StackFlavour.plain
        var spacing = Spacing.unit
        var ome: OMEMetadata?
        if let description = pages[0].description, OMEMetadata.isOME(description) {
            let metadata = try OMEMetadata(xml: description, path: path)
            layout = try .ome(metadata, pageCount: pages.count, samplesPerPixel: pages[firstSlicePage].samplesPerPixel, path: path)
            flavour = .ome
            spacing = try metadata.spacing(path: path)
            ome = metadata
        } else if let description = pages[0].description, let metadata = ImageJMetadata(description: description) {
            layout = try .imageJ(metadata, slicePages: slicePages, path: path)
            flavour = .imagej
            spacing = metadata.spacing(page: pages[firstSlicePage])
        }

        let first = pages[layout.pages[0]]
        var pixelType = try TIFFStack.checkSlices(of: layout, in: pages, path: path)
        if let ome {
            pixelType = try TIFFStack.reconcile(pixelType, with: ome, page: first, path: path)
        }

        self.path = path
        self.file = file
        self.pages = pages
        self.layout = layout
        self.pixelType = pixelType
        self.flavour = flavour
        self.spacing = spacing
        samplesPerPixel = first.samplesPerPixel
        size = RasterSize(width: first.width, height: first.height, depth: layout.depth)
        channelCount = layout.pageChannels * first.samplesPerPixel
        timepointCount = layout.timepoints
        pageCount = pages.count
        isBigTIFF = file.isBigTIFF
    }

    deinit {
        scratch.deallocate()
        blockCache.removeAll()
    }

    /// Bytes of one slice of one channel: width × height × sample size.
    public var sliceByteCount: Int { size.width * size.height * pixelType.byteSize }

    // MARK: - Checks at open

    static func requireFile(_ path: String) throws {
        try InputFile.check(path, expecting: .file, what: "a TIFF file")
    }

    /// Checks that the pages holding planes are full-resolution, alike, and decodable; returns their sample type.
    private static func checkSlices(of layout: StackLayout, in pages: [PageDirectory], path: String) throws -> PixelType {
        let first = pages[layout.pages[0]]
        var checked = Set<Int>()
        for index in layout.pages where checked.insert(index).inserted {
            let page = pages[index]
            guard page.isFullResolution else {
                throw ScaleTileError(.invalidInput, path, "the OME metadata puts a plane in page \(page.number), which is a reduced-resolution copy or a mask")
            }
            guard page.shape == first.shape else {
                throw ScaleTileError(.invalidInput, path, "page \(page.number) is \(page.shape), page \(first.number) is \(first.shape)")
            }
            guard page.compression.isDecodable else {
                throw ScaleTileError(.unsupported, path, "page \(page.number) is compressed with \(page.compression.name), which the libtiff in use cannot decode")
            }
            if page.photometric == UInt16(PHOTOMETRIC_YCBCR), !PageDirectory.decodesYCbCrAsRGB(photometric: page.photometric, compression: page.compression) {
                throw ScaleTileError(.unsupported, path, "page \(page.number) stores YCbCr without JPEG compression, which ScaleTile does not convert")
            }
        }
        guard let pixelType = first.pixelType, first.width > 0, first.height > 0 else {
            let what = first.unsupportedSamples ?? "no pixels"
            throw ScaleTileError(.unsupported, path, "page \(first.number) has \(what); ScaleTile reads 8-, 16-, 32- and 64-bit integer and 32- and 64-bit floating-point samples")
        }
        return pixelType
    }

    /// The sample type once OME's `Type` is heard: it must agree with the pages, except that
    /// it may declare integers signed when the pages have no SampleFormat tag (whose default
    /// is unsigned); the bytes are the same either way.
    private static func reconcile(_ pixelType: PixelType, with ome: OMEMetadata, page: PageDirectory, path: String) throws -> PixelType {
        guard ome.sizeX == page.width, ome.sizeY == page.height else {
            throw ScaleTileError(.invalidInput, path, "OME metadata says \(ome.sizeX)x\(ome.sizeY) pixels, page \(page.number) is \(page.width)x\(page.height)")
        }
        guard let declared = ome.pixelType, declared != pixelType else { return pixelType }
        if !page.hasSampleFormat, declared.byteSize == pixelType.byteSize, !declared.isFloatingPoint {
            return declared
        }
        throw ScaleTileError(.invalidInput, path, "OME metadata says \(ome.type) samples, the pages hold \(pixelType.rawValue)")
    }
}

@available(*, unavailable, message: "a TIFFStack keeps libtiff's current page and codec state; open one per task")
extension TIFFStack: Sendable {}

extension ImageJMetadata {
    /// The voxel size ImageJ would show for a stack whose first slice is `page`.
    ///
    /// X and Y are the reciprocals of XResolution and YResolution, in pixels per unit. ImageJ
    /// stores them as rationals with a denominator of 10^6 and libtiff returns them as floats,
    /// so the reciprocal carries noise past six significant digits (1/0.666666 = 1.5000015);
    /// rounding to six gives back the size that was written.
    func spacing(page: PageDirectory) -> Spacing {
        let unit = self.unit ?? {
            switch Int32(page.resolutionUnit) {
            case RESUNIT_CENTIMETER: return "cm"
            case RESUNIT_INCH where page.resolution != nil: return "inch"
            default: return "pixel"
            }
        }()
        func size(_ resolution: Float?) -> Double {
            // Without a unit ImageJ calibrates nothing, whatever resolution some writer left.
            guard unit != "pixel", let resolution, resolution > 0, resolution.isFinite else { return 1 }
            return Self.rounded(1 / Double(resolution), significantDigits: 6)
        }
        return Spacing(x: size(page.resolution?.x), y: size(page.resolution?.y), z: spacing ?? 1, unit: unit)
    }

    /// `value` rounded to `digits` significant decimal digits.
    static func rounded(_ value: Double, significantDigits digits: Int) -> Double {
        guard value != 0, value.isFinite else { return value }
        let scale = pow(10, Double(digits - 1) - floor(log10(abs(value))))
        guard scale.isFinite, scale > 0 else { return value }
        return (value * scale).rounded() / scale
    }
}

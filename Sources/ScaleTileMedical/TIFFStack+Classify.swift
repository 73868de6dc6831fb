import ScaleTileCore

/// What a TIFF holds, for choosing its reader (DESIGN.md §2, "Scene or stack").
public enum TIFFKind: String, Hashable, Sendable, Codable {
    /// A volume: read with ``TIFFStack``.
    case stack
    /// A 2-D raster (a satellite scene, a single image): read through GDAL.
    case scene
}

extension TIFFStack {
    /// Tells a stack from a scene by the rule of DESIGN.md §2, reading directory headers only.
    ///
    /// A TIFF is a stack when its ImageJ or OME metadata says it has more than one slice, or
    /// when it has more than one full-resolution page of the same size and sample type.
    /// Reduced-resolution pages and masks (a GeoTIFF's internal overviews and mask) do not
    /// count, so a cloud-optimised GeoTIFF is a scene. Anything that is not a TIFF at all is a
    /// scene too: GDAL reads it, or explains why not.
    ///
    /// This does not check the file the way ``init(opening:)`` does; opening it will. A file
    /// libtiff cannot open at all is a scene: some are not TIFFs despite their first bytes (a
    /// DICOM file's preamble may be a TIFF header), and GDAL reports on the rest. A directory
    /// chain that breaks off is classified on the pages before the break.
    ///
    /// - Throws: ``ScaleTileError`` `.notFound` for a missing file.
    public static func classify(path: String) throws -> TIFFKind {
        try requireFile(path)
        guard let header = try TIFFHeader(path: path), let file = try? TIFFFile(path, mode: .readHeaders) else { return .scene }

        var slicesInMetadata = 0
        var firstSliceShape: PageShape?
        var pagesLikeFirst = 0
        _ = try? file.readPageDirectories(header: header, validating: false) { pages in
            let page = pages[pages.count - 1]
            if page.index == 0, let description = page.description {
                slicesInMetadata = TIFFStack.slicesDescribed(by: description, path: path)
            }
            if page.isFullResolution {
                if firstSliceShape == nil { firstSliceShape = page.shape }
                if page.shape == firstSliceShape { pagesLikeFirst += 1 }
            }
            return slicesInMetadata > 1 || pagesLikeFirst > 1
        }
        return slicesInMetadata > 1 || pagesLikeFirst > 1 ? .stack : .scene
    }

    /// Slices an ImageJ or OME description declares; 0 when it declares none or cannot be parsed
    /// (opening the stack reports a bad description; classifying falls back to the pages).
    private static func slicesDescribed(by description: String, path: String) -> Int {
        if OMEMetadata.isOME(description) {
            return (try? OMEMetadata(xml: description, path: path))?.sizeZ ?? 0
        }
        return ImageJMetadata(description: description)?.dimensions.slices ?? 0
    }
}

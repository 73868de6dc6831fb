import ScaleTileCore

/// What `scaletile analyze` finds in a label set; `analyze --json` prints it.
///
/// Keys (DESIGN.md §2): `lesions` for a mask (one object per connected component: `id`,
/// `label`, `voxels`, `bbox`, `centroid`, `volume`, `equivalentDiameter`) or `objects` for a
/// label raster or label file (`id`, `class`, `bbox` as `[x, y, width, height]` in pixels,
/// `area`, `size`); then the scale report: `targetCount`, `histogram` (s = √n in power-of-two
/// bins), `classHistograms` (the same bins per class), `buckets`, `classSizes`,
/// `classWeights`, `overlap` and, with `--object-size`, `levels`.
public struct AnalysisReport: Hashable, Sendable, Codable {
    /// What LABELS was read as.
    public enum Kind: String, Hashable, Sendable, Codable {
        /// A mask stack: its connected components are lesions.
        case mask
        /// A raster of classes or instance ids on a scene's grid.
        case labelRaster
        /// Boxes or shapes in a label file.
        case labels
    }

    /// An object of a label raster or label file.
    public struct Object: Hashable, Sendable, Codable {
        public var id: String
        public var `class`: String
        /// `[x, y, width, height]` in level-0 pixels.
        public var bbox: [Double]
        /// Box area in pixels.
        public var area: Double
        /// s = √area.
        public var size: Double

        init(id: String, class className: String, box: PixelBox) {
            self.id = id
            self.class = className
            bbox = [box.minX, box.minY, box.width, box.height]
            area = box.area
            size = box.area.squareRoot()
        }

        /// The object as the scale statistics see it.
        var target: SamplingTarget {
            let box = PixelBox(x: bbox[0], y: bbox[1], width: bbox[2], height: bbox[3])
            return SamplingTarget(id: id, className: self.class, bbox: box.enclosingWindow, pixelCount: area)
        }
    }

    /// Counts per size bin of one class, aligned with ``histogram``'s bins.
    public struct ClassHistogram: Hashable, Sendable, Codable {
        public var className: String
        public var counts: [Int]
    }

    public var command = "analyze"
    /// LABELS, as given.
    public var source: String
    public var kind: Kind
    /// The label format (`coco`, `raster`…); nil for masks.
    public var format: String?
    /// `[width, height]` of the scene or `[width, height, depth]` of the mask, when known.
    public var size: [Int]?
    /// The mask's voxel size.
    public var spacing: Spacing?
    /// Neighbours a voxel (pixel) has under the connectivity used, for masks and label rasters.
    public var connectivity: Int?
    /// The mask's connected components.
    public var lesions: [Lesion]?
    /// The label raster's regions or the label file's objects.
    public var objects: [Object]?
    /// How many lesions or objects.
    public var targetCount: Int
    /// Sizes s = √n (pixels or voxels) in power-of-two bins.
    public var histogram: SizeHistogram
    /// ``histogram`` split by class.
    public var classHistograms: [ClassHistogram]
    /// Targets per COCO size bucket.
    public var buckets: BucketCounts
    /// Targets per class and bucket.
    public var classSizes: [ClassSizeCounts]
    /// Loss weights per class.
    public var classWeights: ClassWeights
    /// The overlap that keeps targets whole on a grid of the analysed tile size.
    public var overlap: OverlapRecommendation?
    /// The levels that bring targets into the `--object-size` band.
    public var levels: LevelRecommendation?
    /// Problems reading the labels that did not stop it.
    public var warnings: [String] = []

    /// - Parameter sourceSize: the image's or mask's size, when known: the default window is
    ///   512 per axis clipped to it, and a `--tile-size` larger than it on some axis is warned about.
    init(source: String, kind: Kind, targets: [SamplingTarget], options: AnalyzeJob.Options, sourceSize: RasterSize?) throws {
        let volumetric = targets.contains { $0.bbox.depth > 1 } || kind == .mask
        var tile = options.tileSize ?? RasterSize(width: 512, height: 512, depth: volumetric ? 512 : 1)
        if let sourceSize {
            let clipped = RasterSize(width: Swift.min(tile.width, sourceSize.width), height: Swift.min(tile.height, sourceSize.height),
                                     depth: volumetric ? Swift.min(tile.depth, Swift.max(1, sourceSize.depth)) : 1)
            if options.tileSize != nil, clipped != tile {
                let axes = [("X", tile.width, clipped.width), ("Y", tile.height, clipped.height), ("Z", tile.depth, clipped.depth)]
                    .filter { $0.1 != $0.2 }.map(\.0).joined(separator: ", ")
                let sizeText = volumetric ? "\(sourceSize.width)x\(sourceSize.height)x\(sourceSize.depth)" : "\(sourceSize.width)x\(sourceSize.height)"
                warnings.append("--tile-size \(tile.width) is larger than the source (\(sizeText)) on \(axes): the overlap is recommended for windows clipped to \(volumetric ? "\(clipped.width)x\(clipped.height)x\(clipped.depth)" : "\(clipped.width)x\(clipped.height)"); give a --tile-size that fits")
            }
            tile = clipped
        }
        let scale = try ScaleReport(targets: targets, tileSize: tile, band: options.band, beta: options.beta)
        self.source = source
        self.kind = kind
        targetCount = scale.targetCount
        histogram = scale.histogram
        buckets = scale.buckets
        classSizes = scale.classSizes
        classWeights = scale.classWeights
        overlap = scale.overlap
        levels = scale.levels
        let sizes = targets.map(\.size)
        classHistograms = scale.classSizes.map { row in
            let weights = targets.map { $0.className == row.className ? 1 : 0 }
            return ClassHistogram(className: row.className, counts: SizeHistogram(sizes: sizes, weights: weights).bins.map(\.count))
        }
    }

    /// The noun for one target: `lesion` for masks, `object` otherwise.
    var targetNoun: (singular: String, plural: String) {
        kind == .mask ? ("lesion", "lesions") : ("object", "objects")
    }
}

import Foundation
import ScaleTileCore
import ScaleTileSatellite
import ScaleTileMedical

/// `scaletile analyze LABELS`: the scale report of a label set (DESIGN.md §2, §4) — sizes,
/// COCO buckets, classes, class weights, and the overlap and levels a grid would need.
///
/// LABELS is one of
/// - a mask stack or volume (a TIFF the DESIGN rule calls a stack, any TIFF with `--as stack`,
///   a NIfTI or NRRD volume): its
///   lesions, labelled slice by slice so memory stays at two slices whatever the depth;
/// - a label raster (a single-image TIFF or any raster GDAL reads): one object per connected
///   region of equal value, read row by row;
/// - a label file for a scene: COCO, YOLO, Pascal VOC, CSV boxes, or vectors (GeoJSON,
///   GeoPackage, Shapefile…). `--image` gives the scene's grid and CRS; vectors and YOLO need
///   it, the pixel-coordinate formats do without.
public struct AnalyzeJob: Sendable {
    public struct Options: Sendable {
        /// The scene the labels belong to (`--image`).
        public var image: String?
        /// Reads LABELS as a stack or a scene whatever the DESIGN rule says (`--as`).
        public var kind: TIFFKind?
        /// Which voxels (pixels) form one lesion (object) in masks and label rasters.
        public var connectivity: Connectivity = .full
        /// The target size band; gives the recommended levels.
        public var band: ObjectSizeBand?
        /// The tile (patch) size; gives the recommended overlap.
        public var tileSize: RasterSize?
        /// Label values are instance ids, not classes: every target counts as class `object`.
        public var instances = false
        /// β of the effective-number class weights.
        public var beta = ClassWeights.defaultBeta
        /// The label file's format; `auto` finds it.
        public var format: LabelFormat = .auto
        /// Vectors: the attribute holding the class.
        public var classField: String?
        /// An SVG file receiving the size chart (`--chart`).
        public var chart: String?
        public init() {}
    }

    public let labels: String
    public let options: Options

    public init(labels: String, options: Options) {
        self.labels = labels
        self.options = options
    }

    /// The file name endings a folder given to `analyze` is searched for: label files, masks
    /// and label rasters.
    public static let folderExtensions = PresetInputs.folderExtensions
        + [".json", ".geojson", ".gpkg", ".shp", ".xml", ".csv"]

    /// The reports of several label files or masks in turn, with the same options; a chart per
    /// input needs `{stem}` in its name.
    public static func run(_ paths: [String], options: Options) throws -> [AnalysisReport] {
        if paths.count > 1, let chart = options.chart, !chart.contains("{stem}") {
            throw ScaleTileError.argument("--chart", "'\(chart)' would hold the chart of every input in turn: put {stem} in its name")
        }
        return try paths.map { path in
            var own = options
            own.chart = options.chart?.replacingOccurrences(of: "{stem}", with: FileNames.stem(of: path))
            return try AnalyzeJob(labels: path, options: own).run()
        }
    }

    /// Reads the labels and computes the report; writes nothing but the chart `options.chart` asks for.
    public func run() throws -> AnalysisReport {
        let report = try SourceKind.of(labels, as: options.kind) == .stack ? try analyzeMask() : try analyzeLabels()
        if let chart = options.chart {
            try AtomicFile.write(Data(SizeChart.svg(for: report).utf8), to: chart)
        }
        return report
    }

    private func analyzeMask() throws -> AnalysisReport {
        let stack = try MedicalSource.open(labels)
        guard !stack.pixelType.isFloatingPoint else {
            throw ScaleTileError(.invalidInput, labels, "has \(stack.pixelType.rawValue) samples; a mask needs integer labels")
        }
        guard stack.channelCount == 1, stack.timepointCount == 1 else {
            throw ScaleTileError(.invalidInput, labels, "has \(stack.channelCount) channels and \(stack.timepointCount) timepoints; a mask has one channel of labels for one volume")
        }
        let lesions = try LesionIndex.lesions(of: stack, connectivity: options.connectivity)
        let targets = lesions.map { lesion in
            var target = lesion.samplingTarget
            if options.instances { target.className = "object" }
            return target
        }
        var report = try AnalysisReport(source: labels, kind: .mask, targets: targets, options: options, sourceSize: stack.size)
        report.size = [stack.size.width, stack.size.height, stack.size.depth]
        report.spacing = stack.spacing
        report.connectivity = options.connectivity.neighbourCount(isPlanar: stack.size.depth == 1)
        report.lesions = lesions
        return report
    }

    private func analyzeLabels() throws -> AnalysisReport {
        var readOptions = LabelReadOptions(format: options.format, classField: options.classField,
                                           connectivity: options.connectivity)
        let format = try LabelFormat.resolve(labels, options.format)
        readOptions.format = format
        let set: LabelSet
        var size: RasterSize?
        if let image = options.image {
            let scene = SceneGeometry(try Dataset(opening: image))
            size = scene.size
            set = try LabelSet.load(path: labels, scene: scene, options: readOptions)
        } else {
            switch format {
            case .raster:
                // A label raster is its own grid.
                let scene = SceneGeometry(try Dataset(opening: labels))
                size = scene.size
                set = try LabelSet.load(path: labels, scene: scene, options: readOptions)
            case .coco, .voc, .csv:
                set = try LabelSet.loadWithoutScene(path: labels, format: format)
            case .yolo:
                throw ScaleTileError(.invalidArgument, labels, "YOLO boxes are fractions of the image size: pass --image with the scene")
            case .vector:
                throw ScaleTileError(.invalidArgument, labels, "vector labels are in map coordinates: pass --image with the scene they belong to")
            case .auto:
                throw ScaleTileError(.invalidInput, labels, "is neither a raster nor a label file ScaleTile reads without a scene (COCO .json, Pascal VOC .xml, CSV boxes); for vector labels pass --image")
            }
        }
        let objects = set.objects.map { object in
            AnalysisReport.Object(id: object.id, class: options.instances ? "object" : object.className, box: object.box)
        }
        let targets = objects.map(\.target)
        var report = try AnalysisReport(source: labels, kind: format == .raster ? .labelRaster : .labels, targets: targets,
                                        options: options, sourceSize: size)
        report.format = format.rawValue
        report.size = size.map { [$0.width, $0.height] }
        if format == .raster { report.connectivity = options.connectivity.neighbourCount(isPlanar: true) }
        report.objects = objects
        report.warnings = set.warnings.map(\.description) + report.warnings
        return report
    }
}

extension LabelFormat {
    /// The format to read `path` as: `requested` unless it is `auto`, else what the name and
    /// first bytes show, else a raster when GDAL opens it as one, else a vector.
    static func resolve(_ path: String, _ requested: LabelFormat) throws -> LabelFormat {
        guard requested == .auto else { return requested }
        try InputFile.check(path, expecting: .fileOrFolder, what: "a label file")
        let head = FileHandle(forReadingAtPath: path).map { handle in
            defer { try? handle.close() }
            return (try? handle.read(upToCount: 65_536)) ?? Data()
        } ?? Data()
        if let format = detect(fileName: path, leadingBytes: head) { return format }
        if (try? Dataset(opening: path)) != nil { return .raster }
        // LabelSet.load asks OGR, and says so when nothing reads the file.
        return .auto
    }
}

extension LabelSet {
    /// Reads a label file in pixel coordinates (COCO, Pascal VOC, CSV) without a scene: every
    /// image a COCO or CSV file lists, checked against the image size the file states when it
    /// states one (COCO, VOC), else only for boxes of positive size.
    static func loadWithoutScene(path: String, format: LabelFormat) throws -> LabelSet {
        try InputFile.check(path, expecting: .file, what: "a label file")
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScaleTileError(.notFound, path, "no such file")
        }
        return try attributing(to: path) {
            switch format {
            case .coco:
                let dataset: COCODataset
                do {
                    dataset = try JSONDecoder().decode(COCODataset.self, from: data)
                } catch {
                    // The COCO reader describes broken JSON by line and key path.
                    _ = try LabelSet(coco: data, imageName: nil)
                    throw ScaleTileError(.invalidInput, nil, "is not a COCO file (\(error))")
                }
                let byImage = Dictionary(grouping: dataset.annotations, by: \.imageID)
                var objects: [LabeledObject] = [], warnings: [LabelWarning] = [], classes: [String] = []
                for image in dataset.images where byImage[image.id] != nil {
                    let one = COCODataset(images: [image], annotations: byImage[image.id]!, categories: dataset.categories)
                    let set = try LabelSet(coco: one, imageName: nil)
                    let checked = try set.validated(imageSize: image.width.flatMap { w in image.height.map { RasterSize(width: w, height: $0) } }
                                                    ?? set.extent)
                    objects += checked.objects
                    warnings += checked.warnings.map { LabelWarning("\(image.fileName): \($0.message)") }
                    for name in checked.classNames where !classes.contains(name) { classes.append(name) }
                }
                guard !objects.isEmpty else { throw ScaleTileError(.invalidInput, nil, "no annotations") }
                return LabelSet(objects: objects, classNames: classes, warnings: warnings).attributingWarnings(to: path)
            case .voc:
                let set = try LabelSet(pascalVOC: data)
                return try set.validated(imageSize: set.extent).attributingWarnings(to: path)
            default:
                let set = try LabelSet(csvBoxes: String(decoding: data, as: UTF8.self), imageName: nil)
                return try set.validated(imageSize: set.extent).attributingWarnings(to: path)
            }
        }
    }

    /// A grid from the origin to the far corner of every box: what validation checks against
    /// when the image's size is unknown, so no box counts as outside.
    /// Corners that are not finite or past 2^31 pixels are left out (validation then refuses
    /// them by name rather than this conversion trapping on them).
    var extent: RasterSize {
        func far(_ values: [Double]) -> Int {
            let usable = values.filter { $0.isFinite && $0 < 2_147_483_648 }
            return Swift.max(1, usable.max()?.wholePixels(.up) ?? 1)
        }
        return RasterSize(width: far(objects.map(\.box.maxX)), height: far(objects.map(\.box.maxY)))
    }
}

import ArgumentParser
import ScaleTile
import ScaleTileCore

/// Options about a scene's labels, shared by `tile` and `sample`.
struct LabelOptions: ParsableArguments {
    @Option(help: "Labels: GeoJSON/GeoPackage/Shapefile, COCO JSON, YOLO txt, Pascal VOC XML, CSV boxes or a label raster.")
    var labels: String?

    @Option(name: .customLong("label-format"), help: "auto (from the file), coco, yolo, voc, csv, vector or raster.")
    var labelFormat: String = "auto"

    @Option(name: .customLong("class-field"), help: "Attribute holding the class of vector labels (default: class, category, label or building).")
    var classField: String?

    @Option(name: .customLong("classes"), help: "Class names in order (YOLO class numbers; others must be among them), comma-separated.")
    var classes: String?

    @Option(name: .customLong("min-visible"), help: "An object is a tile's label when at least this share of its box is inside.")
    var minVisible: Double = 0.5

    @Option(name: .customLong("export"), help: "Label exports besides the manifest: coco, yolo, geojson (comma-separated).")
    var export: String = "coco"

    @Option(name: .customLong("object-size"), help: ArgumentHelp("Size band objects should have at their level, in pixels (with --levels auto).", valueName: "MIN:MAX"))
    var objectSize: String?

    @Option(help: ArgumentHelp("β of the effective-number class weights the summary reports (Cui et al. 2019), in [0, 1).", valueName: "beta"))
    var beta: Double = ClassWeights.defaultBeta

    @Flag(name: .customLong("zoom-in"), help: "Objects smaller than --object-size's minimum even at full resolution get magnified windows (level −k: a smaller window resampled up).")
    var zoomIn = false

    /// The label settings, or nil without `--labels`.
    func sceneLabels() throws -> SceneLabelOptions? {
        guard let labels else { return nil }
        var read = LabelReadOptions()
        guard let format = LabelFormat(rawValue: labelFormat) else {
            throw ScaleTileError.argument("--label-format", "'\(labelFormat)' is not one of \(LabelFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        read.format = format
        read.classField = classField
        read.classNames = classes.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        var exports = Set<LabelExport>()
        for name in export.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty && name != "none" {
            guard let e = LabelExport(rawValue: name) else {
                throw ScaleTileError.argument("--export", "'\(name)' is not coco, yolo or geojson")
            }
            exports.insert(e)
        }
        return SceneLabelOptions(path: labels, read: read, minVisibleFraction: minVisible, exports: exports)
    }

    /// A stack's labels: its mask, from `--labels` or `--mask` (the same file if both).
    ///
    /// - Throws: for two different files, or for options only scene labels take.
    func stackMask(_ mask: String?, source: String) throws -> String? {
        let sceneOnly: [(String, Bool)] = [("--label-format", labelFormat != "auto"), ("--class-field", classField != nil),
                                           ("--classes", classes != nil), ("--object-size", objectSize != nil),
                                           ("--min-visible", minVisible != 0.5), ("--export", export != "coco"), ("--zoom-in", zoomIn)]
        if let (option, _) = sceneOnly.first(where: { $0.1 }) {
            throw ScaleTileError(.invalidArgument, source, "\(option) is for scene labels, and this is a stack: its labels are a mask on its grid (pass --as scene to read it through GDAL)")
        }
        if let labels, let mask, labels != mask {
            throw ScaleTileError.argument("--mask", "a stack's labels are its mask: give --labels or --mask, not two different files")
        }
        return labels ?? mask
    }

    func band() throws -> ObjectSizeBand? {
        try objectSize.map { try ObjectSizeBand(parsing: $0) }
    }
}

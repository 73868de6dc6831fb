import ArgumentParser
import ScaleTile

/// Options about labels, shared by `tile` and `sample`: a scene's objects, or a stack's mask.
struct LabelOptions: ParsableArguments {
    @Option(help: "Labels: GeoJSON/GeoPackage/Shapefile, COCO JSON, YOLO txt, Pascal VOC XML, CSV boxes or a label raster; a stack's lesion mask.")
    var labels: String?

    @Option(name: .customLong("label-format"), help: helpText("auto (from the file), coco, yolo, voc, csv, vector or raster.", "labels.format"))
    var labelFormat: String?

    @Option(name: .customLong("class-field"), help: "Attribute holding the class of vector labels (default: class, category, label or building).")
    var classField: String?

    @Option(name: .customLong("classes"), help: "Class names in order (YOLO class numbers; others must be among them), comma-separated.")
    var classes: String?

    @Option(name: .customLong("min-visible"), help: helpText("An object is a tile's label when at least this share of its box is inside.", "labels.minVisible"))
    var minVisible: Double?

    @Option(name: .customLong("export"), help: "Label exports besides the manifest: coco, yolo, geojson (comma-separated; default coco).")
    var export: String?

    @Option(name: .customLong("object-size"), help: ArgumentHelp("Size band objects should have at their level, in pixels (with --levels auto).", valueName: "MIN:MAX"))
    var objectSize: String?

    @Option(help: ArgumentHelp("β of the effective-number class weights the summary reports (Cui et al. 2019), in [0, 1). Default: 0.999.", valueName: "beta"))
    var beta: Double?

    @Flag(name: .customLong("zoom-in"), help: "Objects smaller than --object-size's minimum even at full resolution get magnified windows (level −k: a smaller window resampled up).")
    var zoomIn = false

    var values: [CommandLineRequest.Value] {
        [("--labels", labels), ("--label-format", labelFormat), ("--class-field", classField), ("--classes", classes),
         ("--min-visible", minVisible.map { String($0) }), ("--export", export), ("--object-size", objectSize),
         ("--beta", beta.map { String($0) }), ("--zoom-in", zoomIn ? "true" : nil)]
    }
}

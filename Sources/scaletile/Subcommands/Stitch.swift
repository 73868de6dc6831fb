import ArgumentParser
import Foundation
import ScaleTile

extension DetectionMergeRule: ExpressibleByArgument {}
extension BoxMatchMetric: ExpressibleByArgument {}
extension RasterBlend: ExpressibleByArgument {}
extension RasterUpsampling: ExpressibleByArgument {}
extension MosaicFormat: ExpressibleByArgument {}

extension ScaleTileCommand {
    /// `scaletile stitch OUT --predictions PRED --out DIR`.
    struct Stitch: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Map a model's per-tile box predictions back to the scene and merge them across overlaps and levels.",
            discussion: """
            OUT is a ScaleTile output folder (its manifest is the map). PRED is a folder of per-tile rasters \
            (GeoTIFF, PNG, JPEG or .npy named like the tiles: masks, probabilities, logits), composed into \
            DIR/mosaic.tif with the scene's size, geotransform and CRS; or boxes: a COCO results .json \
            (image_id of OUT's coco.json, or file_name), a .jsonl keyed by manifest id ({"id", "bbox", \
            "score", "class"}), or a folder of YOLO .txt files named like the tiles (class cx cy w h [conf]). \
            Each box goes to level-0 pixels through its window and level; a box touching a window border \
            inside the scene is dropped when another window saw the object away from its borders; the rest \
            are merged class by class. DIR receives detections.coco.json, detections.geojson and detections.csv.
            """)

        @Argument(help: ArgumentHelp("The ScaleTile output folder the predictions were made on.", valueName: "OUT"))
        var tiles: String

        @Option(help: ArgumentHelp("The predictions: a .json or .jsonl file, or a folder of YOLO .txt files.", valueName: "PRED"))
        var predictions: String

        @Option(help: ArgumentHelp("The folder receiving the stitched results (created if missing).", valueName: "DIR"))
        var out: String

        @Option(help: "How boxes of one object are joined: nms, nmm (enclosing box) or wbf (weighted mean).")
        var merge: DetectionMergeRule = .nmm

        @Option(help: "How boxes are compared: iou, or ios (intersection over the smaller box).")
        var match: BoxMatchMetric = .ios

        @Option(help: "The match at which two boxes of one class are one object.")
        var iou: Double = 0.5

        @Flag(name: .customLong("no-border-suppression"), help: "Keep boxes cut by inner window borders even when another window saw the object whole.")
        var noBorderSuppression = false

        @Flag(name: .customLong("to-wgs84"), help: "Write the GeoJSON in WGS 84 longitude/latitude instead of the scene's CRS.")
        var toWGS84 = false

        @Option(help: "Rasters: how overlapping tiles are combined: mean, gaussian (MONAI's), linear, or center (the window where the pixel is farthest from a border).")
        var blend: RasterBlend = .center

        @Option(help: "Rasters: how tiles of coarser levels are brought to level 0: nearest or bilinear.")
        var upsample: RasterUpsampling = .nearest

        @Flag(help: "Rasters: write the index of the largest channel (class logits or probabilities).")
        var argmax = false

        @Option(help: "Rasters: the value of pixels no tile covers (default: the tiles' nodata, else NaN for floats, 0 for integers).")
        var nodata: Double?

        @Option(help: "Rasters: gtiff, cog (scenes) or nifti (volumes, with the source's affine).") var mosaicFormat: MosaicFormat = .gtiff

        @Flag(help: "Unknown tiles, boxes past their tile and bad scores are errors, not counted warnings.")
        var strict = false

        @Flag(help: "Print what was stitched as JSON.")
        var json = false

        @Flag(help: "No warnings or closing line.")
        var quiet = false

        func run() throws {
            try reportingFailures {
                var options = StitchOptions()
                options.merge = merge
                options.match = match
                options.threshold = iou
                options.borderSuppression = !noBorderSuppression
                options.toWGS84 = toWGS84
                options.strict = strict
                options.blend = blend
                options.upsampling = upsample
                options.argmax = argmax
                options.nodata = nodata
                options.mosaicFormat = mosaicFormat
                let report = try StitchJob(run: tiles, predictions: predictions, output: out, options: options).run()
                if !quiet { for line in report.warningLines { StandardError.write("warning: \(line)\n") } }
                if json {
                    try StandardOutput.writeJSON(report)
                } else if !quiet {
                    if report.files.contains("detections.csv") {
                        StandardError.write("stitched \(report.predictions) boxes into \(report.detections) detections (\(report.borderSuppressed) cut by inner borders dropped) in \(out)\n")
                    } else {
                        StandardError.write("stitched \(report.predictions) rasters into \(out)/\(report.files.joined())\n")
                    }
                }
            }
        }
    }
}

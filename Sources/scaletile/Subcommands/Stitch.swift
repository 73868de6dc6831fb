import ArgumentParser
import ScaleTile

extension ScaleTileCommand {
    /// `scaletile stitch OUT --predictions PRED --out DIR`.
    struct Stitch: ParsableCommand {
        static let configuration = CommandConfiguration(.stitch)

        @Argument(help: ArgumentHelp("The ScaleTile output folder the predictions were made on.", valueName: "OUT")) var tiles: String
        @Option(help: ArgumentHelp("The predictions: a .json or .jsonl file, or a folder of YOLO .txt files.", valueName: "PRED")) var predictions: String
        @Option(help: ArgumentHelp("The folder receiving the stitched results (created if missing).", valueName: "DIR")) var out: String
        @Option(help: "How boxes of one object are joined: nms, nmm (enclosing box) or wbf (weighted mean).") var merge: DetectionMergeRule = .nmm
        @Option(help: "How boxes are compared: iou, or ios (intersection over the smaller box).") var match: BoxMatchMetric = .ios
        @Option(help: "The match at which two boxes of one class are one object.") var iou: Double = 0.5
        @Flag(name: .customLong("no-border-suppression"), help: "Keep boxes cut by inner window borders even when another window saw the object whole.") var noBorderSuppression = false
        @Flag(name: .customLong("to-wgs84"), help: "Write the GeoJSON in WGS 84 longitude/latitude instead of the scene's CRS.") var toWGS84 = false
        @Option(help: "Rasters: how overlapping tiles are combined: mean, gaussian (MONAI's), linear, or center (the window where the pixel is farthest from a border).") var blend: RasterBlend = .center
        @Option(help: "Rasters: how tiles of coarser levels are brought to level 0: nearest or bilinear.") var upsample: RasterUpsampling = .nearest
        @Flag(help: "Rasters: write the index of the largest channel (class logits or probabilities).") var argmax = false
        @Option(help: "Rasters: the value of pixels no tile covers (default: the tiles' nodata, else NaN for floats, 0 for integers).") var nodata: Double?
        @Option(help: "Rasters: gtiff, cog (scenes) or nifti (volumes, with the source's affine).") var mosaicFormat: MosaicFormat = .gtiff
        @Flag(help: "Unknown tiles, boxes past their tile and bad scores are errors, not counted warnings.") var strict = false
        @Flag(help: "Print what was stitched as JSON.") var json = false
        @Flag(help: "No warnings or closing line.") var quiet = false

        func run() throws {
            try reportingFailures {
                var options = StitchOptions()
                (options.merge, options.match, options.threshold, options.borderSuppression) = (merge, match, iou, !noBorderSuppression)
                (options.toWGS84, options.strict, options.blend, options.upsampling) = (toWGS84, strict, blend, upsample)
                (options.argmax, options.nodata, options.mosaicFormat) = (argmax, nodata, mosaicFormat)
                let report = try StitchJob(run: tiles, predictions: predictions, output: out, options: options).run()
                if !quiet { for line in report.warningLines { StandardError.write("warning: \(line)\n") } }
                if json { try StandardOutput.writeJSON(report) } else if !quiet { StandardError.write(report.closingLine(out: out)) }
            }
        }
    }
}

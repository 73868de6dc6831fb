import Foundation
import ScaleTileCore
import ScaleTileSatellite

/// Options of `scaletile stitch` (one declaration; the CLI fills it).
public struct StitchOptions: Sendable {
    /// How boxes of one object from several windows or levels are joined.
    public var merge: DetectionMergeRule = .nmm
    /// How two boxes are compared.
    public var match: BoxMatchMetric = .ios
    /// The match at which two boxes are one object.
    public var threshold: Double = 0.5
    /// Drop a box touching an inner window border when another window saw the object away from its borders.
    public var borderSuppression = true
    /// Write the GeoJSON in WGS 84 longitude/latitude instead of the scene's CRS.
    public var toWGS84 = false
    /// Unknown tiles, clipped boxes and dropped scores are errors instead of counted warnings.
    public var strict = false
    /// Rasters: how overlapping tiles are combined.
    public var blend: RasterBlend = .center
    /// Rasters: how coarser levels are brought to level 0.
    public var upsampling: RasterUpsampling = .nearest
    /// Rasters: write the index of the largest channel (class logits or probabilities) instead of the channels.
    public var argmax = false
    /// Rasters: the value of pixels no tile covers (default: the tiles' nodata, else NaN for floats, 0 for integers).
    public var nodata: Double?
    /// Rasters: the file the mosaic is written as.
    public var mosaicFormat: MosaicFormat = .gtiff

    public init() {}
}

/// The file a raster stitch writes (`--mosaic-format`).
public enum MosaicFormat: String, Hashable, Sendable, CaseIterable, Codable {
    /// Scenes: `mosaic.tif`, a tiled DEFLATE GeoTIFF; stacks: `volume.tif`, an ImageJ TIFF.
    case gtiff
    /// Scenes: `mosaic.tif` as a Cloud Optimized GeoTIFF (GDAL's COG driver, with overviews).
    case cog
    /// Stacks and volumes: `volume.nii.gz` with the source's voxel-to-world affine (one channel,
    /// or `--argmax`).
    case nifti

    /// The file name of the result for a scene (`volume` false) or a stack.
    func fileName(volume: Bool) -> String {
        switch self {
        case .gtiff: return volume ? "volume.tif" : "mosaic.tif"
        case .cog: return "mosaic.tif"
        case .nifti: return "volume.nii.gz"
        }
    }

    /// Refuses a format the source kind has not.
    func check(volume: Bool) throws {
        if volume && self == .cog { throw ScaleTileError.argument("--mosaic-format", "cog is for scenes; stacks are written as gtiff (ImageJ TIFF) or nifti") }
        if !volume && self == .nifti { throw ScaleTileError.argument("--mosaic-format", "nifti is for stacks and volumes; scenes are written as gtiff or cog") }
    }
}

/// What a stitch run did.
public struct StitchReport: Sendable, Codable {
    /// Boxes read from the predictions (after clipping and dropping), or rasters read.
    public var predictions: Int
    /// Boxes dropped by border-aware suppression.
    public var borderSuppressed: Int
    /// Boxes written.
    public var detections: Int
    /// Files written, relative to `--out`.
    public var files: [String]
    /// The counted problems of the input.
    public var warnings: StitchWarnings
    /// One line per kind of problem.
    public var warningLines: [String] { warnings.lines }
}

/// `scaletile stitch OUT --predictions PRED --out DIR`: per-tile predictions back to the scene
/// (DESIGN.md §7 stitching).
///
/// Rasters (a folder of per-tile rasters): composed by ``RasterStitch`` into `mosaic.tif`.
/// Boxes: read (``BoxPredictions``), mapped to level-0 pixels through their window and level,
/// thinned by ``BorderSuppression``, merged class by class by ``DetectionMerge``, and written as
/// `detections.coco.json`, `detections.geojson` and `detections.csv` into `--out`, nothing
/// elsewhere. Every input problem is found before anything is written.
public struct StitchJob {
    /// The ScaleTile output folder the predictions were made on.
    public var runFolder: String
    /// The predictions: a `.json` / `.jsonl` file or a folder of per-tile files.
    public var predictions: String
    /// The folder receiving the stitched results.
    public var output: String
    public var options: StitchOptions

    public init(run: String, predictions: String, output: String, options: StitchOptions = StitchOptions()) {
        self.runFolder = run; self.predictions = predictions; self.output = output; self.options = options
    }

    /// Reads, merges and writes.
    ///
    /// - Throws: ``ScaleTileError``: `.notFound` for a missing folder or file, `.invalidInput`
    ///   for an OUT that is not a ScaleTile output or unreadable predictions (and, with
    ///   ``StitchOptions/strict``, for any counted problem), `.io` when writing fails.
    public func run() throws -> StitchReport {
        guard options.threshold > 0, options.threshold <= 1 else {
            throw ScaleTileError.argument("--iou", "must lie in (0, 1], got \(options.threshold)")
        }
        let stitched = try StitchedRun(folder: runFolder)
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: predictions, isDirectory: &isFolder), isFolder.boolValue,
           RasterStitch.holdsRasters(predictions) {
            let volume = stitched.volume != nil
            try options.mosaicFormat.check(volume: volume)
            let stitch = RasterStitch(run: stitched, options: options)
            let (tiles, warnings) = volume ? try stitch.stitchVolume(folder: predictions, into: output) : try stitch.stitch(folder: predictions, into: output)
            return StitchReport(predictions: tiles, borderSuppressed: 0, detections: 0,
                                files: [options.mosaicFormat.fileName(volume: volume)], warnings: warnings)
        }
        var reader = BoxPredictions(run: stitched)
        try reader.read(predictions)
        if options.strict, let first = reader.warnings.lines.first {
            throw ScaleTileError(.invalidInput, predictions, first)
        }
        // One list, filtered in place and released before the files are written: memory is
        // about two lists of detections at the peak, not four.
        var detections = reader.detections
        let read = detections.count, warnings = reader.warnings
        reader.detections = []
        var suppressed = 0
        if options.borderSuppression {
            var suppression = BorderSuppression(sceneSize: stitched.volume?.size ?? stitched.sceneSize, threshold: options.threshold)
            suppression.scalesDepth = stitched.scalesDepth
            suppressed = suppression.apply(to: &detections)
        }
        let merged = DetectionMerge(rule: options.merge, metric: options.match, threshold: options.threshold).merge(detections)
        detections = []
        let writer = try DetectionFiles(run: stitched, toWGS84: options.toWGS84)
        let files = stitched.volume != nil ? try writer.writeVolume(merged, into: output) : try writer.write(merged, into: output)
        return StitchReport(predictions: read, borderSuppressed: suppressed, detections: merged.count,
                            files: files, warnings: warnings)
    }
}

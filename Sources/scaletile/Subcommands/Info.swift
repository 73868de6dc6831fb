import ArgumentParser
import Foundation
import ScaleTile
import ScaleTileCore
import ScaleTileGDAL

extension ScaleTileCommand {
    /// `scaletile info PATH [--json]`.
    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Describe a scene (any GDAL raster) or a TIFF stack.")

        @Argument(help: "A raster file or GDAL dataset name (/vsicurl/…, /vsis3/…).")
        var path: String

        @Flag(help: "Print JSON (keys documented in the README).")
        var json = false

        func run() throws {
            try reportingFailures {
                let dataset = try Dataset(opening: path)
                let info = dataset.info
                if json {
                    try StandardOutput.writeJSON(info)
                } else {
                    StandardOutput.write(Info.text(info))
                }
            }
        }

        static func text(_ i: SceneInfo) -> String {
            var lines = ["\(i.path): \(i.driver) scene, \(i.width) x \(i.height) pixels, \(i.bandCount) band\(i.bandCount == 1 ? "" : "s")"]
            if let crs = i.crs {
                lines.append("  CRS: \(crs.epsg.map { "EPSG:\($0)" } ?? "(no EPSG code)")")
            } else {
                lines.append("  CRS: none (pixel space)")
            }
            if let ps = i.pixelSize { lines.append("  pixel size: \(ps[0]) x \(ps[1])") }
            if let b = i.bounds { lines.append("  bounds: \(b.minX), \(b.minY) – \(b.maxX), \(b.maxY)") }
            if let c = i.compression { lines.append("  compression: \(c)\(i.interleave.map { ", interleave \($0)" } ?? "")") }
            for b in i.bands {
                var line = "  band \(b.band): \(b.dataType), \(b.colorInterpretation), block \(b.blockSize[0]) x \(b.blockSize[1])"
                if let nodata = b.nodata { line += ", nodata \(nodata)" }
                if !b.overviews.isEmpty { line += ", overviews " + b.overviews.map { "\($0[0])x\($0[1])" }.joined(separator: " ") }
                if b.maskFlags != ["ALL_VALID"] { line += ", mask \(b.maskFlags.joined(separator: "+"))" }
                lines.append(line)
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }
}

import ArgumentParser
import Foundation
import ScaleTile
import ScaleTileCore
import ScaleTileSatellite
import ScaleTileMedical

extension ScaleTileCommand {
    /// `scaletile info PATH [--json]`.
    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Describe a scene (any GDAL raster), a TIFF stack or a NIfTI/NRRD volume.",
            discussion: "A TIFF with several slices (ImageJ or OME metadata, or several full-resolution pages alike) is described as a stack; --as overrides.")

        @Argument(help: "A raster file or GDAL dataset name (/vsicurl/…, /vsis3/…).")
        var path: String

        @Flag(help: "Print JSON (keys documented in the README).")
        var json = false

        @OptionGroup var input: InputKindOption

        func run() throws {
            try reportingFailures {
                let kind = try SourceKind.identify(path, as: input.kind)
                if kind == .volume {
                    let volume = try MedicalVolume(opening: path)
                    // One sequential pass over compressed voxels, so a broken file fails here too.
                    try volume.checkData()
                    if json {
                        try StandardOutput.writeJSON(volume.info)
                    } else {
                        StandardOutput.write(Info.text(volume.info))
                    }
                    return
                }
                if kind == .stack {
                    let info = try TIFFStack(opening: path).info
                    if json {
                        try StandardOutput.writeJSON(info)
                    } else {
                        StandardOutput.write(Info.text(info))
                    }
                    return
                }
                let dataset = try Dataset(opening: path)
                let info = dataset.info
                if json {
                    try StandardOutput.writeJSON(info)
                } else {
                    StandardOutput.write(Info.text(info))
                }
            }
        }

        static func text(_ i: StackInfo) -> String {
            let flavour = ["plain": "multi-page TIFF", "imagej": "ImageJ", "ome": "OME-TIFF"][i.flavour.rawValue] ?? i.flavour.rawValue
            var lines = ["\(i.path): \(flavour) stack, \(i.width) x \(i.height) x \(i.depth) voxels, \(i.channels) channel\(i.channels == 1 ? "" : "s")\(i.timepoints > 1 ? ", \(i.timepoints) timepoints" : ""), \(i.dataType)"]
            let s = i.spacing
            lines.append("  spacing: \(s.x) x \(s.y) x \(s.z) \(s.unit)")
            lines.append("  pages: \(i.pages), \(i.tiled ? "tiles" : "strips") \(i.blockSize[0]) x \(i.blockSize[1]), compression \(i.compression)\(i.channels > 1 ? ", planar \(i.planarConfig.rawValue)" : "")\(i.bigTIFF ? ", BigTIFF" : "")")
            return lines.joined(separator: "\n") + "\n"
        }

        static func text(_ i: VolumeInfo) -> String {
            var lines = ["\(i.path): \(i.format.rawValue) volume, \(i.width) x \(i.height) x \(i.depth) voxels, \(i.channels) channel\(i.channels == 1 ? "" : "s")\(i.timepoints > 1 ? ", \(i.timepoints) timepoints" : ""), \(i.dataType), \(i.encoding)"]
            lines.append("  spacing: \(i.spacing.x) x \(i.spacing.y) x \(i.spacing.z) \(i.spacing.unit)")
            lines.append("  orientation: \(i.orientation), world \(i.space.rawValue), affine from \(i.affineSource)")
            for row in i.affine { lines.append("    " + row.map { String(format: "%10.4f", $0) }.joined(separator: " ")) }
            if let v = i.valueScaling { lines.append("  scaling: value = \(v.slope) x stored + \(v.intercept) (not applied)") }
            return lines.joined(separator: "\n") + "\n"
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

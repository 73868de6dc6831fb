import ScaleTileCore
import ScaleTileSatellite
import ScaleTileMedical

/// What `scaletile info` says about a source: a scene's GDAL description or a stack's, by the
/// scene-or-stack rule (``SourceKind``).
public enum SourceDescription: Sendable, Encodable {
    case scene(SceneInfo)
    case stack(StackInfo)
    case volume(StackInfo)

    /// Opens `path` as what it is (or as `override` says) and describes it.
    public static func of(_ path: String, as override: TIFFKind? = nil) throws -> SourceDescription {
        switch try SourceKind.identify(path, as: override) {
        case .volume:
            let volume = try MedicalVolume(opening: path)
            // One sequential pass over compressed voxels, so a broken file fails here too.
            try volume.checkData()
            return .volume(volume.info)
        case .stack: return .stack(try TIFFStack(opening: path).info)
        case .scene: return .scene(try Dataset(opening: path).info)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .scene(let info): try info.encode(to: encoder)
        case .stack(let info): try info.encode(to: encoder)
        case .volume(let info): try info.encode(to: encoder)
        }
    }

    /// The description as people read it.
    public var text: String {
        switch self {
        case .stack(let i):
            let flavourName = i.flavour?.rawValue ?? "plain"
            let flavour = ["plain": "multi-page TIFF", "imagej": "ImageJ", "ome": "OME-TIFF"][flavourName] ?? flavourName
            var lines = ["\(i.path): \(flavour) stack, \(i.width) x \(i.height) x \(i.depth) voxels, \(i.channels) channel\(i.channels == 1 ? "" : "s")\(i.timepoints > 1 ? ", \(i.timepoints) timepoints" : ""), \(i.dataType)"]
            let s = i.spacing
            lines.append("  spacing: \(s.x) x \(s.y) x \(s.z) \(s.unit)")
            let block = i.blockSize ?? [0, 0]
            lines.append("  pages: \(i.pages ?? 0), \(i.tiled == true ? "tiles" : "strips") \(block[0]) x \(block[1]), compression \(i.compression ?? "none")\(i.channels > 1 ? ", planar \(i.planarConfig?.rawValue ?? "contig")" : "")\(i.bigTIFF == true ? ", BigTIFF" : "")")
            return lines.joined(separator: "\n") + "\n"
        case .volume(let i):
            var lines = ["\(i.path): \(i.format?.rawValue ?? "volume") volume, \(i.width) x \(i.height) x \(i.depth) voxels, \(i.channels) channel\(i.channels == 1 ? "" : "s")\(i.timepoints > 1 ? ", \(i.timepoints) timepoints" : ""), \(i.dataType), \(i.encoding ?? "raw")"]
            lines.append("  spacing: \(i.spacing.x) x \(i.spacing.y) x \(i.spacing.z) \(i.spacing.unit)")
            lines.append("  orientation: \(i.orientation ?? "?"), world \(i.space?.rawValue ?? "?"), affine from \(i.affineSource ?? "?")")
            for row in i.affine ?? [] { lines.append("    " + row.map { String(format: "%10.4f", $0) }.joined(separator: " ")) }
            if let v = i.valueScaling { lines.append("  scaling: value = \(v.slope) x stored + \(v.intercept) (not applied)") }
            return lines.joined(separator: "\n") + "\n"
        case .scene(let i):
            var lines = ["\(i.path): \(i.driver) scene, \(i.width) x \(i.height) pixels, \(i.bandCount) band\(i.bandCount == 1 ? "" : "s")"]
            lines.append("  CRS: " + (i.crs.map { crs in crs.epsg.map { "EPSG:\($0)" } ?? "(no EPSG code)" } ?? "none (pixel space)"))
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

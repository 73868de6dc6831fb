import Foundation
import ScaleTileCore
import ScaleTileSatellite

/// The mask tiles of a scene run (`--mask-tiles`): beside each tile `<id>_mask.<ext>`, one
/// Byte band on the tile's own grid and georeferencing (``MaskTile`` values).
///
/// - From a **label raster** (on the scene's grid): its pixels of the window, read by the
///   reader thread (``LabelRasterWindows``: nodata as 0, levels above 0 by nearest).
/// - From **vector labels** (polygons; boxes of COCO, YOLO, VOC or CSV as rectangles): every
///   object sharing area with the window rasterised by GDAL on the encoder thread
///   (``MaskRasterizer``), with its class's 1-based position in the class order. Slivers below
///   `--min-visible` keep their class: a pixel of a building is a building pixel however
///   little of it the tile shows.
///
/// With `--split`, the objects of another split — the manifest's `ignore` list — take
/// ``MaskTile/ignoreValue``, drawn last so an ignore region is never a positive. On a label
/// raster the ignore region is the object's pixels of its label inside its bounding box.
///
/// The format is the tile's (GeoTIFF, COG, `.npy` as (1, Y, X) uint8 like a stack's mask),
/// except beside JPEG tiles, whose masks are PNG: a lossy mask would invent labels.
struct SceneMaskTiles: Sendable {
    /// Where the mask values come from.
    enum Source: Sendable {
        /// A label raster on the scene's grid.
        case raster(String)
        /// Vector or box labels, rasterised: value per class name.
        case shapes([String: UInt8])
    }

    let source: Source
    let encoder: SceneTileEncoder

    /// Checks that the labels fit Byte masks; writes nothing.
    init(labelPath: String, format: LabelFormat, objects: SceneObjects, tileEncoder: SceneTileEncoder,
         creationOptions: [String: String], spatialReference: SpatialReference?) throws {
        let classes = objects.labels.classNames
        if format == .raster {
            if let bad = classes.first(where: { Int($0).map { !(1...MaskTile.largestClassValue).contains($0) } ?? true }) {
                throw ScaleTileError(.invalidInput, labelPath, "holds the label \(bad); mask tiles are Byte with labels 1 to \(MaskTile.largestClassValue) (255 marks ignore regions): renumber the raster, or give vector labels")
            }
            source = .raster(labelPath)
        } else {
            guard classes.count <= MaskTile.largestClassValue else {
                throw ScaleTileError(.invalidInput, labelPath, "has \(classes.count) classes; mask tiles are Byte with classes 1 to \(MaskTile.largestClassValue) (255 marks ignore regions)")
            }
            source = .shapes(Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, UInt8($0 + 1)) }))
        }
        let maskFormat: TileFormat = tileEncoder.format == .jpeg ? .png : tileEncoder.format
        encoder = try SceneTileEncoder(
            format: maskFormat, pixelType: .uint8, userOptions: maskFormat == tileEncoder.format ? creationOptions : [:],
            spatialReference: spatialReference, nodata: [nil], colorInterpretations: ["Gray"])
    }

    /// Where the mask tile of plan entry `w` goes, relative to the output folder.
    func relativePath(of w: PlannedWindow) -> String {
        "tiles/L\(w.level)/\(w.id)_mask.\(encoder.format.fileExtension)"
    }

    /// The mask tile of `item`: the raster's pixels the reader read (`read`), or the objects
    /// rasterised; `isOwn` tells the objects of the window's split (by position in the labels).
    func mask(of item: PlannedWindow, read: RasterBuffer?, objects: SceneObjects, isOwn: (Int) -> Bool) throws -> RasterBuffer {
        let level = Level(item.level)
        let clipped = objects.clipped(to: item.window, level: level)
        switch source {
        case .raster:
            guard var mask = read else { preconditionFailure("the reader reads the label raster of every window") }
            for c in clipped where !isOwn(c.index) {
                guard let label = UInt8(objects.labels.objects[c.index].className) else { continue }
                let b = c.boxInTile
                let x0 = Swift.max(0, Int(b.minX.rounded(.down))), y0 = Swift.max(0, Int(b.minY.rounded(.down)))
                let x1 = Swift.min(mask.size.width, Int(b.maxX.rounded(.up))), y1 = Swift.min(mask.size.height, Int(b.maxY.rounded(.up)))
                guard x0 < x1, y0 < y1 else { continue }
                for y in y0 ..< y1 {
                    for x in x0 ..< x1 where mask.bytes[y * mask.size.width + x] == label {
                        mask.bytes[y * mask.size.width + x] = MaskTile.ignoreValue
                    }
                }
            }
            return mask
        case .shapes(let values):
            var positives: [MaskShape] = [], ignore: [MaskShape] = []
            for c in clipped {
                let object = objects.labels.objects[c.index]
                let own = isOwn(c.index)
                let value = own ? values[object.className] ?? 0 : MaskTile.ignoreValue
                let shape = MaskShape(rings: object.rings, value: value)
                if own { positives.append(shape) } else { ignore.append(shape) }
            }
            // Ignore regions last: where another split's object overlaps this one's, the pixel is ignored.
            return try MaskRasterizer.rasterize(positives + ignore, window: item.window, level: level)
        }
    }
}

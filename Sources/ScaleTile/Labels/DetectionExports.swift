import Foundation
import ScaleTileCore
import ScaleTileSatellite

/// Label exports of a tiling or sampling run, one file set per output folder (DESIGN.md §3):
/// `coco.json` (one image per tile), `labels/<tile id>.txt` (YOLO) and `labels.geojson`
/// (the kept objects clipped to their tiles, in the scene's CRS, through OGR).
public enum LabelExport: String, Hashable, Sendable, CaseIterable, Codable {
    case coco
    case yolo
    case geojson
}

struct DetectionExports {
    let objects: SceneObjects
    let formats: Set<LabelExport>
    /// `--yolo-segments`: YOLO lines hold the objects' outlines clipped to the tile, not boxes.
    var yoloSegments = false

    /// Class names in a fixed order: the label set's (first appearance), which fixes COCO
    /// category ids and YOLO class numbers.
    var classNames: [String] { objects.labels.classNames }

    /// Writes every requested export for the tiles of `entries` (plan order).
    func write(entries: [ManifestEntry], tileSize: RasterSize, scene: SceneGeometry, in folder: OutputFolder) throws {
        if formats.contains(.coco) { try writeCOCO(entries: entries, tileSize: tileSize, in: folder) }
        if formats.contains(.yolo) { try writeYOLO(entries: entries, tileSize: tileSize, in: folder) }
        if formats.contains(.geojson) { try writeGeoJSON(entries: entries, scene: scene, in: folder) }
    }

    private func clipped(_ entry: ManifestEntry) -> [SceneObjects.Clipped] {
        objects.clipped(to: entry.window.window, level: Level(entry.level))
    }

    private func writeCOCO(entries: [ManifestEntry], tileSize: RasterSize, in folder: OutputFolder) throws {
        let categoryID = Dictionary(uniqueKeysWithValues: classNames.enumerated().map { ($1, $0 + 1) })
        try AtomicFile.produce(folder.file("coco.json")) { temporary in
            var writer = try COCODataset.StreamWriter(path: temporary)
            var images: [COCODataset.Image] = []
            var annotationID = 0
            for (i, entry) in entries.enumerated() {
                images.append(COCODataset.Image(id: i + 1, fileName: entry.path, width: tileSize.width, height: tileSize.height, windowID: entry.id))
                for c in clipped(entry) {
                    let object = objects.labels.objects[c.index]
                    let b = c.boxInTile
                    annotationID += 1
                    try writer.add(COCODataset.Annotation(
                        id: annotationID, imageID: i + 1, categoryID: categoryID[object.className] ?? 0,
                        bbox: [b.minX, b.minY, b.width, b.height].map(SceneObjects.rounded),
                        segmentation: .polygons([[b.minX, b.minY, b.maxX, b.minY, b.maxX, b.maxY, b.minX, b.maxY].map(SceneObjects.rounded)]),
                        area: SceneObjects.rounded(b.area),
                        // A sliver below the visible fraction is an ignore region, not a label.
                        iscrowd: c.kept ? 0 : 1))
                }
            }
            try writer.finish(categories: classNames.enumerated().map { COCODataset.Category(id: $0 + 1, name: $1) }, images: images)
        }
    }

    private func writeYOLO(entries: [ManifestEntry], tileSize: RasterSize, in folder: OutputFolder) throws {
        try folder.makeFolder("labels")
        let classNumber = Dictionary(uniqueKeysWithValues: classNames.enumerated().map { ($1, $0) })
        try AtomicFile.write(Data((classNames.joined(separator: "\n") + "\n").utf8), to: folder.file("labels/classes.txt"))
        for entry in entries {
            let outlines = yoloSegments ? try objects.segments(in: entry.window.window, level: Level(entry.level)) : nil
            let lines = clipped(entry).filter(\.kept).compactMap { c -> String? in
                let number = classNumber[objects.labels.objects[c.index].className] ?? 0
                if let outlines {
                    return outlines[objects.labels.objects[c.index].id].map {
                        TrainingLayout.segmentLine(number, $0, width: Double(tileSize.width), height: Double(tileSize.height))
                    }
                }
                let b = c.boxInTile
                let values = [(b.minX + b.maxX) / 2 / Double(tileSize.width), (b.minY + b.maxY) / 2 / Double(tileSize.height),
                              b.width / Double(tileSize.width), b.height / Double(tileSize.height)]
                return "\(number) " + values.map { String(format: "%.6f", $0) }.joined(separator: " ")
            }
            try AtomicFile.write(Data(lines.map { $0 + "\n" }.joined().utf8), to: folder.file("labels/\(entry.id).txt"))
        }
    }

    private func writeGeoJSON(entries: [ManifestEntry], scene: SceneGeometry, in folder: OutputFolder) throws {
        var footprints: [MapFootprint] = []
        for entry in entries {
            guard let bounds = entry.bounds else { continue }
            let kept = clipped(entry).filter(\.kept).map { objects.labels.objects[$0.index] }
            for var footprint in try scene.clip(kept, to: bounds) {
                footprint.tile = entry.id
                footprints.append(footprint)
            }
        }
        try VectorLayerWriter.write(footprints, spatialReference: scene.spatialReference, to: folder.file("labels.geojson"))
    }
}

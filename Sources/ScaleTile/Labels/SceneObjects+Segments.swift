import ScaleTileCore
import ScaleTileSatellite

extension SceneObjects {
    /// The outlines of a tile's objects for YOLO segmentation lines (`--yolo-segments`), by
    /// object id, in the tile file's own pixels (level pixels from the tile origin).
    ///
    /// A polygon is clipped to the window by OGR, its largest part kept without holes
    /// (``ScaleTileSatellite/LabeledObject/outline(clippedTo:)``); an object with only a box
    /// (CSV, Pascal VOC, YOLO or COCO boxes) is its clipped box's four corners. An object
    /// whose box reaches into the window while its polygon does not has no outline.
    func segments(in window: Window, level: Level) throws -> [String: [PixelPoint]] {
        let scale = level.scale
        var outlines: [String: [PixelPoint]] = [:]
        for c in clipped(to: window, level: level) {
            let object = labels.objects[c.index]
            if object.polygon == nil {
                outlines[object.id] = c.boxInTile.corners
            } else if let ring = try object.outline(clippedTo: window) {
                outlines[object.id] = ring.map {
                    PixelPoint(x: ($0.x - Double(window.x)) * scale, y: ($0.y - Double(window.y)) * scale)
                }
            }
        }
        return outlines
    }
}

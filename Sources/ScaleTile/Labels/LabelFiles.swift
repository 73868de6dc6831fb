import ScaleTileCore
import ScaleTileSatellite

/// Reading a label file against the scene it annotates.
public enum LabelFiles {
    /// The labels of `path` in the pixel space of the scene `image`.
    public static func load(_ path: String, image: String, options: LabelReadOptions = LabelReadOptions()) throws -> LabelSet {
        let dataset = try Dataset(opening: image)
        return try LabelSet.load(path: path, scene: SceneGeometry(dataset), options: options)
    }
}

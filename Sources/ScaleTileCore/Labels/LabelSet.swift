/// The labels of one scene, from any label format, in level-0 pixel coordinates.
///
/// Every reader (COCO, YOLO, Pascal VOC, CSV boxes, vectors through OGR, label rasters) produces
/// one; ``validated(imageSize:classList:outsideHint:)`` then applies the checks every format
/// shares. Problems that do not stop the job are kept in ``warnings`` for the caller to print.
public struct LabelSet: Hashable, Sendable {
    /// The objects, in the source's order.
    public var objects: [LabeledObject]
    /// The class names, in the source's own numbering where it has one (COCO categories by id,
    /// YOLO class numbers, a given class list), else in order of first appearance.
    public var classNames: [String]
    /// Problems found while reading that did not stop it, in the order they were found.
    public var warnings: [LabelWarning]

    /// A label set from its parts.
    public init(objects: [LabeledObject], classNames: [String], warnings: [LabelWarning] = []) {
        self.objects = objects
        self.classNames = classNames
        self.warnings = warnings
    }

    /// A label set whose class list is the objects' classes in order of first appearance.
    public init(objects: [LabeledObject], warnings: [LabelWarning] = []) {
        var seen = Set<String>()
        let names = objects.map(\.className).filter { seen.insert($0).inserted }
        self.init(objects: objects, classNames: names, warnings: warnings)
    }

    /// Number of objects per class name.
    public var objectCountsByClass: [String: Int] {
        objects.reduce(into: [:]) { counts, object in counts[object.className, default: 0] += 1 }
    }
}

/// A problem with the labels that did not stop reading them (boxes dropped, objects outside
/// the scene). Its ``description`` is the line the command line prints: the file first.
public struct LabelWarning: Hashable, Sendable, CustomStringConvertible {
    /// The label file the warning is about, when known.
    public var path: String?
    /// What happened, without the path (`3 boxes with zero or negative size dropped`).
    public var message: String

    /// A warning about `path` (nil until the reader that knows the path fills it in).
    public init(_ message: String, path: String? = nil) {
        self.path = path
        self.message = message
    }

    public var description: String {
        guard let path, !path.isEmpty else { return message }
        return "\(path): \(message)"
    }
}

extension LabelSet {
    /// The same labels with every warning that names no file attributed to `path`.
    public func attributingWarnings(to path: String) -> LabelSet {
        var copy = self
        for index in copy.warnings.indices where copy.warnings[index].path == nil {
            copy.warnings[index].path = path
        }
        return copy
    }
}

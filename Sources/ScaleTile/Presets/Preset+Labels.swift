import ScaleTileCore

extension Preset {
    /// `labels`: the objects (scenes) or lesion masks (stacks) of each input.
    public struct Labels: Hashable, Sendable, Codable {
        /// The label file, relative to the preset file; `{stem}` stands for each input's file
        /// name without extension (`labels/{stem}.geojson`). Nil: no labels.
        public var path: String? = nil
        /// The file's format; `auto` finds it from the name and content.
        public var format: LabelFormat = .auto
        /// Vectors: the attribute holding the class; nil looks for `class`, `category`, `label`
        /// or `building`.
        public var classField: String? = nil
        /// The class list, in order (YOLO class numbers index it); empty takes the file's classes.
        public var classes: [String] = []
        /// An object is a label of a tile when at least this share of its box is inside.
        public var minVisible: Double = 0.5
        /// Label exports besides the manifest.
        public var exports: [LabelExport] = [.coco]
        /// Stacks: neighbours that join mask voxels into one lesion, 6, 18 or 26 (4 or 8 in a
        /// plane); nil is full connectivity (26, 8 in a plane).
        public var connectivity: Int? = nil

        /// The defaults of every field.
        public init() {}

        enum CodingKeys: String, CodingKey, CaseIterable {
            case path, format, classField, classes, minVisible, exports, connectivity
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let d = Labels()
            path = try c.decodeIfPresent(String.self, forKey: .path) ?? d.path
            format = try c.decodeChoice(LabelFormat.self, forKey: .format) ?? d.format
            classField = try c.decodeIfPresent(String.self, forKey: .classField) ?? d.classField
            classes = try c.decodeIfPresent([String].self, forKey: .classes) ?? d.classes
            minVisible = try c.decodeIfPresent(Double.self, forKey: .minVisible) ?? d.minVisible
            connectivity = try c.decodeIfPresent(Int.self, forKey: .connectivity) ?? d.connectivity
            if let names = try c.decodeIfPresent([String].self, forKey: .exports) {
                exports = try names.map { name in
                    guard let export = LabelExport(rawValue: name) else {
                        throw PresetDecoding.mismatch(c, .exports, "must list " + PresetText.oneOf(LabelExport.allCases.map(\.rawValue)) + ", got \(name)")
                    }
                    return export
                }
            }
        }

        /// The label options of one input whose label file is `path`.
        func tileLabels(path: String) -> TileLabels {
            TileLabels(path: path, read: readOptions, minVisibleFraction: minVisible, exports: Set(exports))
        }

        /// How the label readers should read the file.
        public var readOptions: LabelReadOptions {
            LabelReadOptions(format: format, classNames: classes.isEmpty ? nil : classes, classField: classField)
        }
    }
}

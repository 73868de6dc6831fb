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

        /// The defaults of every field.
        public init() {}

        enum CodingKeys: String, CodingKey, CaseIterable {
            case path, format, classField, classes
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let d = Labels()
            path = try c.decodeIfPresent(String.self, forKey: .path) ?? d.path
            format = try c.decodeChoice(LabelFormat.self, forKey: .format) ?? d.format
            classField = try c.decodeIfPresent(String.self, forKey: .classField) ?? d.classField
            classes = try c.decodeIfPresent([String].self, forKey: .classes) ?? d.classes
        }

        /// How the label readers should read the file.
        public var readOptions: LabelReadOptions {
            LabelReadOptions(format: format, classNames: classes.isEmpty ? nil : classes, classField: classField)
        }
    }
}

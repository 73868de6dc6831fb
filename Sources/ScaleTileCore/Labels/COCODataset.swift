import Foundation

/// A COCO detection file: images, annotations and categories, with COCO's own key names.
///
/// Encodes and decodes the keys of the COCO detection format (`file_name`, `image_id`,
/// `category_id`, `bbox` as `[x, y, width, height]` in pixels, `segmentation` as polygons or
/// run-length masks, `iscrowd`). Keys ScaleTile does not use (`info`, `licenses`, ...) are
/// skipped when reading.
public struct COCODataset: Hashable, Sendable, Codable {
    /// The images annotated.
    public var images: [Image]
    /// One entry per object.
    public var annotations: [Annotation]
    /// The classes, numbered by their `id`.
    public var categories: [Category]

    /// A COCO dataset from its three lists.
    public init(images: [Image], annotations: [Annotation], categories: [Category]) {
        self.images = images
        self.annotations = annotations
        self.categories = categories
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        images = try container.decodeIfPresent([Image].self, forKey: .images) ?? []
        annotations = try container.decodeIfPresent([Annotation].self, forKey: .annotations) ?? []
        categories = try container.decodeIfPresent([Category].self, forKey: .categories) ?? []
    }

    /// An image entry.
    public struct Image: Hashable, Sendable, Codable {
        /// The id annotations refer to.
        public var id: Int
        /// The image's file name, possibly with folders.
        public var fileName: String
        /// Width in pixels, when given.
        public var width: Int?
        /// Height in pixels, when given.
        public var height: Int?
        /// ScaleTile's exports: the manifest id of the window the image is, so detections map
        /// back to their window without a join on file names (COCO readers ignore the key).
        public var windowID: String?

        /// An image entry from its fields.
        public init(id: Int, fileName: String, width: Int?, height: Int?, windowID: String? = nil) {
            self.id = id
            self.fileName = fileName
            self.width = width
            self.height = height
            self.windowID = windowID
        }

        enum CodingKeys: String, CodingKey {
            case id, width, height
            case fileName = "file_name"
            case windowID = "window_id"
        }
    }

    /// One object of one image.
    public struct Annotation: Hashable, Sendable, Codable {
        /// The annotation's id (optional here: hand-written files often leave it out).
        public var id: Int?
        /// The image the object is in.
        public var imageID: Int
        /// The object's category.
        public var categoryID: Int
        /// `[x, y, width, height]` in pixels of the image, x and y of the top-left corner.
        public var bbox: [Double]
        /// The object's outline, when given.
        public var segmentation: Segmentation?
        /// The object's area in pixels, as the file states it.
        public var area: Double?
        /// 1 when the annotation covers a crowd of objects (its segmentation is then a mask).
        public var iscrowd: Int?

        /// An annotation from its fields.
        public init(id: Int?, imageID: Int, categoryID: Int, bbox: [Double], segmentation: Segmentation? = nil,
                    area: Double? = nil, iscrowd: Int? = nil) {
            self.id = id
            self.imageID = imageID
            self.categoryID = categoryID
            self.bbox = bbox
            self.segmentation = segmentation
            self.area = area
            self.iscrowd = iscrowd
        }

        enum CodingKeys: String, CodingKey {
            case id, bbox, segmentation, area, iscrowd
            case imageID = "image_id"
            case categoryID = "category_id"
        }
    }

    /// A class.
    public struct Category: Hashable, Sendable, Codable {
        /// The number annotations refer to.
        public var id: Int
        /// The class name.
        public var name: String
        /// The broader class, when given.
        public var supercategory: String?

        /// A category from its fields.
        public init(id: Int, name: String, supercategory: String? = nil) {
            self.id = id
            self.name = name
            self.supercategory = supercategory
        }
    }

    /// An object's outline: polygons, or a run-length encoded mask (crowd annotations).
    public enum Segmentation: Hashable, Sendable, Codable {
        /// One or more polygons, each a flat list `x1, y1, x2, y2, ...` in pixels. Several
        /// polygons are parts of one object (split by occlusion), not holes.
        case polygons([[Double]])
        /// A run-length encoded mask of `size` `[height, width]`; `counts` is either the list of
        /// run lengths or COCO's compressed string form.
        case runLengthMask(size: [Int], counts: RunLengthCounts)

        /// The two forms of a mask's run lengths.
        public enum RunLengthCounts: Hashable, Sendable, Codable {
            /// Uncompressed: the run lengths themselves.
            case lengths([Int])
            /// COCO's compressed text form.
            case compressed(String)

            public init(from decoder: any Decoder) throws {
                let container = try decoder.singleValueContainer()
                if let text = try? container.decode(String.self) {
                    self = .compressed(text)
                } else {
                    self = .lengths(try container.decode([Int].self))
                }
            }

            public func encode(to encoder: any Encoder) throws {
                var container = encoder.singleValueContainer()
                switch self {
                case .lengths(let lengths): try container.encode(lengths)
                case .compressed(let text): try container.encode(text)
                }
            }
        }

        private enum MaskKeys: String, CodingKey { case size, counts }

        public init(from decoder: any Decoder) throws {
            if let mask = try? decoder.container(keyedBy: MaskKeys.self), mask.contains(.counts) {
                self = .runLengthMask(size: try mask.decode([Int].self, forKey: .size),
                                      counts: try mask.decode(RunLengthCounts.self, forKey: .counts))
            } else {
                self = .polygons(try decoder.singleValueContainer().decode([[Double]].self))
            }
        }

        public func encode(to encoder: any Encoder) throws {
            switch self {
            case .polygons(let polygons):
                var container = encoder.singleValueContainer()
                try container.encode(polygons)
            case .runLengthMask(let size, let counts):
                var container = encoder.container(keyedBy: MaskKeys.self)
                try container.encode(size, forKey: .size)
                try container.encode(counts, forKey: .counts)
            }
        }
    }
}

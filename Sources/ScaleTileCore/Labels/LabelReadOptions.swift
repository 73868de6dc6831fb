/// How to read a label file: its format and the choices some formats need.
///
/// Every field has a default that suits a single-image label file of the scene.
public struct LabelReadOptions: Hashable, Sendable {
    /// The format; ``LabelFormat/auto`` finds it from the file name and content.
    public var format: LabelFormat
    /// The class list. YOLO class numbers index it; for every other format, an object whose
    /// class is not in it is an error. It becomes the label set's class list, in its order.
    public var classNames: [String]?
    /// Vectors: the attribute holding the class (`--class-field`). Default: the first field
    /// named `class`, `category`, `label` or `building` (case ignored), else one class `object`.
    public var classField: String?
    /// Vectors: the layer to read; default the first.
    public var layerName: String?
    /// COCO and CSV files listing several images: the scene's entry. Default: the scene's file name.
    public var imageName: String?
    /// Vectors: point features become boxes this many level-0 pixels wide and high, centred on
    /// the point. Without it, points are skipped with a warning.
    public var pointBoxSize: Double?
    /// Label rasters: which pixels touch (4-connected ``Connectivity/faces`` or 8-connected
    /// ``Connectivity/full``).
    public var connectivity: Connectivity
    /// Label rasters: the budget the row buffers (sized by the raster's width) are checked
    /// against before they are allocated (`--max-memory`).
    public var maxMemory: MemoryBudget = .systemDefault

    /// Options with the given choices; every one defaults.
    public init(format: LabelFormat = .auto, classNames: [String]? = nil, classField: String? = nil,
                layerName: String? = nil, imageName: String? = nil, pointBoxSize: Double? = nil,
                connectivity: Connectivity = .full) {
        self.format = format
        self.classNames = classNames
        self.classField = classField
        self.layerName = layerName
        self.imageName = imageName
        self.pointBoxSize = pointBoxSize
        self.connectivity = connectivity
    }
}

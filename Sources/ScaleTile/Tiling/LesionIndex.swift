import ScaleTileCore
import ScaleTileMedical

/// The lesions of a mask (a TIFF stack or a NIfTI/NRRD volume) and which of them each patch window holds.
///
/// Built once, before anything is written, by streaming the mask slice by slice through the
/// ``ComponentLabeler``: memory is two slices' runs and the open lesions, never the volume.
public struct LesionIndex: Sendable {
    /// The lesions, ordered by id.
    public let lesions: [Lesion]
    private let boxes: TargetIndex

    /// The index of `lesions`, queried with windows of about `windowSize` (cells of that size
    /// keep each query to a few cells).
    public init(lesions: [Lesion], windowSize: RasterSize) {
        self.lesions = lesions
        boxes = TargetIndex(boxes: lesions.map(\.bbox),
                            cellSize: RasterSize(width: Swift.max(1, windowSize.width), height: Swift.max(1, windowSize.height),
                                                 depth: Swift.max(1, windowSize.depth)))
    }

    /// The lesions of channel `channel` of `mask` (any ``VoxelSource``), labelled slice by slice.
    ///
    /// - Parameters:
    ///   - spacing: the voxel size for volumes and diameters (the image's, for a mask beside one).
    /// - Throws: ``ScaleTileError`` `.unsupported` for floating-point samples, and what reading
    ///   the stack throws.
    public static func lesions(of mask: any VoxelSource, channel: Int = 0, spacing: Spacing? = nil,
                               connectivity: Connectivity = .full, budget: MemoryBudget = .systemDefault) throws -> [Lesion] {
        let size = mask.size
        // The labeler keeps two slices of labels (8 bytes a voxel) beside the decoded slice:
        // a header declaring a huge slice is refused here rather than aborting the allocation.
        try budget.check([size.width, size.height, 16 + mask.pixelType.byteSize],
                         figure: "labelling slices of \(size.width)x\(size.height) voxels would", kind: .invalidInput, path: mask.path)
        var labeler = ComponentLabeler(width: size.width, height: size.height, spacing: spacing ?? mask.spacing,
                                       connectivity: connectivity)
        let pixelType = mask.pixelType
        try attributing(to: mask.path) {
            try mask.forEachSlice(channel: channel) { _, samples in
                try labeler.append(slice: samples, pixelType: pixelType)
            }
        }
        return labeler.finish()
    }

    /// The lesions whose bounding box meets `window` (level-0 voxels), described as a patch cut
    /// from that window at `level` sees them: `truncated` when the box is not wholly inside,
    /// `visibleFraction` the share of the box's volume inside, and `bbox` the box clipped to the
    /// window in the patch file's own voxels (`[x, y, z, width, height, depth]`, fractional at
    /// levels above 0).
    public func lesions(meeting window: Window, level: Level) -> [ContainedObject] {
        let fx = Double(level.factor), fz = Double(level.depthFactor)
        return boxes.boxes(intersecting: window).map { i in
            let lesion = lesions[i]
            let clip = lesion.bbox.intersection(window)!
            let fraction = Double(clip.pixelCount) / Double(lesion.bbox.pixelCount)
            return ContainedObject(
                id: String(lesion.id), class: String(lesion.label), truncated: !window.contains(lesion.bbox),
                visibleFraction: (fraction * 1e6).rounded() / 1e6,
                bbox: [Double(clip.x - window.x) / fx, Double(clip.y - window.y) / fx, Double(clip.z - window.z) / fz,
                       Double(clip.width) / fx, Double(clip.height) / fx, Double(clip.depth) / fz])
        }
    }

    /// The positions in ``lesions`` of those whose bounding box lies wholly inside `window`.
    public func lesions(containedIn window: Window) -> [Int] { boxes.boxes(containedIn: window) }

    /// The positions in ``lesions`` of those whose bounding box meets `window`.
    public func lesions(intersecting window: Window) -> [Int] { boxes.boxes(intersecting: window) }
}

extension ComponentLabeler {
    /// The lesions of a whole mask held in memory (`size.depth` slices of `size.width ×
    /// size.height` samples, row by row), labelled slice by slice through ``append(slice:)``.
    ///
    /// - Complexity: as ``append(slice:)`` for every slice, then ``finish()``.
    @inlinable
    public static func lesions<Sample: FixedWidthInteger>(
        in mask: UnsafeBufferPointer<Sample>, size: RasterSize,
        spacing: Spacing = .unit, connectivity: Connectivity = .full
    ) -> [Lesion] {
        precondition(mask.count == size.pixelCount,
                     "a \(size) mask has \(size.pixelCount) samples, got \(mask.count)")
        var labeler = ComponentLabeler(width: size.width, height: size.height,
                                       spacing: spacing, connectivity: connectivity)
        let sliceLength = size.width * size.height
        for z in 0 ..< size.depth {
            labeler.append(slice: UnsafeBufferPointer(rebasing: mask[z * sliceLength ..< (z + 1) * sliceLength]))
        }
        return labeler.finish()
    }

    /// The lesions of a whole mask held in an array, labelled slice by slice like a buffer's.
    @inlinable
    public static func lesions<Sample: FixedWidthInteger>(
        in mask: [Sample], size: RasterSize,
        spacing: Spacing = .unit, connectivity: Connectivity = .full
    ) -> [Lesion] {
        mask.withUnsafeBufferPointer {
            lesions(in: $0, size: size, spacing: spacing, connectivity: connectivity)
        }
    }
}

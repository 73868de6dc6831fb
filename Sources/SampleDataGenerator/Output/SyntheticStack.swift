import ScaleTileCore
import ScaleTileMedical

/// A generated medical or microscopy stack and its label mask, voxel for voxel on the same grid
/// with the same spacing, ready to be written as a pair of TIFF stacks.
struct SyntheticStack {
    /// The image, one band, (Z, Y, X).
    var image: RasterBuffer
    /// The labels on the image's grid: 0 background, else a class or instance value.
    var mask: RasterBuffer
    var spacing: Spacing

    /// Writes the image and the mask as ImageJ TIFF (`.tiff`) or OME-TIFF (`.omeTiff`), Deflate
    /// with the horizontal predictor, which is what ScaleTile's own stack patches are.
    /// NIfTI (`.nifti`) volumes carry `affine`.
    func write(as format: TileFormat, image imagePath: String, mask maskPath: String, affine: VoxelToWorld? = nil) throws {
        precondition(image.size == mask.size, "a mask lies on its image's grid")
        let writer = try StackWriter(format: format, compression: .deflate)
        try writer.write(image, spacing: spacing, to: imagePath, affine: affine)
        try writer.write(mask, spacing: spacing, to: maskPath, affine: affine)
    }
}

import Foundation
import ScaleTileCore
import ScaleTileMedical

/// The check a companion stack (a lesion mask, a tissue mask) passes against its image before
/// it is read: the same width, height and depth; when both files state a physical spacing, the
/// same voxel size within 1e-4 relative; and when both are volumes with a voxel-to-world
/// affine, the same affine within 1e-4 mm. A mismatch is ``ScaleTileError`` `.invalidInput`
/// (exit 65) about the companion, naming the image and both figures.
///
/// A companion without spacing metadata (unit `pixel`) is taken to share the image's: masks
/// are often written by tools that keep no metadata.
enum StackCompanion {
    static func check(_ companion: any VoxelSource, path: String, role: String, image: any VoxelSource, imagePath: String) throws {
        guard companion.size == image.size else {
            throw ScaleTileError(.invalidInput, path, "the \(role) is \(companion.size.volumeText), the image \(imagePath) is \(image.size.volumeText): a \(role) must have the image's width, height and depth")
        }
        let a = companion.spacing, b = image.spacing
        if let scaleA = Spacing.millimetres(perUnit: a.unit), let scaleB = Spacing.millimetres(perUnit: b.unit),
           zip([a.x, a.y, a.z], [b.x, b.y, b.z]).contains(where: { mine, theirs in
               let (p, q) = (mine * scaleA, theirs * scaleB)
               return abs(p - q) > 1e-4 * Swift.max(abs(p), abs(q))
           }) {
            let show = { (s: Spacing) in "\(s.x) x \(s.y) x \(s.z) \(s.unit)" }
            throw ScaleTileError(.invalidInput, path, "the \(role)'s voxels are \(show(a)), the image \(imagePath)'s are \(show(b)): a \(role) must have the image's spacing")
        }
        if let imageAffine = image.voxelToWorld, let companionAffine = companion.voxelToWorld,
           imageAffine.maximumDifference(from: companionAffine) > 1e-4 {
            throw ScaleTileError(.invalidInput, path, "the \(role) has the voxel-to-world affine \(companionAffine.text) (\(companionAffine.space.rawValue)), the image \(imagePath) has \(imageAffine.text) (\(imageAffine.space.rawValue)): \(path) and \(imagePath) must lie on the same voxels (within 1e-4 mm)")
        }
    }
}

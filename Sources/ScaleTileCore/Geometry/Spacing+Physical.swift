import Foundation

extension Spacing {
    /// Millimetres in one `unit`, for the unit names ImageJ and OME metadata use; nil for
    /// `pixel` and names that are not lengths.
    public static func millimetres(perUnit unit: String) -> Double? {
        switch unit.trimmingCharacters(in: .whitespaces).lowercased() {
        case "mm", "millimeter", "millimetre": return 1
        case "cm", "centimeter", "centimetre": return 10
        case "m", "meter", "metre": return 1000
        // ImageJ writes "micron" or an escaped µ; OME writes "µm".
        case "um", "µm", "μm", "micron", "microns", "micrometer", "micrometre", "\\u00b5m": return 1e-3
        case "nm", "nanometer", "nanometre": return 1e-6
        case "inch", "in": return 25.4
        default: return nil
        }
    }

    /// The voxel counts along X, Y and Z that span a physical size given in millimetres
    /// (`--patch-mm`): each length over the voxel size, rounded to the nearest whole voxel
    /// (halves up) and at least 1.
    ///
    /// - Throws: ``ScaleTileError`` `.invalidArgument` when a length is not positive, or
    ///   `.invalidInput` when the spacing's unit is not a length (a stack without metadata
    ///   has `pixel` spacing).
    public func voxelCounts(spanningMillimetres size: (x: Double, y: Double, z: Double)) throws -> RasterSize {
        for (axis, length) in [("X", size.x), ("Y", size.y), ("Z", size.z)] where !(length > 0 && length.isFinite) {
            throw ScaleTileError.argument("--patch-mm", "the \(axis) length must be a positive number of millimetres, got \(length)")
        }
        guard let scale = Spacing.millimetres(perUnit: unit) else {
            throw ScaleTileError(.invalidInput, nil, "has no physical spacing (its unit is '\(unit)'), so --patch-mm cannot be converted to voxels: give --patch in voxels")
        }
        func count(_ axis: String, _ length: Double, _ voxel: Double) throws -> Int {
            // A patch past 2^31 voxels on an axis is no patch any file or buffer can hold.
            guard let voxels = (length / (voxel * scale)).wholePixels(.toNearestOrAwayFromZero),
                  voxels < 2_147_483_648 else {
                throw ScaleTileError.argument("--patch-mm", "the \(axis) length \(length) mm is more than 2^31 voxels")
            }
            return Swift.max(1, voxels)
        }
        return RasterSize(width: try count("X", size.x, x), height: try count("Y", size.y, y), depth: try count("Z", size.z, z))
    }
}

import ScaleTileCore

/// What `scaletile info VOLUME --json` reports for a NIfTI or NRRD volume: the stack keys of
/// DESIGN.md §2 plus the affine (DESIGN.md §7), with stable camelCase keys.
public struct VolumeInfo: Hashable, Sendable, Codable {
    /// Always `volume`.
    public var kind: String = "volume"
    public var path: String
    /// `NIfTI-1`, `NIfTI-2` or `NRRD`.
    public var format: VolumeFormat
    public var width: Int
    public var height: Int
    public var depth: Int
    public var channels: Int
    public var timepoints: Int
    /// The sample type as GDAL names it (`Byte`, `Int16`, `Float32`, …).
    public var dataType: String
    /// Voxel size and unit.
    public var spacing: Spacing
    /// The voxel-to-world affine, 4×4 row-major, world in ``space``.
    public var affine: [[Double]]
    /// `RAS` or `LPS`: the world convention of ``affine``.
    public var space: WorldSpace
    /// The direction each voxel axis grows toward, nibabel's axis codes (`RAS`, `LPS`, …).
    public var orientation: String
    /// Where the affine came from: `sform`, `qform`, `pixdim`, `space directions` or `spacings`.
    public var affineSource: String
    /// `raw` or `gzip`.
    public var encoding: String
    /// NIfTI's `scl_slope`/`scl_inter` when they change values (not applied).
    public var valueScaling: ValueScaling?
}

extension MedicalVolume {
    /// The volume's description for `scaletile info`.
    public var info: VolumeInfo {
        VolumeInfo(path: path, format: format, width: size.width, height: size.height, depth: size.depth,
                   channels: channelCount, timepoints: timepointCount, dataType: pixelType.rawValue, spacing: spacing,
                   affine: affine.matrix, space: affine.space, orientation: affine.orientation,
                   affineSource: affineSource, encoding: encoding, valueScaling: valueScaling)
    }
}

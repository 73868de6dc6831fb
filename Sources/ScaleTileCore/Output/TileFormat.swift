/// The file format of written tiles and patches.
public enum TileFormat: String, Hashable, Sendable, Codable, CaseIterable {
    /// GeoTIFF (scenes): DEFLATE, predictor, 256-px internal blocks by default.
    case gtiff
    /// Cloud-optimised GeoTIFF (scenes).
    case cog
    /// PNG: 8-bit, or 16-bit as GDAL writes it; other types need a rescale.
    case png
    /// JPEG: 8-bit only unless rescaled.
    case jpeg
    /// NumPy array, channel-first: (C, Y, X) for scenes, (C, Z, Y, X) for stacks.
    case npy
    /// ImageJ-flavoured multi-page TIFF in Z, Y, X order with spacing (stacks).
    case tiff
    /// OME-TIFF with physical sizes (stacks).
    case omeTiff = "ome-tiff"
    /// NIfTI-1, gzip-compressed (`.nii.gz`): stack and volume patches with their affine.
    case nifti
    /// NIfTI-1 uncompressed (`.nii`).
    case nii

    /// The file name extension, without the dot.
    public var fileExtension: String {
        switch self {
        case .gtiff, .cog, .tiff: return "tif"
        case .png: return "png"
        case .jpeg: return "jpg"
        case .npy: return "npy"
        case .omeTiff: return "ome.tif"
        case .nifti: return "nii.gz"
        case .nii: return "nii"
        }
    }

    /// Whether scenes can be written in this format.
    public var suitsScenes: Bool { self != .tiff && self != .omeTiff && !isNIfTI }
    /// Whether stack patches can be written in this format.
    public var suitsStacks: Bool { self == .tiff || self == .omeTiff || self == .npy || isNIfTI }
    /// Whether the format is NIfTI (`.nii.gz` or `.nii`).
    public var isNIfTI: Bool { self == .nifti || self == .nii }
    /// Whether the format keeps georeferencing inside the file.
    public var isGeoreferenced: Bool { self == .gtiff || self == .cog }
}

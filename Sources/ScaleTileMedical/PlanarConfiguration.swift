/// How a page stores the samples of a pixel that has several (the TIFF PlanarConfiguration tag).
public enum PlanarConfiguration: String, Hashable, Sendable, Codable {
    /// `PLANARCONFIG_CONTIG`: a pixel's samples are stored together (RGBRGB…).
    case contig
    /// `PLANARCONFIG_SEPARATE`: each sample has its own plane of strips or tiles.
    case separate
}

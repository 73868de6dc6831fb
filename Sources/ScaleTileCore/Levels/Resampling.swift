/// How pixels are combined when a level is coarser than the source (GDAL's resampling names).
///
/// Images use ``average`` by default; label rasters and masks use ``nearest`` or ``mode``,
/// never an average, so they stay label-valued.
public enum Resampling: String, Hashable, Sendable, Codable, CaseIterable {
    case nearest
    case average
    case mode
    case gauss
    case bilinear
    case cubic
    case cubicspline
    case lanczos
    case rms

    /// Whether the result only ever holds values present in the source.
    public var preservesLabels: Bool { self == .nearest || self == .mode }
}

/// The numeric type of one sample, named as GDAL names it.
public enum PixelType: String, Hashable, Sendable, Codable, CaseIterable {
    case uint8 = "Byte"
    case int8 = "Int8"
    case uint16 = "UInt16"
    case int16 = "Int16"
    case uint32 = "UInt32"
    case int32 = "Int32"
    case uint64 = "UInt64"
    case int64 = "Int64"
    case float32 = "Float32"
    case float64 = "Float64"

    /// Bytes per sample.
    public var byteSize: Int {
        switch self {
        case .uint8, .int8: return 1
        case .uint16, .int16: return 2
        case .uint32, .int32, .float32: return 4
        case .uint64, .int64, .float64: return 8
        }
    }

    /// Whether samples are IEEE floating point.
    public var isFloatingPoint: Bool { self == .float32 || self == .float64 }

    /// Whether samples are signed integers.
    public var isSignedInteger: Bool { self == .int8 || self == .int16 || self == .int32 || self == .int64 }

    /// NumPy's `descr` for little-endian data (`.npy` headers).
    public var numpyDescriptor: String {
        switch self {
        case .uint8: return "|u1"
        case .int8: return "|i1"
        case .uint16: return "<u2"
        case .int16: return "<i2"
        case .uint32: return "<u4"
        case .int32: return "<i4"
        case .uint64: return "<u8"
        case .int64: return "<i8"
        case .float32: return "<f4"
        case .float64: return "<f8"
        }
    }

    /// The smallest and largest value the type holds.
    public var valueRange: ClosedRange<Double> {
        switch self {
        case .uint8: return 0...255
        case .int8: return -128...127
        case .uint16: return 0...65535
        case .int16: return -32768...32767
        case .uint32: return 0...4_294_967_295
        case .int32: return -2_147_483_648...2_147_483_647
        case .uint64: return 0...0x1p64
        case .int64: return -0x1p63...0x1p63
        case .float32: return -Double(Float.greatestFiniteMagnitude)...Double(Float.greatestFiniteMagnitude)
        case .float64: return -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude
        }
    }
}

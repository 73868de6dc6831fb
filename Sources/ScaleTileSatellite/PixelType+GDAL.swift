internal import CGDAL
import ScaleTileCore

extension PixelType {
    /// The GDAL data type (`GDT_*`) with the same layout.
    var gdalType: GDALDataType {
        switch self {
        case .uint8: return GDT_Byte
        case .int8: return GDT_Byte  // read as Byte with PIXELTYPE=SIGNEDBYTE in GDAL 3.6
        case .uint16: return GDT_UInt16
        case .int16: return GDT_Int16
        case .uint32: return GDT_UInt32
        case .int32: return GDT_Int32
        case .uint64: return GDT_UInt64
        case .int64: return GDT_Int64
        case .float32: return GDT_Float32
        case .float64: return GDT_Float64
        }
    }

    /// The pixel type for a GDAL data type; nil for complex types, which ScaleTile does not tile.
    init?(gdal type: GDALDataType) {
        switch type {
        case GDT_Byte: self = .uint8
        case GDT_UInt16: self = .uint16
        case GDT_Int16: self = .int16
        case GDT_UInt32: self = .uint32
        case GDT_Int32: self = .int32
        case GDT_UInt64: self = .uint64
        case GDT_Int64: self = .int64
        case GDT_Float32: self = .float32
        case GDT_Float64: self = .float64
        default: return nil
        }
    }
}

import Foundation

/// The `.npy` format (NumPy's version 1.0 header followed by raw C-order data).
public enum NumpyArrayFile {
    /// The header for an array of `shape` whose elements have NumPy descriptor `descr`.
    ///
    /// The header is padded with spaces so the data starts on a 64-byte boundary, as NumPy does.
    public static func header(descriptor: String, shape: [Int]) -> Data {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var dict = "{'descr': '\(descriptor)', 'fortran_order': False, 'shape': \(shapeText), }"
        let preamble = 10  // magic (6) + version (2) + header length (2)
        let total = preamble + dict.utf8.count + 1
        dict += String(repeating: " ", count: (64 - total % 64) % 64) + "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        let length = UInt16(dict.utf8.count)
        data.append(UInt8(length & 0xFF))
        data.append(UInt8(length >> 8))
        data.append(contentsOf: Array(dict.utf8))
        return data
    }

    /// A whole `.npy` file for a channel-first buffer: (C, Y, X), or (C, Z, Y, X) when `volumetric`.
    public static func encode(_ buffer: RasterBuffer, volumetric: Bool) -> Data {
        let s = buffer.size
        let shape = volumetric ? [buffer.bandCount, s.depth, s.height, s.width] : [buffer.bandCount, s.height, s.width]
        var data = header(descriptor: buffer.pixelType.numpyDescriptor, shape: shape)
        data.append(contentsOf: buffer.bytes)
        return data
    }

    /// What an `.npy` header says: the element type, the shape and where the data starts.
    public struct Layout: Hashable, Sendable {
        /// NumPy's type descriptor (`<f4`, `|u1`).
        public var descriptor: String
        /// The array's shape, C order; every extent is at least 0.
        public var shape: [Int]
        /// Bytes from the file's start to the first element.
        public var dataOffset: Int
        /// Elements in the array (the shape's product; checked not to overflow).
        public var elementCount: Int
    }

    /// The longest header read: NumPy's own limit for version 2.0+ headers is far above any
    /// array ScaleTile writes or reads, and a hostile length must not drive an allocation.
    public static let maximumHeaderLength = 1 << 20

    /// Parses an `.npy` header (versions 1.0, 2.0 and 3.0) from the file's first bytes.
    ///
    /// - Parameter file: named in the errors.
    /// - Throws: ``ScaleTileError/Kind/invalidInput`` for anything that is not a well-formed
    ///   header (bad magic, a length past the data, a shape that is not a tuple of
    ///   non-negative integers, a shape whose element count overflows);
    ///   ``ScaleTileError/Kind/unsupported`` for Fortran-order arrays.
    public static func layout(of data: Data, file: String) throws -> Layout {
        let bytes = [UInt8](data.prefix(12))
        guard bytes.count >= 10, bytes.prefix(6).elementsEqual([0x93] + Array("NUMPY".utf8)) else {
            throw ScaleTileError(.invalidInput, file, "is not a .npy array (no NumPy magic)")
        }
        let major = bytes[6]
        let length: Int, preamble: Int
        switch major {
        case 1:
            length = Int(bytes[8]) | Int(bytes[9]) << 8
            preamble = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw ScaleTileError(.invalidInput, file, "is a truncated .npy header") }
            length = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            preamble = 12
        default:
            throw ScaleTileError(.unsupported, file, "is a .npy file of version \(major).\(bytes[7]); versions 1.0 to 3.0 are read")
        }
        guard length <= maximumHeaderLength else {
            throw ScaleTileError(.invalidInput, file, "has a .npy header of \(length) bytes, more than the \(maximumHeaderLength) read")
        }
        guard data.count >= preamble + length else {
            throw ScaleTileError(.invalidInput, file, "is a truncated .npy header (\(length) bytes declared, \(data.count - preamble) present)")
        }
        let start = data.startIndex + preamble
        let headerBytes = data[start ..< (start + length)]
        guard headerBytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F || $0 == 0x0A || $0 == 0x09 }) else {
            throw ScaleTileError(.invalidInput, file, "has a .npy header that is not printable ASCII")
        }
        let text = String(decoding: headerBytes, as: UTF8.self)
        guard let descriptor = value(of: "descr", in: text).flatMap(quoted) else {
            throw ScaleTileError(.invalidInput, file, "has a .npy header without a 'descr' string")
        }
        switch value(of: "fortran_order", in: text) {
        case "False": break
        case "True": throw ScaleTileError(.unsupported, file, "is a Fortran-order .npy array; save it in C order (numpy.ascontiguousarray)")
        default: throw ScaleTileError(.invalidInput, file, "has a .npy header without fortran_order True or False")
        }
        guard let shapeText = value(of: "shape", in: text), shapeText.hasPrefix("("), shapeText.hasSuffix(")") else {
            throw ScaleTileError(.invalidInput, file, "has a .npy header without a shape tuple")
        }
        var parts = shapeText.dropFirst().dropLast().split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        if parts.count > 1, parts.last == "" { parts.removeLast() }  // `(5,)`
        if parts == [""] { parts = [] }                              // `()`, a scalar
        var shape: [Int] = []
        var count = 1
        for part in parts {
            guard !part.isEmpty, part.allSatisfy({ $0.isASCII && $0.isNumber }), let extent = Int(part) else {
                throw ScaleTileError(.invalidInput, file, "has the .npy shape \(shapeText): extents must be non-negative integers")
            }
            let (product, overflow) = count.multipliedReportingOverflow(by: extent)
            guard !overflow else { throw ScaleTileError(.invalidInput, file, "has the .npy shape \(shapeText), more elements than can exist") }
            count = product
            shape.append(extent)
        }
        return Layout(descriptor: descriptor, shape: shape, dataOffset: preamble + length, elementCount: count)
    }

    /// The text of `key`'s value in a header dictionary: up to the next top-level comma or the
    /// closing brace (a shape's tuple kept whole).
    private static func value(of key: String, in text: String) -> String? {
        guard let keyRange = text.range(of: "'\(key)':") else { return nil }
        var depth = 0
        var index = keyRange.upperBound
        while index < text.endIndex {
            let c = text[index]
            if c == "(" { depth += 1 } else if c == ")" { depth -= 1 } else if depth == 0, c == "," || c == "}" { break }
            index = text.index(after: index)
        }
        return text[keyRange.upperBound ..< index].trimmingCharacters(in: .whitespaces)
    }

    private static func quoted(_ value: String) -> String? {
        guard value.count >= 2, value.first == "'" || value.first == "\"", value.last == value.first else { return nil }
        return String(value.dropFirst().dropLast())
    }

    /// Parses a header written by ``header(descriptor:shape:)`` (tests read tiles back);
    /// nil where ``layout(of:file:)`` throws.
    public static func parseHeader(_ data: Data) -> (descriptor: String, shape: [Int], dataOffset: Int)? {
        guard let layout = try? layout(of: data, file: "") else { return nil }
        return (layout.descriptor, layout.shape, layout.dataOffset)
    }

    /// A whole `.npy` file read into a channel-first buffer: shape (C, Y, X), (C, Z, Y, X), or
    /// (Y, X) as one channel, of a little-endian element type ScaleTile has.
    ///
    /// - Throws: ``ScaleTileError`` naming `file`: `.unsupported` for another element type or
    ///   rank, `.invalidInput` for an empty or truncated array.
    public static func decode(_ data: Data, file: String) throws -> RasterBuffer {
        let layout = try layout(of: data, file: file)
        let (type, size, channels) = try rasterLayout(layout, file: file)
        let byteCount = try dataByteCount(layout, type: type, fileSize: data.count, file: file)
        let start = data.startIndex + layout.dataOffset
        return RasterBuffer(pixelType: type, bandCount: channels, size: size, bytes: Array(data[start ..< (start + byteCount)]))
    }

    /// Bytes of the array's data, checked to be present in a file of `fileSize` bytes.
    ///
    /// - Throws: ``ScaleTileError/Kind/invalidInput`` naming `file` when the file is shorter.
    public static func dataByteCount(_ layout: Layout, type: PixelType, fileSize: Int, file: String) throws -> Int {
        let (byteCount, overflow) = layout.elementCount.multipliedReportingOverflow(by: type.byteSize)
        guard !overflow, fileSize - layout.dataOffset >= byteCount else {
            throw ScaleTileError(.invalidInput, file, "is truncated: shape \(layout.shape) of \(layout.descriptor) needs \(overflow ? "more" : String(byteCount)) bytes after the header, the file has \(Swift.max(0, fileSize - layout.dataOffset))")
        }
        return byteCount
    }

    /// The element type, X/Y/Z size and channel count of a header's array, read as a raster.
    public static func rasterLayout(_ layout: Layout, file: String) throws -> (PixelType, RasterSize, channels: Int) {
        guard let type = PixelType.allCases.first(where: { $0.numpyDescriptor == layout.descriptor }) else {
            throw ScaleTileError(.unsupported, file, "has the element type \(layout.descriptor), not a little-endian number")
        }
        let shape = layout.shape
        guard shape.allSatisfy({ $0 > 0 }) else {
            throw ScaleTileError(.invalidInput, file, "has the shape \(shape), an empty array")
        }
        switch shape.count {
        case 2: return (type, RasterSize(width: shape[1], height: shape[0]), 1)
        case 3: return (type, RasterSize(width: shape[2], height: shape[1]), shape[0])
        case 4: return (type, RasterSize(width: shape[3], height: shape[2], depth: shape[1]), shape[0])
        default: throw ScaleTileError(.unsupported, file, "has shape \(shape), expected (C, Y, X), (C, Z, Y, X) or (Y, X)")
        }
    }
}

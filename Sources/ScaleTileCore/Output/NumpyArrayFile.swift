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

    /// Parses a header written by ``header(descriptor:shape:)`` (tests and `merge` read tiles back).
    public static func parseHeader(_ data: Data) -> (descriptor: String, shape: [Int], dataOffset: Int)? {
        guard data.count >= 10, data.prefix(6) == Data([0x93] + Array("NUMPY".utf8)) else { return nil }
        let length = Int(data[data.startIndex + 8]) | Int(data[data.startIndex + 9]) << 8
        guard data.count >= 10 + length, let text = String(data: data.subdata(in: 10..<(10 + length)), encoding: .ascii) else { return nil }
        guard let d0 = text.range(of: "'descr': '"), let d1 = text[d0.upperBound...].firstIndex(of: "'"),
              let s0 = text.range(of: "'shape': ("), let s1 = text[s0.upperBound...].firstIndex(of: ")") else { return nil }
        let shape = text[s0.upperBound..<s1].split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        return (String(text[d0.upperBound..<d1]), shape, 10 + length)
    }
}

import Foundation
import ScaleTileCore
import Testing
import TestSupport
@testable import ScaleTileMedical

/// Broken volumes give one line naming the file (exit 65 through the CLI), at open or, for
/// compressed data, in the one checking pass — before a job writes anything.
@Suite("Volume bad input", .serialized)
struct VolumeBadInputTests {
    let folder = TemporaryFolder("scaletile-volume-bad")

    /// A valid NIfTI-1 `.nii` of 6×5×4 int16 voxels (sform a 2 mm diagonal), written by hand so
    /// each test can break one field. Offsets are nifti1.h's.
    static func nifti1(dims: [Int16] = [3, 6, 5, 4, 1, 1, 1, 1], datatype: Int16 = 4, bitpix: Int16 = 16,
                       pixdim: [Float] = [1, 2, 2, 2, 1, 0, 0, 0], srowX: [Float] = [2, 0, 0, -5]) -> Data {
        var h = Data(count: 352)
        func put<T>(_ value: T, at offset: Int) {
            withUnsafeBytes(of: value) { h.replaceSubrange(offset..<offset + $0.count, with: $0) }
        }
        put(Int32(348), at: 0)
        for (i, d) in dims.enumerated() { put(d, at: 40 + 2 * i) }
        put(datatype, at: 70); put(bitpix, at: 72)
        for (i, p) in pixdim.enumerated() { put(p, at: 76 + 4 * i) }
        put(Float(352), at: 108)
        put(Int16(1), at: 254) // sform_code
        for (i, v) in srowX.enumerated() { put(v, at: 280 + 4 * i) }
        for (i, v) in [Float(0), 2, 0, 0].enumerated() { put(v, at: 296 + 4 * i) }
        for (i, v) in [Float(0), 0, 2, 0].enumerated() { put(v, at: 312 + 4 * i) }
        h.replaceSubrange(344..<348, with: Array("n+1\0".utf8))
        let voxels = Int(dims[1]) * Int(dims[2]) * Int(dims[3]) * Int(max(1, dims[4])) * Int(max(1, dims[5]))
        return h + Data((0..<voxels * 2).map { UInt8($0 % 251) })
    }

    /// The error opening `path` (and checking its data) throws, checked to be one line naming it.
    func error(_ path: String) throws -> ScaleTileError {
        let error = try #require(throws: ScaleTileError.self) {
            let volume = try MedicalVolume(opening: path)
            try volume.checkData()
        }
        #expect(error.path == path, "\(error)")
        #expect(!error.description.contains("\n"), "one line: \(error)")
        return error
    }

    func write(_ data: Data, _ name: String) throws -> String {
        let path = folder.file(name)
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    func gzip(_ path: String) throws -> String {
        let result = try ExternalCommand.run("/bin/gzip", ["-kf", path])
        try #require(result.status == 0, "\(result.standardError)")
        return path + ".gz"
    }

    @Test("the hand-made header reads as intended (so the broken ones below break one thing)")
    func valid() throws {
        let volume = try MedicalVolume(opening: try write(Self.nifti1(), "good.nii"))
        #expect(volume.size == RasterSize(width: 6, height: 5, depth: 4) && volume.pixelType == .int16)
        #expect(volume.affine.matrix[0] == [2, 0, 0, -5])
    }

    @Test("truncated raw data")
    func truncated() throws {
        let path = try write(Self.nifti1().dropLast(10), "truncated.nii")
        let e = try error(path)
        #expect(e.kind == .invalidInput && e.message.contains("truncated") && e.message.contains("240 bytes"))
    }

    @Test("truncated gzip data, found by the checking pass")
    func truncatedGzip() throws {
        let full = try gzip(try write(Self.nifti1(dims: [3, 60, 50, 40, 1, 1, 1, 1]), "big.nii"))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: full))
        let path = try write(bytes.prefix(bytes.count / 2), "cut.nii.gz")
        let e = try error(path)
        #expect(e.kind == .invalidInput && (e.message.contains("truncated") || e.message.contains("corrupt")), "\(e)")
    }

    @Test("corrupt gzip data")
    func corruptGzip() throws {
        let full = try gzip(try write(Self.nifti1(dims: [3, 60, 50, 40, 1, 1, 1, 1]), "big2.nii"))
        var bytes = try Data(contentsOf: URL(fileURLWithPath: full))
        for i in stride(from: bytes.count / 3, to: bytes.count / 3 + 64, by: 1) { bytes[i] ^= 0x5A }
        let e = try error(try write(bytes, "corrupt.nii.gz"))
        #expect(e.kind == .invalidInput && e.message.contains("corrupt"), "\(e)")
    }

    @Test("bitpix disagreeing with the datatype")
    func bitpix() throws {
        let e = try error(try write(Self.nifti1(bitpix: 32), "bitpix.nii"))
        #expect(e.kind == .invalidInput && e.message.contains("32 bits"), "\(e)")
    }

    @Test("a zero dimension")
    func zeroDimension() throws {
        let e = try error(try write(Self.nifti1(dims: [3, 6, 0, 4, 1, 1, 1, 1]), "zero.nii"))
        #expect(e.kind == .invalidInput && e.message.contains("dimension 2 has size 0"), "\(e)")
    }

    @Test("a negative voxel size")
    func negativeSpacing() throws {
        let e = try error(try write(Self.nifti1(pixdim: [1, 2, -2, 2, 1, 0, 0, 0]), "negative.nii"))
        #expect(e.kind == .invalidInput && e.message.contains("voxel size -2.0"), "\(e)")
    }

    @Test("a NaN affine")
    func nanAffine() throws {
        let e = try error(try write(Self.nifti1(srowX: [2, .nan, 0, -5]), "nan.nii"))
        #expect(e.kind == .invalidInput && e.message.contains("NaN"), "\(e)")
    }

    @Test("more than one extra dimension")
    func twoExtraDimensions() throws {
        let e = try error(try write(Self.nifti1(dims: [5, 6, 5, 4, 2, 3, 1, 1]), "extra.nii"))
        #expect(e.kind == .invalidInput && e.message.contains("dim4=2, dim5=3"), "\(e)")
    }

    @Test("complex voxels are unsupported")
    func complex() throws {
        let e = try error(try write(Self.nifti1(datatype: 32, bitpix: 64), "complex.nii"))
        #expect(e.kind == .unsupported && e.message.contains("complex64"), "\(e)")
    }

    @Test("a NRRD whose raw data is short, and one teem cannot parse")
    func nrrd() throws {
        let header = "NRRD0004\ntype: short\ndimension: 3\nsizes: 4 4 4\nencoding: raw\nendian: little\n\n"
        let short = try error(try write(Data(header.utf8) + Data(count: 100), "short.nrrd"))
        #expect(short.kind == .invalidInput && short.message.contains("128 bytes"), "\(short)")
        let garbled = try error(try write(Data("NRRD0004\ntype: shrt\ndimension: 3\nsizes: 4 4 4\nencoding: raw\n\n".utf8), "garbled.nrrd"))
        #expect(garbled.kind == .invalidInput && garbled.message.contains("not a readable NRRD"), "\(garbled)")
        let zero = try error(try write(Data("NRRD0004\ntype: short\ndimension: 3\nsizes: 4 0 4\nencoding: raw\n\n".utf8), "zero.nrrd"))
        #expect(zero.kind == .invalidInput, "\(zero)")
    }

    @Test("NRRD: zero spacing, a NaN direction, and two non-spatial axes")
    func nrrdGeometry() throws {
        func nrrd(_ fields: String, bytes: Int) throws -> String {
            let header = "NRRD0004\ntype: uchar\nencoding: raw\n" + fields + "\n"
            return try write(Data(header.utf8) + Data(count: bytes), "g\(UUID().uuidString.prefix(6)).nrrd")
        }
        let zero = try error(try nrrd("dimension: 3\nsizes: 2 2 2\nspace: left-posterior-superior\nspace directions: (1,0,0) (0,0,0) (0,0,1)\nspace origin: (0,0,0)\n", bytes: 8))
        #expect(zero.kind == .invalidInput && zero.message.contains("voxel size 0"), "\(zero)")
        let nan = try error(try nrrd("dimension: 3\nsizes: 2 2 2\nspace: left-posterior-superior\nspace directions: (1,0,0) (0,1,0) (0,0,1)\nspace origin: (0,nan,0)\n", bytes: 8))
        #expect(nan.kind == .invalidInput, "\(nan)")
        let extra = try error(try nrrd("dimension: 5\nsizes: 2 2 2 2 3\nkinds: domain domain domain list time\n", bytes: 48))
        #expect(extra.kind == .invalidInput && extra.message.contains("non-spatial axes"), "\(extra)")
    }

    @Test("a .hdr whose .img is missing, and a NIfTI-2 header cut short")
    func pairs() throws {
        var header = Self.nifti1().prefix(348)
        header.replaceSubrange(344..<348, with: Array("ni1\0".utf8))
        let e = try error(try write(Data(header), "lonely.hdr"))
        #expect(e.kind == .notFound && e.message.contains("lonely.img"), "\(e)")
        var two = Data(count: 300)
        withUnsafeBytes(of: Int32(540)) { two.replaceSubrange(0..<4, with: $0) }
        let short = try error(try write(two, "short2.nii"))
        #expect(short.kind == .invalidInput && short.message.contains("truncated"), "\(short)")
    }
}

import Foundation
import ScaleTileCore
import Testing
import TestSupport
@testable import ScaleTileMedical

/// NIfTI patches as nibabel reads them: shape ((X, Y, Z) or (X, Y, Z, 1, C)), dtype, voxels,
/// affine (sform and qform agree), zooms; `.nii.gz` and `.nii`.
@Suite("Volume writer", .serialized)
struct VolumeWriterTests {
    static let script = #"""
import sys, json
import numpy as np, nibabel as nib
out = []
for p in sys.argv[1:]:
    img = nib.load(p)
    a = np.asanyarray(img.dataobj)
    q = img.header.get_qform()
    out.append(dict(shape=list(a.shape), dtype=a.dtype.str[1:], sum=float(a.astype(np.float64).sum()),
                    first=float(a.flat[0]), last=float(a.flat[-1]), affine=img.affine.tolist(),
                    qform=q.tolist(), zooms=[float(z) for z in img.header.get_zooms()[:3]],
                    codes=[int(img.header['sform_code']), int(img.header['qform_code'])]))
print(json.dumps(out))
"""#

    @Test("every sample type, one and two channels, compressed or not")
    func patches() throws {
        let folder = TemporaryFolder("scaletile-nifti-writer")
        // A rotated, LPS affine: the writer converts it to RAS.
        let affine = VoxelToWorld(columns: [[0, 0.8, 0], [-0.6, 0, 0], [0, 0, 2.5]], origin: [10, -20, 30], space: .lps)
        let spacing = Spacing(x: 0.8, y: 0.6, z: 2.5, unit: "mm")
        var paths: [String] = [], expected: [(RasterBuffer, Bool)] = []
        for (i, type) in PixelType.allCases.enumerated() {
            for channels in [1, 2] {
                var buffer = RasterBuffer(pixelType: type, bandCount: channels, size: RasterSize(width: 5, height: 4, depth: 3))
                let values = (0..<(channels * 60)).map { Double(($0 * 7 + i) % 100) - (type.isSignedInteger || type.isFloatingPoint ? 40 : 0) }
                buffer = RasterBuffer(pixelType: .float64, bandCount: channels, size: buffer.size,
                                      bytes: values.withUnsafeBytes { Array($0) }).converted(to: type)
                let compressed = channels == 1
                let path = folder.file("\(type.rawValue)_\(channels).\(compressed ? "nii.gz" : "nii")")
                try NIfTIWriter.write(buffer, affine: affine, spacing: spacing, compressed: compressed, to: path)
                paths.append(path)
                expected.append((buffer, compressed))
                // Our own reader gives back the same voxels.
                let back = try MedicalVolume(opening: path)
                #expect(try back.read(Window(size: back.size)).bytes == buffer.bytes, "\(path)")
                #expect(back.channelCount == channels)
            }
        }
        let result = try ClientPython.run(Self.script, paths)
        try #require(result.status == 0, "\(result.standardError)")
        let reports = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [[String: Any]])
        let ras = affine.converted(to: .ras).matrix
        for ((buffer, _), report) in zip(expected, reports) {
            let shape = report["shape"] as? [Int]
            #expect(shape == (buffer.bandCount == 1 ? [5, 4, 3] : [5, 4, 3, 1, 2]), "\(report)")
            let values = (0..<buffer.bandCount).flatMap { buffer.samples(band: $0) }
            #expect(report["sum"] as? Double == values.reduce(0, +) && report["first"] as? Double == values.first
                    && report["last"] as? Double == values.last, "\(report)")
            for key in ["affine", "qform"] {
                let m = try #require(report[key] as? [[Double]])
                #expect(zip(m.joined(), ras.joined()).allSatisfy { abs($0 - $1) <= 1e-5 }, "\(key): \(m)")
            }
            #expect(report["zooms"] as? [Double] == [0.8, 0.6, 2.5].map { Double(Float($0)) })
            #expect(report["codes"] as? [Int] == [1, 1])
        }
        #expect(reports.count == PixelType.allCases.count * 2)
    }
}

import Foundation
import Testing
import ScaleTile
import ScaleTileCore
import ScaleTileMedical
import TestSupport

/// Stack pyramids: every level equals block means (images) or block picks (masks) computed
/// here from the source voxels, the spacing doubles per level, and GDAL reads the SubIFD
/// levels as the pages' overviews.
@Suite("Stack pyramids on real data", .serialized, .enabled(if: SharedData.isAvailable, Comment(rawValue: SharedData.skipReason)))
struct StackPyramidTests {
    static func pyramid(_ source: String, in folder: TemporaryFolder, _ configure: (inout PyramidJob.Options) -> Void)
        throws -> (PyramidSummary, String) {
        var options = PyramidJob.Options()
        configure(&options)
        let out = folder.file("out-\(UUID().uuidString)")
        return (try PyramidJob(source: source, output: out, options: options).run(), out)
    }

    /// Samples of overview `overview` (0 = the first SubIFD level) of page `page` (1-based), read by GDAL.
    static func gdalOverview(_ overview: Int, page: Int, of path: String, in folder: TemporaryFolder) throws -> Data {
        let raw = folder.file("ovr-\(UUID().uuidString).raw")
        defer {
            try? FileManager.default.removeItem(atPath: raw)
            try? FileManager.default.removeItem(atPath: (raw as NSString).deletingPathExtension + ".hdr")
        }
        let result = try ExternalCommand.run("gdal_translate", ["-q", "-of", "ENVI", "-ovr", "\(overview)", "GTIFF_DIR:\(page):\(path)", raw],
                                             environment: ["GDAL_PAM_ENABLED": "NO"])
        guard result.status == 0 else { throw StackTestFailure("gdal_translate -ovr: \(result.standardError)") }
        return try Data(contentsOf: URL(fileURLWithPath: raw))
    }

    // brain1 (256 x 256 x 25, Int16): levels 1–3 as SubIFDs of every page. GDAL's overview k of
    // page z + 1 is level k + 1 of slice z; it must equal the 2^ℓ block means of that slice.
    @Test func subIFDLevelsAreBlockMeansGDALReadsAsOverviews() throws {
        let folder = TemporaryFolder()
        let (summary, out) = try Self.pyramid(StackFiles.brainImage, in: folder) { $0.levels = .explicit([1, 2, 3]) }
        let file = out + "/" + summary.levels[1].path
        #expect(summary.levels.map(\.size) == [[256, 256, 25], [128, 128, 25], [64, 64, 25], [32, 32, 25]])
        #expect(summary.levels.map(\.subIFD) == [nil, 1, 2, 3])
        // Spacing: X and Y double per level, Z stays (no --scale-z).
        #expect(summary.levels.map(\.spacing?.x) == [0.78125, 1.5625, 3.125, 6.25])
        #expect(summary.levels.allSatisfy { $0.spacing?.z == 6.5 && $0.spacing?.unit == "mm" })
        // Level 0 of the file is the stack itself, as libtiff reads it.
        let (size, voxels) = try StackFiles.volume(StackFiles.brainImage)
        #expect(try StackFiles.volume(file).values == voxels)
        for level in 1 ... 3 {
            let means = StackFiles.blockMeans(voxels, size: size, factor: 1 << level, depthFactor: 1)
            for z in [0, 12, 24] {
                let bytes = try Self.gdalOverview(level - 1, page: z + 1, of: file, in: folder)
                let plane = means.size.width * means.size.height
                let expected = means.values[(z * plane) ..< ((z + 1) * plane)].map { Int16($0) }
                let read = bytes.withUnsafeBytes { Array($0.bindMemory(to: Int16.self)) }
                #expect(read == expected, "level \(level), slice \(z)")
            }
        }
    }

    // --scale-z, one file per level: brain1 has 25 slices, so level 1 has 13 (the last block is
    // one slice) and level 2 has 7 (the last block five slices); 256 / 8 at level 3 is exact.
    // Masks with nearest take the voxel at offset ⌊n/2⌋ of each block and stay 0/1.
    @Test func scaledDepthLevelsAreThreeDimensionalBlockMeans() throws {
        let folder = TemporaryFolder()
        let (summary, out) = try Self.pyramid(StackFiles.brainImage, in: folder) {
            $0.levels = .explicit([1, 2]); $0.scaleDepth = true; $0.layout = .files
        }
        let (size, voxels) = try StackFiles.volume(StackFiles.brainImage)
        #expect(summary.levels.map(\.size) == [[256, 256, 25], [128, 128, 13], [64, 64, 7]])
        #expect(summary.levels.map(\.spacing?.z) == [6.5, 13, 26])
        #expect(summary.levels[0].path == StackFiles.brainImage)
        for level in [1, 2] {
            let path = out + "/" + summary.levels[level].path
            let means = StackFiles.blockMeans(voxels, size: size, factor: 1 << level, depthFactor: 1 << level)
            let written = try StackFiles.volume(path)
            #expect(written.size == means.size)
            #expect(written.values == means.values, "level \(level)")
            let stack = try TIFFStack(opening: path)
            #expect(stack.flavour == .ome && stack.spacing.x == 0.78125 * Double(1 << level) && stack.spacing.z == 6.5 * Double(1 << level))
        }

        let (maskSummary, maskOut) = try Self.pyramid(StackFiles.brainLabel, in: folder) {
            $0.levels = .explicit([1, 2]); $0.scaleDepth = true; $0.layout = .files; $0.resampling = .nearest
        }
        let (_, labels) = try StackFiles.volume(StackFiles.brainLabel)
        for level in [1, 2] {
            let f = 1 << level
            let written = try StackFiles.volume(maskOut + "/" + maskSummary.levels[level].path)
            var expected: [Double] = []
            for k in 0 ..< written.size.depth {
                let z = k * f + min(f, size.depth - k * f) / 2
                for j in 0 ..< written.size.height { for i in 0 ..< written.size.width {
                    expected.append(labels[(z * size.height + j * f + f / 2) * size.width + i * f + f / 2])
                } }
            }
            #expect(written.values == expected, "mask level \(level)")
            #expect(Set(written.values).isSubset(of: [0, 1]))
        }
    }

    // The lung nodule mask with mode, X and Y only: every level voxel is a value of the source
    // (0 or 1), and the nodule (837 voxels, about 24 x 26 px on 3 slices) survives level 1.
    @Test func modeLevelsOfAMaskStayLabelValued() throws {
        let folder = TemporaryFolder()
        let (summary, out) = try Self.pyramid(StackFiles.lungLabel, in: folder) {
            $0.levels = .explicit([1, 2]); $0.layout = .files; $0.resampling = .mode
        }
        for level in [1, 2] {
            let written = try StackFiles.volume(out + "/" + summary.levels[level].path)
            #expect(Set(written.values).isSubset(of: [0, 1]), "level \(level)")
            if level == 1 { #expect(written.values.count { $0 == 1 } > 0) }
        }
        #expect(throws: ScaleTileError.self) {
            try Self.pyramid(StackFiles.lungLabel, in: folder) { $0.levels = .explicit([1]); $0.scaleDepth = true; $0.layout = .files; $0.resampling = .mode }
        }
        #expect(throws: ScaleTileError.self) {
            try Self.pyramid(StackFiles.lungLabel, in: folder) { $0.levels = .explicit([1]); $0.scaleDepth = true; $0.layout = .subIFD }
        }
    }
}

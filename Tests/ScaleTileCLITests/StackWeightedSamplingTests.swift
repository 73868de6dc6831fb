import Foundation
import Testing
import TestSupport

/// `sample STACK --strategy weighted --weights VOLUME`: patch centres drawn from a weight volume
/// of another resolution (a NIfTI at a quarter of the image's), and `audit.weightFit` against
/// block probabilities known by construction, recomputed here from the manifest.
@Suite("Weighted sampling of stacks")
struct StackWeightedSamplingTests {
    @Test func centresFollowAWeightVolumeOfAnotherResolution() throws {
        let t = TemporaryFolder()
        // A 64 x 64 x 32 image (ImageJ, via tifffile) and a 16 x 16 x 8 weight volume (NIfTI, via
        // nibabel) whose 4 x 4 x 4 blocks of 4 x 4 x 2 voxels weigh 1 + (bx + 2·by + 3·bz) mod 4.
        let make = try ClientPython.run(#"""
        import sys, numpy as np, tifffile, nibabel
        folder = sys.argv[1]
        tifffile.imwrite(folder + "/image.tif", np.zeros((32, 64, 64), np.uint8), imagej=True, metadata={"axes": "ZYX"})
        w = np.zeros((16, 16, 8), np.float32)        # NIfTI order: X, Y, Z
        for bx in range(4):
            for by in range(4):
                for bz in range(4):
                    w[bx*4:(bx+1)*4, by*4:(by+1)*4, bz*2:(bz+1)*2] = 1 + (bx + 2*by + 3*bz) % 4
        nibabel.save(nibabel.Nifti1Image(w, np.eye(4)), folder + "/weights.nii.gz")
        """#, [t.path])
        try #require(make.status == 0, "\(make.standardError)")

        let run = try ExternalCommand.run(ExternalCommand.scaletile, [
            "sample", t.file("image.tif"), "--strategy", "weighted", "--weights", t.file("weights.nii.gz"), "--count", "10000",
            "--patch", "4x4x2", "--format", "npy", "--out", t.file("out"), "--json", "--quiet"])
        try #require(run.status == 0, "\(run.standardError)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
        #expect((summary["sampling"] as? [String: Any])?["strategy"] as? String == "weighted")
        let fit = try #require((summary["audit"] as? [String: Any])?["weightFit"] as? Double)
        #expect(fit <= 0.05, "fit \(fit)")

        // Known block probabilities: every block holds the same number of voxels.
        var probability = [Double](repeating: 0, count: 64)
        for bz in 0..<4 { for by in 0..<4 { for bx in 0..<4 { probability[(bz * 4 + by) * 4 + bx] = Double(1 + (bx + 2 * by + 3 * bz) % 4) } } }
        let total = probability.reduce(0, +)
        var drawn = [Double](repeating: 0, count: 64)
        let lines = try String(contentsOfFile: t.file("out/manifest.jsonl"), encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 10000)
        for line in lines {
            let entry = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let w = try #require(entry["window"] as? [String: Int])
            let cx = (Double(w["x"]!) + Double(w["width"]!) / 2) * 4 / 64
            let cy = (Double(w["y"]!) + Double(w["height"]!) / 2) * 4 / 64
            let cz = (Double(w["z"]!) + Double(w["depth"]!) / 2) * 4 / 32
            drawn[(Int(cz) * 4 + Int(cy)) * 4 + Int(cx)] += 1 / Double(lines.count)
        }
        let distance = zip(drawn, probability).reduce(0) { $0 + abs($1.0 - $1.1 / total) } / 2
        #expect(abs(distance - fit) < 1e-9, "summary \(fit), recomputed \(distance)")
    }
}

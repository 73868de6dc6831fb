import Foundation
import Testing
import ScaleTile
import ScaleTileCore
import TestSupport

/// `--mosaic-format` (issue 14): a scene's tiles stitched as a Cloud Optimized GeoTIFF that
/// GDAL calls one (LAYOUT=COG, overviews) with the scene's pixels, and a volume's patches
/// stitched as NIfTI that nibabel reads back with the source's affine, zooms and voxels.
@Suite("Stitch mosaic formats", .serialized)
struct StitchMosaicFormatTests {
    @Test func cloudOptimizedMosaicHoldsTheScene() throws {
        let folder = TemporaryFolder()
        let scene = try StitchRasterTests.scene(in: folder)
        let out = try StitchRasterTests.tile(scene, ["--tile-size", "100", "--overlap", "37"], in: folder)
        let mosaic = try StitchRasterTests.stitch(out, out + "/tiles", into: folder.file("cog")) { $0.mosaicFormat = .cog }
        try StitchRasterTests.expectSameScene(mosaic, scene, tolerance: 0, "cog")
        let info = try ExternalCommand.run("gdalinfo", [mosaic]).standardOutput
        #expect(info.contains("LAYOUT=COG") && info.contains("Overviews: 150x130"), "\(info)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.file("cog")) == ["mosaic.tif"], "the intermediate file is gone")
    }

    /// The generated metastases volume (RAS, origin at its centre).
    @Test func niftiVolumeKeepsTheSourceAffine() throws {
        try Self.niftiRoundTrip(SharedData.packageRoot + "/SampleData/medical/brain_mets_t1c.nii.gz", patch: "48x48x32", overlap: "10x10x6")
    }

    /// An X-flipped, big-endian NIfTI of ../shared.
    @Test(.enabled(if: SharedData.isAvailable, Comment(rawValue: SharedData.skipReason)))
    func flippedNiftiVolumeKeepsItsAffine() throws {
        try Self.niftiRoundTrip(SharedData.path("medical/nifti/anatomical.nii"), patch: "24x24x16", overlap: "6x6x4")
    }

    /// `.npy` patches with overlap (padded at the far edges) back into one `.nii.gz`.
    static func niftiRoundTrip(_ path: String, patch: String, overlap: String) throws {
        let folder = TemporaryFolder()
        let out = folder.file("out")
        let made = try ExternalCommand.run(ExternalCommand.scaletile, ["tile", path, "--out", out, "--patch", patch,
                                                                      "--overlap", overlap, "--edge", "pad", "--format", "npy", "--quiet"])
        try #require(made.status == 0, "\(made.standardError)")
        for blend in [RasterBlend.center, .mean] {
            var options = StitchOptions()
            options.mosaicFormat = .nifti
            options.blend = blend
            let stitched = folder.file("s-\(blend)")
            let report = try StitchJob(run: out, predictions: out + "/patches", output: stitched, options: options).run()
            #expect(report.files == ["volume.nii.gz"] && report.warnings == StitchWarnings())
            let check = try ClientPython.run(Self.compare, [stitched + "/volume.nii.gz", path])
            #expect(check.status == 0 && check.standardOutput.hasPrefix("same"), "\(blend): \(check.standardOutput) \(check.standardError)")
        }
    }

    /// Level 1 with `--scale-z`: each patch voxel is a 2×2×2 block, so the stitched volume is
    /// the level's nearest upsampling in X, Y and Z — numpy's block means (rounded half away
    /// from zero, as ScaleTile documents) repeated twice along each axis — and its affine is
    /// still the source's (recovered from a level-1 patch's).
    @Test func levelsScaledInZAreUpsampledInZ() throws {
        let folder = TemporaryFolder()
        let source = SharedData.packageRoot + "/SampleData/medical/brain_mets_t1c.nii.gz"
        let out = folder.file("out")
        let made = try ExternalCommand.run(ExternalCommand.scaletile, ["tile", source, "--out", out, "--patch", "32x32x16", "--overlap", "4x4x2",
                                                                      "--levels", "1", "--scale-z", "--edge", "pad", "--format", "npy", "--quiet"])
        try #require(made.status == 0, "\(made.standardError)")
        var options = StitchOptions()
        options.mosaicFormat = .nifti
        let report = try StitchJob(run: out, predictions: out + "/patches", output: folder.file("s"), options: options).run()
        #expect(report.predictions == 27 && report.warnings == StitchWarnings())
        let check = try ClientPython.run(#"""
import sys
import numpy as np, nibabel as nib
a, b = nib.load(sys.argv[1]), nib.load(sys.argv[2])
m = np.asanyarray(b.dataobj).astype(float).reshape(64, 2, 64, 2, 40, 2).mean(axis=(1, 3, 5))
m = np.sign(m) * np.floor(np.abs(m) + 0.5)
expected = m.repeat(2, 0).repeat(2, 1).repeat(2, 2)
got = np.asanyarray(a.dataobj).astype(float)
print(dict(differing=int((got != expected).sum()), affine=float(np.abs(a.affine - b.affine).max())))
"""#, [folder.file("s/volume.nii.gz"), source])
        #expect(check.status == 0 && check.standardOutput.hasPrefix("{'differing': 0, 'affine': 0.0}"), "\(check.standardOutput) \(check.standardError)")
    }

    /// A scene wider than one piece of a band (8 blocks of 256 px): pieces meet inside tiles,
    /// and the mosaic is still the scene, exactly with `center`, to 1e-6 with `gaussian`.
    @Test func sceneWiderThanAPieceIsStitchedWhole() throws {
        let folder = TemporaryFolder()
        let scene = folder.file("wide.tif")
        let made = try ExternalCommand.run("gdal_translate", ["-q", "-outsize", "2300", "300", "-r", "nearest", StitchRasterTests.aerial, scene])
        try #require(made.status == 0, "\(made.standardError)")
        let out = try StitchRasterTests.tile(scene, ["--tile-size", "300", "--overlap", "52"], in: folder)
        for blend in [RasterBlend.center, .gaussian] {
            let mosaic = try StitchRasterTests.stitch(out, out + "/tiles", into: folder.file("s-\(blend)")) { $0.blend = blend }
            try StitchRasterTests.expectSameScene(mosaic, scene, tolerance: blend == .center ? 0 : 1e-6, "wide/\(blend)")
        }
    }

    @Test func formatsOfTheOtherKindAreRefused() throws {
        let folder = TemporaryFolder()
        let scene = try StitchRasterTests.scene(in: folder)
        let out = try StitchRasterTests.tile(scene, ["--tile-size", "150"], in: folder)
        let nifti = try ExternalCommand.run(ExternalCommand.scaletile, ["stitch", out, "--predictions", out + "/tiles", "--out", folder.file("n"), "--mosaic-format", "nifti"])
        #expect(nifti.status == 64 && nifti.standardError.contains("--mosaic-format") && nifti.standardError.split(separator: "\n").count == 1, "\(nifti.standardError)")
        #expect(!FileManager.default.fileExists(atPath: folder.file("n")))
    }

    /// Same shape, affine (1e-6), zooms and voxels as the source, through nibabel.
    static let compare = #"""
import sys
import numpy as np, nibabel as nib
a, b = nib.load(sys.argv[1]), nib.load(sys.argv[2])
problems = []
if a.shape != b.shape: problems.append(f'shape {a.shape} vs {b.shape}')
if np.abs(a.affine - b.affine).max() > 1e-6: problems.append(f'affine {a.affine.tolist()} vs {b.affine.tolist()}')
if np.abs(np.array(a.header.get_zooms()) - np.array(b.header.get_zooms())).max() > 1e-6: problems.append('zooms')
if not problems and not np.array_equal(np.asanyarray(a.dataobj), np.asanyarray(b.dataobj)): problems.append('voxels differ')
print('same' if not problems else '; '.join(problems))
"""#
}

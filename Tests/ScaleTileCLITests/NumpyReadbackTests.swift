import Foundation
import Testing
import TestSupport

/// `.npy` outputs read back by numpy itself, never by ScaleTile's own parser: scene tiles
/// (C, Y, X) against the GeoTIFF tiles of the same run (read by tifffile) and against
/// `gdal_translate -srcwin`; stack patches (C, Z, Y, X) and their masks against the source
/// stacks read by tifffile. A missing client environment fails these tests (ClientPython).
@Suite("npy read back by numpy", .serialized)
struct NumpyReadbackTests {
    static let root = SharedData.packageRoot

    static func scaletile(_ arguments: [String]) throws {
        let result = try ExternalCommand.run(ExternalCommand.scaletile, arguments + ["--quiet"])
        try #require(result.status == 0, "scaletile \(arguments.joined(separator: " ")): \(result.standardError)")
    }

    /// Runs a client script and returns the JSON object it prints last.
    static func client(_ script: String, _ arguments: [String]) throws -> [String: Any] {
        let result = try ClientPython.run(script, arguments)
        try #require(result.status == 0, "numpy check failed: \(result.standardError)")
        let last = result.standardOutput.split(separator: "\n").last.map(String.init) ?? ""
        return try #require(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any], "\(result.standardOutput)")
    }

    /// Every `.npy` tile of NPY_OUT against the same tile of TIF_OUT, and level-0 tiles against
    /// gdal_translate: `python - NPY_OUT TIF_OUT SOURCE BANDS TILE`.
    static let sceneCheck = #"""
    import json, os, subprocess, sys, tempfile
    import numpy as np, tifffile
    npy_out, tif_out, source, bands, tile = sys.argv[1], sys.argv[2], sys.argv[3], [int(b) for b in sys.argv[4].split(",")], int(sys.argv[5])
    def manifest(out):
        return {e["id"]: e for e in map(json.loads, open(os.path.join(out, "manifest.jsonl")))}
    npys, tifs = manifest(npy_out), manifest(tif_out)
    assert npys.keys() == tifs.keys(), "the two runs planned different tiles"
    source_dtype = tifffile.TiffFile(source).series[0].dtype
    levels, against_gdal = {}, 0
    for id, e in sorted(npys.items()):
        a = np.load(os.path.join(npy_out, e["path"]))
        assert a.shape == (len(bands), tile, tile), f"{id}: shape {a.shape}"
        assert a.dtype == source_dtype, f"{id}: dtype {a.dtype}, the source is {source_dtype}"
        t = tifffile.imread(os.path.join(tif_out, tifs[id]["path"]))
        t = t[None] if t.ndim == 2 else (t.transpose(2, 0, 1) if t.shape[-1] == len(bands) else t)
        assert np.array_equal(a, t), f"{id}: the npy and GeoTIFF tiles differ"
        levels[e["level"]] = levels.get(e["level"], 0) + 1
        w = e["window"]
        if e["level"] == 0 and against_gdal < 6:
            # One band per gdal_translate: GDAL 3.6 writing two reordered bands to one ENVI file
            # gave a few hundred pixels that neither the source nor a GeoTIFF -srcwin holds.
            truth = []
            with tempfile.TemporaryDirectory() as d:
                for b in bands:
                    raw = os.path.join(d, f"b{b}.bin")
                    args = ["gdal_translate", "-q", "-of", "ENVI", "-b", str(b), "-srcwin", str(w["x"]), str(w["y"]), str(w["width"]), str(w["height"])]
                    subprocess.run(args + [source, raw], check=True, env=dict(os.environ, GDAL_PAM_ENABLED="NO"))
                    truth.append(np.fromfile(raw, dtype=source_dtype).reshape(w["height"], w["width"]))
            truth = np.stack(truth)
            assert np.array_equal(a, truth), f"{id}: the npy tile differs from gdal_translate -srcwin"
            against_gdal += 1
    print(json.dumps({"levels": {str(k): v for k, v in levels.items()}, "againstGDAL": against_gdal}))
    """#

    /// Scene tiles of two levels in npy and in GeoTIFF from the same flags: numpy reads
    /// (C, Y, X) in the source's type with the GeoTIFF's pixels, and level 0 is gdal_translate's.
    @Test func sceneTilesAreChannelFirstAndEqualTheGeoTIFFs() throws {
        let t = TemporaryFolder()
        let source = Self.root + "/SampleData/satellite/landsat_scene.tif"
        let common = ["tile", source, "--tile-size", "256", "--overlap", "32", "--levels", "0-1", "--bands", "3,1"]
        try Self.scaletile(common + ["--format", "npy", "--out", t.file("npy")])
        try Self.scaletile(common + ["--out", t.file("tif")])
        let report = try Self.client(Self.sceneCheck, [t.file("npy"), t.file("tif"), source, "3,1", "256"])
        let levels = report["levels"] as? [String: Int] ?? [:]
        // Stride 224, the last tile shifted inward: 1024 px take 5 (0, 224, 448, 672, 768) per
        // axis at level 0; 512 px take 3 (0, 224, 256) at level 1.
        #expect(levels == ["0": 25, "1": 9], "\(report)")
        #expect(report["againstGDAL"] as? Int == 6)
    }

    /// Every patch of OUT (and its mask) against the source stacks read by tifffile:
    /// `python - OUT SOURCE MASK|-`. Parts of a window outside the stack are not compared
    /// (padding), except that a mask is 0 there.
    static let stackCheck = #"""
    import json, os, sys
    import numpy as np, tifffile
    out, source, mask_source = sys.argv[1], sys.argv[2], sys.argv[3]
    def czyx(path):
        s = tifffile.TiffFile(path).series[0]
        a = s.asarray()
        axes = s.axes.replace("I", "Z").replace("Q", "Z")
        if "C" not in axes: a, axes = a[None], "C" + axes
        if "Z" not in axes: a, axes = a[:, None], axes[0] + "Z" + axes[1:]
        return np.transpose(a, [axes.index(k) for k in "CZYX"])
    image = czyx(source)
    mask = czyx(mask_source) if mask_source != "-" else None
    patches = masks = padded = 0
    for e in map(json.loads, open(os.path.join(out, "manifest.jsonl"))):
        assert e["level"] == 0
        w = e["window"]
        x0, y0, z0 = max(w["x"], 0), max(w["y"], 0), max(w["z"], 0)
        x1, y1, z1 = min(w["x"] + w["width"], image.shape[3]), min(w["y"] + w["height"], image.shape[2]), min(w["z"] + w["depth"], image.shape[1])
        inside = (slice(None), slice(z0 - w["z"], z1 - w["z"]), slice(y0 - w["y"], y1 - w["y"]), slice(x0 - w["x"], x1 - w["x"]))
        whole = (slice(None), slice(z0, z1), slice(y0, y1), slice(x0, x1))
        a = np.load(os.path.join(out, e["path"]))
        assert a.shape == (image.shape[0], w["depth"], w["height"], w["width"]), f"{e['id']}: shape {a.shape}"
        assert a.dtype == image.dtype, f"{e['id']}: dtype {a.dtype}, the stack is {image.dtype}"
        assert np.array_equal(a[inside], image[whole]), f"{e['id']}: voxels differ from the stack's"
        padded += int(a[0].size != a[inside][0].size)
        patches += 1
        if mask is not None:
            m = np.load(os.path.join(out, e["mask"]))
            assert m.shape == (1, w["depth"], w["height"], w["width"]), f"{e['id']} mask: shape {m.shape}"
            assert m.dtype == mask.dtype, f"{e['id']} mask: dtype {m.dtype}, the mask is {mask.dtype}"
            assert np.array_equal(m[inside], mask[whole]), f"{e['id']} mask: voxels differ from the mask's"
            outside = np.ones(m.shape, bool); outside[inside] = False
            assert not m[outside].any(), f"{e['id']} mask: padding is not 0"
            masks += 1
    print(json.dumps({"patches": patches, "masks": masks, "padded": padded, "channels": int(image.shape[0])}))
    """#

    /// Grid patches of a CT stack and its nodule mask: (C, Z, Y, X) and (1, Z, Y, X), the stacks' voxels.
    @Test func stackPatchesAndMasksAreTheStacksVoxels() throws {
        let t = TemporaryFolder()
        let image = Self.root + "/SampleData/medical/ct_chest.tif", mask = Self.root + "/SampleData/medical/ct_nodules_mask.tif"
        try Self.scaletile(["tile", image, "--mask", mask, "--patch", "64x64x16", "--format", "npy", "--out", t.path + "/out"])
        let report = try Self.client(Self.stackCheck, [t.path + "/out", image, mask])
        // 352 x 272 x 24 at 64 x 64 x 16, edges shifted inward: 6 x 5 x 2 patches.
        #expect(report["patches"] as? Int == 60, "\(report)")
        #expect(report["masks"] as? Int == 60)
        #expect(report["channels"] as? Int == 1)
    }

    /// Lesion-centred samples of the same stack, some hanging over its edge: the voxels inside
    /// are the stack's, the mask's padding is 0.
    @Test func stackSamplesAndMasksAreTheStacksVoxels() throws {
        let t = TemporaryFolder()
        let image = Self.root + "/SampleData/medical/ct_chest.tif", mask = Self.root + "/SampleData/medical/ct_nodules_mask.tif"
        try Self.scaletile(["sample", image, "--labels", mask, "--strategy", "object-balanced", "--count", "20", "--negatives", "4",
                            "--patch", "32x32x8", "--format", "npy", "--out", t.path + "/out"])
        let report = try Self.client(Self.stackCheck, [t.path + "/out", image, mask])
        #expect(report["patches"] as? Int == 24, "\(report)")
        #expect(report["masks"] as? Int == 24)
    }

    /// A two-channel ImageJ hyperstack (Z, C, Y, X on disk), written here by tifffile with
    /// distinct values per channel: patches are channel-first, (C, Z, Y, X), channel 0 first.
    @Test func multiChannelStackPatchesAreChannelFirst() throws {
        let t = TemporaryFolder()
        let fixture = t.file("hyper.tif")
        let make = #"""
        import sys, numpy as np, tifffile
        z, c, y, x = np.indices((10, 2, 70, 90))
        data = (c * 30000 + z * 1000 + y * 11 + x).astype(np.uint16)
        tifffile.imwrite(sys.argv[1], data, imagej=True, metadata={"axes": "ZCYX", "spacing": 2.0, "unit": "um"}, resolution=(1.0, 1.0))
        print("{}")
        """#
        _ = try Self.client(make, [fixture])
        try Self.scaletile(["tile", fixture, "--patch", "32x32x4", "--format", "npy", "--out", t.file("out")])
        let report = try Self.client(Self.stackCheck, [t.file("out"), fixture, "-"])
        #expect(report["channels"] as? Int == 2, "\(report)")
        // 90 x 70 x 10 at 32 x 32 x 4, edges shifted inward: 3 x 3 x 3 patches.
        #expect(report["patches"] as? Int == 27, "\(report)")
    }
}

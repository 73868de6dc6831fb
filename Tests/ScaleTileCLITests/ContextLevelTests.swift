import Foundation
import Testing
import TestSupport

/// `--context-levels` (issue 12, DESIGN.md §7): each window's centre at coarser levels, in tiles
/// of the window's size. Truth: block means computed by numpy from the source (tifffile,
/// nibabel), `gdalinfo -json` geotransforms and checksums, nibabel's spacing and affine, the
/// context windows and the leakage recomputed here from the manifest.
@Suite("Context levels", .serialized)
struct ContextLevelTests {
    static let scene = SharedData.path("satellite/landsat/RGB.byte.tif")
    /// RGB.byte.tif: 791 x 718 pixels, 3 Byte bands, nodata 0.
    static let sceneSize = (width: 791, height: 718)

    static func tile(_ source: String, into out: String, _ extra: [String]) throws -> [String: Any] {
        let run = try ExternalCommand.run(ExternalCommand.scaletile, ["tile", source, "--out", out, "--quiet"] + extra)
        try #require(run.status == 0, "\(run.standardError)")
        return try json(out + "/summary.json")
    }

    static func json(_ path: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }

    static func manifest(_ out: String) throws -> [[String: Any]] {
        let text = try String(contentsOfFile: out + "/manifest.jsonl", encoding: .utf8)
        return try text.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    /// A manifest window as (x, y, width, height).
    static func box(_ value: Any?) -> (x: Int, y: Int, w: Int, h: Int) {
        let w = value as? [String: Int] ?? [:]
        return (w["x"] ?? 0, w["y"] ?? 0, w["width"] ?? 0, w["height"] ?? 0)
    }

    /// DESIGN.md §7 written out again: origin at level ℓ = floor(centre / 2^ℓ) − size / 2, in
    /// level-0 pixels; `size` in the window's own level pixels.
    static func contextWindow(x: Int, width: Int, size: Int, level: Int) -> (x: Int, width: Int) {
        let f = 1 << level
        let centre = Double(x) + Double(width) / 2
        let origin = Int((centre / Double(f)).rounded(.down)) - size / 2
        return (origin * f, size * f)
    }

    /// Every context tile of a scene run against numpy block means of the scene (nodata 0 left
    /// out, 0 past the scene), within the rounding of an integer mean.
    static let sceneCheck = #"""
import sys, json
import numpy as np, tifffile
out, source = sys.argv[1], sys.argv[2]
src = tifffile.imread(source)
if src.shape[-1] == 3: src = src.transpose(2, 0, 1)
C, H, W = src.shape
def read(path):
    a = tifffile.imread(path)
    if a.ndim == 2: a = a[None]
    elif a.shape[0] == a.shape[1] and a.shape[2] != a.shape[1]: a = a.transpose(2, 0, 1)
    return a.astype(np.float64)
tiles, outside, worst, bad = 0, 0, 0.0, []
for line in open(out + '/manifest.jsonl'):
    m = json.loads(line)
    for c in m.get('context', []):
        w, f = c['window'], 2 ** c['level']
        x, y, T = w['x'], w['y'], w['width'] // f
        region = np.zeros((C, T * f, T * f))
        x0, y0, x1, y1 = max(x, 0), max(y, 0), min(x + T * f, W), min(y + T * f, H)
        if x0 < x1 and y0 < y1: region[:, y0 - y:y1 - y, x0 - x:x1 - x] = src[:, y0:y1, x0:x1]
        blocks = region.reshape(C, T, f, T, f)
        counts = (blocks != 0).sum(axis=(2, 4))
        means = np.where(counts > 0, blocks.sum(axis=(2, 4)) / np.maximum(counts, 1), 0)
        got = read(out + '/' + c['path'])
        if 'channels' in c: got = got[c['channels']]
        if got.shape != means.shape: bad.append('%s: shape %s' % (c['path'], got.shape)); continue
        d = float(np.abs(got - means).max()); worst = max(worst, d)
        if d > 0.5 + 1e-9: bad.append('%s L%d off by %g' % (m['id'], c['level'], d))
        cols = np.arange(T) * f + x; rows = np.arange(T) * f + y
        past = ((rows[:, None] >= H) | (rows[:, None] + f <= 0)) | ((cols[None, :] >= W) | (cols[None, :] + f <= 0))
        outside += int(past.sum())
        if np.any(got[:, past] != 0): bad.append('%s L%d: not nodata past the scene' % (m['id'], c['level']))
        tiles += 1
print(json.dumps(dict(tiles=tiles, outside=outside, worst=worst, bad=bad[:10])))
"""#

    @Test("scene context tiles: level pixels (numpy block means), exact geotransforms, nodata past the scene",
          .enabled(if: SharedData.isAvailable, Comment(rawValue: SharedData.skipReason)))
    func sceneContextFiles() throws {
        let folder = TemporaryFolder("scaletile-context-scene")
        let out = folder.file("files")
        let summary = try Self.tile(Self.scene, into: out, ["--tile-size", "128", "--overlap", "0", "--context-levels", "2,3"])
        let entries = try Self.manifest(out)
        // 791 x 718 in 128-pixel tiles, edges shifted in: 7 x 6.
        #expect(entries.count == 42)
        let context = try #require(summary["context"] as? [String: Any])
        #expect(context["levels"] as? [Int] == [2, 3] && context["as"] as? String == "files")
        #expect(context["tiles"] as? Int == 84 && context["skipped"] as? Int == 0)
        // RGB.byte.tif's 791 x 718 has no exact overview: both levels are built in levels/.
        #expect(context["sources"] as? [String: String] == ["2": "built", "3": "built"])
        #expect(FileManager.default.fileExists(atPath: out + "/levels/RGB.byte_L3.tif"))

        // Windows and files: the formula of DESIGN.md §7, the files beside the window.
        for entry in entries {
            let w = Self.box(entry["window"])
            let contexts = try #require(entry["context"] as? [[String: Any]])
            #expect(contexts.map { $0["level"] as? Int } == [2, 3])
            for c in contexts {
                let level = try #require(c["level"] as? Int)
                let cw = Self.box(c["window"])
                let x = Self.contextWindow(x: w.x, width: w.w, size: 128, level: level)
                let y = Self.contextWindow(x: w.y, width: w.h, size: 128, level: level)
                #expect(cw.x == x.x && cw.w == x.width && cw.y == y.x && cw.h == y.width, "\(entry["id"] ?? "") L\(level)")
                let path = try #require(c["path"] as? String)
                #expect(path == (entry["path"] as? String ?? "").replacingOccurrences(of: ".tif", with: "_ctx\(level).tif"))
                #expect(FileManager.default.fileExists(atPath: out + "/" + path))
            }
        }

        // Pixels: numpy block means of the scene.
        let check = try ClientPython.run(Self.sceneCheck, [out, Self.scene])
        try #require(check.status == 0, "\(check.standardError)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(check.standardOutput.utf8)) as? [String: Any])
        #expect(report["tiles"] as? Int == 84)
        #expect((report["bad"] as? [String])?.isEmpty == true, "\(report)")
        #expect((report["outside"] as? Int ?? 0) > 0, "edge tiles must reach past the scene for this test to mean anything")

        // Geotransforms, by gdalinfo: the scene's origin moved to the tile, pixels 2^ℓ larger.
        let sceneTransform = try #require(try GDALTruth.info(Self.scene)["geoTransform"] as? [Double])
        for entry in [entries[0], entries[entries.count / 2], entries[entries.count - 1]] {
            for c in entry["context"] as? [[String: Any]] ?? [] {
                let level = c["level"] as? Int ?? 0, cw = Self.box(c["window"])
                let f = Double(1 << level)
                let expected = [sceneTransform[0] + Double(cw.x) * sceneTransform[1], sceneTransform[1] * f, 0,
                                sceneTransform[3] + Double(cw.y) * sceneTransform[5], 0, sceneTransform[5] * f]
                let info = try GDALTruth.info(out + "/" + (c["path"] as? String ?? ""))
                let written = try #require(info["geoTransform"] as? [Double])
                let size = info["size"] as? [Int]
                #expect(size == [128, 128])
                #expect(zip(written, expected).allSatisfy { abs($0 - $1) <= 1e-6 }, "\(written) vs \(expected)")
                #expect(zip(c["geoTransform"] as? [Double] ?? [], expected).allSatisfy { abs($0 - $1) <= 1e-6 })
                #expect((info["bands"] as? [[String: Any]])?.count == 3)
            }
        }

        // --context-as channels: the same pixels as extra bands, the window's first.
        let channelsOut = folder.file("channels")
        let channelsSummary = try Self.tile(Self.scene, into: channelsOut,
                                            ["--tile-size", "128", "--overlap", "0", "--context-levels", "2,3", "--context-as", "channels"])
        #expect((channelsSummary["context"] as? [String: Any])?["as"] as? String == "channels")
        let channelEntries = try Self.manifest(channelsOut)
        #expect(channelEntries.count == entries.count)
        for (plain, joined) in zip(entries, channelEntries).enumerated().filter({ $0.offset % 10 == 0 }).map(\.element) {
            let tilePath = joined["path"] as? String ?? ""
            let bands = try GDALTruth.checksums(channelsOut + "/" + tilePath)
            #expect(bands.count == 3 * (1 + 2))
            var expected = try GDALTruth.checksums(out + "/" + (plain["path"] as? String ?? ""))
            for c in plain["context"] as? [[String: Any]] ?? [] { expected += try GDALTruth.checksums(out + "/" + (c["path"] as? String ?? "")) }
            #expect(bands == expected, "\(tilePath)")
            let contexts = joined["context"] as? [[String: Any]] ?? []
            #expect(contexts.map { $0["channels"] as? [Int] } == [[3, 4, 5], [6, 7, 8]])
            #expect(contexts.allSatisfy { $0["path"] as? String == tilePath })
        }
        // The numpy check reads channels too.
        let channelCheck = try ClientPython.run(Self.sceneCheck, [channelsOut, Self.scene])
        try #require(channelCheck.status == 0, "\(channelCheck.standardError)")
        #expect(channelCheck.standardOutput.contains("\"bad\": []"), "\(channelCheck.standardOutput)")
    }

    @Test("levels not coarser than the window's are skipped and counted: level-2 windows with 1,2,3 use 3 only",
          .enabled(if: SharedData.isAvailable, Comment(rawValue: SharedData.skipReason)))
    func skippedLevels() throws {
        let folder = TemporaryFolder("scaletile-context-skipped")
        let out = folder.file("out")
        let summary = try Self.tile(Self.scene, into: out, ["--tile-size", "64", "--overlap", "0", "--levels", "2", "--context-levels", "1,2,3"])
        let entries = try Self.manifest(out)
        #expect(!entries.isEmpty)
        #expect(entries.allSatisfy { ($0["context"] as? [[String: Any]])?.map { $0["level"] as? Int } == [3] })
        let context = try #require(summary["context"] as? [String: Any])
        #expect(context["tiles"] as? Int == entries.count)
        #expect(context["skipped"] as? Int == 2 * entries.count)
        let files = try FileManager.default.contentsOfDirectory(atPath: out + "/tiles/L2")
        #expect(files.filter { $0.contains("_ctx3.") }.count == entries.count)
        #expect(!files.contains { $0.contains("_ctx1.") || $0.contains("_ctx2.") })
    }

    /// Level-0 pixels of `a` (a window or context tile, clipped to the scene) inside window `b`.
    static func shared(_ a: (x: Int, y: Int, w: Int, h: Int), _ b: (x: Int, y: Int, w: Int, h: Int)) -> Int {
        let x0 = max(a.x, b.x, 0), x1 = min(a.x + a.w, b.x + b.w, sceneSize.width)
        let y0 = max(a.y, b.y, 0), y1 = min(a.y + a.h, b.y + b.h, sceneSize.height)
        return max(0, x1 - x0) * max(0, y1 - y0)
    }

    /// Pixels of a window or its context tiles in one split that lie in a window of another.
    static func leakage(_ entries: [[String: Any]], contexts: ([String: Any]) -> [(x: Int, y: Int, w: Int, h: Int)]) -> Int {
        var total = 0
        for a in entries {
            let own = [box(a["window"])] + contexts(a)
            for b in entries where b["split"] as? String != a["split"] as? String {
                total += own.reduce(0) { $0 + shared($1, box(b["window"])) }
            }
        }
        return total
    }

    @Test("splits keep context footprints leak-free: recomputed from the manifest's windows and context windows",
          .enabled(if: SharedData.isAvailable, Comment(rawValue: SharedData.skipReason)))
    func splitLeakage() throws {
        let folder = TemporaryFolder("scaletile-context-split")
        let flags = ["--tile-size", "64", "--overlap", "0", "--split", "train=0.5,val=0.5", "--split-block", "256"]
        let out = folder.file("context")
        let summary = try Self.tile(Self.scene, into: out, flags + ["--context-levels", "1"])
        let entries = try Self.manifest(out)
        let splits = Set(entries.compactMap { $0["split"] as? String })
        #expect(splits == ["train", "val"])
        let fromManifest = Self.leakage(entries) { e in (e["context"] as? [[String: Any]] ?? []).map { Self.box($0["window"]) } }
        #expect(fromManifest == 0)
        let splitSummary = try #require(summary["split"] as? [String: Any])
        let leakage = try #require(splitSummary["leakage"] as? [String: Int])
        #expect(leakage["sharedPixels"] == 0)
        #expect((leakage["windowsDropped"] ?? 0) + (leakage["windowsShifted"] ?? 0) > 0)

        // scaletile split on a finished context run: straddling footprints dropped, none shifted.
        let later = folder.file("later")
        _ = try Self.tile(Self.scene, into: later, ["--tile-size", "64", "--overlap", "0", "--context-levels", "1"])
        let split = try ExternalCommand.run(ExternalCommand.scaletile, ["split", later, "--split", "train=0.5,val=0.5", "--split-block", "256"])
        try #require(split.status == 0, "\(split.standardError)")
        let resplit = try Self.manifest(later)
        #expect(Set(resplit.compactMap { $0["split"] as? String }) == ["train", "val"])
        #expect(Self.leakage(resplit) { e in (e["context"] as? [[String: Any]] ?? []).map { Self.box($0["window"]) } } == 0)

        // The same split without context: its windows' context tiles (computed here) would leak,
        // so the check above can fail.
        let plain = folder.file("plain")
        _ = try Self.tile(Self.scene, into: plain, flags)
        let hypothetical = Self.leakage(try Self.manifest(plain)) { e in
            let w = Self.box(e["window"])
            let x = Self.contextWindow(x: w.x, width: w.w, size: 64, level: 1), y = Self.contextWindow(x: w.y, width: w.h, size: 64, level: 1)
            return [(x.x, y.x, x.width, y.width)]
        }
        #expect(hypothetical > 0)
    }

    @Test("presets: --print-preset carries context.levels and context.as, and scaletile run on it writes the same context")
    func presetRun() throws {
        let folder = TemporaryFolder("scaletile-context-preset")
        let source = SharedData.packageRoot + "/SampleData/satellite/landsat_scene.tif"
        let flags = ["--tile-size", "128", "--overlap", "0", "--context-levels", "1,3", "--context-as", "channels", "--format", "npy"]
        let printed = try ExternalCommand.run(ExternalCommand.scaletile, ["tile", source, "--out", folder.file("unused"), "--print-preset"] + flags)
        try #require(printed.status == 0, "\(printed.standardError)")
        #expect(printed.standardOutput.contains("context:\n  levels:\n  - 1\n  - 3\n  as: channels"), "\(printed.standardOutput)")
        let preset = folder.file("context.yaml")
        try printed.standardOutput.write(toFile: preset, atomically: true, encoding: .utf8)
        let run = try ExternalCommand.run(ExternalCommand.scaletile, ["run", preset, "--out", folder.file("run"), "--quiet"])
        try #require(run.status == 0, "\(run.standardError)")
        _ = try Self.tile(source, into: folder.file("tile"), flags)
        let fromTile = try Self.manifest(folder.file("tile")), fromRun = try Self.manifest(folder.file("run/scenes/landsat_scene"))
        #expect(!fromTile.isEmpty && fromTile.count == fromRun.count)
        func contexts(_ e: [String: Any]) -> String {
            String(data: (try? JSONSerialization.data(withJSONObject: e["context"] ?? [], options: [.sortedKeys])) ?? Data(), encoding: .utf8) ?? ""
        }
        #expect(fromTile.map(contexts) == fromRun.map(contexts))
        #expect(fromTile.allSatisfy { ($0["context"] as? [[String: Any]])?.count == 2 })
        let tileFile = try Data(contentsOf: URL(fileURLWithPath: folder.file("tile/" + (fromTile[0]["path"] as? String ?? ""))))
        let runFile = try Data(contentsOf: URL(fileURLWithPath: folder.file("run/scenes/landsat_scene/" + (fromRun[0]["path"] as? String ?? ""))))
        #expect(tileFile == runFile)
    }

    @Test("shards merge into the unsharded run, context files and summary included; any thread count writes the same bytes")
    func shardsAndThreads() throws {
        let folder = TemporaryFolder("scaletile-context-shards")
        let source = SharedData.packageRoot + "/SampleData/satellite/landsat_scene.tif"
        let flags = ["--tile-size", "256", "--overlap", "0", "--context-levels", "1,2"]
        _ = try Self.tile(source, into: folder.file("whole"), flags + ["--threads", "1"])
        _ = try Self.tile(source, into: folder.file("threads"), flags + ["--threads", "3"])
        for k in 1...2 { _ = try Self.tile(source, into: folder.file("shard\(k)"), flags + ["--shard", "\(k)/2"]) }
        let merge = try ExternalCommand.run(ExternalCommand.scaletile, ["merge", folder.file("shard1"), folder.file("shard2"), "--out", folder.file("merged")])
        try #require(merge.status == 0, "\(merge.standardError)")
        let whole = TemporaryFolder.files(in: folder.file("whole"))
        #expect(whole.keys.filter { $0.contains("_ctx") }.count == 2 * 16)
        #expect(TemporaryFolder.files(in: folder.file("threads")) == whole)
        let merged = TemporaryFolder.files(in: folder.file("merged"))
        #expect(Set(merged.keys) == Set(whole.keys))
        #expect(merged.filter { $0.key != "summary.json" } == whole.filter { $0.key != "summary.json" })
        let summary = try Self.json(folder.file("merged/summary.json"))["context"] as? [String: Any]
        #expect(summary?["tiles"] as? Int == 2 * 16 && summary?["skipped"] as? Int == 0)
    }

    @Test("layouts carry context files: yolo links them into context/{split}/, webdataset packs them as {key}.ctx<l>.<ext>")
    func layoutsCarryContextFiles() throws {
        let folder = TemporaryFolder("scaletile-context-layouts")
        let source = SharedData.packageRoot + "/SampleData/satellite/landsat_scene.tif"
        let flags = ["--labels", SharedData.packageRoot + "/SampleData/satellite/landsat_objects.geojson", "--tile-size", "128",
                     "--overlap", "0", "--context-levels", "1", "--split", "train=0.5,val=0.5", "--split-block", "512"]
        _ = try Self.tile(source, into: folder.file("folder"), flags)
        _ = try Self.tile(source, into: folder.file("yolo"), flags + ["--layout", "yolo"])
        let plain = try Self.manifest(folder.file("folder")), yolo = try Self.manifest(folder.file("yolo"))
        try #require(!yolo.isEmpty && yolo.count == plain.count)
        for (a, b) in zip(plain, yolo) {
            let split = try #require(b["split"] as? String)
            let before = try #require((a["context"] as? [[String: Any]])?.first?["path"] as? String)
            let after = try #require((b["context"] as? [[String: Any]])?.first?["path"] as? String)
            #expect(after == "context/\(split)/" + (before as NSString).lastPathComponent)
            // The same bytes as the folder run's context file, linked to the one the run wrote.
            let linked = try FileManager.default.attributesOfItem(atPath: folder.file("yolo/" + after))
            #expect((linked[.referenceCount] as? Int ?? 0) >= 2, "\(after) is not a hard link")
            #expect(FileManager.default.contents(atPath: folder.file("yolo/" + after)) == FileManager.default.contents(atPath: folder.file("folder/" + before)))
        }
        _ = try Self.tile(source, into: folder.file("wds"), flags + ["--layout", "webdataset"])
        let packed = try Self.manifest(folder.file("wds"))
        let read = try ClientPython.run("""
            import glob, sys, webdataset as wds
            members = 0
            for sample in wds.WebDataset(sorted(glob.glob(sys.argv[1] + "/shards/*.tar")), shardshuffle=False):
                members += sum(1 for k in sample if k.startswith("ctx1."))
            print(members)
            """, [folder.file("wds")])
        try #require(read.status == 0, "\(read.standardError)")
        #expect(Int(read.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)) == packed.count)
        #expect(packed.allSatisfy { (($0["context"] as? [[String: Any]])?.first?["path"] as? String)?.contains(".tar#") == true })
        #expect(!TemporaryFolder.files(in: folder.file("wds")).keys.contains { $0.contains("_ctx") }, "context files left beside the shards")
    }

    @Test("context regions count against --max-memory, before anything is written")
    func memoryBudget() throws {
        let folder = TemporaryFolder("scaletile-context-memory")
        let volume = SharedData.packageRoot + "/SampleData/medical/brain_mets_t1c.nii.gz"
        let flags = ["--patch", "64x64x16", "--max-memory", "1M", "--quiet"]
        // 64x64x16 int16 patches alone fit 1 MiB; their level-3 context regions (clipped to the
        // 128x128 volume) do not.
        let plain = try ExternalCommand.run(ExternalCommand.scaletile, ["tile", volume, "--out", folder.file("plain")] + flags)
        #expect(plain.status == 0, "\(plain.standardError)")
        let run = try ExternalCommand.run(ExternalCommand.scaletile, ["tile", volume, "--out", folder.file("context"), "--context-levels", "3"] + flags)
        #expect(run.status == 64)
        #expect(run.standardError.contains("--context-levels") && run.standardError.contains("--max-memory"), "\(run.standardError)")
        #expect(!FileManager.default.fileExists(atPath: folder.file("context")))
    }

    @Test("bad context levels: exit 64, one line, nothing written",
          arguments: [["--context-levels=-1"], ["--context-levels", "1.5"], ["--context-levels", "two"], ["--context-levels", "2", "--context-as", "bands"]])
    func badLevels(_ flags: [String]) throws {
        let folder = TemporaryFolder("scaletile-context-bad")
        let out = folder.file("out")
        let source = SharedData.packageRoot + "/SampleData/satellite/landsat_scene.tif"
        let run = try ExternalCommand.run(ExternalCommand.scaletile, ["tile", source, "--out", out] + flags)
        #expect(run.status == 64, "\(run.standardError)")
        let first = run.standardError.split(separator: "\n").first.map(String.init) ?? ""
        #expect(first.lowercased().hasPrefix("error"), "\(run.standardError)")
        #expect(first.contains("--context-"))
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    /// Every context patch of a volume run against numpy block means of the volume (nibabel),
    /// rounded half away from zero as integer levels are; spacing and affine against the
    /// source's affine moved and scaled: A · [diag(f) | origin + (f − 1)/2].
    static let volumeCheck = #"""
import sys, json
import numpy as np, nibabel as nib
out, source = sys.argv[1], sys.argv[2]
img = nib.load(source)
data = np.asanyarray(img.dataobj).astype(np.float64)
A = img.affine
X, Y, Z = data.shape
tiles, bad = 0, []
for line in open(out + '/manifest.jsonl'):
    m = json.loads(line)
    for c in m.get('context', []):
        w, f = c['window'], 2 ** c['level']
        x, y, z, W, H, D = w['x'], w['y'], w['z'], w['width'], w['height'], w['depth']
        region = np.zeros((W, H, D))
        x0, y0, z0 = max(x, 0), max(y, 0), max(z, 0)
        x1, y1, z1 = min(x + W, X), min(y + H, Y), min(z + D, Z)
        if x0 < x1 and y0 < y1 and z0 < z1:
            region[x0 - x:x1 - x, y0 - y:y1 - y, z0 - z:z1 - z] = data[x0:x1, y0:y1, z0:z1]
        means = region.reshape(W // f, f, H // f, f, D).mean(axis=(1, 3))
        want = np.sign(means) * np.floor(np.abs(means) + 0.5)
        patch = nib.load(out + '/' + c['path'])
        got = np.asanyarray(patch.dataobj).astype(np.float64)
        if got.shape != want.shape or not np.array_equal(got, want): bad.append('%s L%d voxels' % (m['id'], c['level']))
        if not np.allclose(patch.header.get_zooms()[:3], (1.5 * f, 1.5 * f, 1.5)): bad.append('%s zooms %s' % (m['id'], patch.header.get_zooms()))
        M = np.array([[f, 0, 0, x + (f - 1) / 2], [0, f, 0, y + (f - 1) / 2], [0, 0, 1, z], [0, 0, 0, 1]], dtype=float)
        expected = A @ M
        if not np.allclose(patch.affine, expected, atol=1e-5): bad.append('%s affine %s' % (m['id'], patch.affine.tolist()))
        if not np.allclose(np.array(c['affine']), expected, atol=1e-9): bad.append('%s manifest affine' % m['id'])
        if not np.allclose([c['spacing'][k] for k in 'xyz'], (1.5 * f, 1.5 * f, 1.5)): bad.append('%s manifest spacing' % m['id'])
        tiles += 1
print(json.dumps(dict(tiles=tiles, bad=bad[:10])))
"""#

    @Test("volume context patches: level voxels (numpy block means), spacing and affine exact; channels appended in order")
    func volumeContext() throws {
        let folder = TemporaryFolder("scaletile-context-volume")
        let volume = SharedData.packageRoot + "/SampleData/medical/brain_mets_t1c.nii.gz"  // 128 x 128 x 80, 1.5 mm
        let out = folder.file("files")
        let flags = ["--patch", "32x32x16", "--context-levels", "1,2"]
        let summary = try Self.tile(volume, into: out, flags + ["--format", "nifti"])
        let entries = try Self.manifest(out)
        #expect(entries.count == 4 * 4 * 5)
        #expect((summary["context"] as? [String: Any])?["tiles"] as? Int == 2 * entries.count)
        for entry in entries {
            let w = entry["window"] as? [String: Int] ?? [:]
            for c in entry["context"] as? [[String: Any]] ?? [] {
                let level = c["level"] as? Int ?? 0, cw = c["window"] as? [String: Int] ?? [:]
                let x = Self.contextWindow(x: w["x"]!, width: w["width"]!, size: 32, level: level)
                // Z is not scaled without --scale-z: the patch's own slices.
                #expect(cw["x"] == x.x && cw["width"] == x.width && cw["z"] == w["z"] && cw["depth"] == 16)
            }
        }
        let check = try ClientPython.run(Self.volumeCheck, [out, volume])
        try #require(check.status == 0, "\(check.standardError)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(check.standardOutput.utf8)) as? [String: Any])
        #expect(report["tiles"] as? Int == 2 * entries.count)
        #expect((report["bad"] as? [String])?.isEmpty == true, "\(report)")

        // Channels: (C · 3, Z, Y, X) .npy, the patch's channel first, then levels 1 and 2.
        let channelsOut = folder.file("channels")
        _ = try Self.tile(volume, into: channelsOut, flags + ["--format", "npy", "--context-as", "channels"])
        let compare = try ClientPython.run(#"""
import sys, json
import numpy as np, nibabel as nib
files, channels = sys.argv[1], sys.argv[2]
bad, n = [], 0
for a, b in zip(open(files + '/manifest.jsonl'), open(channels + '/manifest.jsonl')):
    a, b = json.loads(a), json.loads(b)
    arr = np.load(channels + '/' + b['path'])
    parts = [a['path']] + [c['path'] for c in a['context']]
    want = [np.asanyarray(nib.load(files + '/' + p).dataobj).transpose(2, 1, 0) for p in parts]
    if arr.shape != (3, 16, 32, 32): bad.append('%s shape %s' % (b['id'], arr.shape))
    elif any(not np.array_equal(arr[i], want[i]) for i in range(3)): bad.append(b['id'])
    if [c['channels'] for c in b['context']] != [[1], [2]]: bad.append('%s channels' % b['id'])
    n += 1
print(json.dumps(dict(n=n, bad=bad[:10])))
"""#, [out, channelsOut])
        try #require(compare.status == 0, "\(compare.standardError)")
        #expect(compare.standardOutput.contains("\"n\": 80") && compare.standardOutput.contains("\"bad\": []"), "\(compare.standardOutput)")
    }

    /// TIFF stack context patches with `--scale-z` against numpy block means over 2^ℓ voxels on
    /// every axis (tifffile), and their ImageJ spacing (XResolution, `spacing`).
    static let stackCheck = #"""
import sys, json
import numpy as np, tifffile
out, source = sys.argv[1], sys.argv[2]
data = tifffile.imread(source).astype(np.float64)  # (Z, Y, X)
Z, Y, X = data.shape
tiles, outside, bad = 0, 0, []
for line in open(out + '/manifest.jsonl'):
    m = json.loads(line)
    for c in m.get('context', []):
        w, f = c['window'], 2 ** c['level']
        x, y, z, W, H, D = w['x'], w['y'], w['z'], w['width'], w['height'], w['depth']
        region = np.zeros((D, H, W))
        x0, y0, z0, x1, y1, z1 = max(x, 0), max(y, 0), max(z, 0), min(x + W, X), min(y + H, Y), min(z + D, Z)
        if x0 < x1 and y0 < y1 and z0 < z1:
            region[z0 - z:z1 - z, y0 - y:y1 - y, x0 - x:x1 - x] = data[z0:z1, y0:y1, x0:x1]
        outside += int(W * H * D - max(0, x1 - x0) * max(0, y1 - y0) * max(0, z1 - z0))
        means = region.reshape(D // f, f, H // f, f, W // f, f).mean(axis=(1, 3, 5))
        t = tifffile.TiffFile(out + '/' + c['path'])
        got = t.asarray().astype(np.float64)
        if got.shape != means.shape or float(np.abs(got - means).max()) > 0.5 + 1e-9: bad.append('%s L%d voxels' % (m['id'], c['level']))
        xres = t.pages[0].tags['XResolution'].value
        if abs(xres[1] / xres[0] - 0.7 * f) > 1e-4 or abs(t.imagej_metadata['spacing'] - 1.25 * f) > 1e-6:
            bad.append('%s L%d spacing' % (m['id'], c['level']))
        if c['spacing'] != dict(x=0.7 * f, y=0.7 * f, z=1.25 * f, unit='mm') and not np.allclose([c['spacing'][k] for k in 'xyz'], [0.7 * f, 0.7 * f, 1.25 * f]):
            bad.append('%s manifest spacing' % m['id'])
        tiles += 1
print(json.dumps(dict(tiles=tiles, outside=outside, bad=bad[:10])))
"""#

    @Test("TIFF stack context patches with --scale-z: Z scaled too, level voxels (numpy block means), spacing exact")
    func stackContextScaledDepth() throws {
        let folder = TemporaryFolder("scaletile-context-stack")
        let stack = SharedData.packageRoot + "/SampleData/medical/ct_chest.tif"  // 352 x 272 x 24, 0.7 x 0.7 x 1.25 mm
        let out = folder.file("out")
        // Level-1 patches (a 176 x 136 x 12 grid: 3 x 3 x 2 patches, edges shifted in) skip level 1.
        let summary = try Self.tile(stack, into: out, ["--patch", "64x64x8", "--scale-z", "--levels", "1", "--context-levels", "1,2"])
        let entries = try Self.manifest(out)
        #expect(entries.count == 18)
        let context = try #require(summary["context"] as? [String: Any])
        #expect(context["tiles"] as? Int == 18 && context["skipped"] as? Int == 18)
        for entry in entries {
            let w = entry["window"] as? [String: Int] ?? [:]
            for c in entry["context"] as? [[String: Any]] ?? [] {
                let level = c["level"] as? Int ?? 0, cw = c["window"] as? [String: Int] ?? [:]
                let z = Self.contextWindow(x: w["z"]!, width: w["depth"]!, size: 8, level: level)
                #expect(level == 2)
                #expect(cw["z"] == z.x && cw["depth"] == z.width)
            }
        }
        let check = try ClientPython.run(Self.stackCheck, [out, stack])
        try #require(check.status == 0, "\(check.standardError)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(check.standardOutput.utf8)) as? [String: Any])
        #expect(report["tiles"] as? Int == 18)
        #expect((report["outside"] as? Int ?? 0) > 0)
        #expect((report["bad"] as? [String])?.isEmpty == true, "\(report)")
    }
}

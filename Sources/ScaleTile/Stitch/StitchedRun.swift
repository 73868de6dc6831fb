import Foundation
import ScaleTileCore
import ScaleTileSatellite

/// What stitching needs to know of a ScaleTile output folder: its windows (the manifest), the
/// scene they came from (size, geotransform, CRS), and the names its label exports used, so
/// predictions named by COCO image id, tile stem or manifest id all find their window.
struct StitchedRun {
    let folder: String
    let entries: [ManifestEntry]
    /// The scene's level-0 size (`summary.json` `sceneSize`).
    let sceneSize: RasterSize
    /// The input the run read, as `summary.json` names it.
    let source: String
    /// Level-0 pixel to map coordinates, when the scene has them.
    let geoTransform: GeoTransform?
    /// The scene's CRS, when it has one.
    let spatialReference: SpatialReference?
    /// Class names by COCO category id of the run's `coco.json`.
    let categoryNames: [Int: String]
    /// Class names in YOLO number order (`labels/classes.txt`, else the COCO categories by id).
    let classNumbers: [String]
    /// Manifest positions by COCO image id of the run's `coco.json`.
    let imageEntries: [Int: Int]
    /// Stems of the run's own mask patches: not predictions, skipped when a folder holds them.
    let maskStems: Set<String>
    private let byID: [String: Int]
    private let byStem: [String: Int]
    private let byPath: [String: Int]

    /// The volume's size (`summary.json` `volumeSize`) and voxel spacing, for stack outputs.
    let volume: (size: RasterSize, spacing: Spacing)?
    /// Stacks: whether the levels scale Z too (`--scale-z`).
    let scalesDepth: Bool
    /// Stacks: level-0 voxel centre to world millimetres, 3×4 row-major (RAS for NIfTI and NRRD
    /// sources, recovered from a patch's manifest `affine`; the spacing diagonal for TIFF stacks).
    let voxelToWorld: [[Double]]

    private struct Summary: Decodable {
        var sceneSize: [Int]?
        var volumeSize: [Int]?
        var spacing: Spacing?
        var scaleDepth: Bool?
        var source: String?
    }

    /// Reads `folder`'s manifest, summary and label exports.
    ///
    /// - Throws: `.notFound` when the folder is missing; `.invalidInput` when it is not a
    ///   ScaleTile output (no manifest or summary, or lines that are not manifest entries);
    ///   `.unsupported` for stack outputs.
    init(folder: String) throws {
        self.folder = folder
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw ScaleTileError(.notFound, folder, "no such output folder")
        }
        let manifestPath = folder + "/manifest.jsonl", summaryPath = folder + "/summary.json"
        guard let manifest = FileManager.default.contents(atPath: manifestPath),
              let summaryData = FileManager.default.contents(atPath: summaryPath) else {
            throw ScaleTileError(.invalidInput, folder, "not a ScaleTile output folder (manifest.jsonl and summary.json are needed)")
        }
        do {
            entries = try StableJSON.decodeLines(ManifestEntry.self, from: manifest)
        } catch {
            throw ScaleTileError(.invalidInput, manifestPath, "not a ScaleTile manifest (\(OutputFolderReason.text(error)))")
        }
        guard let summary = try? JSONDecoder().decode(Summary.self, from: summaryData) else {
            throw ScaleTileError(.invalidInput, summaryPath, "not a ScaleTile summary")
        }
        if let size = summary.sceneSize, size.count == 2, size[0] > 0, size[1] > 0 {
            sceneSize = RasterSize(width: size[0], height: size[1])
            volume = nil
        } else if let size = summary.volumeSize, size.count == 3, size.allSatisfy({ $0 > 0 }) {
            sceneSize = RasterSize(width: size[0], height: size[1])
            volume = (RasterSize(width: size[0], height: size[1], depth: size[2]), summary.spacing ?? .unit)
        } else {
            throw ScaleTileError(.invalidInput, summaryPath, "has neither sceneSize nor volumeSize")
        }
        source = summary.source ?? ""
        scalesDepth = summary.scaleDepth ?? false
        let spacing = volume?.spacing ?? .unit
        voxelToWorld = Self.sourceAffine(entries: entries, scalesDepth: scalesDepth)
            ?? [[spacing.x, 0, 0, 0], [0, spacing.y, 0, 0], [0, 0, spacing.z, 0]]

        var byID: [String: Int] = [:], byStem: [String: Int] = [:], byPath: [String: Int] = [:]
        for (i, e) in entries.enumerated() {
            byID[e.id] = i
            byPath[e.path] = i
            byStem[Self.stem(e.path)] = i
        }
        self.byID = byID; self.byStem = byStem; self.byPath = byPath
        maskStems = Set(entries.compactMap { $0.mask.map(Self.stem) })

        // The run's own COCO export numbers images and categories; predictions made from it reuse them.
        var categoryNames: [Int: String] = [:], imageEntries: [Int: Int] = [:]
        if let data = FileManager.default.contents(atPath: folder + "/coco.json"),
           let coco = try? JSONDecoder().decode(COCODataset.self, from: data) {
            for c in coco.categories { categoryNames[c.id] = c.name }
            for image in coco.images { if let i = byPath[image.fileName] ?? byStem[Self.stem(image.fileName)] { imageEntries[image.id] = i } }
        }
        self.categoryNames = categoryNames
        self.imageEntries = imageEntries
        if let text = try? String(contentsOfFile: folder + "/labels/classes.txt", encoding: .utf8) {
            classNumbers = text.split(separator: "\n").map(String.init)
        } else {
            classNumbers = categoryNames.keys.sorted().map { categoryNames[$0]! }
        }

        (geoTransform, spatialReference) = volume == nil ? Self.georeferencing(source: source, entries: entries) : (nil, nil)
    }

    /// The level of manifest entry `index` as the run made it (scaling Z or not).
    func level(of index: Int) -> Level { Level(entries[index].level, scalesDepth: scalesDepth) }

    /// The source's voxel-to-world affine from a patch's: the patch affine is the source's
    /// A · [diag(f) | o·f + (f − 1)/2] (f the level's factors, o the patch's first voxel at its
    /// level; DESIGN.md §7), so A's columns are the patch's divided by f and its origin follows.
    private static func sourceAffine(entries: [ManifestEntry], scalesDepth: Bool) -> [[Double]]? {
        guard let e = entries.first(where: { $0.affine?.count == 4 }), let p = e.affine, p.allSatisfy({ $0.count == 4 }) else { return nil }
        let level = Level(e.level, scalesDepth: scalesDepth)
        let w = level.window(fromBase: e.window.window)
        let f = [Double(level.factor), Double(level.factor), Double(level.depthFactor)]
        let shift = [Double(w.x) * f[0] + (f[0] - 1) / 2, Double(w.y) * f[1] + (f[1] - 1) / 2, Double(w.z) * f[2] + (f[2] - 1) / 2]
        return (0 ..< 3).map { row in
            let columns = (0 ..< 3).map { p[row][$0] / f[$0] }
            return columns + [p[row][3] - (0 ..< 3).reduce(0) { $0 + columns[$1] * shift[$1] }]
        }
    }

    /// World millimetres of a level-0 voxel-edge position (voxel i spans [i, i + 1], its centre is i + ½).
    func world(_ edge: [Double]) -> [Double] {
        (0 ..< 3).map { row in
            (0 ..< 3).reduce(voxelToWorld[row][3]) { $0 + voxelToWorld[row][$1] * (edge[$1] - 0.5) }
        }
    }

    /// The entry a tile file stem, path or manifest id names.
    func entry(named name: String) -> Int? {
        byID[name] ?? byPath[name] ?? byStem[Self.stem(name)]
    }

    /// The entry of a manifest id.
    func entry(id: String) -> Int? { byID[id] }

    /// A file name without folders and extensions (`tiles/L0/a.tif` → `a`, `a.nii.gz` → `a`).
    static func stem(_ path: String) -> String {
        var name = (path as NSString).lastPathComponent
        while case let ext = (name as NSString).pathExtension, !ext.isEmpty, ext.count <= 4 {
            name = (name as NSString).deletingPathExtension
        }
        return name
    }

    /// The scene's geotransform and CRS: from the source when it still opens, else from the
    /// manifest's map bounds (north-up), else none (pixel space).
    private static func georeferencing(source: String, entries: [ManifestEntry]) -> (GeoTransform?, SpatialReference?) {
        if !source.isEmpty, FileManager.default.fileExists(atPath: source), let dataset = try? Dataset(opening: source) {
            return (dataset.geoTransform, dataset.spatialReference)
        }
        guard let e = entries.first(where: { $0.bounds != nil && $0.padded != true }), let b = e.bounds else { return (nil, nil) }
        let w = e.window
        let pixelWidth = (b.maxX - b.minX) / Double(w.width), pixelHeight = (b.maxY - b.minY) / Double(w.height)
        let transform = GeoTransform(originX: b.minX - Double(w.x) * pixelWidth, originY: b.maxY + Double(w.y) * pixelHeight,
                                     pixelWidth: pixelWidth, pixelHeight: -pixelHeight)
        return (transform, e.crs.flatMap { try? SpatialReference(userInput: $0) })
    }
}

/// Short reasons for decoding errors, without Swift's long `DecodingError` dumps.
enum OutputFolderReason {
    static func text(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): return "no key \(key.stringValue)"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
             DecodingError.dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
        default: return "\(error)"
        }
    }
}

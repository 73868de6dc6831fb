import Foundation
import Testing
import ScaleTile
import ScaleTileCore
import TestSupport

/// Every preset in `Domains/`, read through `PresetDocument` and checked from the typed
/// `Preset`, never by searching its YAML text: its domain is its folder's, its default inputs
/// exist and are what `input.expect` says (judged by gdalinfo for scenes and by tifffile,
/// nibabel or pynrrd for stacks and volumes, not by ScaleTile), and its tiling, levels,
/// sampling and targets fit together.
@Suite("Domain presets, from the parsed model")
struct DomainPresetModelTests {
    static let folder = SharedData.packageRoot + "/Domains"

    /// `satellite/landsat-grid.yaml`, … : every preset file, relative to `Domains/`.
    static let presets: [String] = {
        let walker = FileManager.default.enumerator(atPath: folder)
        var found: [String] = []
        while let item = walker?.nextObject() as? String {
            if item.hasSuffix(".yaml") { found.append(item) }
        }
        return found.sorted()
    }()

    static func document(_ relative: String) throws -> PresetDocument {
        try PresetDocument(contentsOf: folder + "/" + relative)
    }

    @Test func everyDomainHasPresetsOfTheJobsItNeeds() throws {
        let parsed = try Self.presets.map { try Self.document($0).preset }
        for domain in Preset.Domain.allCases {
            #expect(parsed.contains { $0.domain == domain }, "no preset for \(domain)")
        }
        // Both kinds of job the domains are used for: grid tiles and placed samples.
        #expect(Set(parsed.map(\.job)).isSuperset(of: [.tile, .sample]))
    }

    /// The folder a preset sits in is its domain; its name is its file's, so the default output
    /// folder (`<name>-out`) says which preset wrote it.
    @Test(arguments: presets)
    func domainAndNameMatchTheFile(_ relative: String) throws {
        let preset = try Self.document(relative).preset
        let url = URL(fileURLWithPath: relative)
        #expect(preset.domain.rawValue == relative.split(separator: "/").first.map(String.init))
        #expect(preset.name == url.deletingPathExtension().lastPathComponent)
        #expect(!preset.description.isEmpty)
        #expect(preset.readsStacks == (preset.domain == .medical) || preset.input.as != .auto)
    }

    /// The inputs and labels a preset names exist (relative to the preset), and the files a
    /// preset's sampler reads (a weight map, a tissue mask) too.
    @Test(arguments: presets)
    func defaultInputsAndLabelsExist(_ relative: String) throws {
        let document = try Self.document(relative)
        let preset = document.preset
        #expect(!preset.input.paths.isEmpty, "a domain preset runs with no argument but --out")
        var files = preset.input.paths
        files += [preset.labels.path, preset.sampling.map, preset.sampling.tissueMask].compactMap { $0 }
        for file in files {
            let path = document.resolvedPath(file)
            #expect(FileManager.default.fileExists(atPath: path), "\(relative): \(file) resolves to \(path), which is missing")
        }
        // Every domain preset is about labelled objects: it names their file.
        #expect(preset.labels.path != nil)
    }

    /// `input.expect` against the file itself: band count, data type and pixel size as
    /// gdalinfo reports them (scenes), or channels, sample type and voxel spacing from the
    /// ImageJ or OME metadata as tifffile reads them (stacks).
    @Test(arguments: presets)
    func inputIsWhatExpectSays(_ relative: String) throws {
        let document = try Self.document(relative)
        let preset = document.preset
        let expect = preset.input.expect
        for input in preset.input.paths.map(document.resolvedPath) {
            let facts = preset.readsStacks ? try Self.stackFacts(input) : try Self.sceneFacts(input)
            if let bands = expect.bands { #expect(facts.bands == bands, "\(relative): \(input) has \(facts.bands) bands") }
            if let type = expect.dataType { #expect(facts.dataType == type.gdalName, "\(relative): \(input) is \(facts.dataType)") }
            if let spacing = expect.spacing {
                let actual = try #require(facts.spacing, "\(relative): \(input) has no spacing")
                #expect(actual.count >= spacing.count)
                for (a, e) in zip(actual, spacing) {
                    #expect(abs(a - e) <= expect.spacingTolerance * e, "\(relative): spacing \(actual), expected \(spacing) ± \(expect.spacingTolerance * 100) %")
                }
            }
        }
    }

    /// Tile or patch size, overlap and levels fit the domain and each other.
    @Test(arguments: presets)
    func tilingAndLevelsFitTheDomain(_ relative: String) throws {
        let preset = try Self.document(relative).preset
        let size = preset.tiling.size
        #expect(size.width > 0 && size.height > 0 && (size.depth ?? 1) > 0)
        if preset.readsStacks {
            // Stack patches: 2-D slice by slice or 3-D, any shape.
            #expect(preset.tileFormat.suitsStacks, "\(preset.tileFormat) cannot hold stack patches")
        } else {
            #expect(size.squareEdge != nil, "scenes take square tiles: \(size)")
            #expect(preset.tileFormat.suitsScenes, "\(preset.tileFormat) cannot hold scene tiles")
        }
        switch preset.tiling.overlap {
        case .auto:
            // The overlap is derived from the objects: there must be labels to derive it from.
            #expect(preset.labels.path != nil)
        default:
            let overlap = preset.tiling.overlap
            #expect(overlap.isSmaller(than: size), "overlap \(overlap) must be smaller than the tile \(size)")
        }
        switch preset.levels.levels {
        case .auto:
            // Scale-aware levels are chosen to bring objects into `target.objectSize`.
            #expect(preset.target.objectSize != nil, "levels: auto without target.objectSize")
        case .explicit(let levels):
            #expect(!levels.isEmpty && levels == levels.sorted())
            #expect(levels.allSatisfy { $0 >= 0 } || preset.levels.zoomIn, "magnified levels need zoomIn")
        }
    }

    /// Sample presets: the sampler has what it needs, and its per-object floor reaches the
    /// coverage the targets ask for.
    @Test(arguments: presets)
    func samplingFitsItsTargets(_ relative: String) throws {
        let preset = try Self.document(relative).preset
        guard preset.job == .sample else {
            // Sampling bias and bucket balance are figures of placed samples only.
            #expect(preset.target.maxBias == nil && preset.target.maxBucketBalance == nil)
            return
        }
        let sampling = preset.sampling
        #expect(sampling.count > 0)
        #expect(sampling.minPerObject <= sampling.count)
        if preset.target.coverage != nil {
            #expect(preset.target.coverageK <= max(sampling.minPerObject, 1),
                    "coverage of k = \(preset.target.coverageK) windows asked, the sampler places at least \(sampling.minPerObject) per object")
        }
        if preset.target.maxBucketBalance != nil { #expect(sampling.strategy == .scaleStratified) }
        if sampling.strategy == .weighted { #expect(sampling.map != nil) }
    }

    /// Every domain preset states at least one audit target, and each target it states is one
    /// its run can measure.
    @Test(arguments: presets)
    func targetsAreMeasurable(_ relative: String) throws {
        let target = try Self.document(relative).preset.target
        let stated: [Double?] = [target.contained, target.inBand, target.coverage, target.maxBias, target.maxBucketBalance]
        #expect(stated.contains { $0 != nil }, "\(relative) states no audit target")
        for share in [target.contained, target.inBand, target.coverage].compactMap({ $0 }) {
            #expect((0...1).contains(share), "a share of objects is between 0 and 1: \(share)")
        }
        if target.inBand != nil { #expect(target.objectSize != nil, "inBand needs target.objectSize") }
        if let bias = target.maxBias { #expect(bias >= 1, "the sampling bias R is at least 1") }
        #expect(target.coverageK >= 1)
    }

    // MARK: - Independent facts about an input

    struct Facts {
        var bands: Int
        var dataType: String
        var spacing: [Double]?
    }

    /// gdalinfo's band count, first band's type and pixel size (|a|, |e| of the geotransform).
    static func sceneFacts(_ path: String) throws -> Facts {
        let info = try GDALTruth.info(path)
        let bands = info["bands"] as? [[String: Any]] ?? []
        let gt = info["geoTransform"] as? [Double]
        return Facts(bands: bands.count, dataType: bands.first?["type"] as? String ?? "",
                     spacing: gt.map { [abs($0[1]), abs($0[5])] })
    }

    /// The clients' view of a stack or volume: channels, GDAL's name of the sample type, and the
    /// voxel spacing (X, Y, Z): tifffile (OME PhysicalSize, ImageJ resolution and `spacing`),
    /// nibabel (NIfTI zooms) or pynrrd (NRRD space directions).
    static func stackFacts(_ path: String) throws -> Facts {
        let script = #"""
        import json, re, sys
        import numpy as np
        path = sys.argv[1]
        types = {"uint8": "Byte", "int8": "Int8", "uint16": "UInt16", "int16": "Int16", "uint32": "UInt32",
                 "int32": "Int32", "float32": "Float32", "float64": "Float64"}
        if path.endswith((".nii", ".nii.gz")):
            import nibabel
            image = nibabel.load(path)
            shape = image.header.get_data_shape()
            channels = shape[3] if len(shape) > 3 else 1
            dtype = np.dtype(image.get_data_dtype()).newbyteorder("=")
            spacing = [float(z) for z in image.header.get_zooms()[:3]]
        elif path.endswith((".nrrd", ".nhdr")):
            import nrrd
            data, header = nrrd.read(path)
            dtype = data.dtype.newbyteorder("=")
            directions = [d for d in header.get("space directions", []) if d is not None and not np.any(np.isnan(np.asarray(d, float)))]
            spacing = [float(np.linalg.norm(d)) for d in directions] if directions else [float(s) for s in header.get("spacings", [])[-3:]]
            channels = header["sizes"][0] if header["dimension"] > 3 else 1
        else:
            import tifffile
            with tifffile.TiffFile(path) as tif:
                series = tif.series[0]
                channels = series.shape[series.axes.index("C")] if "C" in series.axes else 1
                dtype = series.dtype
                spacing = None
                if tif.is_ome:
                    ome = tif.ome_metadata
                    found = lambda axis: re.search(rf'PhysicalSize{axis}="([^"]+)"', ome)
                    spacing = [float(found(a).group(1)) if found(a) else None for a in "XYZ"]
                elif tif.is_imagej:
                    page = tif.pages[0]
                    xr, yr = page.tags["XResolution"].value, page.tags["YResolution"].value
                    spacing = [xr[1] / xr[0], yr[1] / yr[0], float(tif.imagej_metadata.get("spacing", 1.0))]
        print(json.dumps({"bands": int(channels), "dataType": types[str(np.dtype(dtype))], "spacing": spacing}))
        """#
        let result = try ClientPython.run(script, [path])
        try #require(result.status == 0, "reading \(path) with the clients: \(result.standardError)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let spacing = (object["spacing"] as? [Any])?.compactMap { $0 as? Double }
        return Facts(bands: object["bands"] as? Int ?? 0, dataType: object["dataType"] as? String ?? "",
                     spacing: spacing?.count == 3 ? spacing : nil)
    }
}

extension PixelType {
    /// GDAL's name of the type, as gdalinfo prints it (the preset's `dataType` spelling).
    var gdalName: String {
        switch self {
        case .uint8: return "Byte"
        case .int8: return "Int8"
        case .uint16: return "UInt16"
        case .int16: return "Int16"
        case .uint32: return "UInt32"
        case .int32: return "Int32"
        case .uint64: return "UInt64"
        case .int64: return "Int64"
        case .float32: return "Float32"
        case .float64: return "Float64"
        }
    }
}

extension OverlapSetting {
    /// Whether the overlap is smaller than the tile along every axis the tile has (one number
    /// given is shared by every axis, Z included on 3-D patches).
    func isSmaller(than size: TileExtent) -> Bool {
        guard case let .pixels(x, y, z) = self else { return true }
        guard x < size.width, y < size.height else { return false }
        guard let depth = size.depth else { return (z ?? 0) == 0 }
        return (z ?? x) < depth || depth == 1
    }
}

import Foundation
import ScaleTileCore
import ScaleTileMedical

/// `--layout nnunet`: an nnU-Net v2 raw dataset of a run's volumes and masks (NIfTI, NRRD or
/// TIFF stacks), one whole case per input:
///
/// ```
/// OUT/Dataset{ID}_{Name}/
///   dataset.json        channel_names, labels {background: 0, lesion: 1, …}, numTraining, file_ending
///   imagesTr/{case}_0000.nii.gz, _0001 …   one file per channel, training cases
///   labelsTr/{case}.nii.gz
///   imagesTs/, labelsTs/                   test cases (split.shares' test share)
/// OUT/manifest.jsonl, OUT/summary.json     one line per case; the run's summary
/// ```
///
/// Cases go to train and test by the split of whole inputs (``SourceSplit``); nnU-Net makes its
/// own validation folds, so a `val` share is refused before this runs. With
/// `output.cropForeground` each case is cut to the bounding box of its mask's non-background
/// voxels — the union of its lesions' boxes, known from the lesion pass — and the affine moved
/// to the crop's first voxel. Every file streams slice by slice through ``NIfTIFileStream``, so
/// memory stays at a slice or two whatever the volume's size.
struct NNUNetDataset {
    let run: PresetRun

    /// One input as a case.
    struct Case {
        var name: String
        var source: String
        var mask: String
        /// How the case is read: its size, channels, spacing, affine, lesions.
        var volume: VolumeWindows
        /// The voxels written, level-0 voxels of the source.
        var crop: Window
        var split: SplitName
    }

    /// `Dataset{ID}_{Name}` with the ID in three digits.
    static func folderName(id: Int, name: String) -> String { String(format: "Dataset%03d_", id) + name }

    /// The dataset name: `output.datasetName`, else the preset's name without characters nnU-Net
    /// cannot hold (it splits the folder name at `_`).
    static func datasetName(_ preset: Preset) -> String {
        if let name = preset.output.datasetName { return name }
        let kept = String(preset.name.filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") })
        return kept.isEmpty ? "ScaleTile" : kept
    }

    /// Checks every input, then writes the dataset, the manifest and the run's summary.
    func write(progress: (any ProgressObserver)?) throws -> PresetRunSummary {
        let preset = run.document.preset
        guard run.shard == .whole else {
            throw ScaleTileError.argument("--shard", "nnunet writes one whole dataset: run it unsharded")
        }
        let (units, _) = try run.planned()
        var cases: [Case] = []
        var names: [String: String] = [:]
        for unit in units {
            guard case .tiles(_, let prepared) = unit.work, let volume = prepared.reading as? VolumeWindows else {
                preconditionFailure("nnunet runs on stack tiling units")
            }
            guard let mask = volume.mask else {
                throw ScaleTileError.argument("--layout", "nnunet pairs each case with its mask: give labels.path (or --labels) for \(unit.source)")
            }
            let name = FileNames.stem(of: unit.source)
            if let earlier = names[name] {
                throw ScaleTileError(.invalidInput, unit.source, "has the case name '\(name)' of \(earlier); nnU-Net needs one name per case")
            }
            names[name] = unit.source
            let whole = Window(size: volume.size)
            var crop = whole
            if preset.output.cropForeground, let first = volume.lesions.lesions.first {
                crop = volume.lesions.lesions.dropFirst().reduce(first.bbox) { $0.union($1.bbox) }
            }
            cases.append(Case(name: name, source: unit.source, mask: mask, volume: volume, crop: crop, split: unit.split ?? .train))
        }
        let labelValues = Set(cases.flatMap { $0.volume.lesions.lesions.map(\.label) }).sorted()
        guard labelValues == Array(1 ..< labelValues.count + 1) else {
            throw ScaleTileError(.invalidInput, cases.first?.mask, "the masks hold the labels \(([0] + labelValues).map(String.init).joined(separator: ", ")); nnU-Net needs consecutive labels 0, 1, 2, …")
        }
        let channelCounts = Set(cases.map(\.volume.channels.count))
        guard channelCounts.count <= 1 else {
            throw ScaleTileError(.invalidInput, run.inputs.first, "the inputs have \(channelCounts.sorted().map(String.init).joined(separator: " and ")) channels; an nnU-Net dataset has one channel count (choose with input.bands)")
        }

        if run.existingOutput == .overwrite { run.removeEarlierInputFolders() }
        let folder = try OutputFolder.prepare(run.output, existing: run.existingOutput)
        let dataset = Self.folderName(id: preset.output.datasetId, name: Self.datasetName(preset))
        for sub in ["imagesTr", "labelsTr", "imagesTs", "labelsTs"] { try folder.makeFolder(dataset + "/" + sub) }
        var entries: [ManifestEntry] = []
        var records: [PresetRunSummary.InputRecord] = []
        for (i, c) in cases.enumerated() {
            entries.append(try write(c, dataset: dataset, in: folder))
            var record = PresetRunSummary.InputRecord(source: c.source, folder: dataset)
            (record.planned, record.inShard, record.written) = (1, 1, 1)
            records.append(record)
            progress?.advance(to: i + 1, of: cases.count)
        }
        let channels = cases.first?.volume.channels.count ?? 1
        let document = DatasetDocument(
            name: Self.datasetName(preset),
            description: preset.description,
            channelNames: Dictionary(uniqueKeysWithValues: (0 ..< channels).map { (String($0), channels == 1 ? "image" : "channel\($0 + 1)") }),
            labels: Dictionary(uniqueKeysWithValues: [("background", 0)] + (labelValues.isEmpty ? [1] : labelValues).map {
                (labelValues.count <= 1 ? "lesion" : "lesion\($0)", $0)
            }),
            numTraining: cases.count { $0.split == .train },
            numTest: cases.count { $0.split == .test })
        try folder.writeDocument(document, to: dataset + "/dataset.json")
        try folder.writeManifest(entries)
        var summary = PresetRunSummary(document: run.document, shard: run.shard, inputs: records)
        summary.dataset = dataset
        if let shares = run.sourceShares {
            let split = try SourceSplit(sources: cases.map { SourceSplit.Source(name: $0.source, objects: $0.volume.lesions.lesions.map(\.samplingTarget), windows: 1) },
                                        shares: shares, seed: preset.seed)
            summary.split = SourceSplitSummary(split, entries: entries)
        }
        try folder.writeDocument(summary, to: "summary.json")
        return summary
    }

    /// `dataset.json` as nnU-Net v2 reads it.
    struct DatasetDocument: Encodable {
        var name: String
        var description: String
        var channelNames: [String: String]
        var labels: [String: Int]
        var numTraining: Int
        var numTest: Int
        var fileEnding = ".nii.gz"

        enum CodingKeys: String, CodingKey {
            case name, description, labels, numTraining, numTest
            case channelNames = "channel_names"
            case fileEnding = "file_ending"
        }
    }

    /// Writes one case's channels and mask, streamed, and returns its manifest line.
    private func write(_ c: Case, dataset: String, in folder: OutputFolder) throws -> ManifestEntry {
        let p = c.volume
        let affine = (p.affine ?? Self.spacingAffine(p.spacing)).window(origin: [c.crop.x, c.crop.y, c.crop.z], factors: [1, 1, 1])
        let (images, labels) = c.split == .test ? ("imagesTs", "labelsTs") : ("imagesTr", "labelsTr")
        let image = try MedicalSource.open(c.source)
        let scaling = p.appliesScaling ? (p.valueScaling ?? ValueScaling(slope: 1, intercept: 0)) : nil
        var firstImage = ""
        for (i, channel) in p.channels.enumerated() {
            let relative = "\(dataset)/\(images)/\(c.name)_\(String(format: "%04d", i)).nii.gz"
            if i == 0 { firstImage = relative }
            try Self.stream(image, channel: channel, crop: c.crop, scaling: scaling, spacing: p.spacing, affine: affine, to: folder.file(relative))
        }
        let maskRelative = "\(dataset)/\(labels)/\(c.name).nii.gz"
        try Self.stream(try MedicalSource.open(c.mask), channel: 0, crop: c.crop, scaling: nil, spacing: p.spacing, affine: affine,
                        to: folder.file(maskRelative))
        var entry = ManifestEntry(id: c.name, path: firstImage, mask: maskRelative, level: 0, window: ManifestWindow(c.crop, volumetric: true),
                                  source: c.source, lesions: p.lesions.lesions(meeting: c.crop, level: Level(0)), reason: .grid,
                                  spacing: p.spacing, affine: affine.converted(to: .ras).matrix)
        entry.split = c.split
        return entry
    }

    /// The affine of a source without one (TIFF stacks): its spacing on the diagonal, in mm, RAS.
    static func spacingAffine(_ spacing: Spacing) -> VoxelToWorld {
        let mm: Double
        switch spacing.unit.lowercased() {
        case "um", "µm", "micron", "microns": mm = 1e-3
        case "nm": mm = 1e-6
        case "cm": mm = 10
        case "m": mm = 1e3
        default: mm = 1
        }
        return VoxelToWorld(columns: [[spacing.x * mm, 0, 0], [0, spacing.y * mm, 0], [0, 0, spacing.z * mm]], origin: [0, 0, 0], space: .ras)
    }

    /// Streams `crop` of one channel of `source` into a `.nii.gz`, slice by slice; scaled to
    /// Float32 when `scaling` is given.
    static func stream(_ source: any VoxelSource, channel: Int, crop: Window, scaling: ValueScaling?, spacing: Spacing,
                       affine: VoxelToWorld, to path: String) throws {
        let file = try NIfTIFileStream(path: path, size: crop.size, pixelType: scaling == nil ? source.pixelType : .float32,
                                       spacing: spacing, affine: affine)
        let es = source.pixelType.byteSize, rowBytes = source.size.width * es
        let planeSize = RasterSize(width: crop.width, height: crop.height)
        try attributing(to: source.path) {
            try source.forEachSlice(channel: channel, timepoint: 0) { z, samples in
                guard z >= crop.z, z < crop.maxZ else { return }
                var slice = RasterBuffer(pixelType: source.pixelType, bandCount: 1, size: planeSize)
                slice.bytes.withUnsafeMutableBytes { out in
                    for y in 0 ..< crop.height {
                        (out.baseAddress! + y * crop.width * es).copyMemory(
                            from: samples.baseAddress! + (crop.y + y) * rowBytes + crop.x * es, byteCount: crop.width * es)
                    }
                }
                try file.append(scaling.map { $0.applied(to: slice) } ?? slice)
            }
        }
        try file.finish()
    }
}

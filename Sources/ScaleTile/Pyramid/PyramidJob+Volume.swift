import Foundation
import ScaleTileCore
import ScaleTileMedical

/// A stack's or volume's pyramid. Level ℓ halves X and Y ℓ times (and Z too with
/// `scaleDepth`, for near-isotropic stacks); each voxel summarises its exact level-0 block
/// clipped to the stack (DESIGN.md §3, ``StackLevelVoxels``): averages for images, nearest or
/// mode for masks, which stay label-valued. The spacing of level ℓ is the stack's with X and Y
/// (and Z when scaled) times 2^ℓ.
///
/// TIFF stacks take one of two layouts:
/// - ``PyramidJob/Layout/subIFD``: one OME-TIFF, `pyramid/<stem>.ome.tif`, whose pages are the
///   stack's planes at full resolution, each followed by its levels as SubIFDs — the OME-TIFF
///   pyramid that QuPath, napari and Bio-Formats open. Levels must keep every slice (no `--scale-z`).
/// - ``PyramidJob/Layout/files``: one OME-TIFF stack per level, `levels/<stem>_L<ℓ>.ome.tif`.
///
/// NIfTI and NRRD volumes get one `.nii.gz` per level with the level's affine (5-D with channels).
/// The source is read once, in slabs of 2^ℓmax slices with `--scale-z` and single slices
/// without, and every level file is written slice by slice, so memory is one slab and its
/// levels whatever the depth.
extension PyramidJob {
    /// A stack's or volume's levels, streamed slab by slab.
    func buildVolume(progress: (any ProgressObserver)?) throws -> PyramidSummary {
        try StackLevelVoxels.check(options.resampling, scalesDepth: options.scaleDepth, option: "--resampling")
        let stack = try MedicalSource.open(source)
        try (stack as? MedicalVolume)?.checkData() // a corrupt gzip volume fails before anything is written
        // NIfTI and NRRD volumes get one .nii.gz per level, with the level's affine (5-D with channels).
        let volumeAffine = stack.voxelToWorld
        let layout = volumeAffine != nil ? Layout.files : options.layout
        if layout == .subIFD, options.scaleDepth {
            throw ScaleTileError.argument("--pyramid-layout", "SubIFD levels keep every slice of their plane, so --scale-z needs --pyramid-layout files")
        }
        guard stack.timepointCount == 1 else {
            throw ScaleTileError(.unsupported, source, "has \(stack.timepointCount) timepoints; a pyramid is built for one volume, so split the timepoints into stacks first")
        }
        let size = stack.size
        let levels = try levelsAboveZero(for: size, levelZero: "the stack").map { Level($0, scalesDepth: options.scaleDepth) }
        if volumeAffine == nil, stack.pixelType == .int64 || stack.pixelType == .uint64 {
            throw ScaleTileError(.unsupported, source, "has \(stack.pixelType.rawValue) samples, which OME-TIFF cannot hold")
        }
        let writer = try StackWriter(format: .omeTiff, compression: options.compression,
                                     tileSize: options.pageTileSize.flatMap { $0 < Swift.max(size.width, size.height) ? $0 : nil })
        let folder = try OutputFolder.prepare(output, existing: options.existingOutput)
        let stem = FileNames.stem(of: source)
        try folder.makeFolder(layout == .subIFD ? "pyramid" : "levels")
        let paths = levels.map { relativePath(stem: stem, level: $0.index, nifti: volumeAffine != nil) }
        let missing = options.existingOutput == .resume ? levels.indices.filter { !folder.hasFile(paths[$0]) } : Array(levels.indices)
        if !missing.isEmpty {
            try build(stack, levels: missing.map { levels[$0] }, paths: missing.map { folder.file(paths[$0]) },
                      writer: writer, layout: layout, affine: volumeAffine, progress: progress)
        }

        let entries = levels.indices.map { i -> ManifestEntry in
            let level = levels[i]
            return ManifestEntry(id: "\(stem)_L\(level.index)", path: paths[i], level: level.index,
                                 window: ManifestWindow(Window(size: size), volumetric: true), source: source, reason: .grid,
                                 spacing: stack.spacing.scaled(xy: level.factor, z: level.depthFactor),
                                 affine: volumeAffine.map { Self.levelAffine($0, level).matrix })
        }
        try folder.writeManifest(entries)
        let base = Level(0, scalesDepth: options.scaleDepth)
        let summary = PyramidSummary(
            kind: "stack", source: source, volumeSize: [size.width, size.height, size.depth], channels: stack.channelCount,
            dataType: stack.pixelType.rawValue, layout: layout.rawValue, resampling: options.resampling.rawValue,
            scaleDepth: options.scaleDepth,
            levels: ([base] + levels).map { level in
                let s = level.size(of: size)
                return PyramidSummary.LevelFile(
                    level: level.index, scale: level.scale, size: [s.width, s.height, s.depth],
                    spacing: stack.spacing.scaled(xy: level.factor, z: level.depthFactor),
                    path: level.index == 0 && layout == .files ? source : relativePath(stem: stem, level: level.index, nifti: volumeAffine != nil),
                    subIFD: layout == .subIFD && level.index > 0 ? levels.firstIndex(of: level)! + 1 : nil)
            })
        try folder.writeDocument(summary, to: "summary.json")
        return summary
    }

    /// `pyramid/<stem>.ome.tif` (all levels), `levels/<stem>_L<ℓ>.ome.tif`, or for volumes
    /// `levels/<stem>_L<ℓ>.nii.gz`.
    func relativePath(stem: String, level: Int, nifti: Bool = false) -> String {
        if nifti { return "levels/\(stem)_L\(level).nii.gz" }
        return options.layout == .subIFD ? "pyramid/\(stem).ome.tif" : "levels/\(stem)_L\(level).ome.tif"
    }

    /// The affine of a whole level: A · [diag(f) | (f − 1)/2] (DESIGN.md §7), in RAS.
    static func levelAffine(_ affine: VoxelToWorld, _ level: Level) -> VoxelToWorld {
        affine.window(origin: [0, 0, 0], factors: [level.factor, level.factor, level.depthFactor]).converted(to: .ras)
    }

    /// Reads the stack once, slab by slab, and streams every level into its file.
    private func build(_ stack: any VoxelSource, levels: [Level], paths: [String], writer: StackWriter,
                       layout: Layout, affine: VoxelToWorld?, progress: (any ProgressObserver)?) throws {
        let size = stack.size
        let slabDepth = levels.map(\.depthFactor).max()!
        let plane = { (level: Level) -> RasterSize in
            let s = level.size(of: size)
            return RasterSize(width: s.width, height: s.height)
        }
        if let affine {
            let volumeStreams = try levels.indices.map { i in
                try NIfTIFileStream(path: paths[i], size: levels[i].size(of: size), pixelType: stack.pixelType,
                                    spacing: stack.spacing.scaled(xy: levels[i].factor, z: levels[i].depthFactor),
                                    affine: Self.levelAffine(affine, levels[i]), channels: stack.channelCount)
            }
            // NIfTI holds channel 0's whole volume before channel 1's: one pass over the source
            // per channel keeps every level file written front to back.
            for channel in 0 ..< stack.channelCount {
                for z in stride(from: 0, to: size.depth, by: slabDepth) {
                    let slab = try stack.read(Window(x: 0, y: 0, z: z, width: size.width, height: size.height,
                                                     depth: Swift.min(slabDepth, size.depth - z)), channels: [channel])
                    for (stream, level) in zip(volumeStreams, levels) {
                        let levelSlab = try StackLevelVoxels.compute(slab, level: level, resampling: options.resampling)
                        for k in 0 ..< levelSlab.size.depth { try stream.append(levelSlab.slice(k)) }
                    }
                    progress?.advance(to: channel * size.depth + Swift.min(z + slabDepth, size.depth), of: stack.channelCount * size.depth)
                }
            }
            for stream in volumeStreams { try stream.finish() }
            return
        }
        let streams: [StackFileStream]
        switch layout {
        case .subIFD:
            streams = [try StackFileStream(writer: writer, path: paths[0], size: size, channels: stack.channelCount,
                                           pixelType: stack.pixelType, spacing: stack.spacing, pyramidSizes: levels.map(plane))]
        case .files:
            streams = try levels.indices.map { i in
                try StackFileStream(writer: writer, path: paths[i], size: levels[i].size(of: size), channels: stack.channelCount,
                                    pixelType: stack.pixelType, spacing: stack.spacing.scaled(xy: levels[i].factor, z: levels[i].depthFactor))
            }
        }
        for z in stride(from: 0, to: size.depth, by: slabDepth) {
            let slab = try stack.read(Window(x: 0, y: 0, z: z, width: size.width, height: size.height,
                                             depth: Swift.min(slabDepth, size.depth - z)))
            let levelSlabs = try levels.map { try StackLevelVoxels.compute(slab, level: $0, resampling: options.resampling) }
            switch layout {
            case .subIFD:
                // Without --scale-z a slab is one slice, its levels one slice each.
                try streams[0].append(slab, pyramid: levelSlabs)
            case .files:
                for (stream, levelSlab) in zip(streams, levelSlabs) {
                    for k in 0 ..< levelSlab.size.depth { try stream.append(levelSlab.slice(k)) }
                }
            }
            progress?.advance(to: Swift.min(z + slabDepth, size.depth), of: size.depth)
        }
        for stream in streams { try stream.finish() }
    }
}

extension RasterBuffer {
    /// Slice `z` of every channel, as a buffer one slice deep.
    func slice(_ z: Int) -> RasterBuffer {
        precondition(z >= 0 && z < size.depth, "slice \(z) of \(size.depth)")
        let planeBytes = size.width * size.height * pixelType.byteSize
        var bytes: [UInt8] = []
        bytes.reserveCapacity(planeBytes * bandCount)
        for band in 0 ..< bandCount {
            let start = (band * size.depth + z) * planeBytes
            bytes.append(contentsOf: self.bytes[start ..< start + planeBytes])
        }
        return RasterBuffer(pixelType: pixelType, bandCount: bandCount, size: RasterSize(width: size.width, height: size.height), bytes: bytes)
    }
}

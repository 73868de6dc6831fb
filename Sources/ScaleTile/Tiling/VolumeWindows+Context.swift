import Foundation
import ScaleTileCore
import ScaleTileMedical

/// What the reader hands an encoder for one context tile of a patch: the level-0 voxels its
/// level voxels are computed from, as for the patch itself; nil when the tile lies wholly past
/// the stack (constant padding: every voxel is the pad value).
struct ContextPatchSource: Sendable {
    let image: RasterBuffer
    let map: PatchSourceMap
    let levelRegion: Window
}

/// Context tiles of stack and volume patches (`--context-levels`): image voxels only (masks
/// stay the patch's), the level voxels computed by ``StackLevelVoxels`` as the patch's, padded
/// by the patch's rule, written beside the patch with their own spacing and affine, or as extra
/// channels of the patch's file.
extension VolumeWindows {
    /// The context tiles of `item` (Z scaled only with `--scale-z`).
    func contextTiles(of item: PlannedWindow) -> [TileContext.Tile] {
        TileContext.tiles(of: item, levels: context, scalesDepth: scalesDepth)
    }

    /// `patches/L0/{id}_ctx{ℓ}.{ext}`.
    func contextPath(of item: PlannedWindow, level: Int) -> String {
        TileContext.path(folder: folderName, of: item, level: level, fileExtension: writer.format.fileExtension)
    }

    /// Whether every context file of `item` is complete on disk (always, for channels).
    func hasContextFiles(of item: PlannedWindow, in folder: OutputFolder) -> Bool {
        guard contextOutput == .files else { return true }
        return contextTiles(of: item).allSatisfy { folder.hasPatch(contextPath(of: item, level: $0.level.index)) }
    }

    /// Reads the level-0 voxels each context tile of `item` draws on, finest first.
    func readContext(of item: PlannedWindow, with reader: StackPatchReader, padding: Padding) throws -> [ContextPatchSource?] {
        try contextTiles(of: item).map { tile in
            let map = PatchSourceMap(window: tile.levelWindow, gridSize: tile.level.size(of: size), padding: padding)
            guard let levelRegion = map.sourceRegion,
                  let region = tile.level.baseWindow(of: levelRegion).intersection(Window(size: size)) else { return nil }
            return ContextPatchSource(image: try reader.image.read(region, channels: channels), map: map, levelRegion: levelRegion)
        }
    }

    /// The context patches of one patch, finest first, of `like`'s sample type and channels.
    func contextPatches(_ sources: [ContextPatchSource?], of item: PlannedWindow, like image: RasterBuffer,
                        options: TileOptions) throws -> [RasterBuffer] {
        try zip(contextTiles(of: item), sources).map { tile, source in
            guard let source else {
                var filled = RasterBuffer(pixelType: image.pixelType, bandCount: image.bandCount, size: tile.levelWindow.size)
                filled.fill(with: options.padValue)
                return filled
            }
            let region = appliesScaling ? (valueScaling ?? ValueScaling(slope: 1, intercept: 0)).applied(to: source.image) : source.image
            let levelImage = try StackLevelVoxels.compute(region, level: tile.level, resampling: options.resampling)
            return source.map.patch(from: levelImage, region: source.levelRegion, fill: options.padValue)
        }
    }

    /// Writes a patch with its context: context files first (a patch on disk always has them,
    /// as resume checks), or one file of the patch's channels followed by each level's.
    func writeWithContext(_ image: RasterBuffer, context patches: [RasterBuffer], of item: PlannedWindow,
                          spacing levelSpacing: Spacing, folder: OutputFolder) throws {
        guard !patches.isEmpty else {
            try writer.write(image, spacing: levelSpacing, to: folder.file(imagePath(of: item)), affine: patchAffine(of: item))
            return
        }
        switch contextOutput {
        case .files:
            for (tile, patch) in zip(contextTiles(of: item), patches) {
                try writer.write(patch, spacing: contextSpacing(tile), to: folder.file(contextPath(of: item, level: tile.level.index)),
                                 affine: contextAffine(tile))
            }
            try writer.write(image, spacing: levelSpacing, to: folder.file(imagePath(of: item)), affine: patchAffine(of: item))
        case .channels:
            // The file keeps the patch's spacing and affine; each level's own are in the manifest.
            try writer.write(TileContext.joined([image] + patches), spacing: levelSpacing, to: folder.file(imagePath(of: item)),
                             affine: patchAffine(of: item))
        }
    }

    /// The voxel size at the tile's level.
    func contextSpacing(_ tile: TileContext.Tile) -> Spacing {
        spacing.scaled(xy: tile.level.factor, z: tile.level.depthFactor)
    }

    /// The tile's voxel-to-world affine, as a patch's at that level (DESIGN.md §7); nil without one.
    func contextAffine(_ tile: TileContext.Tile) -> VoxelToWorld? {
        guard let affine else { return nil }
        let f = [tile.level.factor, tile.level.factor, tile.level.depthFactor]
        let w = tile.levelWindow
        return affine.window(origin: [w.x * f[0], w.y * f[1], w.z * f[2]], factors: f).converted(to: .ras)
    }

    /// The manifest's `context` of `item`; nil without context levels it uses.
    func manifestContext(of item: PlannedWindow) -> [ManifestContext]? {
        let tiles = contextTiles(of: item)
        guard !tiles.isEmpty else { return nil }
        return tiles.enumerated().map { index, tile in
            ManifestContext(level: tile.level.index,
                            path: contextOutput == .files ? contextPath(of: item, level: tile.level.index) : imagePath(of: item),
                            window: ManifestWindow(tile.window, volumetric: true),
                            channels: contextOutput == .channels ? TileContext.channels(position: index, bands: channels.count) : nil,
                            spacing: contextSpacing(tile), affine: contextAffine(tile)?.matrix)
        }
    }

    /// Level-0 voxels the context tiles of one patch read, at most: each level's tile spans
    /// 2^ℓ source voxels per tile voxel, and reads only what lies inside the stack.
    func contextRegionVoxels() -> Int {
        (context?.levels ?? []).reduce(0) { sum, index in
            let level = Level(index, scalesDepth: scalesDepth)
            return sum + Swift.min(window.width * level.factor, size.width) * Swift.min(window.height * level.factor, size.height)
                * Swift.min(window.depth * level.depthFactor, size.depth)
        }
    }
}

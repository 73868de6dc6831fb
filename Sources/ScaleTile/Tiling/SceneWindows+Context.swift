import Foundation
import ScaleTileCore
import ScaleTileSatellite

/// Context tiles of scene windows (`--context-levels`): read at their level through the same
/// level sources as the windows (the scene, its exact overviews, or built level files), and
/// written as GeoTIFF/COG/`.npy` files with their own geotransform beside the window, or as
/// extra bands of the window's file.
extension SceneWindows {
    /// Checks the context options a scene takes.
    static func validateContext(_ o: TileOptions) throws {
        guard o.contextLevels != nil else { return }
        let format = o.format(stacks: false)
        if o.contextOutput == .channels, format == .png || format == .jpeg {
            throw ScaleTileError.argument("--context-as", "channels adds bands to each tile, which \(format.rawValue) cannot hold: use --format gtiff, cog or npy, or --context-as files")
        }
    }

    /// The context levels the windows of `work` read.
    func contextLevels(of work: [PlannedWindow]) -> [Level] {
        guard let context else { return [] }
        return Set(work.flatMap { context.used(byWindowAt: $0.level) }).sorted().map { Level($0) }
    }

    /// The encoders of windows with context channels, by the number of context levels they
    /// carry: the window's bands, then each level's, alike but for their colour interpretation.
    static func contextEncoders(_ encoder: SceneTileEncoder, pixelType: PixelType, context: ContextLevels?,
                                output: ContextOutput) throws -> [Int: SceneTileEncoder] {
        guard let context, output == .channels else { return [:] }
        var encoders: [Int: SceneTileEncoder] = [:]
        for count in 1...context.levels.count {
            let extra = Array(repeating: encoder.nodata, count: count).flatMap { $0 }
            encoders[count] = try SceneTileEncoder(
                format: encoder.format, pixelType: pixelType, userOptions: encoder.creationOptions,
                spatialReference: encoder.spatialReference, nodata: encoder.nodata + extra,
                colorInterpretations: encoder.colorInterpretations + extra.map { _ in "Undefined" },
                rescale: encoder.rescale.map { r in r + Array(repeating: r, count: count).flatMap { $0 } })
        }
        return encoders
    }

    /// The context tiles of `item`.
    func contextTiles(of item: PlannedWindow) -> [TileContext.Tile] {
        TileContext.tiles(of: item, levels: context)
    }

    /// Whether every context file of `item` is complete on disk (always, for channels).
    func hasContextFiles(of item: PlannedWindow, in folder: OutputFolder) -> Bool {
        guard contextOutput == .files else { return true }
        return contextTiles(of: item).allSatisfy { folder.hasFile(contextPath(of: item, level: $0.level.index)) }
    }

    /// Reads the context tiles of `item`, finest first, each at its level.
    func readContext(of item: PlannedWindow, with readers: LevelReaders) throws -> [RasterBuffer] {
        try contextTiles(of: item).map { try readers.read(TileContext.plannedWindow($0, of: item)).0 }
    }

    /// Writes a window and its context: context files first (so a window on disk always has
    /// them, as resume checks), or one file of the window's bands followed by the context's.
    func writeWithContext(_ buffer: RasterBuffer, context buffers: [RasterBuffer], of item: PlannedWindow,
                          geoTransform tileTransform: GeoTransform?, folder: OutputFolder) throws {
        guard !buffers.isEmpty else {
            try encoder.write(buffer, geoTransform: tileTransform, to: folder.file(relativePath(of: item)))
            return
        }
        switch contextOutput {
        case .files:
            for (tile, contextBuffer) in zip(contextTiles(of: item), buffers) {
                try encoder.write(contextBuffer, geoTransform: contextTransform(tile),
                                  to: folder.file(contextPath(of: item, level: tile.level.index)))
            }
            try encoder.write(buffer, geoTransform: tileTransform, to: folder.file(relativePath(of: item)))
        case .channels:
            try contextEncoders[buffers.count]!.write(TileContext.joined([buffer] + buffers), geoTransform: tileTransform,
                                                      to: folder.file(relativePath(of: item)))
        }
    }

    /// The context tile's geotransform: the level's, moved to the tile's first pixel.
    func contextTransform(_ tile: TileContext.Tile) -> GeoTransform? {
        geoTransform.map { tile.level.geoTransform(of: $0).shifted(column: tile.levelWindow.x, row: tile.levelWindow.y) }
    }

    /// `tiles/L0/{id}_ctx{ℓ}.{ext}`.
    func contextPath(of item: PlannedWindow, level: Int) -> String {
        TileContext.path(folder: folderName, of: item, level: level, fileExtension: encoder.format.fileExtension)
    }

    /// The summary's `context.sources`: where each context level the windows of `work` read came from.
    func contextSources(of work: [PlannedWindow]) -> [String: String]? {
        let levels = contextLevels(of: work)
        guard !levels.isEmpty else { return nil }
        return Dictionary(uniqueKeysWithValues: levels.map { (String($0.index), (levelSources[$0.index] ?? .scene).summaryName) })
    }

    /// The manifest's `context` of `item`; nil without context levels it uses.
    func manifestContext(of item: PlannedWindow) -> [ManifestContext]? {
        let tiles = contextTiles(of: item)
        guard !tiles.isEmpty else { return nil }
        return tiles.enumerated().map { index, tile in
            ManifestContext(level: tile.level.index,
                            path: contextOutput == .files ? contextPath(of: item, level: tile.level.index) : relativePath(of: item),
                            window: ManifestWindow(tile.window, volumetric: false),
                            channels: contextOutput == .channels ? TileContext.channels(position: index, bands: bands.count) : nil,
                            geoTransform: contextTransform(tile)?.coefficients)
        }
    }
}

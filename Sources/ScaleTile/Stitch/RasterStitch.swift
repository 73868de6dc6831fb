import Foundation
import ScaleTileCore
import ScaleTileSatellite
import ScaleTileMedical

/// Per-tile rasters (masks, probabilities, logits; GeoTIFF, PNG, JPEG or `.npy`, named like
/// the tiles) composed into one level-0 raster of the scene: `mosaic.tif`, a tiled DEFLATE
/// GeoTIFF with the scene's size, geotransform and CRS.
///
/// Streaming: the scene is composed one band of block rows at a time (``MosaicBand``); a tile
/// is decoded when the first band it reaches begins and released after the last, so memory is
/// a band of windows, not the scene.
struct RasterStitch {
    let run: StitchedRun
    let options: StitchOptions

    /// Blocks across one piece of a band: 8 × 256 px keeps a piece of three float channels near 12 MB.
    static let blocksPerPiece = 8

    /// File name extensions read as per-tile rasters.
    static let extensions: Set<String> = ["tif", "tiff", "png", "jpg", "jpeg", "npy"]

    private struct Tile {
        let entry: Int
        let path: String
        /// Pixels (voxels) of the tile: depth 1 for scene tiles.
        let size: RasterSize
        let channels: Int
        let pixelType: PixelType
        let nodata: Double?
    }

    /// Whether `folder` holds per-tile rasters (and no YOLO text files).
    static func holdsRasters(_ folder: String) -> Bool {
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return false }
        var rasters = false
        while let relative = walker.nextObject() as? String {
            let ext = (relative as NSString).pathExtension.lowercased()
            if ext == "txt" { return false }
            if extensions.contains(ext) { rasters = true }
        }
        return rasters
    }

    /// The per-tile rasters of `folder`, at least one, all with one channel count; the counted
    /// input problems (errors with `--strict`).
    private func checkedInventory(_ folder: String, noun: String) throws -> ([Tile], StitchWarnings) {
        var warnings = StitchWarnings()
        let tiles = try inventory(folder, warnings: &warnings)
        if options.strict, let first = warnings.lines.first { throw ScaleTileError(.invalidInput, folder, first) }
        guard let first = tiles.first else {
            throw ScaleTileError(.invalidInput, folder, "no raster is named like a \(noun) of \(run.folder)")
        }
        for t in tiles where t.channels != first.channels {
            throw ScaleTileError(.invalidInput, t.path, "has \(t.channels) channels, \((first.path as NSString).lastPathComponent) has \(first.channels)")
        }
        return (tiles, warnings)
    }

    /// The mosaic's sample type: the tiles', or the smallest integer holding a class index (`--argmax`).
    private func outputType(_ first: Tile) -> PixelType {
        options.argmax ? (first.channels <= 255 ? .uint8 : .uint16) : first.pixelType
    }

    private static func makeFolder(_ output: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        } catch {
            throw ScaleTileError(.io, output, "cannot create the output folder")
        }
    }

    func stitch(folder: String, into output: String) throws -> (tiles: Int, warnings: StitchWarnings) {
        let (tiles, warnings) = try checkedInventory(folder, noun: "tile")
        let first = tiles[0], channels = first.channels
        let outputType = self.outputType(first)
        let nodata = options.nodata ?? (options.argmax ? outputType.valueRange.upperBound : first.nodata ?? (outputType.isFloatingPoint ? .nan : 0))
        try Self.makeFolder(output)
        let path = output + "/mosaic.tif"
        let bands = options.argmax ? 1 : channels
        try checkBandMemory(tiles, channels: channels, rowsPerBand: Swift.min(256, run.sceneSize.height), planeWidth: Swift.min(256 * Self.blocksPerPiece, run.sceneSize.width), planeHeight: run.sceneSize.height, bySlice: false)
        let file = try LevelRasterFile(path: path, size: run.sceneSize, bandCount: bands, pixelType: outputType,
                                       geoTransform: run.geoTransform, spatialReference: run.spatialReference,
                                       nodata: [Double?](repeating: nodata, count: bands), colorInterpretations: [], withMask: false)
        var assembler = BlockAssembler(levelSize: run.sceneSize, blockSize: file.blockSize, bandCount: bands, pixelType: outputType, fill: nodata)
        // Pieces of a band of block rows, a few blocks wide; within a piece, tiles in manifest
        // order (ties of `center`). Each tile is decoded for the rows and columns a piece needs
        // only, so memory is a piece and its tiles' parts, not the tiles crossing the band.
        let windows = tiles.map { run.entries[$0.entry].window.window }
        let pieceWidth = file.blockSize.width * Self.blocksPerPiece, bandHeight = file.blockSize.height
        var y = 0
        while y < run.sceneSize.height {
            let rowCount = Swift.min(bandHeight, run.sceneSize.height - y)
            var x = 0
            while x < run.sceneSize.width {
                let piece = Window(x: x, y: y, width: Swift.min(pieceWidth, run.sceneSize.width - x), height: rowCount)
                var band = MosaicBand(rows: piece, channels: channels, blend: options.blend, upsampling: options.upsampling)
                for (k, tile) in tiles.enumerated() {
                    let level = Level(run.entries[tile.entry].level)
                    guard let region = band.tileRegion(window: windows[k], level: level, tileSize: tile.size) else { continue }
                    band.add(try read(tile, region: region), tileSize: tile.size, window: windows[k], level: level, held: region)
                }
                let composed = options.argmax ? band.argmax(nodata: nodata) : band.finished(nodata: nodata)
                let buffer = composed.withUnsafeBytes {
                    RasterBuffer(pixelType: .float64, bandCount: bands, size: RasterSize(width: piece.width, height: piece.height), bytes: Array($0))
                }
                for block in assembler.add(buffer.converted(to: outputType), at: piece) { try file.write(block) }
                x = piece.maxX
            }
            y += rowCount
        }
        if options.mosaicFormat == .cog { try file.finishCloudOptimized() } else { try file.finish() }
        return (tiles.count, warnings)
    }

    /// Stack patches (ImageJ TIFF or `.npy` (C, Z, Y, X)) composed into `volume.tif`, an ImageJ
    /// TIFF with the volume's size and spacing, one slice at a time: a patch is decoded when the
    /// first slice it crosses begins and released after its last. Voxels no patch covers hold
    /// the nodata value (`--nodata`, else NaN for floats, 0 for integers).
    func stitchVolume(folder: String, into output: String) throws -> (patches: Int, warnings: StitchWarnings) {
        guard let volume = run.volume else { preconditionFailure("not a stack output") }

        let (tiles, warnings) = try checkedInventory(folder, noun: "patch")
        let first = tiles[0], channels = first.channels
        if options.mosaicFormat == .nifti, !options.argmax, channels > 1 {
            throw ScaleTileError.argument("--mosaic-format", "nifti volumes are written with one channel; give --argmax or --mosaic-format gtiff")
        }
        let outputType = self.outputType(first)
        let nodata = options.nodata ?? (options.argmax ? outputType.valueRange.upperBound : (outputType.isFloatingPoint ? .nan : 0))
        try Self.makeFolder(output)
        let bands = options.argmax ? 1 : channels
        try checkBandMemory(tiles, channels: channels, rowsPerBand: 1, planeWidth: volume.size.width, planeHeight: volume.size.height, bySlice: true)
        let stream = try VolumeSink(format: options.mosaicFormat, run: run, path: output + "/" + options.mosaicFormat.fileName(volume: true),
                                    channels: bands, pixelType: outputType)
        let windows = tiles.map { run.entries[$0.entry].window.window }
        var loaded: [Int: [Double]] = [:]
        let plane = Window(x: 0, y: 0, width: volume.size.width, height: volume.size.height)
        for z in 0 ..< volume.size.depth {
            var band = MosaicBand(rows: plane, channels: channels, blend: options.blend, upsampling: options.upsampling)
            for (k, tile) in tiles.enumerated() where windows[k].z <= z && z < windows[k].maxZ {
                let samples = try loaded[k] ?? read(tile)
                loaded[k] = samples
                // The patch's slice z, channel-first (C, Y, X).
                let slicePlane = tile.size.width * tile.size.height, volumePlane = slicePlane * tile.size.depth
                // Levels scaled in Z (`--scale-z`): each patch slice covers 2^level level-0 slices,
                // taken nearest in Z whatever `--upsample` says for X and Y.
                let dz = Swift.min(tile.size.depth - 1, (z - windows[k].z) / run.level(of: tile.entry).depthFactor)
                var slice = [Double](repeating: 0, count: channels * slicePlane)
                for c in 0 ..< channels {
                    slice.replaceSubrange(c * slicePlane ..< (c + 1) * slicePlane,
                                          with: samples[(c * volumePlane + dz * slicePlane) ..< (c * volumePlane + (dz + 1) * slicePlane)])
                }
                band.add(slice, tileSize: RasterSize(width: tile.size.width, height: tile.size.height), window: windows[k],
                         level: run.level(of: tile.entry),
                         depthWeight: options.blend.axisWeight(z, start: windows[k].z, length: windows[k].depth))
            }
            for k in Array(loaded.keys) where windows[k].maxZ <= z + 1 { loaded[k] = nil }
            let composed = options.argmax ? band.argmax(nodata: nodata) : band.finished(nodata: nodata)
            let buffer = composed.withUnsafeBytes {
                RasterBuffer(pixelType: .float64, bandCount: bands, size: RasterSize(width: plane.width, height: plane.height), bytes: Array($0))
            }
            try stream.append(buffer.converted(to: outputType))
        }
        try stream.finish()
        return (tiles.count, warnings)
    }

    /// Checks the buffers composing needs against the budget before any is made. Scenes: a
    /// piece of `rowsPerBand` rows and `planeWidth` columns (values and weights, channels + 1
    /// doubles a pixel) and the part of one tile read for it (channels doubles a pixel).
    /// Volumes (`bySlice`): a whole plane, plus the patches decoded as doubles while it is
    /// composed (a patch stays loaded from its first slice to its last, so the peak is the
    /// largest sum over one slice).
    private func checkBandMemory(_ tiles: [Tile], channels: Int, rowsPerBand: Int, planeWidth: Int, planeHeight: Int, bySlice: Bool) throws {
        let rows = bySlice ? planeHeight : rowsPerBand
        let bandBytes = MemoryBudget.product([channels + 1, planeWidth, rows, 8]) ?? Int.max
        var peak = MemoryBudget.product([channels, planeWidth, rows, 8]) ?? Int.max
        if bySlice {
            var events: [(slice: Int, bytes: Int)] = []
            for tile in tiles {
                let w = run.entries[tile.entry].window.window
                let bytes = MemoryBudget.product([tile.size.width, tile.size.height, tile.size.depth, tile.channels, 8]) ?? Int.max
                events.append((w.z, bytes))
                events.append((w.maxZ, -bytes))
            }
            // Releases before loads at one slice: a patch ending above the slice is gone when it begins.
            events.sort { $0.slice != $1.slice ? $0.slice < $1.slice : $0.bytes < $1.bytes }
            var inFlight = 0
            peak = 0
            for event in events {
                inFlight = inFlight.addingReportingOverflow(event.bytes).overflow ? Int.max : inFlight + event.bytes
                peak = Swift.max(peak, inFlight)
            }
        }
        let (total, overflow) = bandBytes.addingReportingOverflow(peak)
        let what = bySlice ? "a mosaic slice of \(planeWidth)x\(rows) voxels x \(channels) channels and the patches it reads (\(MemoryBudget.format(peak)) as doubles)"
                           : "a mosaic piece of \(planeWidth)x\(rows) pixels x \(channels) channels and a tile's part of it"
        try options.maxMemory.check([overflow ? Int.max : total], figure: what + " would", kind: .invalidInput, path: run.folder + "/summary.json")
    }

    /// Where composed slices go: an ImageJ TIFF (``StackFileStream``) or a `.nii.gz` with the
    /// source's affine (``NIfTIFileStream``), both slice by slice.
    private enum VolumeSink {
        case tiff(StackFileStream)
        case nifti(NIfTIFileStream)

        init(format: MosaicFormat, run: StitchedRun, path: String, channels: Int, pixelType: PixelType) throws {
            guard let volume = run.volume else { preconditionFailure("not a stack output") }
            if format == .nifti {
                let affine = VoxelToWorld(matrix: run.voxelToWorld + [[0, 0, 0, 1]], space: .ras)
                self = .nifti(try NIfTIFileStream(path: path, size: volume.size, pixelType: pixelType, spacing: volume.spacing, affine: affine))
            } else {
                self = .tiff(try StackFileStream(writer: try StackWriter(format: .tiff), path: path, size: volume.size,
                                                 channels: channels, pixelType: pixelType, spacing: volume.spacing))
            }
        }

        func append(_ slice: RasterBuffer) throws {
            switch self {
            case .tiff(let s): try s.append(slice)
            case .nifti(let s): try s.append(slice)
            }
        }

        func finish() throws {
            switch self {
            case .tiff(let s): try s.finish()
            case .nifti(let s): try s.finish()
            }
        }
    }

    /// Every raster of `folder` matched to its manifest entry, checked against its window's size.
    private func inventory(_ folder: String, warnings: inout StitchWarnings) throws -> [Tile] {
        guard let walker = FileManager.default.enumerator(atPath: folder) else {
            throw ScaleTileError(.io, folder, "cannot list the folder")
        }
        var files: [String] = []
        while let relative = walker.nextObject() as? String {
            if Self.extensions.contains((relative as NSString).pathExtension.lowercased()) { files.append(relative) }
        }
        var byEntry: [Int: String] = [:]
        for relative in files.sorted() {
            let path = folder + "/" + relative
            if run.maskStems.contains(StitchedRun.stem(relative)) { continue }
            guard let index = run.entry(named: StitchedRun.stem(relative)) else {
                warnings.note(\.unknownTiles, "unknown", relative)
                continue
            }
            if let other = byEntry[index] {
                throw ScaleTileError(.invalidInput, path, "names the same tile as \(other)")
            }
            byEntry[index] = path
        }
        return try byEntry.keys.sorted().map { index in
            let path = byEntry[index]!
            let entry = run.entries[index]
            let expected = run.level(of: index).window(fromBase: entry.window.window)
            let tile = try header(path, entry: index)
            guard tile.size.width == expected.width, tile.size.height == expected.height, tile.size.depth == expected.depth else {
                throw ScaleTileError(.invalidInput, path, "is \(tile.size) pixels, its window at level \(entry.level) is \(expected.size)")
            }
            return tile
        }
    }

    private func header(_ path: String, entry: Int) throws -> Tile {
        if path.lowercased().hasSuffix(".npy") {
            guard let handle = FileHandle(forReadingAtPath: path) else { throw ScaleTileError(.io, path, "cannot read the file") }
            defer { try? handle.close() }
            // The header's own length field says how much more to read (bounded by the reader).
            var head = handle.readData(ofLength: 4096)
            if head.count >= 12, head[head.startIndex + 6] >= 2 || Int(head[head.startIndex + 8]) | Int(head[head.startIndex + 9]) << 8 > 4086 {
                head.append(handle.readData(ofLength: NumpyArrayFile.maximumHeaderLength + 12 - head.count))
            }
            let layout = try NumpyArrayFile.layout(of: head, file: path)
            let (type, size, channels) = try NumpyArrayFile.rasterLayout(layout, file: path)
            // A channel count the file cannot hold must not size the mosaic's band buffers.
            _ = try NumpyArrayFile.dataByteCount(layout, type: type, fileSize: Int(handle.seekToEndOfFile()), file: path)
            return Tile(entry: entry, path: path, size: size, channels: channels, pixelType: type, nodata: nil)
        }
        if run.volume != nil {
            let stack = try TIFFStack(opening: path)
            return Tile(entry: entry, path: path, size: stack.size, channels: stack.channelCount, pixelType: stack.pixelType, nodata: nil)
        }
        let dataset = try Dataset(opening: path)
        guard let type = try dataset.band(1).pixelType else {
            throw ScaleTileError(.unsupported, path, "has a data type ScaleTile does not read")
        }
        return Tile(entry: entry, path: path, size: dataset.size, channels: dataset.bandCount, pixelType: type, nodata: try dataset.band(1).nodata)
    }

    /// The samples of `region` (the tile's own pixels) as Double, channel-first: through GDAL's
    /// windowed read for GeoTIFF, PNG and JPEG tiles (strips and blocks outside it stay
    /// encoded), cut from the whole array for `.npy`.
    private func read(_ tile: Tile, region: Window) throws -> [Double] {
        if tile.path.lowercased().hasSuffix(".npy") {
            let whole = try read(tile)
            let w = tile.size.width, plane = w * tile.size.height
            var out: [Double] = []
            out.reserveCapacity(tile.channels * region.width * region.height)
            for c in 0 ..< tile.channels {
                for row in region.y ..< region.maxY {
                    let start = c * plane + row * w + region.x
                    out.append(contentsOf: whole[start ..< start + region.width])
                }
            }
            return out
        }
        let buffer = try Dataset(opening: tile.path).read(region, bands: Array(1 ... tile.channels))
        return buffer.converted(to: .float64).bytes.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
    }

    /// The tile's samples as Double, channel-first.
    private func read(_ tile: Tile) throws -> [Double] {
        let buffer: RasterBuffer
        if tile.path.lowercased().hasSuffix(".npy") {
            guard let data = FileManager.default.contents(atPath: tile.path) else { throw ScaleTileError(.io, tile.path, "cannot read the file") }
            buffer = try NumpyArrayFile.decode(data, file: tile.path)
            // The file may have changed since its header was read.
            guard buffer.size == tile.size, buffer.bandCount == tile.channels, buffer.pixelType == tile.pixelType else {
                throw ScaleTileError(.invalidInput, tile.path, "changed while the mosaic was composed")
            }
        } else if run.volume != nil {
            buffer = try TIFFStack(opening: tile.path).read(Window(size: tile.size))
        } else {
            buffer = try Dataset(opening: tile.path).read(Window(size: tile.size), bands: Array(1 ... tile.channels))
        }
        return buffer.converted(to: .float64).bytes.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
    }
}

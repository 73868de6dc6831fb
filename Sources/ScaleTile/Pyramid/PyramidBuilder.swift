import Foundation
import Synchronization
import ScaleTileCore
import ScaleTileSatellite

/// Builds exact pyramid levels of a scene in one streaming pass (DESIGN.md §1, §3).
///
/// One reader thread decodes the scene once, strip by strip (``StripPlan``: panel-wide,
/// aligned to the source's blocks and to every level's blocks). One thread per level gathers
/// its level's pixels of each strip into whole output blocks (``BlockAssembler``) and writes
/// them to its own level file in a fixed order (``LevelRasterFile``), compressing as it goes.
///
/// Every level pixel is the exact mean of its full-resolution block, whichever way it is made:
/// - `average` of `Byte` and `UInt16` scenes (most imagery): the reader sums each strip's
///   levels one from the next (``LevelCascade``: valid sums and counts, divided once), a
///   third of a pass over the strip for the whole pyramid;
/// - other types and resamplings: each level thread has GDAL resample the full-resolution
///   strip (``LevelDownsampler``), one pass per level.
/// Both give the same bits (`LevelCascadeTests`). Memory: a few strips and each level's partly
/// filled blocks, whatever the scene's size.
struct PyramidBuilder: Sendable {
    /// Where each level goes and what it is.
    struct Target: Sendable {
        let level: Level
        let path: String
    }

    let source: String
    let bands: [Int]
    let pixelType: PixelType
    let nodata: NodataDefinition
    let resampling: Resampling
    let targets: [Target]
    let geoTransform: GeoTransform?
    let spatialReference: SpatialReference?
    let colorInterpretations: [String]
    let creationOptions: [String: String]
    /// Checked against the strips and level blocks in flight before the build starts.
    var maxMemory = MemoryBudget.systemDefault
    /// Bytes of full-resolution pixels per strip.
    var stripBudget = 4 << 20

    /// Builds every target level; returns when all files are complete and in place.
    func build(progress: (any ProgressObserver)? = nil) throws {
        guard !targets.isEmpty else { return }
        // Strips read each source block exactly once: a cache beyond one strip's blocks holds dead ones.
        if ProcessInfo.processInfo.environment["GDAL_CACHEMAX"] == nil {
            GDALRuntime.blockCacheBytes = Swift.max(8 << 20, stripBudget * 3 / 2)
        }
        let (plan, size, usesMask) = try checkMemory()
        let cascade = LevelCascade.supports(pixelType, nodata: nodata.outputValues, resampling: resampling)
            ? LevelCascade(pixelType: pixelType, bandCount: bands.count, nodata: nodata.outputValues) : nil
        let cascadedLevels = Array(Set(targets.map(\.level.index))).sorted()
        let queues = targets.map { _ in BoundedQueue<LevelInput>(capacity: 2) }
        let finished = Atomic<Int>(0)
        let total = plan.strips.count * targets.count
        let builder = self

        try WorkerThreads.run(count: targets.count + 1) { worker, failure in
            if worker == 0 {
                defer { queues.forEach { $0.close() } }
                let dataset = try Dataset(opening: builder.source, overviews: .ignored)
                // A signal stops the reading; the levels then stop short and are not kept.
                for window in plan.strips where !failure.hasFailed && Interruption.requestedSignal == nil {
                    let pixels = try dataset.read(window, bands: builder.bands, pixelType: builder.pixelType)
                    let mask = usesMask ? try dataset.readValidityMask(window, band: builder.bands[0]) : nil
                    guard let cascade else {
                        let strip = FullResolutionStrip(pixels: pixels, mask: mask, window: window)
                        for queue in queues { queue.push(.fullResolution(strip)) }
                        continue
                    }
                    let levels = cascade.levels(of: pixels, validity: mask, cascadedLevels)
                    for (queue, target) in zip(queues, builder.targets) {
                        let level = levels[cascadedLevels.firstIndex(of: target.level.index)!]
                        queue.push(.cascaded(level, levelWindow: target.level.window(fromBase: window)))
                    }
                }
            } else {
                let target = builder.targets[worker - 1]
                let queue = queues[worker - 1]
                var failed = false
                do {
                    try builder.buildLevel(target, sceneSize: size, usesMask: usesMask, stripCount: plan.strips.count, from: queue, failure: failure) {
                        progress?.advance(to: finished.add(1, ordering: .relaxed).newValue, of: total)
                    }
                } catch {
                    failed = true
                    failure.record(error)
                }
                // Keep draining so the reader never waits on a level that stopped.
                if failed { while queue.pop() != nil {} }
            }
        }
    }

    /// The strips of the build, checked against ``maxMemory`` (a job calls it before it makes
    /// its output folder, so a refused build leaves nothing behind).
    @discardableResult
    func checkMemory() throws -> (plan: StripPlan, sceneSize: RasterSize, usesMask: Bool) {
        let probe = try Dataset(opening: source)
        let size = probe.size
        let block = try probe.band(bands[0]).blockSize
        let usesMask = nodata.source == .maskBand
        let plan = StripPlan(sceneSize: size, blockSize: RasterSize(width: block.width, height: block.height),
                             maxLevel: targets.map(\.level.index).max() ?? 1,
                             bytesPerPixel: bands.count * pixelType.byteSize, budgetBytes: stripBudget)
        try checkMemory(plan: plan, sceneSize: size, usesMask: usesMask)
        return (plan, size, usesMask)
    }

    /// Checks what the build holds at once against ``maxMemory``: the strips in flight (the
    /// reader's and the two each level queue may hold, shared), the cascade's sums, each
    /// level's downsampled strip,
    /// and each level's partly filled 256-pixel blocks (a row of them, and with several panels
    /// a column at the panel's edge too). A source whose blocks are whole rows of a huge
    /// scene makes strips of the whole scene: refused here, not aborted in the allocation.
    private func checkMemory(plan: StripPlan, sceneSize: RasterSize, usesMask: Bool) throws {
        let bytesPerPixel = bands.count * pixelType.byteSize + (usesMask ? 1 : 0)
        let stripPixels = plan.strips.map { $0.width * $0.height }.max() ?? 0
        var factors = MemoryBudget.product([3, stripPixels, bytesPerPixel]) ?? Int.max
        if LevelCascade.supports(pixelType, nodata: nodata.outputValues, resampling: resampling) {
            // The cascade's sums (8 bytes) and counts (4) of a quarter, a sixteenth, … of the strip.
            let sums = MemoryBudget.product([stripPixels, bands.count, 4]) ?? Int.max
            factors = factors.addingReportingOverflow(sums).overflow ? Int.max : factors + sums
        }
        let panels = sceneSize.width.divided(roundingUpBy: Swift.max(1, plan.panelWidth))
        for target in targets {
            let levelSize = target.level.size(of: sceneSize)
            let downsampled = stripPixels / (target.level.factor * target.level.factor) + 1
            var pendingBlocks = levelSize.width.divided(roundingUpBy: 256)
            if panels > 1 { pendingBlocks = (plan.panelWidth / target.level.factor).divided(roundingUpBy: 256) + levelSize.height.divided(roundingUpBy: 256) }
            let level = MemoryBudget.product([downsampled + pendingBlocks * 256 * 256, bytesPerPixel]) ?? Int.max
            factors = factors.addingReportingOverflow(level).overflow ? Int.max : factors + level
        }
        let strip = plan.strips.first.map { "\($0.width)x\($0.height)" } ?? "no"
        try maxMemory.check([factors], figure: "strips of \(strip) pixels x \(bands.count) \(pixelType.rawValue) bands and \(targets.count) levels' blocks would",
                            kind: .invalidArgument, path: source)
    }

    /// What a level thread gets of each strip: the full-resolution strip to resample, or its
    /// level already cascaded by the reader.
    private enum LevelInput: Sendable {
        case fullResolution(FullResolutionStrip)
        case cascaded(LevelCascade.LevelStrip, levelWindow: Window)
    }

    private func buildLevel(_ target: Target, sceneSize: RasterSize, usesMask: Bool, stripCount: Int, from queue: BoundedQueue<LevelInput>,
                            failure: FirstFailure, stripDone: () -> Void) throws {
        let level = target.level
        let levelSize = level.size(of: sceneSize)
        let file = try LevelRasterFile(
            path: target.path, size: levelSize, bandCount: bands.count, pixelType: pixelType,
            geoTransform: geoTransform?.scaled(by: level.factor), spatialReference: spatialReference,
            nodata: nodata.outputValues, colorInterpretations: colorInterpretations, withMask: usesMask,
            creationOptions: creationOptions)
        var pixels = BlockAssembler(levelSize: levelSize, blockSize: file.blockSize, bandCount: bands.count,
                                    pixelType: pixelType, fill: nodata.fillValue)
        var masks = BlockAssembler(levelSize: levelSize, blockSize: file.blockSize, bandCount: 1, pixelType: .uint8, fill: 0)
        var stripsDone = 0
        while let input = queue.pop() {
            if failure.hasFailed { continue }
            stripsDone += 1
            let result: (pixels: RasterBuffer, mask: [UInt8]?, levelWindow: Window)
            switch input {
            case .fullResolution(let strip):
                result = try LevelDownsampler.downsample(strip, to: level, nodata: nodata.outputValues, resampling: resampling)
            case .cascaded(let strip, let levelWindow):
                result = (strip.pixels, strip.mask, levelWindow)
            }
            let blocks = pixels.add(result.pixels, at: result.levelWindow)
            var maskBlocks: [BlockAssembler.Block] = []
            if let mask = result.mask {
                let buffer = RasterBuffer(pixelType: .uint8, bandCount: 1,
                                          size: RasterSize(width: result.levelWindow.width, height: result.levelWindow.height), bytes: mask)
                maskBlocks = masks.add(buffer, at: result.levelWindow)
            }
            // Pixel and mask blocks cover the same grid, so they complete together, in the same order.
            for (i, block) in blocks.enumerated() {
                try file.write(block, mask: i < maskBlocks.count ? maskBlocks[i] : nil)
            }
            stripDone()
        }
        // Failed or interrupted before the last strip: the file is dropped (its temporary removed).
        guard !failure.hasFailed, stripsDone == stripCount else { return }
        precondition(pixels.pendingCount == 0, "every block of level \(level.index) was written")
        try file.finish()
    }
}

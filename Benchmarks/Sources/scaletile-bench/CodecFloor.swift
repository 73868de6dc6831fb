import ArgumentParser
import Foundation
import ScaleTile
import ScaleTileCore
import ScaleTileSatellite

/// The codec floor of a tiling run: the CPU time of decoding the scene once plus encoding
/// every tile once with the same settings, on one thread, divided by the cores.
///
/// No tiler can beat it without a faster codec, so `scaletile tile`'s wall time divided by
/// this floor says how much of the run is anything else (reading order, copies, threads).
struct CodecFloor: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "codec-floor")

    @Argument var scene: String
    @Option(name: .customLong("tile-size")) var tileSize = 512
    @Option var overlap = 64
    @Option(name: .customLong("co")) var creationOptions: [String] = []
    @Option(help: "Scratch folder for the encoded tiles (removed afterwards).") var scratch = "/tmp/scaletile-codec-floor"

    func run() throws {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let dataset = try Dataset(opening: scene)
        // Decode: every block once, with a cache too small to help.
        GDALRuntime.blockCacheBytes = 8 << 20
        let decodeStart = ThreadCPUClock.now()
        let blocks = try dataset.decodeEveryBlock()
        let decode = ThreadCPUClock.now() - decodeStart

        // Encode: every tile of the same plan as `scaletile tile`, same encoder and options.
        try? FileManager.default.removeItem(atPath: scratch)
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        var options: [String: String] = [:]
        for item in creationOptions {
            let kv = item.split(separator: "=", maxSplits: 1).map(String.init)
            if kv.count == 2 { options[kv[0].uppercased()] = kv[1] }
        }
        let bands = Array(1...dataset.bandCount)
        let type = try dataset.band(1).pixelType ?? .uint8
        let nodata = try NodataDefinition(dataset: dataset, bands: bands)
        let encoder = try SceneTileEncoder(format: .gtiff, pixelType: type, userOptions: options,
                                           spatialReference: dataset.spatialReference, nodata: nodata.outputValues,
                                           colorInterpretations: try bands.map { try dataset.band($0).colorInterpretation })
        let plan = try GridPlanner.plan(rasterSize: dataset.size, tile: RasterSize(width: tileSize, height: tileSize),
                                        overlap: RasterSize(width: overlap, height: overlap, depth: 0), edge: .shift,
                                        levels: [.base], stem: "floor")
        GDALRuntime.blockCacheBytes = 64 << 20
        var encode = 0.0
        for (i, item) in plan.enumerated() {
            let pixels = try dataset.read(item.window, bands: bands)
            let gt = dataset.geoTransform?.shifted(column: item.window.x, row: item.window.y)
            let start = ThreadCPUClock.now()
            try encoder.write(pixels, geoTransform: gt, to: scratch + "/\(i).tif")
            encode += ThreadCPUClock.now() - start
        }
        print("METRIC blocks=\(blocks)")
        print("METRIC tiles=\(plan.count)")
        print(String(format: "METRIC decode_cpu_s=%.2f", decode))
        print(String(format: "METRIC encode_cpu_s=%.2f", encode))
        print("METRIC cores=\(cores)")
        print(String(format: "METRIC floor_s=%.2f", (decode + encode) / Double(cores)))
    }
}

/// CPU time of the calling thread (`CLOCK_THREAD_CPUTIME_ID`), in seconds.
enum ThreadCPUClock {
    static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
}

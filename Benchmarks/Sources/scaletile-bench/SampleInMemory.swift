import ArgumentParser
import Foundation
import ScaleTileCore
import ScaleTileMedical

/// Object-balanced sampling of a CT stack into memory, the way MONAI's RandCropByPosNegLabeld
/// hands patches to a training loop: set-up (opening the stacks, the streaming lesion index,
/// the plan) and extraction are both timed, and every patch is touched (summed) so nothing is
/// left lazy. The audit figures (bias R, 5-coverage) come from the plan actually extracted.
struct SampleInMemory: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sample-in-memory")

    @Argument var image: String
    @Argument var mask: String
    @Option var count = 2000
    @Option(help: "X x Y x Z voxels") var patch = "96x96x48"
    @Option var alpha = 1.0
    @Option var seed: UInt64 = 0

    /// Touches every byte, as `patch.sum()` does in the peers' script, eight at a time.
    static func sum(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { raw in
            let words = raw.count / 8
            var total: UInt64 = 0
            for i in 0..<words { total &+= raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self) }
            for i in (words * 8)..<raw.count { total &+= UInt64(raw[i]) }
            return total
        }
    }

    func run() throws {
        let start = Date()
        let sides = patch.split(separator: "x").compactMap { Int($0) }
        guard sides.count == 3 else { throw ValidationError("--patch is XxYxZ") }
        let patchSize = RasterSize(width: sides[0], height: sides[1], depth: sides[2])
        let images = try TIFFStack(opening: image)
        let masks = try TIFFStack(opening: mask)
        var labeler = ComponentLabeler(width: masks.size.width, height: masks.size.height, spacing: masks.spacing)
        try masks.forEachSlice { _, raw in try labeler.append(slice: raw, pixelType: masks.pixelType) }
        let lesions = labeler.finish()
        let targets = lesions.map(\.samplingTarget)
        let sampler = try PatchSampler(rasterSize: images.size, patchSize: patchSize, levels: [.base], seed: seed)
        let plan = try sampler.objectBalanced(targets, count: count, alpha: alpha)
        let setUp = Date().timeIntervalSince(start)

        // The epoch's plan is known up front, so patches are cut in an order that keeps the
        // slices they share in the stacks' block caches (by depth, then rows); a training loop
        // shuffles the finished batch as it would anyway.
        let order = plan.windows.sorted { ($0.window.z, $0.window.y, $0.window.x) < ($1.window.z, $1.window.y, $1.window.x) }
        var checksum = 0.0
        let extractStart = Date()
        for window in order {
            let pixels = try images.read(window.window)
            let labels = try masks.read(window.window)
            checksum += Double(Self.sum(pixels.bytes)) + Double(Self.sum(labels.bytes))
        }
        let extract = Date().timeIntervalSince(extractStart)
        let total = Date().timeIntervalSince(start)
        let audit = ScaleAudit(targets: targets, windows: plan.windows, coverageK: 5)
        print("METRIC lesions=\(lesions.count)")
        print("METRIC patches=\(plan.windows.count)")
        print(String(format: "METRIC setup_s=%.2f", setUp))
        print(String(format: "METRIC extract_s=%.2f", extract))
        print(String(format: "METRIC patches_per_s=%.1f", Double(plan.windows.count) / total))
        print(String(format: "METRIC extract_patches_per_s=%.1f", Double(plan.windows.count) / extract))
        print("METRIC bias_R=\(audit.containableSamplingBias.map { String(format: "%.3f", $0) } ?? "inf")")
        print("METRIC coverage5=\(audit.coverageShare(k: 5).map { String(format: "%.3f", $0) } ?? "nan")")
        // Lesions deeper than the patch can never lie whole inside one: the share of the others.
        let containable = audit.targets.filter(\.containable)
        print(String(format: "METRIC coverage5_containable=%.3f", Double(containable.count { $0.containmentCount >= 5 }) / Double(max(1, containable.count))))
        print("METRIC uncontainable=\(plan.uncontainedTargetIDs.count)")
        print(String(format: "METRIC checksum=%.6g", checksum))
    }
}

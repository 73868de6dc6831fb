import Foundation
import Testing
@testable import ScaleTileCore

/// Audit figures that do not apply are left out; unbounded ratios are null with a flag.
@Suite("Hostile: audit figures")
struct HostileAuditFiguresTests {
    // The targets of the audit's hand example: A 4x4 at (10, 10), B 20x20 at (50, 10), C 40x40 at (0, 100).
    let targets = AuditTests().targets

    /// A plain 64-px grid over 0..<192 (stride 64): 9 windows, no target, no negative.
    var grid: [PlannedWindow] {
        (0..<3).flatMap { row in (0..<3).map { column in
            PlannedWindow(id: "g\(row)-\(column)", level: 0, window: Window(x: column * 64, y: row * 64, width: 64, height: 64), reason: .grid)
        } }
    }

    @Test func aGridRunKeepsOnlyContainment() throws {
        let audit = ScaleAudit(targets: targets, windows: grid)
        // A (10–14) lies in window (0, 0); B spans x 50–70 across two columns; C spans y 100–140
        // across rows 1 and 2 (64–128, 128–192): only A is whole in a window.
        #expect(audit.targets.map(\.containmentCount) == [1, 0, 0])
        #expect(!audit.sampled)
        #expect(audit.samplingBias == nil && audit.containableSamplingBias == nil)
        #expect(audit.bucketBalance == nil && audit.targetedBucketBalance == nil && audit.sizeSlope == nil)
        #expect(audit.coverage.map(\.k) == [1])
        let json = String(decoding: try StableJSON.lineEncoder().encode(audit), as: UTF8.self)
        for key in ["samplingBias", "bucketBalance", "targetedBucketCounts", "sizeSlope", "Infinity"] {
            #expect(!json.contains(key), "\(key) in \(json.prefix(300))")
        }
        let table = audit.table()
        for text in ["5-coverage", "bucket balance", "sampling bias", "∞", "size slope"] {
            #expect(!table.contains(text), "\(text) in\n\(table)")
        }
        #expect(table.contains("contained whole in ≥ 1 window           1 of 3   33.3%"))
        // Round trip through JSON keeps the audit.
        #expect(try StableJSON.decodeLines(ScaleAudit.self, from: Data(json.utf8)).first == audit)
    }

    @Test func anUnboundedRatioIsNullWithAFlag() throws {
        // A window for A only: B and C are never contained, so R = 3 / 0.
        let windows = [PlannedWindow(id: "w1", level: 0, window: Window(x: 0, y: 0, width: 64, height: 64), reason: .object, targetID: "A")]
        let audit = ScaleAudit(targets: targets, windows: windows)
        #expect(audit.samplingBias == .infinity)
        let json = String(decoding: try StableJSON.lineEncoder().encode(audit), as: UTF8.self)
        #expect(json.contains(#""samplingBias":null"#) && json.contains(#""samplingBiasUnbounded":true"#))
        #expect(!json.contains("Infinity"))
        #expect(try StableJSON.decodeLines(ScaleAudit.self, from: Data(json.utf8)).first == audit)
    }
}

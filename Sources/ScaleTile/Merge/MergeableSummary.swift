import Foundation
import ScaleTileCore

/// A job's `summary.json` that `scaletile merge` can join across shards.
///
/// Shards of one run share everything but their counts; ``runIdentity`` is that shared part,
/// and ``merged(_:)`` sums the counts and recomputes what derives from them, so the merged
/// summary equals the one an unsharded run writes: ``TileSummary`` for tiling and sampling
/// runs of every source, ``PresetRunSummary`` for preset runs; pyramids are never split.
public protocol MergeableSummary: Codable, Sendable, Equatable {
    /// The `command` value of summaries of this type (`tile`, `run`).
    static var command: String { get }
    /// `K/N` of the shard that wrote the summary.
    var shard: String { get }
    /// The summary with every per-shard figure zeroed and the shard cleared: equal for all
    /// shards of one run, and different as soon as the source, the options or the plan differ.
    var runIdentity: Self { get }
    /// The summary of the whole run from its shards' summaries, in shard order.
    ///
    /// - Throws: ``ScaleTileError/Kind/invalidInput`` when the parts are not shards of one run
    ///   or do not cover its plan.
    static func merged(_ parts: [Self]) throws -> Self
}

extension MergeableSummary {
    /// Checks that `parts` are shards of one run: equal ``runIdentity``.
    ///
    /// - Parameter names: the shard folders, for messages, in the order of `parts`.
    /// - Throws: ``ScaleTileError/Kind/invalidInput`` naming the first field that differs.
    static func requireOneRun(_ parts: [Self], names: [String]) throws {
        guard let first = parts.first?.runIdentity else { return }
        for (part, name) in zip(parts, names).dropFirst() where part.runIdentity != first {
            let difference = SummaryDifference.first(between: first, and: part.runIdentity) ?? "their summaries"
            throw ScaleTileError(.invalidInput, name, "is not a shard of the same run as \(names[0]): \(difference) differ")
        }
    }
}

/// Where two summaries differ, for messages.
enum SummaryDifference {
    /// The first differing key path in key order, with both values: `tileSize (512, 256)`.
    static func first<T: Encodable>(between a: T, and b: T) -> String? {
        guard let x = try? JSONSerialization.jsonObject(with: StableJSON.line(a)),
              let y = try? JSONSerialization.jsonObject(with: StableJSON.line(b)) else { return nil }
        return first(x, y, path: "")
    }

    private static func first(_ x: Any, _ y: Any, path: String) -> String? {
        if let x = x as? [String: Any], let y = y as? [String: Any] {
            // Plain values first: `tileSize (512 and 256)` says more than the per-level counts
            // that follow from it.
            let keys = Set(x.keys).union(y.keys).sorted()
            let isContainer = { (key: String) in x[key] is [String: Any] || x[key] is [Any] }
            for key in keys.filter({ !isContainer($0) }) + keys.filter(isContainer) {
                let child = path.isEmpty ? key : path + "." + key
                guard let xv = x[key], let yv = y[key] else { return child }
                if let found = first(xv, yv, path: child) { return found }
            }
            return nil
        }
        if let x = x as? [Any], let y = y as? [Any] {
            guard x.count == y.count else { return "\(path.isEmpty ? "the lists" : path) (\(x.count) and \(y.count) entries)" }
            for (i, (xv, yv)) in zip(x, y).enumerated() {
                if let found = first(xv, yv, path: "\(path)[\(i)]") { return found }
            }
            return nil
        }
        let xs = String(describing: x), ys = String(describing: y)
        return xs == ys ? nil : "\(path) (\(xs) and \(ys))"
    }
}

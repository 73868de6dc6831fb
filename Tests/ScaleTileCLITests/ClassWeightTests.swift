import Foundation
import Testing
import TestSupport

/// `--beta`: the class weights a summary reports are the effective-number weights
/// (1 − β) / (1 − β^n) of the label file's own class counts, normalised to mean 1.
@Suite("Class weights")
struct ClassWeightTests {
    static let scene = SharedData.packageRoot + "/SampleData/satellite/aerial_vehicles.tif"
    static let labels = SharedData.packageRoot + "/SampleData/satellite/aerial_vehicles.coco.json"

    /// Class name → annotation count, read from the COCO file directly.
    static func cocoCounts() throws -> [String: Int] {
        let coco = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: labels))) as? [String: Any])
        let names = Dictionary(uniqueKeysWithValues: (coco["categories"] as! [[String: Any]]).map { ($0["id"] as! Int, $0["name"] as! String) })
        var counts: [String: Int] = [:]
        for annotation in coco["annotations"] as! [[String: Any]] { counts[names[annotation["category_id"] as! Int]!, default: 0] += 1 }
        return counts
    }

    /// The normalised effective-number weights of `counts`.
    static func expectedWeights(_ counts: [String: Int], beta: Double) -> [String: Double] {
        let raw = counts.mapValues { (1 - beta) / (1 - pow(beta, Double($0))) }
        let mean = raw.values.reduce(0, +) / Double(raw.count)
        return raw.mapValues { $0 / mean }
    }

    static func reported(_ classWeights: [String: Any]?) throws -> (beta: Double?, weights: [String: Double], counts: [String: Int]) {
        let weights = try #require(classWeights)
        let classes = try #require(weights["classes"] as? [[String: Any]])
        return (weights["beta"] as? Double,
                Dictionary(uniqueKeysWithValues: classes.map { ($0["className"] as! String, $0["effectiveNumber"] as! Double) }),
                Dictionary(uniqueKeysWithValues: classes.map { ($0["className"] as! String, $0["count"] as! Int) }))
    }

    @Test(arguments: [0.9, 0.99])
    func tileAndAnalyzeReportTheWeightsOfTheirBeta(beta: Double) throws {
        let t = TemporaryFolder()
        let counts = try Self.cocoCounts()
        #expect(counts.count == 2, "cars and trucks: \(counts)")
        let expected = Self.expectedWeights(counts, beta: beta)

        let tile = try ExternalCommand.run(ExternalCommand.scaletile, ["tile", Self.scene, "--labels", Self.labels, "--beta", String(beta),
                                                                      "--tile-size", "256", "--out", t.file("out"), "--quiet"])
        try #require(tile.status == 0, "\(tile.standardError)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: t.file("out/summary.json")))) as? [String: Any])
        let fromTile = try Self.reported((summary["labels"] as? [String: Any])?["classWeights"] as? [String: Any])

        let analyze = try ExternalCommand.run(ExternalCommand.scaletile, ["analyze", Self.labels, "--image", Self.scene, "--beta", String(beta), "--json"])
        try #require(analyze.status == 0, "\(analyze.standardError)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(analyze.standardOutput.utf8)) as? [String: Any])
        let fromAnalyze = try Self.reported(report["classWeights"] as? [String: Any])

        for reported in [fromTile, fromAnalyze] {
            #expect(reported.beta == beta)
            #expect(reported.counts == counts)
            for (name, weight) in expected { #expect(abs((reported.weights[name] ?? .nan) - weight) < 1e-9, "\(name)") }
        }
    }

    @Test func aBetaOfOneIsRefused() throws {
        let t = TemporaryFolder()
        let result = try ExternalCommand.run(ExternalCommand.scaletile, ["tile", Self.scene, "--labels", Self.labels, "--beta", "1", "--out", t.file("out")])
        #expect(result.status == 64 && result.standardError.hasPrefix("error: --beta must be in [0, 1), got 1"), "\(result.standardError)")
        #expect(!FileManager.default.fileExists(atPath: t.file("out")))
    }
}

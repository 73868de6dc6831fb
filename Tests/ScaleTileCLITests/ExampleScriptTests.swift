import Foundation
import Testing
import TestSupport

/// The training examples (`Examples/train_*.py`) run as `Examples/README.md` says: each row of
/// its table makes a layout from `SampleData/` with the built `scaletile`, then trains one step
/// with the client environment's python (a missing client fails, naming scripts/client-venv.sh).
/// The commands are read from the README, so the README cannot drift from what works.
@Suite("Example training scripts", .serialized)
struct ExampleScriptTests {
    struct Example: CustomTestStringConvertible, Sendable {
        let layout: String
        let make: [String]
        let train: [String]
        var testDescription: String { "\(layout): \(train.dropFirst().first ?? "")" }
    }

    /// The table rows of Examples/README.md: layout, the command making the folder, the command training.
    static let examples: [Example] = {
        let readme = (try? String(contentsOfFile: SharedData.packageRoot + "/Examples/README.md", encoding: .utf8)) ?? ""
        return readme.split(separator: "\n").compactMap { line -> Example? in
            guard line.hasPrefix("| `"), line.contains("| `scaletile ") else { return nil }
            let quoted = line.split(separator: "`", omittingEmptySubsequences: false).enumerated()
                .filter { $0.offset % 2 == 1 }.map { String($0.element) }
            guard quoted.count == 3 else { return nil }
            let words = { (text: String) in text.split(separator: " ").map(String.init) }
            return Example(layout: quoted[0], make: words(quoted[1]), train: words(quoted[2]))
        }
    }()

    @Test func theReadmeListsEveryLayoutsScript() {
        #expect(Set(Self.examples.map(\.layout)) == ["yolo", "coco", "webdataset", "monai", "nnunet"])
        #expect(Self.examples.count == 6)
    }

    @Test(arguments: examples)
    func exampleTrainsOneStep(_ example: Example) throws {
        if let reason = ClientPython.missingReason { Issue.record(Comment(rawValue: reason)); return }
        let folder = TemporaryFolder("scaletile-example")
        // The README's /tmp/st-* folder becomes the test's own.
        let place = { (word: String) in word.hasPrefix("/tmp/st-") ? folder.file(String(word.dropFirst(5))) : word }
        try #require(example.make.first == "scaletile" && example.train.first == "$PY")
        let make = try ExternalCommand.run(ExternalCommand.scaletile, example.make.dropFirst().map(place) + ["--quiet"],
                                           currentDirectory: SharedData.packageRoot)
        try #require(make.status == 0, "\(make.standardError)")
        let train = try ExternalCommand.run(ClientPython.executable, example.train.dropFirst().map(place),
                                            environment: ["OMP_NUM_THREADS": "1"], currentDirectory: SharedData.packageRoot)
        #expect(train.status == 0, "\(train.standardError)")
        // `<layout>: N tiles, M objects, loss L` (monai, nnunet: patches or cases and foreground voxels).
        let line = train.standardOutput.split(separator: "\n").last.map(String.init) ?? ""
        #expect(line.hasPrefix(example.layout + ":"), "\(train.standardOutput)")
        let loss = line.components(separatedBy: "loss ").last.flatMap { Double($0) }
        #expect(loss.map { $0.isFinite && $0 > 0 } == true, "\(line)")
        if !["monai", "nnunet"].contains(example.layout) {
            // The labels reached the loss: the batch holds objects.
            let objects = line.components(separatedBy: " objects").first?.split(separator: " ").last.flatMap { Int($0) }
            #expect((objects ?? 0) > 0, "\(line)")
        }
    }
}

import Foundation
import Testing
import TestSupport

/// A mistyped subcommand gets one line naming the nearest command and exit 64, not a usage dump.
@Suite("Mistyped subcommands")
struct SubcommandSpellingTests {
    @Test(arguments: [("tiel", "did you mean 'tile'?"), ("smaple", "did you mean 'sample'?"), ("stich", "did you mean 'stitch'?"),
                      ("xyzzy", "see 'scaletile --help'")])
    func aMistypedCommandNamesTheNearest(_ typed: String, _ hint: String) throws {
        let result = try ExternalCommand.run(ExternalCommand.scaletile, [typed, "scene.tif"])
        #expect(result.status == 64)
        #expect(result.standardError == "error: '\(typed)' is not a scaletile command; \(hint)\n")
        #expect(result.standardOutput.isEmpty)
    }

    @Test func realCommandsStillRun() throws {
        let result = try ExternalCommand.run(ExternalCommand.scaletile, ["preset-keys"])
        #expect(result.status == 0 && result.standardOutput.hasPrefix("| field | type | default | meaning |"))
    }
}

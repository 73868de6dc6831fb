// Tiles every scene of a folder with a preset by driving the `scaletile` executable, one
// `scaletile run` per scene, and stops at the first failure with what its exit code means.
//
//   swift Examples/TileFolder.swift PRESET.yaml SCENES_FOLDER OUT_FOLDER
//
// SCALETILE names the executable (default: `scaletile` on PATH). Each scene gets
// OUT_FOLDER/<name>/ and a JSON summary is read back from `scaletile run --json`.
import Foundation

/// What `scaletile`'s exit codes mean (sysexits.h numbers; `scaletile --help` lists them).
func meaning(of status: Int32) -> String {
    switch status {
    case 64: return "invalid arguments (a command-line value, or a --set override)"
    case 65: return "invalid input data (the scene is not what the preset expects, or is damaged)"
    case 66: return "input not found"
    case 69: return "the preset needs a job this build of scaletile does not have"
    case 74: return "read or write error (disk full? permissions?)"
    case 78: return "invalid preset (the error line names the file, line and key)"
    default: return "unexpected failure"
    }
}

/// Runs scaletile with `arguments`; returns its exit status and standard output. Its standard
/// error (the one-line error, the progress bar) goes straight to ours.
func scaletile(_ arguments: [String]) throws -> (status: Int32, output: Data) {
    let process = Process()
    let executable = ProcessInfo.processInfo.environment["SCALETILE"] ?? "scaletile"
    if executable.contains("/") {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
    } else {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
    }
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, data)
}

func fail(_ message: String, status: Int32) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(status)
}

let arguments = CommandLine.arguments.dropFirst()
guard arguments.count == 3 else { fail("usage: swift TileFolder.swift PRESET.yaml SCENES_FOLDER OUT_FOLDER", status: 64) }
let (preset, folder, out) = (arguments[arguments.startIndex], arguments[arguments.startIndex + 1], arguments[arguments.startIndex + 2])

let extensions: Set<String> = ["tif", "tiff", "jp2", "vrt"]
let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
    .filter { extensions.contains(($0 as NSString).pathExtension.lowercased()) }
    .sorted()
guard !names.isEmpty else { fail("\(folder): no scenes (.tif, .tiff, .jp2, .vrt) in this folder", status: 66) }

var written = 0
for (i, name) in names.enumerated() {
    let scene = folder + "/" + name
    let stem = (name as NSString).deletingPathExtension
    FileHandle.standardError.write(Data("[\(i + 1)/\(names.count)] \(scene)\n".utf8))
    let (status, output) = try scaletile(["run", preset, "--input", scene, "--out", out + "/" + stem, "--resume", "--json"])
    guard status == 0 else {
        fail("stopped at \(scene): exit \(status), \(meaning(of: status)); \(i) of \(names.count) scenes done", status: status)
    }
    // `--json` prints the run's summary; its totals say what was written.
    let summary = try JSONSerialization.jsonObject(with: output) as? [String: Any]
    let totals = summary?["totals"] as? [String: Any]
    written += (totals?["written"] as? Int ?? 0) + (totals?["resumed"] as? Int ?? 0)
}
FileHandle.standardError.write(Data("tiled \(names.count) scenes into \(out): \(written) tiles\n".utf8))

import Foundation

/// Runs programs the tests use as independent truth (`gdalinfo`, `gdal_translate`) or drive
/// (`scaletile`, `make-sample-data`), capturing their output.
public enum ExternalCommand {
    /// What a finished program left.
    public struct Result: Sendable {
        public let status: Int32
        public let standardOutput: String
        public let standardError: String
    }

    /// Runs `executable` (a path, or a name looked up on PATH) with `arguments`.
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                           currentDirectory: String? = nil) throws -> Result {
        let process = Process()
        if executable.contains("/") {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [executable] + arguments
        }
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read before waiting so a chatty program cannot fill the pipe and stall.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus,
                      standardOutput: String(decoding: outData, as: UTF8.self),
                      standardError: String(decoding: errData, as: UTF8.self))
    }

    /// The `scaletile` executable built beside the test bundle.
    public static var scaletile: String { builtProduct("scaletile") }

    /// The `make-sample-data` executable (the generator of `SampleData/`) built beside the test bundle.
    public static var makeSampleData: String { builtProduct("make-sample-data") }

    /// An executable of this package in the build products folder the test bundle runs from.
    private static func builtProduct(_ name: String) -> String {
        let products = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        var candidate = products.appendingPathComponent(name).path
        if !FileManager.default.fileExists(atPath: candidate) {
            // `swift test` may run the bundle from inside an .xctest folder.
            candidate = products.deletingLastPathComponent().appendingPathComponent(name).path
        }
        return candidate
    }
}

import ArgumentParser
import ScaleTile
import Foundation

/// Runs a subcommand body and turns a ``ScaleTileError`` into one line on standard error and a
/// stable exit code (sysexits.h numbers, which swift-argument-parser already uses for usage errors).
func reportingFailures(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as ScaleTileError {
        StandardError.write("error: \(error.description)\n")
        throw ExitCode(error.kind.exitCode)
    }
}

extension ScaleTileError.Kind {
    /// The process exit code for this class of failure.
    var exitCode: Int32 {
        switch self {
        case .invalidArgument: return 64  // EX_USAGE
        case .invalidInput: return 65     // EX_DATAERR
        case .notFound: return 66         // EX_NOINPUT
        case .unsupported: return 69      // EX_UNAVAILABLE
        case .io: return 74               // EX_IOERR
        case .invalidPreset: return 78    // EX_CONFIG
        }
    }
}

/// Standard error, line-buffered by hand (`fputs(…, stderr)` does not compile in Swift 6 mode).
enum StandardError {
    static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Whether standard error is a terminal (progress bars only then).
    static var isTerminal: Bool { isatty(2) != 0 }
}

/// Standard output for results (`--json` documents, tables).
enum StandardOutput {
    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func writeJSON<T: Encodable>(_ value: T) throws {
        FileHandle.standardOutput.write(try StableJSON.document(value))
    }
}

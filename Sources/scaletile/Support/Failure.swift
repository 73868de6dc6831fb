import ArgumentParser
import ScaleTile

/// Runs a subcommand body and turns a ``ScaleTileError`` into one line on standard error and its
/// exit code (``ScaleTileError/Kind/exitCode``).
///
/// SIGINT and SIGTERM are handled from here on (``Interruption``): a run stopped by one prints
/// `interrupted after N of M tiles; run again with --resume to finish` and exits 130 or 143.
func reportingFailures(_ body: () throws -> Void) throws {
    Interruption.install()
    do {
        try body()
        for warning in RunWarnings.drain() { StandardError.write("warning: \(warning)\n") }
        // A successful run's library chatter: a few counted lines, never a flood.
        for line in LibraryMessages.summary(LibraryMessages.drain(), lines: 3) { StandardError.write(line + "\n") }
    } catch let error as ScaleTileError {
        StandardError.write("error: \(error.description)\n")
        // At most 4 lines in all: the error first, then what the libraries said, counted.
        for line in LibraryMessages.summary(LibraryMessages.drain(), lines: 3, shown: error.description) {
            StandardError.write(line + "\n")
        }
        throw ExitCode(error.kind.exitCode)
    } catch let interrupted as Interrupted {
        StandardError.write("\(interrupted.description)\n")
        throw ExitCode(Interruption.exitStatus(for: interrupted.signal))
    }
}

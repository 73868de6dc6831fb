/// The one error type ScaleTile throws.
///
/// Its ``description`` is the single line users see: the file first, then what is
/// wrong with it, as a person would say it (`scene.tif: band 4 requested, the file has 3 bands`).
/// ``kind`` lets callers and tests match the class of problem in `catch`.
public struct ScaleTileError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The class of a failure; stable, and mapped to the process exit code.
    public enum Kind: String, Hashable, Sendable {
        /// A command-line value or option combination is invalid.
        case invalidArgument
        /// An input file does not exist or cannot be opened.
        case notFound
        /// An input file exists but is not what was expected (not a raster, truncated, wrong shape).
        case invalidInput
        /// A preset file is malformed or has an invalid value.
        case invalidPreset
        /// A feature the input needs is not supported.
        case unsupported
        /// Reading or writing failed while the job ran (disk full, permission, codec error).
        case io
    }

    /// The class of the failure.
    public var kind: Kind
    /// The file (or URL, or option) the problem is about, when there is one.
    public var path: String?
    /// What is wrong, without the path.
    public var message: String
    /// The library's own error number (`CPLErrorNum` for GDAL), when the failure came from one.
    public var libraryCode: Int?

    /// Creates an error about `path` (or about no file when `path` is nil).
    public init(_ kind: Kind, _ path: String?, _ message: String, libraryCode: Int? = nil) {
        self.kind = kind
        self.path = path
        self.message = message
        self.libraryCode = libraryCode
    }

    /// The one line: control characters that came from a file (a NUL in a class name, a line
    /// break in a CSV header) are shown escaped, so the message stays one printable line.
    public var description: String {
        guard let path, !path.isEmpty else { return Self.printable(message) }
        return Self.printable("\(path): \(message)")
    }

    private static func printable(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.flatMap { scalar in
            scalar.value < 0x20 || scalar.value == 0x7F ? Array(scalar.escaped(asASCII: true).unicodeScalars) : [scalar]
        }))
    }

    /// Shorthand for ``Kind/invalidArgument`` errors about a command-line option.
    public static func argument(_ option: String, _ message: String) -> ScaleTileError {
        ScaleTileError(.invalidArgument, option, message)
    }
}

/// Runs `body`; an error it throws about no particular file is reported as being about `path`.
public func attributing<T>(to path: String, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch var error as ScaleTileError where error.path == nil {
        error.path = path
        throw error
    }
}

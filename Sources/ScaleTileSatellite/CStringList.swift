internal import CGDAL

/// An owned GDAL string list (`char **`, built with `CSLAddString`), freed when dropped.
///
/// GDAL takes options and argument vectors in this form; owning it in a non-copyable value
/// ties its lifetime to one scope.
struct CStringList: ~Copyable {
    private(set) var pointer: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?

    init(_ strings: [String] = []) {
        pointer = nil
        for s in strings { append(s) }
    }

    /// `KEY=VALUE` pairs.
    init(options: [(String, String)]) {
        self.init(options.map { "\($0.0)=\($0.1)" })
    }

    /// The list as GDAL's `CSLConstList` (`const char * const *`).
    var constPointer: UnsafePointer<UnsafePointer<CChar>?>? {
        pointer.map { UnsafeRawPointer($0).assumingMemoryBound(to: UnsafePointer<CChar>?.self) }
    }

    mutating func append(_ string: String) {
        pointer = CSLAddString(pointer, string)
    }

    deinit { CSLDestroy(pointer) }
}

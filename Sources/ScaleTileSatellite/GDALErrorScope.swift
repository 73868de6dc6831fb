import Foundation
internal import CGDAL
import ScaleTileCore

/// Runs `body` with this thread's GDAL messages captured, and turns a GDAL failure into a
/// ``ScaleTileError`` naming `path`.
///
/// GDAL keeps its error state per thread, so the handler is pushed, the call made and the
/// state read on the same thread, with nothing in between that could hop threads.
/// `body` returns whether the call itself reported success; GDAL's message explains a failure.
@discardableResult
func withGDALErrors<T>(_ path: String?, kind: ScaleTileError.Kind = .io, _ body: () throws -> T) throws -> T {
    GDALRuntime.ensureConfigured()
    var messages = st_gdal_errors()
    st_gdal_push_errors(&messages)
    let result: T
    do {
        result = try body()
    } catch {
        st_gdal_pop_errors()
        throw error
    }
    st_gdal_pop_errors()
    if messages.failures > 0 {
        throw ScaleTileError(kind, path, GDALMessage.text(of: &messages.first_error), libraryCode: Int(messages.first_error_number))
    }
    return result
}

/// Like ``withGDALErrors(_:kind:_:)`` for calls that signal failure by a nil handle or a CPLErr.
func gdalCheck(_ path: String?, kind: ScaleTileError.Kind = .io, what: String, _ call: () -> Bool) throws {
    var messages = st_gdal_errors()
    GDALRuntime.ensureConfigured()
    st_gdal_push_errors(&messages)
    let ok = call()
    st_gdal_pop_errors()
    if !ok || messages.failures > 0 {
        let detail = messages.failures > 0 ? GDALMessage.text(of: &messages.first_error) : "\(what) failed"
        throw ScaleTileError(kind, path, detail, libraryCode: messages.failures > 0 ? Int(messages.first_error_number) : nil)
    }
}

enum GDALMessage {
    /// A C char array (imported as a tuple) as a Swift string, GDAL's prefixes tidied.
    static func text<T>(of tuple: inout T) -> String {
        withUnsafeBytes(of: &tuple) { raw in
            let chars = raw.bindMemory(to: CChar.self)
            let message = String(cString: chars.baseAddress!)
            return tidy(message)
        }
    }

    /// GDAL messages often repeat the path ScaleTile already prints first; keep them short.
    static func tidy(_ message: String) -> String {
        var m = message.trimmingCharacters(in: .whitespacesAndNewlines)
        if m.hasSuffix(".") { m.removeLast() }
        return m
    }
}

import Foundation
internal import CTIFF
import ScaleTileCore

/// An open libtiff handle, with the messages libtiff reported about this file alone.
///
/// libtiff ≥ 4.5 lets each handle have its own error handler (`TIFFOpenExt`), so messages are
/// collected per file instead of through libtiff's process-wide handler, and two stacks read on
/// two threads never mix up their messages.
///
/// Not `Sendable`: a libtiff handle holds the current directory and the codec state of the
/// strip or tile being decoded, so it must stay on one thread at a time. Open one per task.
final class TIFFFile {
    /// How a file is opened.
    enum Mode {
        /// Reading pixels: libtiff loads each directory's whole strip/tile arrays, which the
        /// truncation check walks. Memory mapping is off (`m`) so that reading a large
        /// uncompressed stack slice by slice keeps only the current slice resident instead of
        /// mapping every page it has passed.
        case read
        /// Reading directory headers only (`O`: strip/tile arrays are loaded on demand, and are not needed).
        case readHeaders
        /// Writing a new file; `bigTIFF` selects the 64-bit offset format (`w8`).
        case write(bigTIFF: Bool)

        var libtiffMode: String {
            switch self {
            case .read: return "rm"
            case .readHeaders: return "rmO"
            case .write(let bigTIFF): return bigTIFF ? "w8" : "w"
            }
        }
    }

    /// The `TIFF *` handle.
    let handle: OpaquePointer
    /// The path people know the file by; messages name it.
    let path: String
    /// Filled by the shim's handlers; lives exactly as long as the handle.
    private let messages: UnsafeMutablePointer<st_tiff_messages>
    private var isOpen = true

    /// Opens `filePath`; `path` is the name errors use (a writer's temporary file reports the final name).
    ///
    /// - Throws: ``ScaleTileError`` `.invalidInput` with libtiff's reason when it refuses the
    ///   file (reading), `.io` when the file cannot be created (writing).
    init(_ filePath: String, reportingAs path: String? = nil, mode: Mode) throws {
        self.path = path ?? filePath
        messages = .allocate(capacity: 1)
        guard let opened = st_tiff_open(filePath, mode.libtiffMode, messages) else {
            let reason = TIFFFile.tidy(TIFFFile.text(of: &messages.pointee.first_error), path: filePath)
            messages.deallocate()
            switch mode {
            case .read, .readHeaders:
                throw ScaleTileError(.invalidInput, path ?? filePath, "not a TIFF libtiff can read: \(reason.isEmpty ? "unknown reason" : reason)")
            case .write:
                throw ScaleTileError(.io, path ?? filePath, "cannot create the file: \(reason.isEmpty ? String(cString: strerror(errno)) : reason)")
            }
        }
        handle = opened
    }

    deinit {
        close()
        messages.deallocate()
    }

    /// Closes the handle (flushing a file being written); later calls do nothing.
    func close() {
        guard isOpen else { return }
        isOpen = false
        TIFFClose(handle)
    }

    // MARK: - Messages

    /// Forgets earlier errors, so that the next failure's message is its own.
    func clearErrors() { st_tiff_messages_clear(messages) }

    /// The first error libtiff reported since ``clearErrors()``, or nil.
    var firstError: String? {
        guard messages.pointee.errors > 0 else { return nil }
        let text = TIFFFile.tidy(TIFFFile.text(of: &messages.pointee.first_error), path: path)
        return text.isEmpty ? nil : text
    }

    /// libtiff's reason for a failed call, or `fallback` when it gave none.
    func failure(_ fallback: String) -> String { firstError ?? fallback }

    /// How many tags libtiff could not read since the file was opened (their data lies past
    /// the end of the file, or the read failed), and its message about the first one.
    var unreadableTags: (count: Int, first: String) {
        (Int(messages.pointee.unreadable_tags), TIFFFile.text(of: &messages.pointee.first_unreadable_tag))
    }

    // MARK: - Tags of the current directory

    /// A SHORT tag, or nil when the directory does not have it.
    func uint16(_ tag: Int32) -> UInt16? {
        var value: UInt16 = 0
        return st_tiff_get_u16(handle, UInt32(tag), &value) == 1 ? value : nil
    }

    /// A SHORT tag, or its TIFF default when the directory does not have it.
    func uint16Defaulted(_ tag: Int32) -> UInt16? {
        var value: UInt16 = 0
        return st_tiff_get_u16_defaulted(handle, UInt32(tag), &value) == 1 ? value : nil
    }

    /// A LONG tag, or nil.
    func uint32(_ tag: Int32) -> UInt32? {
        var value: UInt32 = 0
        return st_tiff_get_u32(handle, UInt32(tag), &value) == 1 ? value : nil
    }

    /// A RATIONAL tag such as XResolution, which libtiff hands out as a float, or nil.
    func float(_ tag: Int32) -> Float? {
        var value: Float = 0
        return st_tiff_get_float(handle, UInt32(tag), &value) == 1 ? value : nil
    }

    /// An ASCII tag, or nil.
    func string(_ tag: Int32) -> String? {
        var value: UnsafePointer<CChar>?
        guard st_tiff_get_string(handle, UInt32(tag), &value) == 1, let value else { return nil }
        return String(cString: value)
    }

    /// Whether the file uses the 64-bit BigTIFF format.
    var isBigTIFF: Bool { TIFFIsBigTIFF(handle) != 0 }

    // MARK: - Helpers

    /// A C char array (imported as a tuple) as a Swift string.
    private static func text<T>(of tuple: inout T) -> String {
        withUnsafeBytes(of: &tuple) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    /// libtiff often names the file as the message's module; ScaleTile prints the path first already.
    private static func tidy(_ message: String, path: String) -> String {
        var text = message.trimmingCharacters(in: .whitespacesAndNewlines)
        for prefix in ["\(path): ", "\((path as NSString).lastPathComponent): "] where text.hasPrefix(prefix) {
            text.removeFirst(prefix.count)
        }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}

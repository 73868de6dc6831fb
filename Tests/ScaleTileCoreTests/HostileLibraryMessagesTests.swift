import Testing
import ScaleTileCore

/// The summary of library messages: repeats counted, at most the lines asked for.
@Suite("Hostile: library message summary", .serialized)
struct HostileLibraryMessagesTests {
    @Test func repeatsAreCountedAndLinesBounded() {
        _ = LibraryMessages.drain()
        for _ in 0..<480 { LibraryMessages.record(library: "GDAL", isError: true, text: "_TIFFPartialReadStripArray: bad type ") }
        LibraryMessages.record(library: "GDAL", isError: false, text: "TIFFReadDirectory: odd tag")
        let drained = LibraryMessages.drain()
        #expect(LibraryMessages.summary(drained, lines: 3) == [
            "warning: GDAL: _TIFFPartialReadStripArray: bad type … and 479 more like it",
            "warning: GDAL: TIFFReadDirectory: odd tag",
        ])
        // The error line already shows the first text: only the other one remains.
        #expect(LibraryMessages.summary(drained, lines: 3, shown: "error: a.tif: _TIFFPartialReadStripArray: bad type")
                == ["warning: GDAL: TIFFReadDirectory: odd tag"])
        #expect(LibraryMessages.drain().entries.isEmpty)
    }

    @Test func manyDistinctMessagesFitTheLines() {
        _ = LibraryMessages.drain()
        for index in 0..<100 { LibraryMessages.record(library: "GDAL", isError: false, text: "message \(index)") }
        let lines = LibraryMessages.summary(LibraryMessages.drain(), lines: 3)
        // 64 distinct kept, 36 past the limit: 2 shown, 62 + 36 = 98 counted on the last line.
        #expect(lines == ["warning: GDAL: message 0", "warning: GDAL: message 1", "warning: … and 98 more library messages"])
    }
}

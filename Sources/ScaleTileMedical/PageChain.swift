internal import CTIFF
import ScaleTileCore

extension TIFFFile {
    /// Reads the directories of the main chain in file order (SubIFDs are not in it).
    ///
    /// - Parameters:
    ///   - header: the file's header, to tell a chain cut off by the end of the file from a damaged one.
    ///   - validating: also check that every page's strips or tiles, and every tag libtiff
    ///     reads, lie inside the file, so a truncated file fails here rather than halfway
    ///     through a job (or, worse, opens with its ImageDescription silently dropped).
    ///   - stop: called after each page with the pages so far; true ends the walk early.
    /// - Throws: ``ScaleTileError`` `.invalidInput` for a truncated or unreadable chain.
    func readPageDirectories(header: TIFFHeader?, validating: Bool,
                             until stop: ([PageDirectory]) -> Bool = { _ in false }) throws -> [PageDirectory] {
        var pages: [PageDirectory] = []
        while true {
            let number = pages.count + 1
            if validating, unreadableTags.count > 0 {
                // libtiff names the tag in quotes: "ImageDescription", or "Tag 50839" for private ones.
                let name = unreadableTags.first.split(separator: "\"").dropFirst().first.map(String.init) ?? ""
                let tag = name.hasPrefix("Tag ") ? "tag \(name.dropFirst(4))" : name.isEmpty ? "a tag" : "the \(name) tag"
                let size = header.map { " (\($0.fileSize) bytes)" } ?? ""
                throw ScaleTileError(.invalidInput, path, "truncated or damaged: \(tag) of page \(number) lies outside the file\(size)")
            }
            let page = PageDirectory(current: self, index: pages.count, measuringData: validating)
            if validating, let header, page.dataEnd > header.fileSize {
                throw ScaleTileError(.invalidInput, path, "truncated: the pixel data of page \(number) runs to byte \(page.dataEnd), the file ends at byte \(header.fileSize) (\(page.dataEnd - header.fileSize) bytes short)")
            }
            if validating, let (first, second, offset) = page.overlappingBlocks {
                let kind = page.isTiled ? "tiles" : "strips"
                throw ScaleTileError(.invalidInput, path, "damaged or crafted: \(kind) \(first) and \(second) of page \(number) share the bytes at offset \(offset); overlapping \(kind) are refused")
            }
            pages.append(page)
            if stop(pages) { return pages }

            clearErrors()
            guard TIFFReadDirectory(handle) == 1 else {
                // 0 both at the end of the chain and on failure; only a failure leaves a message.
                guard let reason = firstError else { return pages }
                if let header, let next = header.nextDirectoryOffset(after: page.offset, path: path),
                   let overrun = header.overrun(ofDirectoryAt: next, path: path) {
                    throw ScaleTileError(.invalidInput, path, "truncated: the directory of page \(number + 1) \(overrun)")
                }
                throw ScaleTileError(.invalidInput, path, "page \(number + 1) cannot be read: \(reason)")
            }
        }
    }
}

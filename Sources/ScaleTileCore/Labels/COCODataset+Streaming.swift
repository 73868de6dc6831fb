import Foundation

extension COCODataset {
    /// Writes a COCO document one element at a time, so memory holds one annotation, not the
    /// whole document: a tiling run with tens of thousands of clipped objects would otherwise
    /// build (and encode) a hundred megabytes at once.
    ///
    /// The file is one JSON object with its keys in sorted order (`annotations`, `categories`,
    /// `images`), one element per line; the same annotations, categories and images always give
    /// the same bytes, which is what lets shards merge into the file an unsharded run writes.
    public struct StreamWriter: ~Copyable {
        private let handle: FileHandle
        private let encoder = StableJSON.lineEncoder()
        private var annotationCount = 0

        /// Starts a document at `path` (a new file; the caller makes it atomic).
        public init(path: String) throws {
            guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
                throw ScaleTileError(.io, path, "cannot write the COCO file")
            }
            self.handle = handle
            handle.write(Data("{\"annotations\":[".utf8))
        }

        /// Adds one annotation.
        public mutating func add(_ annotation: Annotation) throws {
            var line = Data(annotationCount == 0 ? "\n".utf8 : ",\n".utf8)
            line.append(try encoder.encode(annotation))
            handle.write(line)
            annotationCount += 1
        }

        /// Closes the document with the categories and images, and the file.
        public consuming func finish(categories: [Category], images: [Image]) throws {
            var tail = Data("\n],\"categories\":".utf8)
            tail.append(try encoder.encode(categories))
            tail.append(Data(",\"images\":[".utf8))
            for (i, image) in images.enumerated() {
                tail.append(Data(i == 0 ? "\n".utf8 : ",\n".utf8))
                tail.append(try encoder.encode(image))
            }
            tail.append(Data("\n]}\n".utf8))
            handle.write(tail)
            try handle.close()
        }
    }
}

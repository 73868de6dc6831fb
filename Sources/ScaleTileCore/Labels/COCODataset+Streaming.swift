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
        private let path: String
        private let encoder = StableJSON.lineEncoder()
        private var annotationCount = 0

        /// Starts a document at `path` (a new file; the caller makes it atomic).
        public init(path: String) throws {
            guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
                throw ScaleTileError(.io, path, "cannot write the COCO file")
            }
            try Self.append(Data("{\"annotations\":[".utf8), to: handle, path: path)
            self.handle = handle
            self.path = path
        }

        /// Adds one annotation.
        public mutating func add(_ annotation: Annotation) throws {
            var line = Data(annotationCount == 0 ? "\n".utf8 : ",\n".utf8)
            line.append(try encoder.encode(annotation))
            try write(line)
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
            try write(tail)
            do {
                try handle.close()
            } catch {
                throw ScaleTileError(.io, path, "cannot close the COCO file (\(error.localizedDescription))")
            }
        }

        /// Appends bytes; a full disk is an error naming the file, not a crash.
        private func write(_ data: Data) throws { try Self.append(data, to: handle, path: path) }

        private static func append(_ data: Data, to handle: FileHandle, path: String) throws {
            do {
                try handle.write(contentsOf: data)
            } catch {
                throw ScaleTileError(.io, path, "cannot write the COCO file (\(error.localizedDescription))")
            }
        }
    }
}

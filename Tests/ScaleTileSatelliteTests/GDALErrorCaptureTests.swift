import Foundation
import Testing
import ScaleTileCore
import ScaleTileSatellite
import TestSupport

/// GDAL's failures become one `ScaleTileError` naming the file, with GDAL's own words (as
/// `gdalinfo` prints them for the same file), and nothing of GDAL's reaches stderr.
@Suite("GDAL errors captured", .serialized,
       .enabled(if: SharedData.isAvailable, Comment(rawValue: SharedData.skipReason)))
struct GDALErrorCaptureTests {
    /// What `body` threw and what was written to file descriptor 2 while it ran.
    ///
    /// The whole process's stderr is redirected for the moment; callers look only for lines
    /// about their own fixture (a fresh temporary path), so output of tests running beside
    /// them cannot make them fail.
    static func capturingStandardError(_ body: () throws -> Void) throws -> (error: (any Error)?, standardError: String) {
        let folder = TemporaryFolder("stderr")
        let capture = folder.file("stderr.txt")
        fflush(nil)  // every C stream, stderr among them
        let saved = dup(2)
        let fd = open(capture, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        try #require(saved >= 0 && fd >= 0)
        dup2(fd, 2)
        close(fd)
        var thrown: (any Error)?
        do { try body() } catch { thrown = error }
        // A marker proves the redirection caught what went to fd 2.
        let marker = "stderr-capture-marker\n"
        _ = marker.withCString { write(2, $0, strlen($0)) }
        fflush(nil)  // every C stream, stderr among them
        dup2(saved, 2)
        close(saved)
        let text = (try? String(contentsOfFile: capture, encoding: .utf8)) ?? ""
        try #require(text.contains(marker), "stderr was not captured")
        return (thrown, text.replacingOccurrences(of: marker, with: ""))
    }

    /// GDAL's messages for `path` as `gdalinfo -checksum` prints them (`ERROR 1: …`), prefix removed.
    static func gdalMessages(_ path: String) throws -> [String] {
        let result = try ExternalCommand.run("gdalinfo", ["-checksum", path], environment: ["GDAL_PAM_ENABLED": "NO"])
        return result.standardError.split(separator: "\n").compactMap { line in
            guard let range = line.range(of: #"^ERROR \d+: "#, options: .regularExpression) else { return nil }
            return String(line[range.upperBound...])
        }
    }

    /// The first `bytes` bytes of a shared-data file, as a download cut short would leave it.
    static func truncated(_ file: String, keeping fraction: Double, in folder: TemporaryFolder) throws -> String {
        let data = try Data(contentsOf: URL(fileURLWithPath: SharedData.path(file)))
        let path = folder.file("truncated-\(UUID().uuidString).tif")
        try data.prefix(Int(Double(data.count) * fraction)).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// RGB.byte.tif keeps its directory at the end: cut in half, GDAL cannot open it.
    @Test func truncatedFileFailsToOpenWithGDALsMessage() throws {
        let folder = TemporaryFolder()
        let path = try Self.truncated(DatasetReadTruthTests.rgb, keeping: 0.5, in: folder)
        let gdal = try Self.gdalMessages(path)
        let first = try #require(gdal.first, "gdalinfo opened the truncated file")
        let (thrown, standardError) = try Self.capturingStandardError { _ = try Dataset(opening: path) }
        let error = try #require(thrown as? ScaleTileError, "\(String(describing: thrown))")
        #expect(error.kind == .invalidInput)
        #expect(error.path == path)
        #expect(error.description.hasPrefix(path + ": "))
        #expect(!error.description.contains("\n"), "one line: \(error.description)")
        // GDAL's words, less the path it prints first (ScaleTile prints the path once).
        let words = first.hasPrefix(path + ": ") ? String(first.dropFirst(path.count + 2)) : first
        #expect(error.message.contains(words.trimmingCharacters(in: CharacterSet(charactersIn: ". "))), "\(error.message) vs gdalinfo's \(first)")
        #expect(!standardError.contains(path) && !standardError.contains("ERROR"), "GDAL wrote to stderr: \(standardError)")
    }

    /// The LC08 crop keeps its directory first: cut in half it opens, and reading a block past
    /// the cut fails with the I/O error GDAL reports for it.
    @Test func truncatedFileFailsToReadWithGDALsMessage() throws {
        let folder = TemporaryFolder()
        let path = try Self.truncated(DatasetReadTruthTests.uint16, keeping: 0.5, in: folder)
        let gdal = try Self.gdalMessages(path)
        #expect(gdal.contains { $0.contains("Read error") }, "\(gdal)")
        let dataset = try Dataset(opening: path)
        #expect(dataset.size == RasterSize(width: 1024, height: 1024))
        let (thrown, standardError) = try Self.capturingStandardError {
            _ = try dataset.read(Window(x: 0, y: 768, width: 512, height: 256), bands: [1, 2, 3])
        }
        let error = try #require(thrown as? ScaleTileError, "reading past the cut: \(String(describing: thrown))")
        #expect(error.kind == .io)
        #expect(error.path == path)
        #expect(error.message.contains("Read error"), "\(error.message) vs gdalinfo's \(gdal)")
        #expect(error.libraryCode != nil, "GDAL's error number is kept")
        #expect(!error.description.contains("\n"))
        #expect(!standardError.contains(path) && !standardError.contains("ERROR"), "GDAL wrote to stderr: \(standardError)")
        // The part before the cut still reads, and is the original's.
        let original = try Dataset(opening: SharedData.path(DatasetReadTruthTests.uint16))
        let head = Window(x: 0, y: 0, width: 256, height: 256)
        #expect(differingBytes(try dataset.read(head, bands: [1]).bytes, try original.read(head, bands: [1]).bytes) == 0)
    }

    /// Files that are not rasters: what GDAL cannot recognise, a vector file, a folder, a missing file.
    @Test func notARasterIsOneLineAboutTheFile() throws {
        let folder = TemporaryFolder()
        let text = folder.file("notes.tif")
        try "not a raster\n".write(toFile: text, atomically: true, encoding: .utf8)
        let vector = folder.file("points.geojson")
        try #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[1,2]}}]}"#
            .write(toFile: vector, atomically: true, encoding: .utf8)
        let cases: [(String, ScaleTileError.Kind, String)] = [
            (text, .invalidInput, "not a raster"),
            (vector, .invalidInput, "not a raster"),
            (folder.path, .invalidInput, "folder"),
            (folder.file("missing.tif"), .notFound, "no such file"),
        ]
        for (path, kind, words) in cases {
            // gdalinfo fails on each of them too.
            #expect(try ExternalCommand.run("gdalinfo", [path]).status != 0, "\(path)")
            let (thrown, standardError) = try Self.capturingStandardError { _ = try Dataset(opening: path) }
            let error = try #require(thrown as? ScaleTileError, "\(path): \(String(describing: thrown))")
            #expect(error.kind == kind, "\(error)")
            #expect(error.path == path)
            #expect(error.message.contains(words), "\(error)")
            #expect(!error.description.contains("\n"))
            #expect(!standardError.contains(path) && !standardError.contains("ERROR"), "GDAL wrote to stderr: \(standardError)")
        }
    }

    /// A band the file lacks is an argument error naming the file and the count.
    @Test func missingBandNamesTheCount() throws {
        let path = SharedData.path(DatasetReadTruthTests.rgb)
        let dataset = try Dataset(opening: path)
        #expect {
            _ = try dataset.read(Window(x: 0, y: 0, width: 8, height: 8), bands: [1, 4])
        } throws: { error in
            let e = error as? ScaleTileError
            return e?.kind == .invalidArgument && e?.path == path && e?.message == "band 4 requested, the file has 3 bands"
        }
    }
}

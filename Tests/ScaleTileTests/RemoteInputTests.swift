import Foundation
import Testing
import ScaleTile
import ScaleTileCore
import TestSupport

/// Remote scenes through GDAL's /vsicurl/, served by a range-capable HTTP server on 127.0.0.1
/// that the test starts: `info`, `tile` and `run` take the URL as they take a path, and write
/// what they write for the local file.
@Suite("Remote inputs", .serialized, .enabled(if: SharedData.isAvailable, Comment(rawValue: SharedData.skipReason)))
struct RemoteInputTests {
    static let folder = SharedData.path("satellite/landsat")
    static let name = "RGB.byte.tif"

    static func scaletile(_ arguments: [String]) throws -> ExternalCommand.Result {
        // No proxy between the test and its own server.
        try ExternalCommand.run(ExternalCommand.scaletile, arguments, environment: ["NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1"])
    }

    @Test func infoReadsTheSameSceneOverHTTP() throws {
        let server = try RemoteRangeServer(root: Self.folder)
        defer { server.stop() }
        let url = "/vsicurl/\(server.baseURL)/\(Self.name)"
        let remote = try Self.scaletile(["info", "--json", url])
        try #require(remote.status == 0, "\(remote.standardError)")
        let local = try Self.scaletile(["info", "--json", Self.folder + "/" + Self.name])
        var r = try #require(try JSONSerialization.jsonObject(with: Data(remote.standardOutput.utf8)) as? [String: Any])
        var l = try #require(try JSONSerialization.jsonObject(with: Data(local.standardOutput.utf8)) as? [String: Any])
        #expect(r["path"] as? String == url)
        r["path"] = nil
        l["path"] = nil
        #expect(NSDictionary(dictionary: r).isEqual(to: l), "info differs over HTTP")
        // GDAL asked for byte ranges, not the whole file.
        #expect(server.requests.contains { $0.hasPrefix("GET /\(Self.name) bytes=") }, "\(server.requests)")
    }

    @Test func tileAndRunWriteTheLocalFilesTiles() throws {
        let server = try RemoteRangeServer(root: Self.folder)
        defer { server.stop() }
        let t = TemporaryFolder()
        let url = "/vsicurl/\(server.baseURL)/\(Self.name)"
        let options = ["--tile-size", "256", "--overlap", "32", "--levels", "0-1", "--threads", "2", "--quiet"]
        let remote = try Self.scaletile(["tile", url, "--out", t.file("remote")] + options)
        try #require(remote.status == 0, "\(remote.standardError)")
        let local = try Self.scaletile(["tile", Self.folder + "/" + Self.name, "--out", t.file("local")] + options)
        try #require(local.status == 0, "\(local.standardError)")

        let remoteManifest = try OutputFolder(path: t.file("remote")).readManifest()
        let localManifest = try OutputFolder(path: t.file("local")).readManifest()
        #expect(remoteManifest.count == localManifest.count && !localManifest.isEmpty)
        #expect(remoteManifest.allSatisfy { $0.source == url })
        #expect(remoteManifest.map { var e = $0; e.source = ""; return e } == localManifest.map { var e = $0; e.source = ""; return e })
        for entry in localManifest {
            #expect(FileManager.default.contents(atPath: t.file("remote/" + entry.path)) == FileManager.default.contents(atPath: t.file("local/" + entry.path)),
                    "\(entry.path)")
        }
        #expect(FileManager.default.contents(atPath: t.file("remote/index.geojson")) == FileManager.default.contents(atPath: t.file("local/index.geojson")))

        // A preset run takes the URL as an input unchanged.
        try "version: 1\ntiling: {size: 256, overlap: 32}\nlevels: {levels: 0-1}\n".write(toFile: t.file("p.yaml"), atomically: true, encoding: .utf8)
        let run = try Self.scaletile(["run", t.file("p.yaml"), "--input", url, "--out", t.file("run"), "--quiet"])
        #expect(run.status == 0, "\(run.standardError)")
        let runTiles = try OutputFolder(path: t.file("run/scenes/RGB.byte")).readManifest()
        #expect(runTiles == remoteManifest)
        // Nothing was written next to the input, locally or on the server.
        #expect(!server.requests.contains { $0.hasPrefix("PUT") || $0.hasPrefix("POST") })
    }

    @Test func aMissingRemoteFileIsOneLine() throws {
        let server = try RemoteRangeServer(root: Self.folder)
        defer { server.stop() }
        let t = TemporaryFolder()
        let result = try Self.scaletile(["tile", "/vsicurl/\(server.baseURL)/absent.tif", "--out", t.file("out")])
        #expect(result.status != 0)
        #expect(result.standardError.hasPrefix("error: /vsicurl/\(server.baseURL)/absent.tif: "), "\(result.standardError)")
        #expect(result.standardError.split(separator: "\n").count == 1, "\(result.standardError)")
        #expect(!FileManager.default.fileExists(atPath: t.file("out/manifest.jsonl")))
    }
}

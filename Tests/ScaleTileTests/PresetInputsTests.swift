import Foundation
import Testing
import ScaleTile
import ScaleTileCore
import TestSupport

/// Input expansion: paths, globs, list files, and names that would clash.
@Suite("Preset inputs")
struct PresetInputsTests {
    static func touch(_ folder: TemporaryFolder, _ names: [String]) throws {
        for name in names {
            let path = folder.file(name)
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        }
    }

    @Test func globsExpandInByteOrder() throws {
        let t = TemporaryFolder()
        try Self.touch(t, ["scenes/b.tif", "scenes/B.tif", "scenes/a.tif", "scenes/notes.txt", "scenes/c10.tif", "scenes/c9.tif"])
        let paths = try PresetInputs.expand(["scenes/*.tif"], relativeTo: t.path, origin: "--input")
        #expect(paths.map { ($0 as NSString).lastPathComponent } == ["B.tif", "a.tif", "b.tif", "c10.tif", "c9.tif"])
        #expect(paths.allSatisfy { $0.hasPrefix("/") })
    }

    @Test func listsSkipCommentsAndStartAtTheirOwnFolder() throws {
        let t = TemporaryFolder()
        try Self.touch(t, ["lists/x.tif", "data/y1.tif", "data/y2.tif"])
        try """
            # scenes for the March run
            x.tif

            ../data/y*.tif   
            /vsicurl/http://127.0.0.1:1/remote.tif
            """.write(toFile: t.file("lists/run.txt"), atomically: true, encoding: .utf8)
        let paths = try PresetInputs.expand(["@lists/run.txt"], relativeTo: t.path, origin: "--input")
        let lists = URL(fileURLWithPath: t.path).standardizedFileURL.path
        #expect(paths == [lists + "/lists/x.tif", lists + "/data/y1.tif", lists + "/data/y2.tif", "/vsicurl/http://127.0.0.1:1/remote.tif"])
    }

    @Test func repeatedPathsCountOnceButEqualNamesClash() throws {
        let t = TemporaryFolder()
        try Self.touch(t, ["a/scene.tif", "b/scene.tif"])
        #expect(try PresetInputs.expand(["a/*.tif", "a/scene.tif"], relativeTo: t.path, origin: "--input").count == 1)
        #expect {
            try PresetInputs.expand(["a/scene.tif", "b/scene.tif"], relativeTo: t.path, origin: "--input")
        } throws: { error in
            let e = error as? ScaleTileError
            return e?.kind == .invalidArgument && e?.description.contains("has the same name 'scene' as") == true
        }
    }

    @Test func aPatternWithoutMatchesOrAMissingListIsNotFound() throws {
        let t = TemporaryFolder()
        #expect {
            try PresetInputs.expand(["none/*.tif"], relativeTo: t.path, origin: "preset.yaml: line 4")
        } throws: { error in
            (error as? ScaleTileError)?.description == "none/*.tif: no file matches this pattern (from preset.yaml: line 4)"
        }
        #expect {
            try PresetInputs.expand(["@missing.txt"], relativeTo: t.path, origin: "--input")
        } throws: { error in
            (error as? ScaleTileError)?.kind == .notFound
        }
    }
}

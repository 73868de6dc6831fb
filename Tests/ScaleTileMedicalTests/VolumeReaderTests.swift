import Foundation
import ScaleTileCore
import Testing
import TestSupport
@testable import ScaleTileMedical

/// NIfTI and NRRD volumes read by ``MedicalVolume`` against nibabel and pynrrd: every data type
/// in both byte orders, NIfTI-1 and -2, `.nii`, `.nii.gz`, `.hdr`/`.img`, qform-only, time
/// points and channels; NRRD raw and gzip, attached and detached, a vector axis.
@Suite("Volume readers", .serialized)
struct VolumeReaderTests {
    /// The fixtures, written once for the suite.
    static let fixtures: (folder: TemporaryFolder, truths: [VolumeFixtures.Truth]) = {
        let folder = TemporaryFolder("scaletile-volumes")
        let truths = (try? VolumeFixtures.write(into: folder.path)) ?? []
        return (folder, truths)
    }()

    static func path(_ truth: VolumeFixtures.Truth) throws -> String {
        let names = try FileManager.default.contentsOfDirectory(atPath: fixtures.folder.path)
        let name = try #require(names.filter { $0.hasPrefix(truth.name + ".") && !$0.hasSuffix(".whole") && !$0.hasSuffix(".window")
            && !$0.hasSuffix(".img") && !$0.hasSuffix(".raw") && !$0.hasSuffix(".raw.gz") }.first)
        return fixtures.folder.file(name)
    }

    /// `buffer`'s bytes little-endian, as the fixtures store the truth.
    static func littleEndian(_ buffer: RasterBuffer) -> Data {
        Data(buffer.bytes) // this machine is little-endian (x86-64, arm64)
    }

    @Test("the fixtures were written (the client environment is there)")
    func fixturesExist() throws {
        if let reason = ClientPython.missingReason { Issue.record(Comment(rawValue: reason)); return }
        #expect(Self.fixtures.truths.count == 33)
    }

    @Test("header: shape, type, spacing, affine and orientation equal nibabel's and pynrrd's")
    func headers() throws {
        try #require(!Self.fixtures.truths.isEmpty, "no fixtures: \(ClientPython.missingReason ?? "the script failed")")
        for truth in Self.fixtures.truths {
            let volume = try MedicalVolume(opening: try Self.path(truth))
            let name = truth.name
            #expect([volume.size.width, volume.size.height, volume.size.depth] == truth.shape, "\(name)")
            #expect(volume.channelCount == truth.channels && volume.timepointCount == truth.timepoints, "\(name)")
            #expect(volume.pixelType.rawValue == truth.dtype, "\(name)")
            let spacing = [volume.spacing.x, volume.spacing.y, volume.spacing.z]
            #expect(zip(spacing, truth.spacing).allSatisfy { abs($0 - $1) <= 1e-5 * $1 }, "\(name): \(spacing) vs \(truth.spacing)")
            #expect(volume.affine.space.rawValue == truth.space, "\(name)")
            let difference = zip(volume.affine.matrix.joined(), truth.affine.joined()).map { abs($0 - $1) }.max()!
            #expect(difference <= 1e-4, "\(name): \(volume.affine.text) vs \(truth.affine)")
            #expect(volume.affine.orientation == truth.orientation, "\(name)")
        }
    }

    @Test("voxels: whole volumes and windows equal the libraries' arrays, gzip streamed and from scratch")
    func voxels() throws {
        try #require(!Self.fixtures.truths.isEmpty, "no fixtures")
        let scratch = TemporaryFolder("scaletile-scratch")
        for truth in Self.fixtures.truths {
            let path = try Self.path(truth)
            let whole = try Data(contentsOf: URL(fileURLWithPath: Self.fixtures.folder.file(truth.name + ".whole")))
            let part = try Data(contentsOf: URL(fileURLWithPath: Self.fixtures.folder.file(truth.name + ".window")))
            let w = truth.window
            let window = Window(x: w[0], y: w[1], z: w[2], width: w[3], height: w[4], depth: w[5])
            for scratchFolder in [nil, scratch.path] {
                let volume = try MedicalVolume(opening: path, scratchFolder: scratchFolder)
                let size = volume.size
                // Timepoints stand where channels are in the truth (C or T first).
                var all = Data(), inner = Data()
                for t in 0..<volume.timepointCount {
                    all += Self.littleEndian(try volume.read(Window(size: size), channels: nil, timepoint: t, fill: 0))
                    inner += Self.littleEndian(try volume.read(window, channels: nil, timepoint: t, fill: 0))
                }
                #expect(all == whole, "\(truth.name), scratch \(scratchFolder != nil)")
                #expect(inner == part, "\(truth.name) window, scratch \(scratchFolder != nil)")
            }
            // Slice by slice, channel 0 (time point 0): the first slab of the whole truth.
            let volume = try MedicalVolume(opening: path)
            var slices = Data()
            try volume.forEachSlice(channel: 0, timepoint: 0) { _, samples in slices += Data(samples) }
            #expect(slices == whole.prefix(slices.count), "\(truth.name) slices")
        }
        // Every scratch file went with its volume.
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).isEmpty)
    }

    @Test("a window past the volume's edge is filled")
    func overhang() throws {
        let truth = try #require(Self.fixtures.truths.first { $0.name == "n1_gz" })
        let volume = try MedicalVolume(opening: try Self.path(truth), scratchFolder: nil)
        let buffer = try volume.read(Window(x: -2, y: 0, z: 0, width: 3, height: 1, depth: 1), channels: [0], timepoint: 0, fill: -7)
        let values = buffer.samples(band: 0)
        let inside = try volume.read(Window(x: 0, y: 0, z: 0, width: 1, height: 1, depth: 1)).samples(band: 0)
        #expect(values == [-7, -7, inside[0]])
    }

    @Test("the shared data: sizes, types and spacings of SOURCES.md", .enabled(if: SharedData.isAvailable))
    func sharedData() throws {
        let expected: [(String, [Int], String, Int, Int)] = [
            ("medical/nifti/anatomical.nii", [33, 41, 25], "Int16", 1, 1),
            ("medical/nifti/example4d.nii.gz", [128, 96, 24], "Int16", 1, 2),
            ("medical/nrrd_with_masks/brain1_image.nrrd", [256, 256, 25], "Int16", 1, 1),
            ("medical/nrrd_with_masks/brain1_label.nrrd", [256, 256, 25], "Int32", 1, 1),
            ("medical/nrrd_with_masks/breast1_image.nrrd", [45, 120, 21], "Int16", 1, 1),
            ("medical/nrrd_with_masks/breast1_label.nrrd", [45, 120, 21], "Int16", 1, 1),
        ]
        for (relative, shape, type, channels, timepoints) in expected {
            let volume = try MedicalVolume(opening: SharedData.path(relative))
            #expect([volume.size.width, volume.size.height, volume.size.depth] == shape, "\(relative)")
            #expect(volume.pixelType.rawValue == type && volume.channelCount == channels && volume.timepointCount == timepoints, "\(relative)")
            try volume.checkData()
        }
        // brain1's tumour: 4,137 voxels (SOURCES.md), counted slice by slice.
        let label = try MedicalVolume(opening: SharedData.path("medical/nrrd_with_masks/brain1_label.nrrd"))
        var count = 0
        try label.forEachSlice(channel: 0, timepoint: 0) { _, samples in
            for v in samples.bindMemory(to: Int32.self) where v != 0 { count += 1 }
        }
        #expect(count == 4137)
    }
}

import Foundation
import Testing
import ScaleTileCore
@testable import ScaleTileMedical
import TestSupport

/// Seeded mutation tests of the stack metadata parsers: OME-XML and ImageJ descriptions, then
/// the plane-to-page layout and the spacing they give. Each mutated text is read and laid out,
/// or refused with a ``ScaleTileError`` naming the file; never a trap.
@Suite("Fuzz: stack metadata")
struct FuzzStackMetadataTests {
    static let cases = FuzzBudget.cases(2_000)

    static let ome = OMEXML.pixels(sizeZ: 3, sizeC: 2, sizeT: 2, order: "XYZTC", tiffData: #"<TiffData IFD="0" PlaneCount="12"/>"#,
                                   extra: #" PhysicalSizeX="0.25" PhysicalSizeXUnit="µm" PhysicalSizeY="0.25" PhysicalSizeZ="1.5""#)
    static let imageJ = "ImageJ=1.52r\nimages=24\nchannels=2\nslices=12\nunit=mm\nspacing=1.5\nloop=false\nmin=3.0\nmax=521.0\n"

    @Test func omeXML() {
        var mutator = InputMutator(Self.ome, seed: FuzzBudget.seed(21))
        var read = 0, refused = 0
        for index in 0..<Self.cases {
            let text = String(decoding: mutator.next(), as: UTF8.self)
            do {
                let metadata = try OMEMetadata(xml: text, path: "m.ome.tif")
                _ = try metadata.spacing(path: "m.ome.tif")
                _ = try StackLayout.ome(metadata, pageCount: 12, samplesPerPixel: 1, path: "m.ome.tif")
                read += 1
            } catch let error as ScaleTileError {
                #expect(error.description.hasPrefix("m.ome.tif: "), "case \(index): \(error)")
                refused += 1
            } catch {
                Issue.record("case \(index): \(type(of: error)) \(error)")
            }
        }
        #expect(read > 20 && refused > 20, "read \(read), refused \(refused)")
    }

    @Test func imageJDescription() {
        var mutator = InputMutator(Self.imageJ, seed: FuzzBudget.seed(22))
        var read = 0, refused = 0
        for index in 0..<Self.cases {
            let text = String(decoding: mutator.next(), as: UTF8.self)
            guard let metadata = ImageJMetadata(description: text) else { refused += 1; continue }
            do {
                _ = try StackLayout.imageJ(metadata, slicePages: Array(0..<24), path: "m.tif")
                read += 1
            } catch let error as ScaleTileError {
                #expect(error.description.hasPrefix("m.tif: "), "case \(index): \(error)")
                refused += 1
            } catch {
                Issue.record("case \(index): \(type(of: error)) \(error)")
            }
        }
        #expect(read > 20 && refused > 20, "read \(read), refused \(refused)")
    }
}

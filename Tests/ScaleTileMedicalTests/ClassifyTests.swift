import Foundation
import ScaleTileCore
import Testing
import TestSupport
@testable import ScaleTileMedical

/// The scene-or-stack rule of DESIGN.md §2, on the shared data and on files made to sit on
/// each side of it.
@Suite("Scene or stack")
struct ClassifyTests {
    /// Every TIFF in ../shared/data and what it is. A file added there without an entry here
    /// fails the test below, so the table stays complete.
    static let expected: [String: TIFFKind] = [
        "medical/derived/brain1_image_imagej.tif": .stack,
        "medical/derived/brain1_label_imagej.tif": .stack,
        "medical/derived/lung1_ct_z27-39.ome.tif": .stack,
        "medical/derived/lung1_label_z27-39.ome.tif": .stack,
        "medical/tiff/mini-t1-head.tif": .stack,
        "medical/tiff/img2d.tif": .scene,  // one page
        "medical/tiff/mask2d.tif": .scene,
        "satellite/aerial/cogeo.tif": .scene,  // 14 pages: overviews and masks do not count
        "satellite/derived/LC08_L1TP_224077_20200518_B2_60m_float32_nan.tif": .scene,
        "satellite/derived/LC08_L1TP_224078_20200518_3band_uint16_crop1024.tif": .scene,
        "satellite/derived/RGB.byte_bigtiff_tiled_ovr.tif": .scene,
        "satellite/labeled/neon_osbs_trees/OSBS_029.tif": .scene,
        "satellite/labeled/spacenet4_atlanta/sample_geotiff.tif": .scene,
        "satellite/landsat/LC08_L1TP_224077_20200518_20200518_01_RT_B2_60m.TIF": .scene,
        "satellite/landsat/LE07_L2SP_225078_20110306_02_T1_B1.tif": .scene,
        "satellite/landsat/RGB.byte.tif": .scene,
    ]

    @Test("every TIFF in ../shared/data",
          .enabled(if: SharedData.isAvailable, "needs ../shared/data next to the package"))
    func sharedData() throws {
        let found = SharedData.allTIFFs()
        #expect(!found.isEmpty)
        for file in found {
            let kind = try #require(Self.expected[file], "\(file) is missing from the table")
            #expect(try TIFFStack.classify(path: SharedData.path(file)) == kind, "\(file)")
        }
    }

    @Test("files that are not TIFFs are scenes, even a DICOM file whose preamble is a TIFF header",
          .enabled(if: SharedData.hasMedicalTIFFs, "needs ../shared/data/medical next to the package"))
    func nonTIFFs() throws {
        for file in ["medical/nrrd_with_masks/brain1_image.nrrd", "medical/dicom/CT_small.dcm", "medical/dicom/MR_small.dcm", "medical/nifti/anatomical.nii",
                     "satellite/labeled/spacenet4_atlanta/geotiff_labels.geojson"] {
            #expect(try TIFFStack.classify(path: SharedData.path(file)) == .scene, "\(file)")
        }
    }

    @Test("pages alike make a stack; overviews, masks and unlike pages do not")
    func pageRule() throws {
        let folder = TemporaryFolder("scaletile-tiff-tests")
        func kind(_ pages: [Pages.Page]) throws -> TIFFKind {
            let path = folder.file("\(UUID().uuidString).tif")
            try Pages.write(pages, to: path)
            return try TIFFStack.classify(path: path)
        }
        #expect(try kind(Pages.numbered(2)) == .stack)
        #expect(try kind(Pages.numbered(1)) == .scene)
        var overviews = Pages.numbered(3)
        overviews[1].width = 8; overviews[1].height = 6; overviews[1].isReducedResolution = true
        overviews[2].width = 4; overviews[2].height = 3; overviews[2].isReducedResolution = true
        #expect(try kind(overviews) == .scene)
        // A reduced page the same size as the first still is not a slice.
        var sameSizeOverview = Pages.numbered(2)
        sameSizeOverview[1].isReducedResolution = true
        #expect(try kind(sameSizeOverview) == .scene)
        var unlike = Pages.numbered(2)
        unlike[1].pixelType = .uint8
        #expect(try kind(unlike) == .scene)
    }

    @Test("a damaged file is classified on what can be read; opening it reports the damage",
          .enabled(if: SharedData.hasMedicalTIFFs, "cuts a copy of ../shared/data/medical/tiff/mini-t1-head.tif"))
    func damaged() throws {
        let folder = TemporaryFolder("scaletile-tiff-tests")
        let original = try Data(contentsOf: URL(fileURLWithPath: SharedData.path("medical/tiff/mini-t1-head.tif")))
        let path = folder.file("cut.tif")
        try original.prefix(67000).write(to: URL(fileURLWithPath: path))  // pages 1 to 3 of 32 survive
        #expect(try TIFFStack.classify(path: path) == .stack)
        try original.prefix(100).write(to: URL(fileURLWithPath: path))  // not even page 1
        #expect(try TIFFStack.classify(path: path) == .scene)
    }

    @Test("metadata alone can make a stack")
    func metadataRule() throws {
        let folder = TemporaryFolder("scaletile-tiff-tests")
        // One page whose ImageJ description promises 5 slices: a stack (opening it then reports
        // the missing pages). This is also how ImageJ's single-IFD files over 4 GB look.
        let imagej = folder.file("imagej.tif")
        try Pages.write(Pages.numbered(1, description: "ImageJ=1.53t\nimages=5\nslices=5\n"), to: imagej)
        #expect(try TIFFStack.classify(path: imagej) == .stack)
        let ome = folder.file("one.ome.tif")
        try Pages.write(Pages.numbered(1, description: OMEXML.pixels(sizeZ: 1, sizeC: 1, tiffData: "<TiffData/>")), to: ome)
        #expect(try TIFFStack.classify(path: ome) == .scene)
        // A single page still opens as a stack of depth 1 when asked (`--as stack`).
        #expect(try TIFFStack(opening: ome).size.depth == 1)
    }
}

import Foundation
import Testing
import ScaleTileCore
import ScaleTileMedical
import TestSupport

/// The NIfTI volumes of `SampleData/` are what the README's table says, and the mask lies on
/// its image's grid and affine. (`SampleDataTests` checks they are what the generator makes.)
@Suite("Sample volumes", .serialized)
struct SampleVolumeTests {
    static let folder = SharedData.packageRoot + "/SampleData/"

    @Test("the metastases volume and mask: grid, type, spacing, affine, and 10 lesions 2 to 40 voxels across")
    func metastases() throws {
        let image = try MedicalVolume(opening: Self.folder + "medical/brain_mets_t1c.nii.gz")
        let mask = try MedicalVolume(opening: Self.folder + "medical/brain_mets_mask.nii.gz")
        for volume in [image, mask] {
            #expect(volume.size == RasterSize(width: 128, height: 128, depth: 80))
            #expect(volume.spacing == Spacing(x: 1.5, y: 1.5, z: 1.5, unit: "mm"))
            #expect(volume.affine.orientation == "RAS" && volume.affine.space == .ras)
            try volume.checkData()
        }
        #expect(image.pixelType == .int16 && mask.pixelType == .uint8)
        #expect(image.affine.maximumDifference(from: mask.affine) == 0)
        // The world origin lies at the volume's centre voxel position (63.5, 63.5, 39.5).
        let m = image.affine.matrix
        #expect(abs(m[0][3] + 1.5 * 63.5) < 1e-9 && abs(m[2][3] + 1.5 * 39.5) < 1e-9)

        var labeler = ComponentLabeler(width: 128, height: 128, spacing: mask.spacing, connectivity: .full)
        try mask.forEachSlice(channel: 0, timepoint: 0) { _, samples in try labeler.append(slice: samples, pixelType: .uint8) }
        let lesions = labeler.finish()
        #expect(lesions.count == 10 && lesions.allSatisfy { $0.label == 1 })
        let across = lesions.map { Swift.max($0.bbox.width, $0.bbox.height, $0.bbox.depth) }
        #expect(across.min() == 2 && across.max() == 40, "\(across.sorted())")
    }
}

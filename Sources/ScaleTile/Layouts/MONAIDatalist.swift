import Foundation
import ScaleTileCore

/// `datalist.json` at the output's root: MONAI's Decathlon-style lists (`training`,
/// `validation`, `test`) of `{image, label}` paths relative to it, each with the patch's voxel
/// `spacing` `[x, y, z]`, for `monai.data.load_decathlon_datalist(…, base_dir=OUT)`. The
/// patches are `.npy` (MONAI's NumpyReader) or NIfTI (its NibabelReader, which puts the
/// patch's affine, the manifest's `affine`, into the image's metadata).
///
/// Image/mask pairs only: a window without a mask has no label to list.
struct MONAIDatalist {
    let entries: [ManifestEntry]

    /// One list item.
    struct Item: Encodable {
        var image: String
        var label: String
        var spacing: [Double]?
        var id: String
    }

    struct Document: Encodable {
        var name = "ScaleTile patches"
        var tensorImageSize: String
        var numTraining: Int
        var training: [Item]
        var validation: [Item]?
        var test: [Item]?
    }

    func write(in folder: OutputFolder) throws {
        func items(_ name: SplitName) -> [Item] {
            entries.filter { ($0.split ?? .train) == name }.compactMap { entry in
                entry.mask.map { Item(image: entry.path, label: $0, spacing: entry.spacing.map { [$0.x, $0.y, $0.z] }, id: entry.id) }
            }
        }
        let training = items(.train), validation = items(.val), test = items(.test)
        let volumetric = entries.contains { ($0.window.depth ?? 1) > 1 }
        let document = Document(tensorImageSize: volumetric ? "4D" : "3D", numTraining: training.count, training: training,
                                validation: validation.isEmpty ? nil : validation, test: test.isEmpty ? nil : test)
        try folder.writeDocument(document, to: "datalist.json")
    }
}

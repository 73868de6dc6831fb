import Foundation
import ScaleTileCore

/// One sample of `SampleData/`: a scene or stack with its labels, made from a fixed seed.
///
/// The seeds are part of the recipe: changing one changes the committed files, and the sample
/// data test then fails until `SampleData/` is regenerated and committed with it.
enum Sample: String, CaseIterable {
    case landsat
    case aerial
    case ships
    case buildings
    case ct
    case mri
    case nuclei
    case mets

    /// The seed of every random choice in this sample.
    var seed: UInt64 {
        switch self {
        case .landsat: return 1_001
        case .aerial: return 1_002
        case .ships: return 1_003
        case .buildings: return 1_004
        case .ct: return 2_001
        case .mri: return 2_002
        case .nuclei: return 2_003
        case .mets: return 2_004
        }
    }

    /// The files it writes, relative to the output folder.
    var files: [String] {
        switch self {
        case .landsat: return ["satellite/landsat_scene.tif", "satellite/landsat_objects.geojson"]
        case .aerial: return ["satellite/aerial_vehicles.tif", "satellite/aerial_vehicles.coco.json"]
        case .ships: return ["satellite/s2_ships.tif", "satellite/s2_ships.geojson"]
        case .buildings: return ["satellite/buildings.tif", "satellite/buildings.geojson"]
        case .ct: return ["medical/ct_chest.tif", "medical/ct_nodules_mask.tif", "medical/ct_nodules.csv"]
        case .mri: return ["medical/mri_brain.ome.tif", "medical/mri_lesions_mask.ome.tif"]
        case .nuclei: return ["medical/nuclei.tif", "medical/nuclei_mask.tif"]
        case .mets: return ["medical/brain_mets_t1c.nii.gz", "medical/brain_mets_mask.nii.gz"]
        }
    }

    /// Generates the sample and writes its files under `folder`.
    func write(into folder: String) throws {
        let paths = files.map { folder + "/" + $0 }
        for parent in Set(paths.map { ($0 as NSString).deletingLastPathComponent }) {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        }
        switch self {
        case .landsat:
            let scene = LandsatScene.make(seed: seed)
            try scene.writeGeoTIFF(to: paths[0])
            try scene.writeGeoJSON(to: paths[1], layerName: "landsat_objects")
        case .aerial:
            let scene = AerialVehiclesScene.make(seed: seed)
            try scene.writeGeoTIFF(to: paths[0])
            try scene.writeCOCO(imageName: "aerial_vehicles.tif", classNames: ["car", "truck"], supercategory: "vehicle",
                                to: paths[1])
        case .ships:
            let scene = SentinelShipsScene.make(seed: seed)
            try scene.writeGeoTIFF(to: paths[0])
            try scene.writeGeoJSON(to: paths[1], layerName: "s2_ships")
        case .buildings:
            let scene = BuildingsScene.make(seed: seed)
            try scene.writeGeoTIFF(to: paths[0])
            try scene.writeGeoJSON(to: paths[1], layerName: "buildings")
        case .ct:
            let (stack, nodules) = ChestCTStack.make(seed: seed)
            try stack.write(as: .tiff, image: paths[0], mask: paths[1])
            try AtomicFile.write(Data(ChestCTStack.table(nodules).utf8), to: paths[2])
        case .mri:
            try BrainMRIStack.make(seed: seed).write(as: .omeTiff, image: paths[0], mask: paths[1])
        case .nuclei:
            try NucleiImage.make(seed: seed).write(as: .tiff, image: paths[0], mask: paths[1])
        case .mets:
            try BrainMetastasesVolume.make(seed: seed).write(as: .nifti, image: paths[0], mask: paths[1],
                                                             affine: BrainMetastasesVolume.affine)
        }
    }
}

import ArgumentParser
import Foundation
import ScaleTileCore
import ScaleTileMedical

/// The lesion index of a mask stack through the library, reading included: what
/// `scipy.ndimage.label` does on the same file after `tifffile.imread`.
struct LesionIndex: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lesion-index")

    @Argument var mask: String
    @Option(help: "6, 18 or 26 (3-D).") var connectivity = 26

    func run() throws {
        let start = Date()
        let stack = try TIFFStack(opening: mask)
        let size = stack.size
        guard let mode = Connectivity(neighbourCount: connectivity) else {
            throw ValidationError("connectivity is 6, 18 or 26")
        }
        var labeler = ComponentLabeler(width: size.width, height: size.height, spacing: stack.spacing, connectivity: mode)
        try stack.forEachSlice(channel: 0, timepoint: 0) { _, raw in
            try labeler.append(slice: raw, pixelType: stack.pixelType)
        }
        let lesions = labeler.finish()
        let seconds = Date().timeIntervalSince(start)
        print("METRIC lesions=\(lesions.count)")
        print(String(format: "METRIC index_s=%.3f", seconds))
    }
}

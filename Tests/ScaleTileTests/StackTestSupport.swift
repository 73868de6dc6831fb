import Foundation
import ScaleTile
import ScaleTileCore
import ScaleTileMedical
import TestSupport

/// Reading what stack jobs wrote, and the medical sample files, for the stack tests.
enum StackFiles {
    static let brainImage = SharedData.path("medical/derived/brain1_image_imagej.tif")
    static let brainLabel = SharedData.path("medical/derived/brain1_label_imagej.tif")
    static let lungImage = SharedData.path("medical/derived/lung1_ct_z27-39.ome.tif")
    static let lungLabel = SharedData.path("medical/derived/lung1_label_z27-39.ome.tif")

    /// A written patch: TIFF through libtiff (``TIFFStack``), `.npy` from its header and bytes.
    static func patch(_ path: String) throws -> RasterBuffer {
        guard path.hasSuffix(".npy") else {
            let stack = try TIFFStack(opening: path)
            return try stack.read(Window(size: stack.size))
        }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard let header = NumpyArrayFile.parseHeader(data), header.shape.count == 4,
              let type = PixelType.allCases.first(where: { $0.numpyDescriptor == header.descriptor }) else {
            throw StackTestFailure("\(path) is not a (C, Z, Y, X) .npy file")
        }
        let s = header.shape
        return RasterBuffer(pixelType: type, bandCount: s[0], size: RasterSize(width: s[3], height: s[2], depth: s[1]),
                            bytes: [UInt8](data[header.dataOffset...]))
    }

    /// Every voxel of a stack's first channel, as Doubles in (Z, Y, X) order.
    static func volume(_ path: String) throws -> (size: RasterSize, values: [Double]) {
        let stack = try TIFFStack(opening: path)
        return (stack.size, try stack.read(Window(size: stack.size), channels: [0]).samples(band: 0))
    }

    /// The mean of each level block (2^ℓ in X and Y, `depthFactor` in Z), clipped to the volume,
    /// computed here voxel by voxel, then rounded half away from zero as ScaleTile documents.
    static func blockMeans(_ values: [Double], size: RasterSize, factor: Int, depthFactor: Int) -> (size: RasterSize, values: [Double]) {
        let out = RasterSize(width: (size.width + factor - 1) / factor, height: (size.height + factor - 1) / factor,
                             depth: (size.depth + depthFactor - 1) / depthFactor)
        var means = [Double](repeating: 0, count: out.pixelCount)
        for k in 0 ..< out.depth {
            for j in 0 ..< out.height {
                for i in 0 ..< out.width {
                    var sum = 0.0, count = 0.0
                    for z in k * depthFactor ..< min((k + 1) * depthFactor, size.depth) {
                        for y in j * factor ..< min((j + 1) * factor, size.height) {
                            for x in i * factor ..< min((i + 1) * factor, size.width) {
                                sum += values[(z * size.height + y) * size.width + x]
                                count += 1
                            }
                        }
                    }
                    means[(k * out.height + j) * out.width + i] = (sum / count).rounded(.toNearestOrAwayFromZero)
                }
            }
        }
        return (out, means)
    }

    /// `values` cut to `window` (which may overhang; outside voxels are nil).
    static func crop(_ values: [Double], size: RasterSize, to window: Window) -> [Double?] {
        var out: [Double?] = []
        out.reserveCapacity(window.pixelCount)
        for z in window.z ..< window.maxZ {
            for y in window.y ..< window.maxY {
                for x in window.x ..< window.maxX {
                    let inside = x >= 0 && y >= 0 && z >= 0 && x < size.width && y < size.height && z < size.depth
                    out.append(inside ? values[(z * size.height + y) * size.width + x] : nil)
                }
            }
        }
        return out
    }

    /// Every regular file under `folder`, relative, sorted.
    static func files(under folder: String) -> [String] {
        let walker = FileManager.default.enumerator(atPath: folder)
        var found: [String] = []
        while let item = walker?.nextObject() as? String {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder + "/" + item, isDirectory: &isFolder), !isFolder.boolValue { found.append(item) }
        }
        return found.sorted()
    }
}

struct StackTestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

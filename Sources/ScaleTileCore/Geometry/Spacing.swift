/// Physical size of one voxel along X, Y and Z, with its unit (stacks; `mm` or `µm` usually).
public struct Spacing: Hashable, Sendable, Codable, CustomStringConvertible {
    public var x: Double
    public var y: Double
    public var z: Double
    /// The unit of all three numbers, as the file names it (`mm`, `um`, `pixel` when unknown).
    public var unit: String

    public init(x: Double, y: Double, z: Double, unit: String) {
        self.x = x; self.y = y; self.z = z; self.unit = unit
    }

    /// One unit-less pixel per voxel: what a file without spacing metadata has.
    public static let unit = Spacing(x: 1, y: 1, z: 1, unit: "pixel")

    /// Volume of one voxel.
    public var voxelVolume: Double { x * y * z }

    /// The spacing of a level whose voxels span `factorXY` voxels in X and Y and `factorZ` in Z.
    public func scaled(xy factorXY: Int, z factorZ: Int) -> Spacing {
        Spacing(x: x * Double(factorXY), y: y * Double(factorXY), z: z * Double(factorZ), unit: unit)
    }

    public var description: String { "\(x) x \(y) x \(z) \(unit)" }
}

/// Which voxels count as neighbours when a mask is split into connected components.
///
/// A neighbour is one step away along one, two or three axes at once: it shares a face, an edge
/// or only a corner with the voxel. In a plane (a mask one slice deep) the same rules give 4 or 8
/// neighbours, since pixels share edges or corners only.
///
/// | case | 3-D | planar | scipy `generate_binary_structure` |
/// |---|---|---|---|
/// | ``faces`` | 6 | 4 | connectivity 1 |
/// | ``facesAndEdges`` | 18 | 8 | connectivity 2 |
/// | ``full`` | 26 | 8 | connectivity 3 (`np.ones((3, 3, 3))`) |
public enum Connectivity: Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// Voxels sharing a face: 6 neighbours in 3-D, 4 in a plane.
    case faces
    /// Voxels sharing a face or an edge: 18 neighbours in 3-D, 8 in a plane.
    case facesAndEdges
    /// Voxels sharing a face, an edge or a corner: 26 neighbours in 3-D, 8 in a plane. The default.
    case full

    /// The connectivity with `neighbourCount` neighbours: 6, 18 or 26 in 3-D; 4 or 8 in a plane.
    ///
    /// 8 maps to ``full``, which is also what it means for a volume; other counts give nil.
    public init?(neighbourCount: Int) {
        switch neighbourCount {
        case 4, 6: self = .faces
        case 18: self = .facesAndEdges
        case 8, 26: self = .full
        default: return nil
        }
    }

    /// The number of neighbours of a voxel, in a volume or (`isPlanar`) in a single slice.
    public func neighbourCount(isPlanar: Bool) -> Int {
        switch self {
        case .faces: return isPlanar ? 4 : 6
        case .facesAndEdges: return isPlanar ? 8 : 18
        case .full: return isPlanar ? 8 : 26
        }
    }

    public var description: String {
        "\(neighbourCount(isPlanar: false))-connected (\(neighbourCount(isPlanar: true)) in a plane)"
    }

    /// The most axes along which a neighbour's offset may be non-zero.
    var maximumOffsetAxes: Int {
        switch self {
        case .faces: return 1
        case .facesAndEdges: return 2
        case .full: return 3
        }
    }

    /// How far along X two runs may be apart and still touch, when their rows are one step apart
    /// along `rowOffsetAxes` of the Y and Z axes (1: the row above, or the same row of the previous
    /// slice; 2: a row above or below in the previous slice).
    ///
    /// 0 means the runs must overlap in X; 1 means they may also touch diagonally (a run ending at
    /// column x touches one starting at x + 1); nil means rows that far apart never touch.
    func columnReach(rowOffsetAxes: Int) -> Int? {
        // A same-column neighbour adds no X step; a diagonal one adds one more axis.
        if rowOffsetAxes + 1 <= maximumOffsetAxes { return 1 }
        if rowOffsetAxes <= maximumOffsetAxes { return 0 }
        return nil
    }
}

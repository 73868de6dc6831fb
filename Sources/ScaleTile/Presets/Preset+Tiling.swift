import ScaleTileCore

extension Preset {
    /// `tiling`: the size of tiles (scenes) or patches (stacks), their overlap and the edges.
    public struct Tiling: Hashable, Sendable, Codable {
        /// Tile edge `N`, or `WxH`, or `WxHxD` for stack patches. Scenes take square tiles.
        public var size = TileExtent(512)
        /// Pixels shared by neighbouring tiles: `N`, `XxY`, `XxYxZ` or `auto`; smaller than the
        /// size on every axis.
        public var overlap = OverlapSetting.uniform(64)
        /// What the last tile does at the right and bottom edges.
        public var edge: EdgePolicy = .shift
        /// Tiles whose nodata share exceeds this fraction are not written; nil keeps every tile.
        public var maxNodata: Double? = nil
        /// Stacks: the patch size in millimetres (X, Y, Z), converted with each stack's spacing;
        /// replaces ``size`` (`--patch-mm`).
        public var sizeMm: [Double]? = nil
        /// Stacks: how image voxels past the edge are filled (masks take 0).
        public var padding: Padding = .constant
        /// Stacks: the value of `constant` padding.
        public var padValue: Double = 0

        /// The defaults of every field.
        public init() {}

        enum CodingKeys: String, CodingKey, CaseIterable {
            case size, overlap, edge, maxNodata, sizeMm, padding, padValue
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let d = Tiling()
            size = try c.decodeIfPresent(TileExtent.self, forKey: .size) ?? d.size
            overlap = try c.decodeIfPresent(OverlapSetting.self, forKey: .overlap) ?? d.overlap
            edge = try c.decodeChoice(EdgePolicy.self, forKey: .edge) ?? d.edge
            maxNodata = try c.decodeIfPresent(Double.self, forKey: .maxNodata) ?? d.maxNodata
            sizeMm = try Tiling.decodeMillimetres(c) ?? d.sizeMm
            padding = try c.decodeChoice(Padding.self, forKey: .padding) ?? d.padding
            padValue = try c.decodeIfPresent(Double.self, forKey: .padValue) ?? d.padValue
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(size, forKey: .size)
            try c.encode(overlap, forKey: .overlap)
            try c.encode(edge, forKey: .edge)
            try c.encodeIfPresent(maxNodata, forKey: .maxNodata)
            try c.encodeIfPresent(sizeMm.map { $0.map(PresetNumber.text).joined(separator: "x") }, forKey: .sizeMm)
            try c.encode(padding, forKey: .padding)
            try c.encode(padValue, forKey: .padValue)
        }

        /// `N` (every axis) or `XxYxZ`, in millimetres: three numbers.
        private static func decodeMillimetres(_ c: KeyedDecodingContainer<CodingKeys>) throws -> [Double]? {
            let expectation = "must be a size in millimetres: N or XxYxZ"
            if let edge = try? c.decodeIfPresent(Double.self, forKey: .sizeMm) { return [edge, edge, edge] }
            guard let text = try? c.decodeIfPresent(String.self, forKey: .sizeMm) else {
                if c.contains(.sizeMm), (try? c.decodeNil(forKey: .sizeMm)) != true { throw PresetDecoding.mismatch(c, .sizeMm, expectation) }
                return nil
            }
            let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false)
                .map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard [1, 3].contains(parts.count), parts.allSatisfy({ $0 != nil }) else { throw PresetDecoding.mismatch(c, .sizeMm, expectation) }
            return parts.count == 1 ? [parts[0]!, parts[0]!, parts[0]!] : parts.map { $0! }
        }
    }

    /// `target`: the object size the levels should bring into range (DESIGN.md §4, "in-band"),
    /// and the audit figures a run must reach; ``PresetRun`` checks them for every input and
    /// the summary says which were met.
    public struct Target: Hashable, Sendable, Codable {
        /// `MIN:MAX` in pixels of the level a tile comes from; nil: no size band.
        public var objectSize: ObjectSizeBand? = nil
        /// Least share of the objects a window can hold that must be whole in some window.
        public var contained: Double? = nil
        /// Least share of the objects within the levels' reach that must be in band somewhere.
        public var inBand: Double? = nil
        /// k of the k-coverage target.
        public var coverageK: Int = 5
        /// Least share of the objects a window can hold that must be whole in at least `coverageK` windows.
        public var coverage: Double? = nil
        /// Largest sampling bias R over the objects a window can hold.
        public var maxBias: Double? = nil
        /// Largest balance of windows placed per size bucket (scale-stratified sampling).
        public var maxBucketBalance: Double? = nil

        /// The defaults of every field.
        public init() {}

        enum CodingKeys: String, CodingKey, CaseIterable {
            case objectSize, contained, inBand, coverageK, coverage, maxBias, maxBucketBalance
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            if let (low, high) = try c.decodePair(forKey: .objectSize, separator: ":", form: "MIN:MAX in pixels, such as 16:96") {
                guard let band = try? ObjectSizeBand(min: low, max: high) else {
                    throw PresetDecoding.mismatch(c, .objectSize, "must be MIN:MAX with 0 < MIN ≤ MAX")
                }
                objectSize = band
            }
            let d = Target()
            contained = try c.decodeIfPresent(Double.self, forKey: .contained) ?? d.contained
            inBand = try c.decodeIfPresent(Double.self, forKey: .inBand) ?? d.inBand
            coverageK = try c.decodeIfPresent(Int.self, forKey: .coverageK) ?? d.coverageK
            coverage = try c.decodeIfPresent(Double.self, forKey: .coverage) ?? d.coverage
            maxBias = try c.decodeIfPresent(Double.self, forKey: .maxBias) ?? d.maxBias
            maxBucketBalance = try c.decodeIfPresent(Double.self, forKey: .maxBucketBalance) ?? d.maxBucketBalance
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encodeIfPresent(objectSize?.description, forKey: .objectSize)
            try c.encodeIfPresent(contained, forKey: .contained)
            try c.encodeIfPresent(inBand, forKey: .inBand)
            try c.encode(coverageK, forKey: .coverageK)
            try c.encodeIfPresent(coverage, forKey: .coverage)
            try c.encodeIfPresent(maxBias, forKey: .maxBias)
            try c.encodeIfPresent(maxBucketBalance, forKey: .maxBucketBalance)
        }
    }
}

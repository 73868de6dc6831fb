import ScaleTileCore

extension Preset {
    /// `levels`: which pyramid levels to work on and how they are computed.
    public struct Levels: Hashable, Sendable, Codable {
        /// `0`, `0,2,3`, `0-3`, a list `[0, 1, 2]`, or `auto`.
        public var levels: LevelSelection = .explicit([0])
        /// Resampling of image levels above 0 (GDAL's names).
        public var resampling: Resampling = .average
        /// Compute levels above 0 from full resolution even when the file has overviews of the
        /// exact size (`--exact-levels`).
        public var exact: Bool = false
        /// Stacks: downsample Z as well (near-isotropic volumes only).
        public var scaleZ: Bool = false
        /// Scenes: magnified windows for objects below `target.objectSize`'s minimum even at level 0.
        public var zoomIn: Bool = false
        /// Stacks: resampling of mask levels above 0, `nearest` or `mode` (never an average).
        public var maskResampling: Resampling = .nearest
        /// Stack pyramids: levels as SubIFDs of one OME-TIFF, or one OME-TIFF per level; `auto`
        /// is `files` when ``scaleZ`` and `subifd` otherwise.
        public var pyramidLayout: PyramidLayout = .auto

        /// `levels.pyramidLayout`.
        public enum PyramidLayout: String, Hashable, Sendable, Codable, CaseIterable {
            case auto
            case subifd
            case files
        }

        /// The defaults of every field.
        public init() {}

        enum CodingKeys: String, CodingKey, CaseIterable {
            case levels, resampling, exact, scaleZ, zoomIn, maskResampling, pyramidLayout
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let d = Levels()
            levels = try Levels.decodeSelection(c) ?? d.levels
            resampling = try c.decodeChoice(Resampling.self, forKey: .resampling) ?? d.resampling
            exact = try c.decodeIfPresent(Bool.self, forKey: .exact) ?? d.exact
            scaleZ = try c.decodeIfPresent(Bool.self, forKey: .scaleZ) ?? d.scaleZ
            zoomIn = try c.decodeIfPresent(Bool.self, forKey: .zoomIn) ?? d.zoomIn
            maskResampling = try c.decodeChoice(Resampling.self, forKey: .maskResampling) ?? d.maskResampling
            pyramidLayout = try c.decodeChoice(PyramidLayout.self, forKey: .pyramidLayout) ?? d.pyramidLayout
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(levels.description, forKey: .levels)
            try c.encode(resampling, forKey: .resampling)
            try c.encode(exact, forKey: .exact)
            try c.encode(scaleZ, forKey: .scaleZ)
            try c.encode(zoomIn, forKey: .zoomIn)
            try c.encode(maskResampling, forKey: .maskResampling)
            try c.encode(pyramidLayout, forKey: .pyramidLayout)
        }

        /// The command line's text (`2`, `0-3`, `0,2`, `auto`) or a YAML list of levels.
        private static func decodeSelection(_ c: KeyedDecodingContainer<CodingKeys>) throws -> LevelSelection? {
            let expectation = "must be a level list such as 0, 0,2,3, 0-3, [0, 1, 2] or auto, with levels from 0 to 30"
            // Text first: YAML 1.1 reads `0-1` as an octal integer (−1), the text is what was meant.
            if let text = try? c.decodeIfPresent(String.self, forKey: .levels) {
                return try selection(text, or: PresetDecoding.mismatch(c, .levels, expectation))
            }
            guard let list = try? c.decodeIfPresent([Int].self, forKey: .levels) else {
                if c.contains(.levels), (try? c.decodeNil(forKey: .levels)) != true {
                    throw PresetDecoding.mismatch(c, .levels, expectation)
                }
                return nil
            }
            return try selection(list.map(String.init).joined(separator: ","), or: PresetDecoding.mismatch(c, .levels, expectation))
        }

        private static func selection(_ text: String, or error: DecodingError) throws -> LevelSelection {
            guard !text.isEmpty, let selection = try? LevelSelection(parsing: text) else { throw error }
            return selection
        }
    }
}

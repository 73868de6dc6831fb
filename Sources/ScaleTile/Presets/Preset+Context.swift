import ScaleTileCore

extension Preset {
    /// `context`: multi-scale context tiles beside each window (`--context-levels`, `--context-as`).
    public struct Context: Hashable, Sendable, Codable {
        /// `context.levels`: absolute levels; each window gets a tile at every listed level
        /// coarser than its own. Empty: no context.
        public var levels: [Int] = []
        /// `context.as`: files beside the window, or extra channels of its file.
        public var `as`: ContextOutput = .files

        /// The defaults of every field.
        public init() {}

        enum CodingKeys: String, CodingKey, CaseIterable {
            case levels, `as`
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let d = Context()
            levels = try c.decodeIfPresent([Int].self, forKey: .levels) ?? d.levels
            if levels.contains(where: { !(0...30).contains($0) }) {
                throw PresetDecoding.mismatch(c, .levels, "must be a list of levels from 0 to 30")
            }
            `as` = try c.decodeChoice(ContextOutput.self, forKey: .as) ?? d.as
        }

        /// Only what differs from no context, so presets without it print as before.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            if !levels.isEmpty { try c.encode(levels, forKey: .levels) }
            if `as` != .files { try c.encode(`as`, forKey: .as) }
        }

        /// The job's context levels; nil without any.
        func contextLevels() throws -> ContextLevels? {
            levels.isEmpty ? nil : try ContextLevels(levels)
        }
    }
}

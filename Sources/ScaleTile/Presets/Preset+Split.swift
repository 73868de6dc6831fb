import ScaleTileCore

extension Preset {
    /// `split`: leak-free, stratified splits (`--split`, `--split-by`, `--split-block`).
    public struct Split: Hashable, Sendable, Codable {
        /// `split.shares`: `train=0.8,val=0.2`; nil: no split.
        public var shares: SplitShares? = nil
        /// `split.by`: blocks of each input, or whole inputs; nil: blocks for scenes, whole
        /// inputs for stacks and volumes (which have no blocks).
        public var by: SplitUnit? = nil
        /// `split.block`: the block edge in level-0 pixels; nil derives it.
        public var block: Int? = nil

        /// The defaults of every field.
        public init() {}

        enum CodingKeys: String, CodingKey, CaseIterable {
            case shares, by, block
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let d = Split()
            if let text = try c.decodeIfPresent(String.self, forKey: .shares) {
                do {
                    shares = try SplitShares(parsing: text)
                } catch let error as ScaleTileError {
                    throw PresetDecoding.mismatch(c, .shares, "must be NAME=SHARE pairs summing to 1, such as train=0.8,val=0.2 (\(error.message))")
                }
            }
            by = try c.decodeChoice(SplitUnit.self, forKey: .by) ?? d.by
            block = try c.decodeIfPresent(Int.self, forKey: .block) ?? d.block
            if let block, block < 1 { throw PresetDecoding.mismatch(c, .block, "must be a positive number of pixels") }
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encodeIfPresent(shares?.description, forKey: .shares)
            try c.encodeIfPresent(by, forKey: .by)
            try c.encodeIfPresent(block, forKey: .block)
        }

        /// The scene job's split options (blocks), or nil without shares or when whole inputs
        /// are split (``PresetRun`` does that).
        public var options: SplitOptions? {
            guard by != .source else { return nil }
            return shares.map { SplitOptions(shares: $0, by: .blocks, blockSize: block) }
        }

        /// What a split of inputs of this kind assigns: `split.by`, else whole inputs for stacks.
        public func unit(readsStacks: Bool) -> SplitUnit { by ?? (readsStacks ? .source : .blocks) }
    }
}

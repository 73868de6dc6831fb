import Foundation
import ScaleTileCore

/// A domain preset (DESIGN.md §5): everything a run needs besides its inputs, read from YAML.
///
/// Every field has a default, so `version: 1` alone is a valid preset (grid tiles of 512 pixels,
/// 64 pixels of overlap, level 0, GeoTIFF); ``PresetSchema/fields`` documents each field with
/// its type and default, and `Domains/README.md` prints that table. Fields missing from the file
/// decode as `decodeIfPresent(…) ?? default`, so presets written for this version keep working
/// when later builds add fields. Read presets through ``PresetDocument``, which checks the keys
/// and reports problems with their line numbers.
public struct Preset: Hashable, Sendable, Codable {
    /// The preset format version this build reads.
    public static let supportedVersion = 1

    /// What kind of data the preset is for.
    public enum Domain: String, Hashable, Sendable, Codable, CaseIterable {
        /// Satellite and aerial scenes read through GDAL.
        case satellite
        /// Medical stacks (CT, MRI, microscopy) read through libtiff.
        case medical
    }

    /// Which job the preset runs.
    public enum Job: String, Hashable, Sendable, Codable, CaseIterable {
        /// Grid tiles (scenes) or patches (stacks), as `scaletile tile` writes them.
        case tile
        /// One file per level, as `scaletile pyramid` writes them.
        case pyramid
        /// Scale-aware training patches, as `scaletile sample` writes them.
        case sample
    }

    /// The format version, `1`. Required: a preset without it might be meant for another format.
    public var version: Int = Preset.supportedVersion
    /// A short name: the default output folder is `<name>-out`. Default: the preset file's name.
    public var name: String = "preset"
    /// What the preset is for, in a sentence or two.
    public var description: String = ""
    /// `satellite` or `medical`.
    public var domain: Domain = .satellite
    /// `tile`, `pyramid` or `sample`.
    public var job: Job = .tile
    /// Where the inputs are and what they must be like.
    public var input = Input()
    /// The labels (objects, lesion masks) of each input.
    public var labels = Labels()
    /// The pyramid levels to work on.
    public var levels = Levels()
    /// Tile or patch size, overlap and edge policy.
    public var tiling = Tiling()
    /// The object size the levels should bring into range.
    public var target = Target()
    /// The sampler and its parameters (`job: sample`).
    public var sampling = Sampling()
    /// Class weighting.
    public var weights = Weights()
    /// Format and place of what is written.
    public var output = Output()
    /// `split`: leak-free, stratified splits.
    public var split = Split()
    /// `context`: multi-scale context tiles.
    public var context = Context()
    /// Seed of every random choice.
    public var seed: UInt64 = 0
    /// Worker threads; nil for all cores.
    public var threads: Int? = nil
    /// Bounds on what a run may use.
    public var limits = Limits()

    /// The defaults of every field.
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case version, name, description, domain, job, input, labels, levels, tiling, target, sampling, weights, output, split, context, seed, threads, limits
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Preset()
        version = try c.decode(Int.self, forKey: .version)
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? (decoder.userInfo[.presetFileName] as? String ?? d.name)
        description = try c.decodeIfPresent(String.self, forKey: .description) ?? d.description
        domain = try c.decodeChoice(Domain.self, forKey: .domain) ?? d.domain
        job = try c.decodeChoice(Job.self, forKey: .job) ?? d.job
        input = try c.decodeIfPresent(Input.self, forKey: .input) ?? d.input
        labels = try c.decodeIfPresent(Labels.self, forKey: .labels) ?? d.labels
        levels = try c.decodeIfPresent(Levels.self, forKey: .levels) ?? d.levels
        tiling = try c.decodeIfPresent(Tiling.self, forKey: .tiling) ?? d.tiling
        target = try c.decodeIfPresent(Target.self, forKey: .target) ?? d.target
        sampling = try c.decodeIfPresent(Sampling.self, forKey: .sampling) ?? d.sampling
        weights = try c.decodeIfPresent(Weights.self, forKey: .weights) ?? d.weights
        output = try c.decodeIfPresent(Output.self, forKey: .output) ?? d.output
        split = try c.decodeIfPresent(Split.self, forKey: .split) ?? d.split
        context = try c.decodeIfPresent(Context.self, forKey: .context) ?? d.context
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? d.seed
        threads = try c.decodeIfPresent(Int.self, forKey: .threads) ?? d.threads
        limits = try c.decodeIfPresent(Limits.self, forKey: .limits) ?? d.limits
        // Defaults that depend on the job or the domain, documented with the fields: a pyramid
        // builds the levels that fit (`auto`), and stack patches abut unless told to overlap.
        let levelKeys = try? c.nestedContainer(keyedBy: Levels.CodingKeys.self, forKey: .levels)
        if job == .pyramid, levelKeys?.contains(.levels) != true { levels.levels = .auto }
        let tilingKeys = try? c.nestedContainer(keyedBy: Tiling.CodingKeys.self, forKey: .tiling)
        if readsStacks, tilingKeys?.contains(.overlap) != true { tiling.overlap = .uniform(0) }
    }

    /// Whether inputs are read as scenes (GDAL) or stacks (libtiff): `input.as`, else the domain's.
    public var readsStacks: Bool {
        switch input.as {
        case .scene: return false
        case .stack: return true
        case .auto: return domain == .medical
        }
    }

    /// Whether `tiling.overlap` shapes the output: grid tiles do, placed samples and pyramids
    /// do not (a sample preset may keep the domain's overlap whatever its window size).
    public var usesTilingOverlap: Bool {
        job == .tile || (job == .sample && sampling.strategy == .grid)
    }

    /// `output.format`, with `auto` resolved: GeoTIFF for scenes, ImageJ TIFF for stacks.
    public var tileFormat: TileFormat {
        output.format.tileFormat ?? (readsStacks ? .tiff : .gtiff)
    }
}

extension CodingUserInfoKey {
    /// The preset file's name without extension: the default of `name`.
    static let presetFileName = CodingUserInfoKey(rawValue: "scaletile.presetFileName")!
}

extension Preset {
    /// `limits`: bounds on what a run may use.
    public struct Limits: Hashable, Sendable, Codable {
        /// `limits.maxMemory` (`--max-memory`): the budget every input-sized buffer is checked
        /// against, as bytes or with K/M/G/T (1024-based); nil for half the RAM or cgroup limit.
        public var maxMemory: String? = nil

        /// The defaults of every field.
        public init() {}

        enum CodingKeys: String, CodingKey, CaseIterable {
            case maxMemory
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            maxMemory = try c.decodeIfPresent(String.self, forKey: .maxMemory)
        }

        /// The budget this gives.
        public func memoryBudget() throws -> MemoryBudget {
            try maxMemory.map { try MemoryBudget(parsing: $0, option: "limits.maxMemory") } ?? .systemDefault
        }
    }
}

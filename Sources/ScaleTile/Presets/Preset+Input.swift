import ScaleTileCore

extension Preset {
    /// `input`: where the inputs are and what they must be like.
    public struct Input: Hashable, Sendable, Codable {
        /// How inputs are read.
        public enum Reading: String, Hashable, Sendable, Codable, CaseIterable {
            /// As the domain says: scenes for `satellite`, stacks for `medical`.
            case auto
            /// Through GDAL, as a scene.
            case scene
            /// Through libtiff, as a stack of slices.
            case stack
        }

        /// Input files, globs (`scenes/*.tif`) or list files (`@scenes.txt`), relative to the
        /// preset file; a single path may be written without a list. Empty: `--input` must name them.
        public var paths: [String] = []
        /// Scene or stack.
        public var `as`: Reading = .auto
        /// 1-based bands (scenes) in output order; nil keeps every band.
        public var bands: [Int]? = nil
        /// A nodata value overriding the file's; nil keeps the file's.
        public var nodata: Double? = nil
        /// What each input must be like; checked before anything is written.
        public var expect = Expectations()
        /// NIfTI volumes: apply `scl_slope`/`scl_inter` and write image patches as Float32;
        /// false keeps the stored values (the scaling is reported in the summary).
        public var applyScaling = false

        /// The defaults of every field.
        public init() {}

        enum CodingKeys: String, CodingKey, CaseIterable {
            case paths, `as`, bands, nodata, expect, applyScaling
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let d = Input()
            paths = try c.decodePaths(forKey: .paths) ?? d.paths
            `as` = try c.decodeChoice(Reading.self, forKey: .as) ?? d.as
            bands = try c.decodeIfPresent([Int].self, forKey: .bands) ?? d.bands
            nodata = try c.decodeIfPresent(Double.self, forKey: .nodata) ?? d.nodata
            expect = try c.decodeIfPresent(Expectations.self, forKey: .expect) ?? d.expect
            applyScaling = try c.decodeIfPresent(Bool.self, forKey: .applyScaling) ?? d.applyScaling
        }
    }

    /// `input.expect`: properties every input must have, so a preset made for 10 m Sentinel-2
    /// bands is not silently run on 0.3 m aerial RGB.
    public struct Expectations: Hashable, Sendable, Codable {
        /// The number of bands (scenes) or channels (stacks); nil accepts any.
        public var bands: Int? = nil
        /// The sample type as GDAL names it (`Byte`, `UInt16`, `Int16`, `Float32`, …); nil accepts any.
        public var dataType: PixelType? = nil
        /// Pixel size `[x, y]` in the scene's CRS units, or voxel spacing `[x, y, z]` of a stack
        /// in its unit; nil accepts any.
        public var spacing: [Double]? = nil
        /// How far the spacing may be from `spacing`, relative (0.01 is 1 %).
        public var spacingTolerance: Double = 0.01

        /// The defaults of every field.
        public init() {}

        enum CodingKeys: String, CodingKey, CaseIterable {
            case bands, dataType, spacing, spacingTolerance
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let d = Expectations()
            bands = try c.decodeIfPresent(Int.self, forKey: .bands) ?? d.bands
            dataType = try c.decodeChoice(PixelType.self, forKey: .dataType) ?? d.dataType
            spacing = try c.decodeIfPresent([Double].self, forKey: .spacing) ?? d.spacing
            spacingTolerance = try c.decodeIfPresent(Double.self, forKey: .spacingTolerance) ?? d.spacingTolerance
        }
    }
}

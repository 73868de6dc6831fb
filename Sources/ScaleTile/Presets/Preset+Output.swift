import ScaleTileCore

extension Preset {
    /// `output`: the tile format and where, inside `--out`, the run writes.
    public struct Output: Hashable, Sendable, Codable {
        /// `output.format`: a tile format, or `auto`.
        public enum Format: String, Hashable, Sendable, Codable, CaseIterable {
            /// GeoTIFF for scenes, ImageJ TIFF for stacks.
            case auto
            case gtiff, cog, png, jpeg, npy, tiff
            case omeTiff = "ome-tiff"
            /// NIfTI patches: `.nii.gz` (`nifti`) or uncompressed `.nii` (`nii`).
            case nifti, nii

            /// The tile format, or nil for `auto`.
            public var tileFormat: TileFormat? { TileFormat(rawValue: rawValue) }
        }

        /// A folder inside `--out` to write into, relative; empty writes into `--out` itself.
        public var path: String = ""
        /// Tile file format.
        public var format: Format = .auto
        /// GDAL creation options over the defaults (`COMPRESS: ZSTD`), as `--co` gives them.
        public var creationOptions: [String: String] = [:]
        /// png/jpeg of 16-bit or float data: a linear stretch `MIN:MAX` to 8 bits; nil: none.
        public var rescale: ClosedRange<Double>? = nil
        /// png/jpeg: a percentile stretch `LOW,HIGH` per band (`2,98`); nil: none.
        public var stretch: PercentileStretch? = nil
        /// How the folder is arranged for a trainer (`--layout`).
        public var layout: OutputLayout = .folder
        /// WebDataset layouts: samples per tar shard.
        public var samplesPerShard: Int = OutputLayout.defaultSamplesPerShard
        /// YOLO layouts: what becomes of a window showing another split's object.
        public var yoloIgnore: YOLOIgnore = .drop
        /// Scenes: a mask tile beside each tile (`--mask-tiles`).
        public var maskTiles: Bool = false
        /// YOLO layouts and exports: segmentation lines (outlines clipped to the tile) instead of boxes.
        public var yoloSegments: Bool = false
        /// nnU-Net layouts: the dataset number, 1 to 999 (`Dataset001_…`).
        public var datasetId: Int = 1
        /// nnU-Net layouts: the dataset name; nil takes the preset's name.
        public var datasetName: String? = nil
        /// nnU-Net layouts: each case cropped to the bounding box of its mask's foreground.
        public var cropForeground: Bool = false

        /// The defaults of every field.
        public init() {}

        enum CodingKeys: String, CodingKey, CaseIterable {
            case path, format, creationOptions, rescale, stretch, layout, samplesPerShard, yoloIgnore, maskTiles
            case datasetId, datasetName, cropForeground, yoloSegments
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let d = Output()
            path = try c.decodeIfPresent(String.self, forKey: .path) ?? d.path
            format = try c.decodeChoice(Format.self, forKey: .format) ?? d.format
            creationOptions = try c.decodeIfPresent([String: String].self, forKey: .creationOptions) ?? d.creationOptions
            if let (low, high) = try c.decodePair(forKey: .rescale, separator: ":", form: "MIN:MAX, such as 0:3000") {
                guard low < high else { throw PresetDecoding.mismatch(c, .rescale, "must be MIN:MAX with MIN < MAX") }
                rescale = low...high
            }
            if let (low, high) = try c.decodePair(forKey: .stretch, separator: ",", form: "LOW,HIGH percentiles, such as 2,98") {
                stretch = PercentileStretch(low: low, high: high)
            }
            layout = try c.decodeChoice(OutputLayout.self, forKey: .layout) ?? d.layout
            samplesPerShard = try c.decodeIfPresent(Int.self, forKey: .samplesPerShard) ?? d.samplesPerShard
            guard samplesPerShard >= 1 else { throw PresetDecoding.mismatch(c, .samplesPerShard, "must be at least 1") }
            yoloIgnore = try c.decodeChoice(YOLOIgnore.self, forKey: .yoloIgnore) ?? d.yoloIgnore
            maskTiles = try c.decodeIfPresent(Bool.self, forKey: .maskTiles) ?? d.maskTiles
            yoloSegments = try c.decodeIfPresent(Bool.self, forKey: .yoloSegments) ?? d.yoloSegments
            datasetId = try c.decodeIfPresent(Int.self, forKey: .datasetId) ?? d.datasetId
            guard (1...999).contains(datasetId) else { throw PresetDecoding.mismatch(c, .datasetId, "must be a whole number from 1 to 999") }
            datasetName = try c.decodeIfPresent(String.self, forKey: .datasetName) ?? d.datasetName
            if let name = datasetName, name.isEmpty || !name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) {
                throw PresetDecoding.mismatch(c, .datasetName, "must be letters, digits and '-' (nnU-Net splits the folder name at '_')")
            }
            cropForeground = try c.decodeIfPresent(Bool.self, forKey: .cropForeground) ?? d.cropForeground
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(path, forKey: .path)
            try c.encode(format, forKey: .format)
            try c.encode(creationOptions, forKey: .creationOptions)
            try c.encodeIfPresent(rescale.map { "\(PresetNumber.text($0.lowerBound)):\(PresetNumber.text($0.upperBound))" }, forKey: .rescale)
            try c.encode(layout, forKey: .layout)
            try c.encode(samplesPerShard, forKey: .samplesPerShard)
            try c.encode(yoloIgnore, forKey: .yoloIgnore)
            // Only when asked for: presets printed without it stay as they were.
            if maskTiles { try c.encode(maskTiles, forKey: .maskTiles) }
            try c.encode(yoloSegments, forKey: .yoloSegments)
            try c.encode(datasetId, forKey: .datasetId)
            try c.encodeIfPresent(datasetName, forKey: .datasetName)
            try c.encode(cropForeground, forKey: .cropForeground)
            try c.encodeIfPresent(stretch.map { "\(PresetNumber.text($0.low)),\(PresetNumber.text($0.high))" }, forKey: .stretch)
        }
    }

    /// Percentiles of a per-band linear stretch to 8 bits.
    public struct PercentileStretch: Hashable, Sendable {
        public var low: Double
        public var high: Double
    }
}

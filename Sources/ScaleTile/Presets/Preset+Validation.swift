import ScaleTileCore

extension Preset {
    /// Checks the values that need no input file: ranges, and fields that must agree with each
    /// other (the overlap below the size on every axis, a tile format the domain can write).
    ///
    /// - Throws: the first ``PresetProblem``, naming the keys involved, most specific first.
    func checkValues() throws {
        try checkInput()
        try checkTiling()
        try checkSampling()
        try checkOutput()
        if let threads, threads < 1 {
            throw PresetProblem("threads", message: "threads must be at least 1, got \(threads)")
        }
        if let path = labels.path, path.trimmingCharacters(in: .whitespaces).isEmpty {
            throw PresetProblem("labels.path", message: "labels.path is empty: leave it out for no labels")
        }
        try checkStackOnly()
        if levels.zoomIn {
            if readsStacks { throw PresetProblem("levels.zoomIn", "domain", message: "levels.zoomIn magnifies small objects in scenes; stacks have no zoom-in") }
            if target.objectSize == nil {
                throw PresetProblem("levels.zoomIn", message: "levels.zoomIn magnifies objects below target.objectSize's minimum: give target.objectSize")
            }
        }
    }

    /// Fields only stacks use, refused for scenes rather than ignored; and their values.
    private func checkStackOnly() throws {
        let given: [(String, Bool)] = [("tiling.sizeMm", tiling.sizeMm != nil), ("tiling.padding", tiling.padding != .constant),
                                       ("tiling.padValue", tiling.padValue != 0), ("levels.maskResampling", levels.maskResampling != .nearest),
                                       ("labels.connectivity", labels.connectivity != nil), ("levels.pyramidLayout", levels.pyramidLayout != .auto)]
        if !readsStacks, let (key, _) = given.first(where: { $0.1 }) {
            throw PresetProblem(key, "domain", "input.as", message: "\(key) is for stacks, and the inputs are scenes")
        }
        if let sizes = tiling.sizeMm, let bad = sizes.first(where: { !($0 > 0 && $0.isFinite) }) {
            throw PresetProblem("tiling.sizeMm", message: "tiling.sizeMm must be positive on every axis, got \(PresetNumber.text(bad))")
        }
        guard [.nearest, .mode].contains(levels.maskResampling) else {
            throw PresetProblem("levels.maskResampling", message: "levels.maskResampling must be nearest or mode (masks are never averaged), got \(levels.maskResampling.rawValue)")
        }
        if let n = labels.connectivity, Connectivity(neighbourCount: n) == nil {
            throw PresetProblem("labels.connectivity", message: "labels.connectivity \(n) is not a connectivity: use 6, 18 or 26 (volumes), 4 or 8 (planes)")
        }
        if levels.pyramidLayout == .subifd, levels.scaleZ {
            throw PresetProblem("levels.pyramidLayout", "levels.scaleZ", message: "SubIFD levels keep every slice of their plane, so levels.scaleZ needs levels.pyramidLayout files")
        }
    }

    private func checkInput() throws {
        if let empty = input.paths.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            throw PresetProblem("input.paths[\(empty)]", "input.paths", message: "input.paths has an empty path")
        }
        if let bands = input.bands {
            guard !bands.isEmpty else { throw PresetProblem("input.bands", message: "input.bands is an empty list: leave it out to keep every band") }
            if let bad = bands.first(where: { $0 < 1 }) {
                throw PresetProblem("input.bands", message: "input.bands: band numbers start at 1, got \(bad)")
            }
        }
        if job == .pyramid {
            // Pyramid levels copy the source's bands and nodata as they are.
            if input.bands != nil { throw PresetProblem("input.bands", "job", message: "input.bands selects bands of tiles; job: pyramid keeps every band") }
            if input.nodata != nil { throw PresetProblem("input.nodata", "job", message: "input.nodata overrides the nodata of tiles; job: pyramid keeps the source's") }
        }
        if let count = input.expect.bands, count < 1 {
            throw PresetProblem("input.expect.bands", message: "input.expect.bands must be at least 1, got \(count)")
        }
        if let spacing = input.expect.spacing {
            guard (2...3).contains(spacing.count) else {
                throw PresetProblem("input.expect.spacing", message: "input.expect.spacing is [x, y] or [x, y, z], got \(spacing.count) numbers")
            }
            if !readsStacks, spacing.count != 2 {
                throw PresetProblem("input.expect.spacing", message: "input.expect.spacing of a scene is its pixel size [x, y], got \(spacing.count) numbers")
            }
            if let bad = spacing.first(where: { !($0 > 0 && $0.isFinite) }) {
                throw PresetProblem("input.expect.spacing", message: "input.expect.spacing values must be positive, got \(PresetNumber.text(bad))")
            }
        }
        let tolerance = input.expect.spacingTolerance
        guard tolerance >= 0, tolerance.isFinite else {
            throw PresetProblem("input.expect.spacingTolerance", message: "input.expect.spacingTolerance must be 0 or more, got \(PresetNumber.text(tolerance))")
        }
    }

    private func checkTiling() throws {
        let size = tiling.size
        if let bad = size.axes.first(where: { $0 < 1 }) {
            throw PresetProblem("tiling.size", message: "tiling.size must be positive on every axis, got \(bad) in \(size)")
        }
        if !readsStacks, size.squareEdge == nil {
            throw PresetProblem("tiling.size", "domain", message: "tiling.size \(size): scenes take square tiles, give one number")
        }
        if let overlap = tiling.overlap.axes {
            if let bad = overlap.first(where: { $0 < 0 }) {
                throw PresetProblem("tiling.overlap", message: "tiling.overlap must not be negative, got \(bad)")
            }
            if !readsStacks, tiling.overlap.planarPixels == nil {
                throw PresetProblem("tiling.overlap", "domain", message: "tiling.overlap \(tiling.overlap): scenes take one overlap for X and Y, give one number")
            }
            // What the tiles share: on 3-D patches one number is shared along Z too.
            let shared = readsStacks ? tiling.overlap.voxels(patchDepth: size.depth ?? 1).map { [$0.width, $0.height, $0.depth] } ?? overlap : overlap
            for (axis, (o, t)) in zip(["X", "Y", "Z"], zip(shared, size.axes)) where o >= t && usesTilingOverlap {
                let onAxis = Set(size.axes).count == 1 && Set(shared.prefix(size.axes.count)).count == 1 ? "" : " on \(axis)"
                throw PresetProblem("tiling.overlap", "tiling.size",
                                    message: "tiling.overlap \(o) must be smaller than tiling.size \(t)\(onAxis): tiles would not advance")
            }
        }
        for (key, share) in [("target.contained", target.contained), ("target.inBand", target.inBand), ("target.coverage", target.coverage)] {
            if let share, !(0...1).contains(share) {
                throw PresetProblem(key, message: "\(key) is a share from 0 to 1, got \(PresetNumber.text(share))")
            }
        }
        if target.coverageK < 1 {
            throw PresetProblem("target.coverageK", message: "target.coverageK must be at least 1, got \(target.coverageK)")
        }
        for (key, ratio) in [("target.maxBias", target.maxBias), ("target.maxBucketBalance", target.maxBucketBalance)] {
            if let ratio, ratio < 1 {
                throw PresetProblem(key, message: "\(key) is a max/min ratio, at least 1, got \(PresetNumber.text(ratio))")
            }
        }
        if !(0...1).contains(labels.minVisible) {
            throw PresetProblem("labels.minVisible", message: "labels.minVisible is a fraction from 0 to 1, got \(PresetNumber.text(labels.minVisible))")
        }
        if let limit = tiling.maxNodata, !(0...1).contains(limit) {
            throw PresetProblem("tiling.maxNodata", message: "tiling.maxNodata is a fraction from 0 to 1, got \(PresetNumber.text(limit))")
        }
    }

    private func checkSampling() throws {
        for (key, value) in [("count", sampling.count), ("negatives", sampling.negatives), ("minPerObject", sampling.minPerObject)] where value < 0 {
            throw PresetProblem("sampling.\(key)", message: "sampling.\(key) must not be negative, got \(value)")
        }
        guard sampling.alpha >= 0, sampling.alpha.isFinite else {
            throw PresetProblem("sampling.alpha", message: "sampling.alpha must be 0 or more (0 voxel-uniform, 1 object-uniform), got \(PresetNumber.text(sampling.alpha))")
        }
        if let shares = sampling.bucketShares {
            if let (bucket, share) = shares.first(where: { !($0.value >= 0 && $0.value.isFinite) }) {
                throw PresetProblem("sampling.bucketShares", message: "sampling.bucketShares.\(bucket.rawValue) must be 0 or more, got \(PresetNumber.text(share))")
            }
            guard shares.values.reduce(0, +) > 0 else {
                throw PresetProblem("sampling.bucketShares", message: "sampling.bucketShares are all 0: no bucket would get a patch")
            }
        }
        if sampling.map != nil, sampling.strategy != .weighted, job == .sample {
            throw PresetProblem("sampling.map", "sampling.strategy",
                                message: "sampling.map is the probability raster of sampling.strategy weighted, not of \(sampling.strategy.rawValue)")
        }
        if !(sampling.minTissue > 0 && sampling.minTissue <= 1) {
            throw PresetProblem("sampling.minTissue", message: "sampling.minTissue is a share above 0 and at most 1, got \(PresetNumber.text(sampling.minTissue))")
        }
        if let threshold = sampling.backgroundThreshold, !threshold.isFinite {
            throw PresetProblem("sampling.backgroundThreshold", message: "sampling.backgroundThreshold must be a finite number")
        }
        if sampling.backgroundThreshold != nil, sampling.tissueMask != nil {
            throw PresetProblem("sampling.tissueMask", "sampling.backgroundThreshold",
                                message: "sampling.tissueMask and sampling.backgroundThreshold both say where tissue is: give one")
        }
        if !readsStacks, sampling.backgroundThreshold != nil || sampling.tissueMask != nil {
            throw PresetProblem(sampling.tissueMask != nil ? "sampling.tissueMask" : "sampling.backgroundThreshold", "domain", "input.as",
                                message: "sampling.backgroundThreshold and sampling.tissueMask are for stacks; scenes place negatives off nodata")
        }
        guard weights.beta >= 0, weights.beta < 1 else {
            throw PresetProblem("weights.beta", message: "weights.beta must be in [0, 1), got \(PresetNumber.text(weights.beta))")
        }
    }

    private func checkOutput() throws {
        let path = output.path
        if path.hasPrefix("/") || path.hasPrefix("~") || path.contains("://") {
            throw PresetProblem("output.path", message: "output.path '\(path)' must be a folder inside --out, not an absolute path")
        }
        if path.split(separator: "/").contains("..") {
            throw PresetProblem("output.path", message: "output.path '\(path)' climbs out of --out with '..': it must stay inside")
        }
        if output.creationOptions.keys.contains(where: { $0.isEmpty }) {
            throw PresetProblem("output.creationOptions", message: "output.creationOptions has an empty option name")
        }
        let spellings = Dictionary(grouping: output.creationOptions.keys, by: { $0.uppercased() })
        if let (name, keys) = spellings.first(where: { $0.value.count > 1 }) {
            throw PresetProblem("output.creationOptions", message: "output.creationOptions sets \(name) twice (\(keys.sorted().joined(separator: ", "))): GDAL's option names ignore case")
        }
        if readsStacks, !tileFormat.suitsStacks {
            throw PresetProblem("output.format", "domain", "input.as", message: "output.format \(tileFormat.rawValue) is for scenes; stacks take tiff, ome-tiff or npy")
        }
        if !readsStacks, !tileFormat.suitsScenes {
            throw PresetProblem("output.format", "domain", "input.as", message: "output.format \(tileFormat.rawValue) is for stacks; scenes take gtiff, cog, png, jpeg or npy")
        }
        if let s = output.stretch, !(0 <= s.low && s.low < s.high && s.high <= 100) {
            throw PresetProblem("output.stretch", message: "output.stretch needs percentiles 0 ≤ LOW < HIGH ≤ 100, got \(PresetNumber.text(s.low)),\(PresetNumber.text(s.high))")
        }
    }
}

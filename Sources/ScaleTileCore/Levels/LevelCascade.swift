/// Exact `average` pyramid levels of a strip, each level summed from the one below it
/// (DESIGN.md §3).
///
/// Level ℓ's pixel is the mean of the valid level-0 pixels of its 2^ℓ block, clipped to the
/// scene. The valid sum and count of a level-ℓ block are the sums of the four level-(ℓ−1)
/// blocks' valid sums and counts, so each level costs a quarter of the one below — a whole
/// pyramid about a third of one pass over the strip, where resampling every level from full
/// resolution costs one pass per level — and nothing is rounded until a pixel is written: the
/// result is exactly the block mean of full-resolution pixels, with edges and nodata counted
/// right.
///
/// 8- and 16-bit unsigned samples only, the types of most imagery: their sums are exact in
/// `Int64`, and GDAL averages them exactly too, rounding half up. GDAL averages other integer
/// types through `Float32` (a 32-bit mean loses its low bits; a negative 16-bit tie rounds away
/// from zero) and floating-point sums depend on the order of addition, so those levels, and
/// resamplings other than `average`, stay with GDAL (``supports(_:nodata:resampling:)``) and
/// keep their bytes.
///
/// The division rounds as GDAL's `average` does for each type, so a cascaded level equals, bit
/// for bit, GDAL resampling the same full-resolution block (`LevelCascadeTests`, which
/// compares the two on random strips of every supported type).
public struct LevelCascade: Sendable {
    /// One level of a strip: its pixels (channel-first, ceil(size / 2^ℓ)) and, for a strip with
    /// a validity mask, the level's mask (255 where any pixel of the block is valid, else 0).
    public struct LevelStrip: Sendable {
        public let level: Int
        public let pixels: RasterBuffer
        public let mask: [UInt8]?
    }

    public let pixelType: PixelType
    public let bandCount: Int
    /// Each band's nodata value, as the band's own type; nil where the band has none.
    private let nodata: [Int64?]

    /// Whether levels of this type and nodata rule are cascaded: `Byte` or `UInt16` samples,
    /// `average`, and nodata values the type can hold (an unrepresentable nodata value matches
    /// no pixel in GDAL's reading, a case left to GDAL).
    public static func supports(_ pixelType: PixelType, nodata: [Double?], resampling: Resampling) -> Bool {
        guard resampling == .average else { return false }
        switch pixelType {
        case .uint8, .uint16: break
        default: return false
        }
        return nodata.allSatisfy { value in
            guard let value else { return true }
            return value.rounded() == value && pixelType.valueRange.contains(value)
        }
    }

    /// - Precondition: ``supports(_:nodata:resampling:)``.
    public init(pixelType: PixelType, bandCount: Int, nodata: [Double?]) {
        precondition(Self.supports(pixelType, nodata: nodata, resampling: .average), "\(pixelType) levels are not cascaded")
        self.pixelType = pixelType
        self.bandCount = bandCount
        self.nodata = (0 ..< bandCount).map { $0 < nodata.count ? nodata[$0].map { Int64($0) } : nil }
    }

    /// Levels `levels` (ascending, each ≥ 1) of a strip whose origin is a multiple of
    /// 2^max(levels) in level-0 pixels (so its blocks are every level's blocks).
    ///
    /// - Parameters:
    ///   - strip: full-resolution pixels, channel-first.
    ///   - validity: one byte per pixel (0 = invalid) when the source has a mask instead of
    ///     nodata values; nil otherwise.
    public func levels(of strip: RasterBuffer, validity: [UInt8]?, _ levels: [Int]) -> [LevelStrip] {
        precondition(strip.pixelType == pixelType && strip.bandCount == bandCount, "the strip has the cascade's type and bands")
        precondition(!levels.isEmpty && levels.first! >= 1 && levels == levels.sorted(), "levels are ascending and at least 1")
        precondition(validity == nil || validity!.count == strip.size.width * strip.size.height, "one validity byte per pixel")
        switch pixelType {
        case .uint8: return cascade(UInt8.self, strip, validity, levels)
        case .uint16: return cascade(UInt16.self, strip, validity, levels)
        default: preconditionFailure("\(pixelType) levels are not cascaded")
        }
    }

    /// Valid sums and counts of one level of the strip, band planes of `width` × `height`.
    /// Counts are per band when bands have nodata values, else one plane shared by every band.
    private struct Sums {
        var width: Int
        var height: Int
        var sums: [Int64]
        var counts: [UInt32]
        var countPlanes: Int

        func countPlane(_ band: Int) -> Int { countPlanes == 1 ? 0 : band }
    }

    private func cascade<T: FixedWidthInteger & Sendable>(_: T.Type, _ strip: RasterBuffer, _ validity: [UInt8]?,
                                                          _ levels: [Int]) -> [LevelStrip] {
        var current = firstLevel(T.self, strip, validity)
        var level = 1
        var result: [LevelStrip] = []
        for target in levels {
            while level < target {
                current = halve(current)
                level += 1
            }
            result.append(write(T.self, current, level: target, withMask: validity != nil))
        }
        return result
    }

    /// Level 1 straight from the samples: the 2 × 2 blocks' valid sums and counts.
    private func firstLevel<T: FixedWidthInteger>(_: T.Type, _ strip: RasterBuffer, _ validity: [UInt8]?) -> Sums {
        let width = strip.size.width, height = strip.size.height
        let w = (width + 1) / 2, h = (height + 1) / 2
        let perBand = nodata.contains { $0 != nil }
        let countPlanes = perBand ? bandCount : 1
        var sums = [Int64](repeating: 0, count: bandCount * w * h)
        var counts = [UInt32](repeating: 0, count: countPlanes * w * h)
        strip.bytes.withUnsafeBytes { raw in
            let samples = raw.bindMemory(to: T.self)
            sums.withUnsafeMutableBufferPointer { sums in
                counts.withUnsafeMutableBufferPointer { counts in
                    for band in 0 ..< bandCount {
                        let source = UnsafeBufferPointer(rebasing: samples[(band * width * height)...].prefix(width * height))
                        let target = UnsafeMutableBufferPointer(rebasing: sums[(band * w * h)...].prefix(w * h))
                        // Counts are the same for every band without nodata values: made once.
                        let countsDone = !perBand && band > 0
                        let countPlane = perBand ? band : 0
                        let count = UnsafeMutableBufferPointer(rebasing: counts[(countPlane * w * h)...].prefix(w * h))
                        let excluded = nodata[band].map { T(truncatingIfNeeded: $0) }
                        Self.sumBlocks(source, width: width, height: height, excluded: excluded, validity: validity,
                                       into: target, counts: count, countsDone: countsDone)
                    }
                }
            }
        }
        let out = Sums(width: w, height: h, sums: sums, counts: counts, countPlanes: countPlanes)
        return out
    }

    /// Sums the 2 × 2 blocks of one band plane of samples. A sample counts unless it equals
    /// `excluded` or its validity byte is 0; blocks cut by the plane's right or bottom edge
    /// hold fewer samples.
    ///
    /// This is the one pass over every full-resolution sample, so the whole blocks, which are
    /// nearly all of them, take a loop with no edge test and no branch per sample.
    private static func sumBlocks<T: FixedWidthInteger>(_ source: UnsafeBufferPointer<T>, width: Int, height: Int, excluded: T?,
                                                        validity: [UInt8]?, into sums: UnsafeMutableBufferPointer<Int64>,
                                                        counts: UnsafeMutableBufferPointer<UInt32>, countsDone: Bool) {
        let w = (width + 1) / 2, h = (height + 1) / 2
        let wholeColumns = width / 2, wholeRows = height / 2
        let samples = source.baseAddress!
        validity.withUnsafeBufferPointerIfPresent { valid in
            // Whole 2 × 2 blocks, by the rule that decides which samples count.
            for y in 0 ..< wholeRows {
                let top = samples + 2 * y * width, bottom = top + width
                let out = sums.baseAddress! + y * w, count = counts.baseAddress! + y * w
                if let valid {
                    let topValid = valid.baseAddress! + 2 * y * width, bottomValid = topValid + width
                    for x in 0 ..< wholeColumns {
                        let a: UInt64 = topValid[2 * x] != 0 ? 1 : 0, b: UInt64 = topValid[2 * x + 1] != 0 ? 1 : 0
                        let c: UInt64 = bottomValid[2 * x] != 0 ? 1 : 0, d: UInt64 = bottomValid[2 * x + 1] != 0 ? 1 : 0
                        let upper: UInt64 = a * UInt64(top[2 * x]) + b * UInt64(top[2 * x + 1])
                        let lower: UInt64 = c * UInt64(bottom[2 * x]) + d * UInt64(bottom[2 * x + 1])
                        out[x] = Int64(upper + lower)
                        if !countsDone { count[x] = UInt32(a + b + c + d) }
                    }
                } else if let excluded {
                    for x in 0 ..< wholeColumns {
                        let p = top[2 * x], q = top[2 * x + 1], r = bottom[2 * x], t = bottom[2 * x + 1]
                        let a: UInt64 = p != excluded ? 1 : 0, b: UInt64 = q != excluded ? 1 : 0
                        let c: UInt64 = r != excluded ? 1 : 0, d: UInt64 = t != excluded ? 1 : 0
                        let upper: UInt64 = a * UInt64(p) + b * UInt64(q)
                        let lower: UInt64 = c * UInt64(r) + d * UInt64(t)
                        out[x] = Int64(upper + lower)
                        count[x] = UInt32(a + b + c + d)
                    }
                } else {
                    for x in 0 ..< wholeColumns {
                        let upper = UInt64(top[2 * x]) + UInt64(top[2 * x + 1])
                        let lower = UInt64(bottom[2 * x]) + UInt64(bottom[2 * x + 1])
                        out[x] = Int64(upper + lower)
                    }
                    if !countsDone { (count).update(repeating: 4, count: wholeColumns) }
                }
            }
            // Blocks cut by the right or bottom edge, sample by sample.
            func edgeBlock(_ x: Int, _ y: Int) {
                let y0 = 2 * y, rows = Swift.min(2, height - y0)
                let x0 = 2 * x, columns = Swift.min(2, width - x0)
                var sum: Int64 = 0
                var count: UInt32 = 0
                for dy in 0 ..< rows {
                    let row = (y0 + dy) * width + x0
                    for dx in 0 ..< columns {
                        let value = samples[row + dx]
                        let isValid = value != excluded && (valid == nil || valid![row + dx] != 0)
                        sum &+= isValid ? Int64(value) : 0
                        count &+= isValid ? 1 : 0
                    }
                }
                sums[y * w + x] = sum
                if !countsDone { counts[y * w + x] = count }
            }
            if wholeColumns < w { for y in 0 ..< wholeRows { edgeBlock(wholeColumns, y) } }
            if wholeRows < h { for x in 0 ..< w { edgeBlock(x, wholeRows) } }
        }
    }

    /// The next level: each 2 × 2 block of sums and counts added up.
    private func halve(_ level: Sums) -> Sums {
        let width = level.width, height = level.height
        let w = (width + 1) / 2, h = (height + 1) / 2
        var out = Sums(width: w, height: h, sums: [Int64](repeating: 0, count: bandCount * w * h),
                       counts: [UInt32](repeating: 0, count: level.countPlanes * w * h), countPlanes: level.countPlanes)
        func add<N: FixedWidthInteger>(_ input: [N], planes: Int, into output: inout [N]) {
            input.withUnsafeBufferPointer { source in
                output.withUnsafeMutableBufferPointer { target in
                    for plane in 0 ..< planes {
                        let from = plane * width * height, to = plane * w * h
                        for y in 0 ..< h {
                            let y0 = 2 * y, rows = Swift.min(2, height - y0)
                            for x in 0 ..< w {
                                let x0 = 2 * x, columns = Swift.min(2, width - x0)
                                var total: N = 0
                                for dy in 0 ..< rows {
                                    for dx in 0 ..< columns { total &+= source[from + (y0 + dy) * width + x0 + dx] }
                                }
                                target[to + y * w + x] = total
                            }
                        }
                    }
                }
            }
        }
        add(level.sums, planes: bandCount, into: &out.sums)
        add(level.counts, planes: level.countPlanes, into: &out.counts)
        return out
    }

    /// The level's pixels: each block's valid mean, rounded as GDAL rounds it, or the band's
    /// nodata value (0 without one) where no pixel of the block is valid.
    private func write<T: FixedWidthInteger & Sendable>(_: T.Type, _ level: Sums, level index: Int, withMask: Bool) -> LevelStrip {
        let plane = level.width * level.height
        var pixels = RasterBuffer(pixelType: pixelType, bandCount: bandCount, size: RasterSize(width: level.width, height: level.height))
        // A whole block holds 4^ℓ samples: its mean is a shift, the rest a division.
        let wholeShift = UInt64(2 * index), whole = UInt32(1) << wholeShift
        pixels.bytes.withUnsafeMutableBytes { raw in
            let out = raw.bindMemory(to: T.self).baseAddress!
            level.sums.withUnsafeBufferPointer { sums in
                level.counts.withUnsafeBufferPointer { counts in
                    for band in 0 ..< bandCount {
                        let empty = T(truncatingIfNeeded: nodata[band] ?? 0)
                        let bandSums = sums.baseAddress! + band * plane, bandCounts = counts.baseAddress! + level.countPlane(band) * plane
                        let bandOut = out + band * plane
                        for i in 0 ..< plane {
                            let count = bandCounts[i], sum = bandSums[i]
                            bandOut[i] = count == whole ? T(truncatingIfNeeded: (sum + Int64(whole / 2)) >> wholeShift)
                                : count == 0 ? empty : T(truncatingIfNeeded: Self.mean(sum, count: Int64(count)))
                        }
                    }
                }
            }
        }
        let mask = withMask ? level.counts.prefix(plane).map { $0 == 0 ? UInt8(0) : 255 } : nil
        return LevelStrip(level: index, pixels: pixels, mask: mask)
    }

    /// A block's mean, rounded half up as GDAL does for `Byte` and `UInt16`
    /// (`(total + count / 2) / count`; sums of unsigned samples are never negative).
    @inline(__always)
    static func mean(_ sum: Int64, count: Int64) -> Int64 { (sum + count / 2) / count }
}

private extension Optional where Wrapped == [UInt8] {
    /// Calls `body` with the array's buffer, or nil.
    func withUnsafeBufferPointerIfPresent<R>(_ body: (UnsafeBufferPointer<UInt8>?) -> R) -> R {
        switch self {
        case .some(let array): return array.withUnsafeBufferPointer { body($0) }
        case .none: return body(nil)
        }
    }
}

/// A run: a maximal horizontal span of one row whose samples all hold the same non-zero label.
@usableFromInline
struct Run: Sendable {
    /// First column.
    @usableFromInline var start: Int
    /// One past the last column.
    @usableFromInline var end: Int
    /// The label value of every sample of the run.
    @usableFromInline var label: Int
    /// The component record (in ``ComponentForest``) the run belongs to; -1 until it is connected.
    @usableFromInline var component: Int

    @inlinable
    init(start: Int, end: Int, label: Int) {
        self.start = start
        self.end = end
        self.label = label
        self.component = -1
    }
}

/// The runs of the slice being labelled and of the slice before it, row by row.
///
/// Rows `0 ..< height` of the pair are the previous slice and rows `height ..< 2 · height` the
/// current one; row r holds `runs[rowStarts[r] ..< rowStarts[r + 1]]`, ordered by column. The
/// first slice's previous slice is an empty one, so it needs no special case.
@usableFromInline
struct SliceRuns: Sendable {
    /// Rows per slice.
    let height: Int
    /// The runs of both slices, row after row.
    @usableFromInline var runs: [Run] = []
    /// Where each row's runs begin in ``runs``, plus one past the last row's.
    @usableFromInline var rowStarts: [Int]

    init(height: Int) {
        self.height = height
        rowStarts = [Int](repeating: 0, count: height + 1)
    }

    /// The runs of row `y` of the previous slice, as indices into ``runs``.
    func previousRow(_ y: Int) -> Range<Int> { rowStarts[y] ..< rowStarts[y + 1] }

    /// The runs of row `y` of the current slice, as indices into ``runs``.
    func currentRow(_ y: Int) -> Range<Int> { rowStarts[height + y] ..< rowStarts[height + y + 1] }

    /// The runs of the whole current slice.
    var currentSlice: Range<Int> { rowStarts[height] ..< runs.count }

    /// Makes the current slice the previous one and forgets the one before.
    ///
    /// - Complexity: O(runs of the current slice + height).
    mutating func advanceSlice() {
        let dropped = rowStarts[height]
        runs.removeFirst(dropped)
        rowStarts.removeFirst(height)
        for row in rowStarts.indices { rowStarts[row] -= dropped }
    }

    /// Appends the runs of one row of samples as the next row of the current slice.
    ///
    /// - Complexity: O(row.count / lanes + runs), where a 64-bit word holds `lanes` samples:
    ///   spans of equal samples, background included, are compared a word at a time.
    @inlinable
    mutating func appendRow<Sample: FixedWidthInteger>(_ row: UnsafeBufferPointer<Sample>) {
        var x = 0
        while x < row.count {
            let value = row[x]
            let end = Self.endOfSpan(in: row, from: x, of: value)
            if value != 0 {
                guard let label = Int(exactly: value) else {
                    preconditionFailure("label value \(value) does not fit in Int")
                }
                runs.append(Run(start: x, end: end, label: label))
            }
            x = end
        }
        rowStarts.append(runs.count)
    }

    /// The first column after `start` whose sample differs from `value`, or `row.count`.
    ///
    /// Masks are mostly long spans of one value (background, and lesion interiors), so the scan
    /// compares 8 bytes at a time against `value` repeated in every lane of a word, and only
    /// looks at single samples in the row's last partial word.
    @inlinable
    static func endOfSpan<Sample: FixedWidthInteger>(
        in row: UnsafeBufferPointer<Sample>, from start: Int, of value: Sample
    ) -> Int {
        var x = start + 1
        if Sample.bitWidth <= 64, let base = row.baseAddress {
            let lanes = 64 / Sample.bitWidth
            let laneMask: UInt64 = Sample.bitWidth == 64 ? ~0 : (1 << UInt64(Sample.bitWidth)) - 1
            // ~0 / laneMask has a 1 at the bottom of every lane (0x0101…01 for bytes).
            let pattern = (UInt64(truncatingIfNeeded: value) & laneMask) &* (~0 / laneMask)
            while x + lanes <= row.count {
                let word = UnsafeRawPointer(base + x).loadUnaligned(as: UInt64.self)
                let difference = word ^ pattern
                if difference != 0 {
                    // In little-endian order the lowest set bit is in the first differing lane.
                    return x + difference.littleEndian.trailingZeroBitCount / Sample.bitWidth
                }
                x += lanes
            }
        }
        while x < row.count && row[x] == value { x += 1 }
        return x
    }
}

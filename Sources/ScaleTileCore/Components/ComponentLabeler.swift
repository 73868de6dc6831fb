/// Streaming connected-component labelling of a mask stack, one Z slice at a time: the lesion index.
///
/// Every non-zero sample value is a label; connected voxels holding the same label form one
/// component (a ``Lesion``), so touching instances of an instance mask stay apart. Value 0 is
/// background.
///
/// ```swift
/// var labeler = ComponentLabeler(width: 512, height: 512, spacing: spacing)
/// for slice in slices { slice.withUnsafeBufferPointer { labeler.append(slice: $0) } }
/// let lesions = labeler.finish()
/// ```
///
/// ## Algorithm
/// Each row is cut into runs, maximal spans of one label. A run is connected to the runs of the
/// already labelled rows it touches (under the ``Connectivity``) with the same label: the row
/// above in its slice, and up to three rows of the previous slice. Components are union–find
/// records whose voxel count, index sums and bounds are merged when two records join, so a run's
/// voxels are counted once and never stored.
///
/// A voxel's neighbours lie in its own slice and the slices right before and after it. So once
/// slice z is labelled, a component without a voxel in z can never be reached again: it is
/// finished, and its record is freed. Branches of one component that meet many slices later are
/// open records all along (each has voxels in every slice up to the meeting) and are joined there.
/// Working memory is therefore the runs of two slices plus the open components, never the
/// volume or all its runs; finished components keep only their statistics (the output).
public struct ComponentLabeler: Sendable {
    /// Columns per slice.
    public let width: Int
    /// Rows per slice.
    public let height: Int
    /// Voxel size, for lesion volumes and diameters.
    public let spacing: Spacing
    /// Which voxels are neighbours.
    public let connectivity: Connectivity
    /// Slices appended so far.
    public private(set) var sliceCount = 0

    /// Runs of the previous and the current slice.
    @usableFromInline var slices: SliceRuns
    private var forest = ComponentForest()
    private var finished: [ComponentStatistics] = []
    @usableFromInline private(set) var isFinished = false

    /// A labeler for slices of `width` × `height` samples.
    public init(width: Int, height: Int, spacing: Spacing = .unit, connectivity: Connectivity = .full) {
        precondition(width > 0 && height > 0, "a mask slice needs at least one sample, got \(width)x\(height)")
        self.width = width
        self.height = height
        self.spacing = spacing
        self.connectivity = connectivity
        slices = SliceRuns(height: height)
    }

    /// Components that have a voxel in the last appended slice, and may still grow.
    public var openComponentCount: Int { forest.openCount }

    /// The most components held at once so far, counting those started or merged away within a
    /// slice; working memory beyond the runs of two slices is proportional to it.
    public var peakOpenComponentCount: Int { forest.peakRecordCount }

    /// Components known to be complete so far.
    public var finishedComponentCount: Int { finished.count }

    /// Labels the next slice: `width × height` samples, row by row.
    ///
    /// Any fixed-width integer type works (`UInt8`, `UInt16`, `Int16`, `UInt32`, `Int32`…); the
    /// label values must fit in `Int`.
    ///
    /// - Complexity: O(samples / lanes + runs + touching run pairs) for the slice, where a 64-bit
    ///   word holds `lanes` samples, times the amortised union–find cost per pair (near-constant:
    ///   union by size, path halving, and trees flattened at every slice end).
    @inlinable
    public mutating func append<Sample: FixedWidthInteger>(slice: UnsafeBufferPointer<Sample>) {
        precondition(!isFinished, "append(slice:) after finish()")
        precondition(slice.count == width * height,
                     "a \(width)x\(height) slice has \(width * height) samples, got \(slice.count)")
        for y in 0 ..< height {
            slices.appendRow(UnsafeBufferPointer(rebasing: slice[y * width ..< (y + 1) * width]))
        }
        labelCurrentSlice()
    }

    /// Ends the mask and returns its lesions, ordered by id.
    ///
    /// A mask of a single slice is planar: its equivalent diameters are those of circles.
    ///
    /// - Complexity: O(n log n) for n lesions (ordering them by first voxel).
    public mutating func finish() -> [Lesion] {
        precondition(!isFinished, "finish() called twice")
        isFinished = true
        forest.closeAll(into: &finished)
        finished.sort { $0.firstVoxel < $1.firstVoxel }
        let isPlanar = sliceCount == 1
        return finished.enumerated().map { index, component in
            component.lesion(id: index + 1, spacing: spacing, isPlanar: isPlanar)
        }
    }

    /// Connects the runs of the slice just scanned, then finishes the components it did not reach.
    @usableFromInline
    mutating func labelCurrentSlice() {
        let z = sliceCount
        // The row above in this slice and the same row of the previous slice are one step away
        // along one axis (Y or Z); rows above and below in the previous slice along two.
        let adjacentRowReach = connectivity.columnReach(rowOffsetAxes: 1)
        let diagonalRowReach = connectivity.columnReach(rowOffsetAxes: 2)
        for y in 0 ..< height {
            let row = slices.currentRow(y)
            guard !row.isEmpty else { continue }
            if let reach = adjacentRowReach {
                if y > 0 { connect(row, to: slices.currentRow(y - 1), reach: reach) }
                connect(row, to: slices.previousRow(y), reach: reach)
            }
            if let reach = diagonalRowReach {
                if y > 0 { connect(row, to: slices.previousRow(y - 1), reach: reach) }
                if y + 1 < height { connect(row, to: slices.previousRow(y + 1), reach: reach) }
            }
            for index in row {
                let run = slices.runs[index]
                if run.component < 0 {
                    let first = (z * height + y) * width + run.start
                    slices.runs[index].component = forest.makeComponent(
                        ComponentStatistics(run: run, y: y, z: z, firstVoxel: first))
                } else {
                    forest.add(run, y: y, z: z, to: run.component)
                }
            }
        }
        for index in slices.currentSlice {
            slices.runs[index].component = forest.root(of: slices.runs[index].component)
        }
        forest.closeComponents(notReaching: z, into: &finished)
        slices.advanceSlice()
        sliceCount += 1
    }

    /// Joins each run of `row` to the runs of `neighbours` (an already labelled row) that carry
    /// the same label and lie within `reach` columns of it.
    ///
    /// Both rows are ordered by column, so one sweep suffices: a neighbour ending too far left for
    /// one run is too far left for every later run as well.
    ///
    /// - Complexity: O(runs of both rows + touching pairs).
    private mutating func connect(_ row: Range<Int>, to neighbours: Range<Int>, reach: Int) {
        var firstCandidate = neighbours.lowerBound
        for index in row {
            let run = slices.runs[index]
            while firstCandidate < neighbours.upperBound
                && slices.runs[firstCandidate].end + reach <= run.start {
                firstCandidate += 1
            }
            var candidate = firstCandidate
            while candidate < neighbours.upperBound && slices.runs[candidate].start < run.end + reach {
                let neighbour = slices.runs[candidate]
                if neighbour.label == run.label {
                    let own = slices.runs[index].component
                    slices.runs[index].component = own < 0
                        ? neighbour.component : forest.union(own, neighbour.component)
                }
                candidate += 1
            }
        }
    }
}

import ScaleTileCore

/// What ``TileJob`` needs of one kind of source: how it is opened and checked, what its
/// targets are, how a window is read and written, and what the kind adds to the manifest's
/// neighbours and to the summary. Two kinds implement it: ``SceneWindows`` (any raster GDAL
/// reads) and ``VolumeWindows`` (TIFF stacks, NIfTI and NRRD volumes, through
/// ``ScaleTileMedical/VoxelSource``). A new medical format needs no change here: it implements
/// `VoxelSource` and `MedicalSource.open` picks it.
///
/// A value is made by the kind's initialiser from the source and the options (opening and
/// checking everything, writing nothing), completed by ``adopt(levels:gridLevels:options:)``
/// once the job has planned, and then only read: it is shared by the reader and encoder threads.
protocol WindowReading: Sendable {
    /// What the reader thread holds open (dataset or stack handles); made on that thread.
    associatedtype Reader
    /// A window's pixels on their way from the reader to an encoder.
    associatedtype Decoded: Sendable

    /// The source's size at level 0.
    var size: RasterSize { get }
    var pixelType: PixelType { get }
    /// The window at every level (the option's, or a stack's patch from millimetres).
    var window: RasterSize { get }
    /// The objects or lesions windows are placed for and audited against.
    var targets: [SamplingTarget] { get }
    /// The folder the windows go to, and what they are called: `tiles` or `patches`.
    var folderName: String { get }

    /// The strategy `--weights` stands for: the map read onto the source's grid.
    func weightedStrategy(_ map: String) throws -> SamplingStrategy
    /// Where negatives may lie, for a sampler that draws them; nil when anywhere.
    func negativePlaces(_ request: TileSampling) throws -> ((Window) -> Bool)?
    /// A split by blocks of the plan, and the windows it dropped for ignore regions.
    func split(_ plan: [PlannedWindow], request: SplitOptions, levels: [Level], overlap: RasterSize,
               options: TileOptions) throws -> ([PlannedWindow], SplitPlan?, Int)
    /// Takes the levels the plan uses.
    mutating func adopt(levels: [Level], gridLevels: [Level], options: TileOptions) throws
    /// Checks the buffers in flight against the memory budget.
    func checkMemory(_ prepared: TileJob.Prepared, options: TileOptions) throws

    /// Work before the first window is read (levels built, caches sized).
    func beforeReading(_ prepared: TileJob.Prepared, work: [PlannedWindow], folder: OutputFolder, options: TileOptions) throws
    /// Clean-up after the last (scratch files).
    func afterReading(folder: OutputFolder)
    /// The order the reader visits `work` in (positions into it).
    func readOrder(_ work: [PlannedWindow], prepared: TileJob.Prepared, options: TileOptions) -> [Int]
    /// How many decoded windows may wait for an encoder; nil: one per encoder and one more.
    func queueCapacity(_ prepared: TileJob.Prepared, options: TileOptions) -> Int?
    func openReader(folder: OutputFolder, prepared: TileJob.Prepared, options: TileOptions) throws -> Reader
    /// Reads one window, or decides it without encoding (kept from an earlier run, skipped).
    func read(_ item: PlannedWindow, with reader: Reader, prepared: TileJob.Prepared, folder: OutputFolder,
              options: TileOptions) throws -> ReadEncodePipeline.Step<Decoded, TileOutcome>
    /// Writes one window's files atomically and returns its manifest line.
    func write(_ decoded: Decoded, of item: PlannedWindow, prepared: TileJob.Prepared, folder: OutputFolder,
               options: TileOptions) throws -> TileOutcome

    /// The trainer layout over the written windows (their manifest lines as the layout moves them).
    func arrange(_ entries: [ManifestEntry], prepared: TileJob.Prepared, folder: OutputFolder, options: TileOptions) throws -> [ManifestEntry]
    /// What the kind writes beside the manifest (footprints, label exports, datalists).
    func export(_ entries: [ManifestEntry], prepared: TileJob.Prepared, folder: OutputFolder, options: TileOptions) throws
    /// The kind's part of the summary.
    func describe(_ summary: inout TileSummary, prepared: TileJob.Prepared, work: [PlannedWindow], outcomes: [TileOutcome],
                  options: TileOptions)
    /// Shortfalls, said once each with the figures and what to change.
    func warn(_ summary: TileSummary, prepared: TileJob.Prepared, work: [PlannedWindow], options: TileOptions)
}

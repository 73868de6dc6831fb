extension PatchSampler {
    /// Attempts allowed per requested negative window before giving up on it.
    public static let defaultNegativeAttempts = 100

    /// Negative windows: patches at the finest allowed level, at uniformly random origins, that
    /// touch no target's bounding box and that `isValid` accepts.
    ///
    /// `isValid` receives the level-0 window and says whether it lies on valid data (later:
    /// outside nodata, inside the tissue mask); it is called only for windows free of targets.
    /// The bounding boxes stand in for the targets, so a negative is also clear of the empty
    /// corners of a box: conservative, and cheap to test. At most `count × attemptsPerWindow`
    /// windows are tried; the plan's ``SamplingPlan/negativeShortfall`` says how many were not
    /// found, rather than searching forever in a scene that is all foreground or nodata.
    ///
    /// The finest level is used because that is where background windows are most plentiful
    /// and where the hard negatives next to small objects are.
    ///
    /// - Throws: ``ScaleTileError/Kind/invalidArgument`` for a negative count or attempt budget.
    /// - Complexity: O(attempts · (cells per window + targets per cell)) after an
    ///   O(targets) index build.
    public func negatives(count: Int, avoiding targets: [SamplingTarget],
                          attemptsPerWindow: Int = PatchSampler.defaultNegativeAttempts,
                          isValid: (Window) -> Bool = { _ in true }) throws -> SamplingPlan {
        try requireNonNegative(count, "--negatives")
        guard attemptsPerWindow >= 1 else {
            throw ScaleTileError.argument("negative attempts", "must be at least 1, got \(attemptsPerWindow)")
        }
        let level = geometry.levels.first!
        let index = TargetIndex(boxes: targets.map(\.bbox), cellSize: level.baseWindow(of: Window(size: geometry.patchSize)).size)
        var random = randomStream("negative")
        var windows: [PlannedWindow] = []
        var attempts = 0
        let budget = count.multipliedReportingOverflow(by: attemptsPerWindow)
        let maximumAttempts = budget.overflow ? Int.max : budget.partialValue
        while windows.count < count, attempts < maximumAttempts {
            attempts += 1
            let window = geometry.randomPatch(at: level, using: &random)
            guard !index.anyBox(intersecting: window), isValid(window) else { continue }
            windows.append(PlannedWindow(id: "negative-\(windows.count)", level: level.index,
                                         window: window, reason: .negative))
        }
        return SamplingPlan(windows: windows, negativesRequested: count, negativesPlaced: windows.count)
    }
}

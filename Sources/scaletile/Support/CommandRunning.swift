import ArgumentParser
import ScaleTile

/// What `tile`, `sample` and `pyramid` do once their flags are a ``CommandLineRequest``:
/// print the preset, print the plan, or run and print what the library reports.
enum CommandRunning {
    /// The output flags of a command.
    struct Output {
        var out: String?
        var printPreset = false
        var dryRun = false
        var json = false
        var quiet = false
        var shard: Shard?
        var existingOutput: OutputFolder.ExistingOutput = .refuse
    }

    static func perform(_ request: CommandLineRequest, output o: OutputOptions) throws {
        try perform(request, output: Output(out: o.out, printPreset: o.printPreset, dryRun: o.dryRun, json: o.json, quiet: o.quiet,
                                            shard: o.shard, existingOutput: o.existingOutput))
    }

    static func perform(_ request: CommandLineRequest, output: Output) throws {
        if output.printPreset { return StandardOutput.write(try request.presetYAML()) }
        guard let out = output.out else { throw ScaleTileError.argument("--out", "is required") }
        let run = try request.run(out: out, shard: output.shard ?? .whole, existingOutput: output.existingOutput)
        if request.isBatch {
            return try request.translatingErrors {
                try perform(run, dryRun: output.dryRun, json: output.json, quiet: output.quiet, progressNoun: request.progressNoun)
            }
        }
        if output.dryRun {
            guard let unit = try request.translatingErrors({ try run.plan() }).first else { return }
            let report = CommandPlanReport(unit, command: request.command, source: request.source)
            return output.json ? try StandardOutput.writeJSON(report) : StandardOutput.write(report.text)
        }
        let progress = TerminalProgress.make(label: request.progressNoun, quiet: output.quiet)
        let stopwatch = Stopwatch()
        let outcome = try request.translatingErrors { try run.runCommand(progress: progress) }
        progress?.finish()
        for warning in outcome.warnings { StandardError.write(warning + "\n") }
        if output.json {
            try StandardOutput.writeJSON(outcome)
        } else if !output.quiet {
            StandardError.write(outcome.report(of: request.command, out: out, source: request.source, seconds: stopwatch.seconds))
        }
    }

    /// A run over several inputs (`scaletile run`, or a command over several sources): its plan,
    /// or its summary and closing lines.
    static func perform(_ run: PresetRun, dryRun: Bool, json: Bool, quiet: Bool, progressNoun: String = "tiles") throws {
        if dryRun {
            let report = run.report(try run.plan())
            return json ? try StandardOutput.writeJSON(report) : StandardOutput.write(report.text)
        }
        let progress = TerminalProgress.make(label: progressNoun, quiet: quiet)
        let stopwatch = Stopwatch()
        let summary = try run.run(progress: progress)
        progress?.finish()
        if json { try StandardOutput.writeJSON(summary) }
        StandardError.write(summary.report(output: run.output, seconds: stopwatch.seconds, quiet: quiet || json))
    }
}

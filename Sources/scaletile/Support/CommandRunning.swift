import ArgumentParser
import Foundation
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

    static func perform(_ request: CommandLineRequest, output options: OutputOptions, progressLabel: String) throws {
        let output = Output(out: options.out, printPreset: options.printPreset, dryRun: options.dryRun, json: options.json,
                            quiet: options.quiet, shard: options.shard, existingOutput: options.existingOutput)
        try perform(request, output: output, progressLabel: progressLabel)
    }

    static func perform(_ request: CommandLineRequest, output: Output, progressLabel: String) throws {
        if output.printPreset {
            StandardOutput.write(try request.presetYAML())
            return
        }
        guard let out = output.out else { throw ScaleTileError.argument("--out", "is required") }
        let run = try request.run(out: out, shard: output.shard ?? .whole, existingOutput: output.existingOutput)
        if output.dryRun {
            let units = try request.translatingErrors { try run.plan() }
            guard let unit = units.first else { return }
            let report = CommandPlanReport(unit, command: request.command, source: request.source)
            if output.json { try StandardOutput.writeJSON(report) } else { StandardOutput.write(report.text) }
            return
        }
        let progress = TerminalProgress.make(label: progressLabel, quiet: output.quiet)
        let start = Date()
        let outcome = try request.translatingErrors { try run.runCommand(progress: progress) }
        progress?.finish()
        for warning in outcome.warnings { StandardError.write(warning + "\n") }
        if output.json {
            try StandardOutput.writeJSON(outcome)
        } else if !output.quiet {
            StandardError.write(outcome.report(of: request.command, out: out, source: request.source,
                                               seconds: Date().timeIntervalSince(start)))
        }
    }
}

import ArgumentParser

/// Measurements that need the library rather than the CLI. Each prints `METRIC key=value`
/// lines, which `Benchmarks/bench.py` records beside `/usr/bin/time -v`'s wall time and RSS.
@main
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scaletile-bench",
        abstract: "ScaleTile measurements that need the library (codec floor, in-memory sampling, lesion index).",
        subcommands: [CodecFloor.self, LesionIndex.self, SampleInMemory.self])
}

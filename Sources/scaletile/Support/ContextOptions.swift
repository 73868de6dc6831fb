import ArgumentParser
import ScaleTile

/// Multi-scale context, shared by `tile` and `sample`: fills the preset fields `context.*`.
struct ContextOptions: ParsableArguments {
    @Option(name: .customLong("context-levels"), help: .flag("--context-levels")) var contextLevels: String?
    @Option(name: .customLong("context-as"), help: .flag("--context-as")) var contextAs: ContextOutput?

    var values: [CommandLineRequest.Value] {
        [("--context-levels", contextLevels), ("--context-as", contextAs?.rawValue)]
    }
}

extension ContextOutput: ExpressibleByArgument {}

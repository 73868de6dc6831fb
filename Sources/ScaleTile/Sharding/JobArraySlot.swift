import ScaleTileCore

/// The shard of a process started by a job array, from the variables the scheduler sets.
///
/// **Slurm** (`sbatch --array=MIN-MAX[:STEP]`): `SLURM_ARRAY_TASK_ID`, `SLURM_ARRAY_TASK_MIN`,
/// `SLURM_ARRAY_TASK_MAX`, `SLURM_ARRAY_TASK_STEP` and `SLURM_ARRAY_TASK_COUNT` give
/// K = (ID − MIN) / STEP + 1 and N = COUNT, so `--array=0-7` and `--array=1-8` both run shards
/// 1/8 … 8/8. Arrays given as lists (`--array=1,4,9`) are refused: their ids do not map onto
/// 1…N one to one, and a missing or doubled shard would only show at merge.
///
/// **Kubernetes Indexed Jobs** (`completionMode: Indexed`): `JOB_COMPLETION_INDEX` is 0-based,
/// so K = index + 1. Pods are not told the number of completions, so N comes from
/// `SCALETILE_SHARD_COUNT`, which the Job spec sets to its `completions`.
///
/// When both schedulers' variables are present, Slurm's win.
public enum JobArraySlot {
    /// Shard K/N for the job array described by `environment`.
    ///
    /// - Throws: ``ScaleTileError/Kind/invalidArgument`` naming the variables when there is no
    ///   job array, or its variables do not describe a contiguous one.
    public static func shard(from environment: [String: String]) throws -> Shard {
        if environment["SLURM_ARRAY_TASK_ID"] != nil { return try slurm(environment) }
        if environment["JOB_COMPLETION_INDEX"] != nil { return try kubernetes(environment) }
        throw problem("no job array found: Slurm sets SLURM_ARRAY_TASK_ID, a Kubernetes Indexed Job sets JOB_COMPLETION_INDEX (with SCALETILE_SHARD_COUNT set to its completions); otherwise give --shard K/N")
    }

    private static func slurm(_ env: [String: String]) throws -> Shard {
        let id = try integer("SLURM_ARRAY_TASK_ID", env)
        let minimum = try integer("SLURM_ARRAY_TASK_MIN", env)
        let step = try env["SLURM_ARRAY_TASK_STEP"] == nil ? 1 : integer("SLURM_ARRAY_TASK_STEP", env)
        guard step >= 1 else { throw problem("SLURM_ARRAY_TASK_STEP is \(step); a job array steps by 1 or more") }
        let maximum = try env["SLURM_ARRAY_TASK_MAX"] == nil ? nil : integer("SLURM_ARRAY_TASK_MAX", env)
        let count = try env["SLURM_ARRAY_TASK_COUNT"] == nil ? nil : integer("SLURM_ARRAY_TASK_COUNT", env)
        let spanned = maximum.map { ($0 - minimum) / step + 1 }
        guard let total = count ?? spanned else {
            throw problem("Slurm set SLURM_ARRAY_TASK_ID but neither SLURM_ARRAY_TASK_COUNT nor SLURM_ARRAY_TASK_MAX")
        }
        if let spanned, spanned != total {
            throw problem("the Slurm array runs ids \(minimum)…\(maximum!) by \(step) but holds \(total) tasks: submit a range (--array=MIN-MAX[:STEP]), not a list")
        }
        guard id >= minimum, (id - minimum) % step == 0, (id - minimum) / step < total else {
            throw problem("SLURM_ARRAY_TASK_ID \(id) is not in the array \(minimum)… by \(step) of \(total) tasks")
        }
        return try Shard(index: (id - minimum) / step + 1, count: total)
    }

    private static func kubernetes(_ env: [String: String]) throws -> Shard {
        let index = try integer("JOB_COMPLETION_INDEX", env)
        guard env["SCALETILE_SHARD_COUNT"] != nil else {
            throw problem("JOB_COMPLETION_INDEX is set but SCALETILE_SHARD_COUNT is not: Kubernetes does not tell pods the number of completions, so set SCALETILE_SHARD_COUNT to the Job's completions")
        }
        let count = try integer("SCALETILE_SHARD_COUNT", env)
        guard count >= 1, index >= 0, index < count else {
            throw problem("JOB_COMPLETION_INDEX \(index) is not below SCALETILE_SHARD_COUNT \(count)")
        }
        return try Shard(index: index + 1, count: count)
    }

    private static func integer(_ name: String, _ env: [String: String]) throws -> Int {
        guard let text = env[name], let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
            throw problem("\(name) is \(env[name].map { "'\($0)'" } ?? "not set"), not a whole number")
        }
        return value
    }

    private static func problem(_ message: String) -> ScaleTileError {
        ScaleTileError.argument("--shard auto", message)
    }
}

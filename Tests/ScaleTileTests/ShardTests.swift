import Testing
import ScaleTile
import ScaleTileCore

/// `--shard auto` from job-array variables, and slices of several inputs' joined plans.
@Suite("Shards")
struct ShardTests {
    static func shard(_ environment: [String: String]) throws -> String {
        try JobArraySlot.shard(from: environment).description
    }

    @Test func slurmArraysMapOntoOneToN() throws {
        // sbatch --array=0-7: ids 0…7.
        #expect(try Self.shard(["SLURM_ARRAY_TASK_ID": "0", "SLURM_ARRAY_TASK_MIN": "0", "SLURM_ARRAY_TASK_MAX": "7", "SLURM_ARRAY_TASK_COUNT": "8"]) == "1/8")
        #expect(try Self.shard(["SLURM_ARRAY_TASK_ID": "7", "SLURM_ARRAY_TASK_MIN": "0", "SLURM_ARRAY_TASK_MAX": "7", "SLURM_ARRAY_TASK_COUNT": "8"]) == "8/8")
        // sbatch --array=1-3, and without MAX.
        #expect(try Self.shard(["SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_COUNT": "3"]) == "2/3")
        // sbatch --array=10-40:10: ids 10, 20, 30, 40.
        #expect(try Self.shard(["SLURM_ARRAY_TASK_ID": "30", "SLURM_ARRAY_TASK_MIN": "10", "SLURM_ARRAY_TASK_MAX": "40",
                                "SLURM_ARRAY_TASK_STEP": "10", "SLURM_ARRAY_TASK_COUNT": "4"]) == "3/4")
        // Without COUNT, N comes from MIN, MAX and STEP.
        #expect(try Self.shard(["SLURM_ARRAY_TASK_ID": "5", "SLURM_ARRAY_TASK_MIN": "5", "SLURM_ARRAY_TASK_MAX": "9"]) == "1/5")
    }

    @Test func kubernetesIndexedJobsNeedTheirCount() throws {
        #expect(try Self.shard(["JOB_COMPLETION_INDEX": "0", "SCALETILE_SHARD_COUNT": "4"]) == "1/4")
        #expect(try Self.shard(["JOB_COMPLETION_INDEX": "3", "SCALETILE_SHARD_COUNT": "4"]) == "4/4")
        // Slurm's variables win when both are present.
        #expect(try Self.shard(["JOB_COMPLETION_INDEX": "3", "SCALETILE_SHARD_COUNT": "4",
                                "SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_COUNT": "2"]) == "1/2")
    }

    @Test(arguments: [
        ([:], "no job array found"),
        (["JOB_COMPLETION_INDEX": "2"], "SCALETILE_SHARD_COUNT is not"),
        (["JOB_COMPLETION_INDEX": "4", "SCALETILE_SHARD_COUNT": "4"], "not below SCALETILE_SHARD_COUNT 4"),
        (["JOB_COMPLETION_INDEX": "x", "SCALETILE_SHARD_COUNT": "4"], "JOB_COMPLETION_INDEX is 'x'"),
        (["SLURM_ARRAY_TASK_ID": "3"], "SLURM_ARRAY_TASK_MIN is not set"),
        (["SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_MIN": "1"], "neither SLURM_ARRAY_TASK_COUNT nor SLURM_ARRAY_TASK_MAX"),
        // sbatch --array=1,4,9: three tasks over ids 1…9, which do not map onto 1…3.
        (["SLURM_ARRAY_TASK_ID": "4", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_MAX": "9", "SLURM_ARRAY_TASK_COUNT": "3"], "not a list"),
        (["SLURM_ARRAY_TASK_ID": "5", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_COUNT": "3"], "not in the array"),
    ] as [([String: String], String)])
    func jobArraysThatDoNotMapAreRefused(environment: [String: String], mention: String) {
        #expect {
            _ = try JobArraySlot.shard(from: environment)
        } throws: { error in
            let e = error as? ScaleTileError
            return e?.kind == .invalidArgument && e?.path == "--shard auto" && e?.message.contains(mention) == true
        }
    }

    @Test func autoIsOptIn() throws {
        let slurm = ["SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_COUNT": "3"]
        #expect(try ShardRequest(parsing: "1/1").resolved(in: slurm) == .whole)
        #expect(try ShardRequest(parsing: "auto").resolved(in: slurm).description == "2/3")
        #expect(throws: ScaleTileError.self) { try ShardRequest(parsing: "4/3") }
    }

    // Over every shard, each position of the joined plan belongs to exactly one shard, and
    // shard K's positions come before shard K+1's: concatenating the shards in order gives the plan.
    @Test(arguments: [[5], [0, 7, 0, 3], [1, 1, 1, 1, 1], [100, 2, 37], [0, 0]], [1, 2, 3, 7])
    func slicesPartitionTheJoinedPlanInOrder(planCounts: [Int], shardCount: Int) throws {
        var order: [(input: Int, position: Int)] = []
        for k in 1...shardCount {
            let ranges = ShardSlices.ranges(planCounts: planCounts, shard: try Shard(index: k, count: shardCount))
            #expect(ranges.count == planCounts.count)
            for (input, range) in ranges.enumerated() {
                #expect(range.lowerBound >= 0 && range.upperBound <= planCounts[input])
                order += range.map { (input, $0) }
            }
        }
        let expected: [(input: Int, position: Int)] = planCounts.enumerated().flatMap { input, count in (0..<count).map { (input, $0) } }
        #expect(order.map(\.input) == expected.map(\.input) && order.map(\.position) == expected.map(\.position))
        // Contiguous: a shard's slice never skips an input's window to take a later one.
        let whole = ShardSlices.ranges(planCounts: planCounts, shard: .whole)
        #expect(whole == planCounts.map { 0..<$0 })
    }
}

import Foundation
import ScaleTileCore

/// What `--shard` asks for: an explicit `K/N`, or `auto`, the slot of a job array.
///
/// `auto` is opt-in on purpose: a job-array variable left in the environment of an unrelated
/// run never shards it silently.
public enum ShardRequest: Hashable, Sendable {
    /// `--shard K/N`.
    case explicit(Shard)
    /// `--shard auto`: K and N from a Slurm job array or a Kubernetes Indexed Job (``JobArraySlot``).
    case jobArray

    /// Parses `K/N` or `auto`.
    public init(parsing text: String) throws {
        if text.lowercased() == "auto" {
            self = .jobArray
        } else {
            self = .explicit(try Shard(parsing: text))
        }
    }

    /// The shard this process runs, reading the job-array variables of `environment` for `auto`.
    public func resolved(in environment: [String: String]) throws -> Shard {
        switch self {
        case .explicit(let shard): return shard
        case .jobArray: return try JobArraySlot.shard(from: environment)
        }
    }
}

extension ShardRequest {
    /// `--shard K/N` or `auto`, resolved against this process's environment (the job-array
    /// variables of Slurm or Kubernetes).
    public static func shard(fromArgument text: String) throws -> Shard {
        try ShardRequest(parsing: text).resolved(in: ProcessInfo.processInfo.environment)
    }
}

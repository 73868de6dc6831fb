import Foundation

/// The memory budget every allocation whose size comes from input (a tile, a patch, the
/// buffers in flight between reader and encoders) is checked against before it is made.
///
/// `--max-memory SIZE` (preset key `limits.maxMemory`) sets it; the default is half the
/// machine's memory, or half the cgroup's limit where one is set (a container, a Slurm job).
/// A request over the budget is an error naming the figure and the budget, instead of an
/// allocation that aborts the process.
public struct MemoryBudget: Hashable, Sendable, CustomStringConvertible {
    /// The budget in bytes.
    public var bytes: Int

    /// A budget of `bytes`.
    public init(bytes: Int) { self.bytes = bytes }

    /// Parses `SIZE`: bytes, or a number with `K`, `M`, `G` or `T` (1024-based; a trailing
    /// `B` or `iB` is allowed): `512M`, `2G`, `1.5GiB`.
    ///
    /// - Throws: ``ScaleTileError`` `.invalidArgument` about `option` for anything else, zero,
    ///   or a size past what a 64-bit count holds.
    public init(parsing text: String, option: String = "--max-memory") throws {
        var number = text.trimmingCharacters(in: .whitespaces).uppercased()
        for suffix in ["IB", "B"] where number.hasSuffix(suffix) && number.count > suffix.count { number.removeLast(suffix.count); break }
        var multiplier = 1.0
        if let last = number.last, let power = ["K": 1, "M": 2, "G": 3, "T": 4][String(last)] {
            multiplier = pow(1024, Double(power))
            number.removeLast()
        }
        guard let value = LabelNumber.finite(number), value > 0,
              let bytes = (value * multiplier).wholePixels(.down), bytes >= 1, bytes < 1 << 62 else {
            throw ScaleTileError.argument(option, "'\(text)' is not a memory size such as 512M, 2G or 1073741824 (bytes)")
        }
        self.bytes = bytes
    }

    /// Half the memory this process may use: the smaller of the machine's memory and the
    /// cgroup limit (v2 `memory.max`, v1 `memory.limit_in_bytes`) when one is set.
    public static var systemDefault: MemoryBudget {
        var available = Int(clamping: ProcessInfo.processInfo.physicalMemory)
        for file in ["/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"] {
            if let text = try? String(contentsOfFile: file, encoding: .utf8),
               let limit = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)), limit > 0 {
                available = Swift.min(available, limit)
            }
        }
        return MemoryBudget(bytes: Swift.max(1 << 26, available / 2))
    }

    /// `1.5 GiB`, `512 MiB`.
    public var description: String { Self.format(bytes) }

    /// Bytes as a person reads them, 1024-based.
    public static func format(_ bytes: Int) -> String {
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var value = Double(bytes), unit = 0
        while value >= 1024 && unit < units.count - 1 { value /= 1024; unit += 1 }
        return unit == 0 ? "\(bytes) bytes" : String(format: "%.1f %@", value, units[unit])
    }

    /// The product of `factors` (a count of buffers, pixels per axis, bands, bytes per
    /// sample), or nil when it overflows.
    public static func product(_ factors: [Int]) -> Int? {
        var total = 1
        for factor in factors {
            guard factor >= 0 else { return nil }
            let (result, overflow) = total.multipliedReportingOverflow(by: factor)
            if overflow { return nil }
            total = result
        }
        return total
    }

    /// Throws unless `factors` multiply to at most the budget.
    ///
    /// - Parameters:
    ///   - figure: what is being sized, for the message (`3 buffers of 100000x100000 pixels x 3 UInt8 bands`).
    ///   - kind, path: the error's kind and subject (an option for a size from the command line,
    ///     the file for one from a header).
    public func check(_ factors: [Int], figure: String, kind: ScaleTileError.Kind = .invalidArgument, path: String?) throws {
        let needed = Self.product(factors)
        guard let needed, needed <= bytes else {
            let amount = needed.map { Self.format($0) } ?? "more than 2^63 bytes"
            throw ScaleTileError(kind, path, "\(figure) need \(amount), over the memory budget of \(self) (--max-memory)")
        }
    }
}

/// Decoded strips and tiles kept for the next window that needs them, up to a byte budget,
/// least recently used first out.
///
/// Patches overlap (a grid's overlap, a sampler's many windows around one lesion), so without
/// it every patch decodes — or, uncompressed, copies — whole strips and tiles that the previous
/// patch already had: on a CT stack stored one strip per slice, each 96 × 96 × 48 window read
/// 48 full slices. Entries are owned here and freed on eviction and with the cache.
///
/// - Complexity: lookups O(1); an eviction scans the entries (a budget holds a few hundred blocks).
struct DecodedBlockCache {
    struct Key: Hashable {
        let page: Int
        let block: Int
    }

    private struct Entry {
        let bytes: UnsafeMutableRawBufferPointer
        var lastUse: Int
    }

    /// Bytes the cache may hold.
    var budget: Int {
        didSet { evict(toFit: 0) }
    }
    private var entries: [Key: Entry] = [:]
    private var held = 0
    private var clock = 0

    init(budget: Int) { self.budget = budget }

    /// Whether a block of `byteCount` bytes can be cached at all.
    func admits(_ byteCount: Int) -> Bool { byteCount <= budget }

    /// The cached bytes of `key`, marking them used.
    mutating func lookup(_ key: Key) -> UnsafeMutableRawBufferPointer? {
        guard var entry = entries[key] else { return nil }
        clock += 1
        entry.lastUse = clock
        entries[key] = entry
        return entry.bytes
    }

    /// Room for a new block of `byteCount` bytes under `key`, for the caller to fill. The caller
    /// must fill it before the next call, or ``remove(_:)`` it when filling fails.
    mutating func insert(_ key: Key, byteCount: Int) -> UnsafeMutableRawBufferPointer {
        precondition(admits(byteCount), "the block is larger than the cache")
        evict(toFit: byteCount)
        let bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: byteCount, alignment: 16)
        clock += 1
        entries[key] = Entry(bytes: bytes, lastUse: clock)
        held += byteCount
        return bytes
    }

    /// Drops `key` (a block whose decoding failed).
    mutating func remove(_ key: Key) {
        guard let entry = entries.removeValue(forKey: key) else { return }
        held -= entry.bytes.count
        entry.bytes.deallocate()
    }

    /// Frees every entry.
    mutating func removeAll() {
        for entry in entries.values { entry.bytes.deallocate() }
        entries.removeAll()
        held = 0
    }

    private mutating func evict(toFit incoming: Int) {
        while held + incoming > budget, let oldest = entries.min(by: { $0.value.lastUse < $1.value.lastUse }) {
            remove(oldest.key)
        }
    }
}

import Foundation

/// A map from output paths to values, built for the manifest's hundreds of thousands of paths.
///
/// A `[String: Entry]` costs a String per path (a heap object once it is longer than 15 bytes,
/// as every `r/CODE/index.html` is) and a slot of 112 bytes at three-quarters load: about 260
/// bytes a file, and a build holds two manifests and the spare's. Here the paths' bytes sit in
/// one buffer, the values in one array, and an open-addressing index of record numbers finds
/// them: about the value plus 40 bytes a file. Paths compare as bytes, which is what the file
/// system compares (two spellings of "é" are two files).
///
/// Removing a path keeps its record as a tombstone; setting it again reuses it. The index is
/// rebuilt, without the tombstones, when it grows.
struct PathTable<Value> {
    private var bytes: [UInt8] = []
    /// Where each record's path starts in `bytes`; it ends where the next starts.
    private var starts: [UInt32] = []
    /// Nil for a removed path.
    private var values: [Value?] = []
    /// Record numbers, -1 for an empty slot; the count is a power of two, at most half full.
    private var slots: [Int32] = []
    /// How many paths have a value.
    private(set) var count = 0

    init() {}

    init(minimumCapacity: Int) {
        reserveCapacity(minimumCapacity)
    }

    var isEmpty: Bool { count == 0 }

    mutating func reserveCapacity(_ capacity: Int) {
        starts.reserveCapacity(capacity + 1)
        values.reserveCapacity(capacity)
        bytes.reserveCapacity(capacity * 24)
        if slots.count < 2 * capacity { rebuildIndex(slotCount: Self.slotCount(for: capacity)) }
    }

    subscript(path: String) -> Value? {
        get {
            var path = path
            return path.withUTF8 { find($0) }.flatMap { values[$0] }
        }
        set {
            var path = path
            path.withUTF8 { set(newValue, for: $0) }
        }
    }

    /// The value of the path whose UTF-8 bytes are `path`.
    subscript(bytes path: UnsafeBufferPointer<UInt8>) -> Value? {
        find(path).flatMap { values[$0] }
    }

    mutating func set(_ value: Value?, for path: UnsafeBufferPointer<UInt8>) {
        if let record = find(path) {
            switch (values[record] == nil, value == nil) {
            case (true, false): count += 1
            case (false, true): count -= 1
            default: break
            }
            values[record] = value
            return
        }
        guard let value else { return }
        if 2 * (values.count + 1) > slots.count { rebuildIndex(slotCount: Self.slotCount(for: max(count + 1, 2 * count))) }
        let record = values.count
        if starts.isEmpty { starts.append(0) }
        bytes.append(contentsOf: path)
        starts.append(UInt32(bytes.count))
        values.append(value)
        count += 1
        insert(record, hash: Self.hash(path))
    }

    /// Every path with a value, and the value, in no particular order.
    func forEach(_ body: (String, Value) throws -> Void) rethrows {
        for record in values.indices {
            guard let value = values[record] else { continue }
            try body(path(of: record), value)
        }
    }

    /// Every path with a value, as bytes, in no particular order.
    func forEachPath(_ body: (UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        try bytes.withUnsafeBufferPointer { all in
            for record in values.indices where values[record] != nil {
                try body(UnsafeBufferPointer(rebasing: all[Int(starts[record])..<Int(starts[record + 1])]))
            }
        }
    }

    /// Every path with a value, as bytes, in byte order (the manifest's order on disk).
    func forEachSorted(_ body: (UnsafeBufferPointer<UInt8>, Value) throws -> Void) rethrows {
        try bytes.withUnsafeBufferPointer { all in
            func slice(_ record: Int) -> UnsafeBufferPointer<UInt8> {
                UnsafeBufferPointer(rebasing: all[Int(starts[record])..<Int(starts[record + 1])])
            }
            let order = values.indices.filter { values[$0] != nil }.sorted { a, b in
                slice(a).lexicographicallyPrecedes(slice(b))
            }
            for record in order { try body(slice(record), values[record]!) }
        }
    }

    /// Every record with a value: its number (stable while nothing is added or removed) and value.
    func forEachRecord(_ body: (Int, Value) throws -> Void) rethrows {
        for record in values.indices {
            if let value = values[record] { try body(record, value) }
        }
    }

    /// The path of the record numbered `record` (see `forEachRecord`).
    func path(ofRecord record: Int) -> String { path(of: record) }

    /// The paths with a value, in no particular order.
    var paths: [String] {
        var out: [String] = []
        out.reserveCapacity(count)
        forEach { path, _ in out.append(path) }
        return out
    }

    /// Whether `path` has a value.
    func contains(_ path: String) -> Bool { self[path] != nil }

    // MARK: The index

    private func path(of record: Int) -> String {
        String(decoding: bytes[Int(starts[record])..<Int(starts[record + 1])], as: UTF8.self)
    }

    private func find(_ path: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !slots.isEmpty else { return nil }
        let mask = slots.count - 1
        var slot = Self.hash(path) & mask
        return bytes.withUnsafeBufferPointer { all in
            while true {
                let record = Int(slots[slot])
                if record < 0 { return nil }
                let start = Int(starts[record]), end = Int(starts[record + 1])
                if end - start == path.count, memcmpEqual(all.baseAddress! + start, path.baseAddress, path.count) { return record }
                slot = (slot + 1) & mask
            }
        }
    }

    private mutating func insert(_ record: Int, hash: Int) {
        let mask = slots.count - 1
        var slot = hash & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(record)
    }

    /// Drops the removed records and indexes the others in `slotCount` slots.
    private mutating func rebuildIndex(slotCount: Int) {
        if count < values.count {
            var kept = PathTable()
            kept.slots = []
            kept.starts.reserveCapacity(count + 1)
            kept.values.reserveCapacity(max(count, values.capacity))
            bytes.withUnsafeBufferPointer { all in
                for record in values.indices where values[record] != nil {
                    if kept.starts.isEmpty { kept.starts.append(0) }
                    kept.bytes.append(contentsOf: all[Int(starts[record])..<Int(starts[record + 1])])
                    kept.starts.append(UInt32(kept.bytes.count))
                    kept.values.append(values[record])
                }
            }
            (bytes, starts, values) = (kept.bytes, kept.starts, kept.values)
        }
        slots = [Int32](repeating: -1, count: slotCount)
        bytes.withUnsafeBufferPointer { all in
            for record in values.indices {
                let path = UnsafeBufferPointer(rebasing: all[Int(starts[record])..<Int(starts[record + 1])])
                insert(record, hash: Self.hash(path))
            }
        }
    }

    private static func slotCount(for capacity: Int) -> Int {
        var n = 16
        while n < 2 * capacity { n *= 2 }
        return n
    }

    /// FNV-1a over the path's bytes: paths come from refkit's renderers, not from an attacker
    /// choosing collisions, and it needs no seed.
    private static func hash(_ path: UnsafeBufferPointer<UInt8>) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in path {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01b3
        }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }
}

private func memcmpEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>?, _ count: Int) -> Bool {
    guard count > 0, let b else { return true }
    return memcmp(a, b, count) == 0
}

extension PathTable: ExpressibleByDictionaryLiteral {
    init(dictionaryLiteral elements: (String, Value)...) {
        self.init(minimumCapacity: elements.count)
        for (path, value) in elements { self[path] = value }
    }
}

extension PathTable: Equatable where Value: Equatable {
    static func == (a: PathTable, b: PathTable) -> Bool {
        guard a.count == b.count else { return false }
        var same = true
        a.forEach { path, value in if same, b[path] != value { same = false } }
        return same
    }
}

extension PathTable: Sendable where Value: Sendable {}

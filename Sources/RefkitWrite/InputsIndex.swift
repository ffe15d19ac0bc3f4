import RefkitModel

/// The files the previous build made from each inputs fingerprint, for `OutputWriter.reuse`.
///
/// A fingerprint is 128 bits (`Fingerprint.hex`), so the index is one sorted array of those
/// bits with the area and record number of each file: 24 bytes a file, where a dictionary of
/// fingerprint strings to arrays of paths cost about 150. Any other inputs text (none that
/// refkit writes today, but a manifest is read back as it was written) goes in a dictionary.
struct InputsIndex {
    private struct Item {
        var high: UInt64
        var low: UInt64
        var record: Int32
        var area: OutputArea
    }

    private let items: [Item]
    private let other: [String: [(area: OutputArea, path: String)]]
    private let entries: [OutputArea: PathTable<Manifest.Entry>]

    init(_ manifest: Manifest) {
        var items: [Item] = []
        var other: [String: [(area: OutputArea, path: String)]] = [:]
        items.reserveCapacity(manifest.entries.values.reduce(0) { $0 + $1.count })
        for area in OutputArea.allCases {
            guard let table = manifest.entries[area] else { continue }
            table.forEachRecord { record, entry in
                switch entry.packedInputsKey {
                case let .bits128(high, low): items.append(Item(high: high, low: low, record: Int32(record), area: area))
                case .text(let text) where text.isEmpty: break
                default: other[entry.inputs, default: []].append((area, table.path(ofRecord: record)))
                }
            }
        }
        items.sort { ($0.high, $0.low, $0.record) < ($1.high, $1.low, $1.record) }
        self.items = items
        self.other = other
        entries = manifest.entries
    }

    /// The files made from `inputs`, in the order the index keeps them; nil when none.
    subscript(inputs inputs: String) -> [(area: OutputArea, path: String)]? {
        guard case let .bits128(high, low) = PackedHex(inputs) else { return other[inputs] }
        // The first item not below the key.
        var lower = 0, upper = items.count
        while lower < upper {
            let middle = (lower + upper) / 2
            if (items[middle].high, items[middle].low) < (high, low) { lower = middle + 1 } else { upper = middle }
        }
        var out: [(area: OutputArea, path: String)] = []
        var i = lower
        while i < items.count, items[i].high == high, items[i].low == low {
            out.append((items[i].area, entries[items[i].area]!.path(ofRecord: Int(items[i].record))))
            i += 1
        }
        return out.isEmpty ? nil : out
    }
}

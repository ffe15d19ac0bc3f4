import Foundation
import RefkitModel

/// What the last build wrote: for each file its size, modification time, SHA-256 and the
/// fingerprint of the inputs it was made from, and the modification time of each site folder.
///
/// It lets the next build know a file is unchanged without reading the old output (at
/// 100,000 pages that read would cost as much as the write), lets renderers skip a file whose
/// inputs did not change (`OutputSink.reuse(inputs:)`), and tells the kit's own files from
/// files other commands or the user put in `kit/`, which a build must keep. The folders'
/// times tell that nothing was added to the site without walking it.
/// Kept at `kit/.refkit/manifest.tsv`, as text a person can read; it is parsed as bytes, since
/// at 100,000 referrers it has 300,000 lines.
struct Manifest {
    struct Entry: Equatable {
        var size: Int
        /// Nanoseconds since 1970; with the size, proof the file was not touched since.
        var mtime: Int
        // Kept as bytes, not as hex text: two manifests (the last build's and this one's) hold
        // an entry per output file, 300,000 at 100,000 referrers, and the two hex strings were
        // two heap objects per entry (160 bytes, more than the rest of the entry).
        private var packedSHA256: PackedHex
        private var packedInputs: PackedHex

        var sha256: String {
            get { packedSHA256.text }
            set { packedSHA256 = PackedHex(newValue) }
        }
        /// The renderer's fingerprint of the file's inputs; empty when it gave none.
        var inputs: String {
            get { packedInputs.text }
            set { packedInputs = PackedHex(newValue) }
        }

        init(size: Int, mtime: Int, sha256: String, inputs: String = "") {
            self.size = size
            self.mtime = mtime
            packedSHA256 = PackedHex(sha256)
            packedInputs = PackedHex(inputs)
        }

        init(size: Int, mtime: Int, sha256: PackedHex, inputs: PackedHex) {
            self.size = size
            self.mtime = mtime
            packedSHA256 = sha256
            packedInputs = inputs
        }

        /// Whether the file's SHA-256 is `hex`, without making text of the stored bytes.
        func hasSHA256(_ hex: String) -> Bool { packedSHA256 == PackedHex(hex) }

        /// The same entry made from other inputs.
        func with(inputs: String) -> Entry {
            Entry(size: size, mtime: mtime, sha256: packedSHA256, inputs: PackedHex(inputs))
        }

        var packedInputsKey: PackedHex { packedInputs }

        func appendSHA256(to out: inout [UInt8]) { packedSHA256.append(to: &out) }
        func appendInputs(to out: inout [UInt8]) { packedInputs.append(to: &out) }
    }

    static let path = ".refkit/manifest.tsv"
    static let header = "# refkit build manifest 3: area, size, mtime (ns), sha256, inputs, path. Do not edit."
    /// The area column of a site folder's line (its size, hash and inputs are empty).
    static let folderArea = "site-folder"
    /// The area column's suffix of a segment's line: `kit-segment`, length, offset, the
    /// segment's digest (empty in manifests before it was kept), inputs, and the path of the
    /// file it is part of.
    static let segmentSuffix = "-segment"
    static let buildPrefix = "# build "
    /// The last line: a manifest without it was cut short and proves nothing.
    static let trailer = "# end\n"

    var entries: [OutputArea: PathTable<Entry>] = [:]
    /// A segment of a file written in parts: bytes made from one inputs fingerprint.
    struct Segment: Equatable {
        var inputs: String
        var offset: Int
        var length: Int
        /// The `ContentDigest` of the segment's bytes as the stream file made it (see
        /// `StreamFile`), so that a carried segment is never read to know the file's digest;
        /// empty when unknown (an older manifest), and then the segment is not carried.
        var sha256 = ""
    }
    /// The segments of each file written in parts, in file order.
    var segments: [OutputArea: [String: [Segment]]] = [:]
    /// Each folder of the site (`""` for the site folder itself) and its modification time
    /// when the build finished: a file added to the site since changes its folder's time.
    /// Nil when unknown (a manifest of an older format).
    var siteFolders: [String: Int]?
    /// The fingerprint of everything the last build was made from, referrers, ledger and secret
    /// included: when the next build's is the same and every file is intact, there is nothing
    /// to do at all.
    var build = ""

    /// The files made from each inputs fingerprint.
    func byInputs() -> InputsIndex { InputsIndex(self) }

    /// The folders of the site that hold `paths`, with the site folder itself as `""`.
    static func folders<S: Sequence>(of paths: S) -> Set<String> where S.Element == String {
        var out: Set<String> = [""]
        for path in paths {
            var folder = Substring(path)
            while let slash = folder.lastIndex(of: "/") {
                folder = folder[..<slash]
                if !out.insert(String(folder)).inserted { break }
            }
        }
        return out
    }

    /// The folders of the site that hold the files of `table`, with the site folder itself as
    /// `""`; read from the paths' bytes, without making a String of each path.
    static func folders<Value>(of table: PathTable<Value>) -> Set<String> {
        var out: Set<String> = [""]
        var last: [UInt8] = []
        table.forEachSorted { path, _ in
            guard let slash = path.lastIndex(of: UInt8(ascii: "/")) else { return }
            // Sorted paths come in runs of one folder: each folder is looked at once.
            let folder = UnsafeBufferPointer(rebasing: path[..<slash])
            if folder.elementsEqual(last) { return }
            last = Array(folder)
            var end = slash
            while end > 0 {
                guard out.insert(String(decoding: UnsafeBufferPointer(rebasing: path[..<end]), as: UTF8.self)).inserted else { break }
                guard let up = path[..<end].lastIndex(of: UInt8(ascii: "/")) else { break }
                end = up
            }
        }
        return out
    }

    /// The manifest at `url`, with the entries and segments of `areas` only.
    static func read(from url: URL, areas: Set<OutputArea> = Set(OutputArea.allCases)) -> Manifest {
        // A missing or unreadable manifest only means nothing is known to be unchanged.
        guard let data = try? Data(contentsOf: url) else { return Manifest() }
        return parse([UInt8](data), areas: areas)
    }

    /// One line of the manifest as byte ranges, parsed without making strings of the columns
    /// a caller does not need.
    struct Line {
        var area: Range<Int>
        var size: Int
        var mtime: Int
        var sha256: Range<Int>
        var inputs: Range<Int>
        var path: Range<Int>
    }

    /// The manifest's format (1, 2 or 3) from its first line; nil when it is not a manifest.
    static func format(_ bytes: [UInt8]) -> Int? {
        let prefix = Array("# refkit build manifest".utf8)
        guard bytes.starts(with: prefix) else { return nil }
        let rest = bytes.dropFirst(prefix.count)
        if rest.starts(with: Array(" 3".utf8)) { return 3 }
        if rest.starts(with: Array(" 2".utf8)) { return 2 }
        return 1
    }

    /// Calls `body` with the build line's key and with each entry line; returns false when the
    /// bytes are not a manifest.
    @discardableResult
    static func scan(_ bytes: [UInt8], lines range: Range<Int>? = nil,
                     build: (Range<Int>) -> Void = { _ in }, _ body: (Line) -> Void) -> Bool {
        guard let format = format(bytes) else { return false }
        let columns = format == 1 ? 5 : 6
        let tab = UInt8(ascii: "\t"), newline = UInt8(ascii: "\n"), hash = UInt8(ascii: "#")
        let buildPrefix = Array(Self.buildPrefix.utf8)
        bytes.withUnsafeBufferPointer { b in
            var start = range?.lowerBound ?? 0
            let end = range?.upperBound ?? b.count
            while start < end {
                var stop = start
                while stop < end, b[stop] != newline { stop += 1 }
                defer { start = stop + 1 }
                guard stop > start else { continue }
                if b[start] == hash {
                    if stop - start > buildPrefix.count, UnsafeBufferPointer(rebasing: b[start..<start + buildPrefix.count]).elementsEqual(buildPrefix) {
                        build(start + buildPrefix.count..<stop)
                    }
                    continue
                }
                // The first columns split at tabs; the path, last, may hold anything but a newline.
                // Where each column starts, in a fixed buffer: no array per line.
                var starts = (start, 0, 0, 0, 0, 0)
                var found = 1
                var i = start
                while i < stop, found < columns {
                    if b[i] == tab {
                        switch found {
                        case 1: starts.1 = i + 1
                        case 2: starts.2 = i + 1
                        case 3: starts.3 = i + 1
                        case 4: starts.4 = i + 1
                        default: starts.5 = i + 1
                        }
                        found += 1
                    }
                    i += 1
                }
                guard found == columns else { continue }
                let area = starts.0..<starts.1 - 1, sizeField = starts.1..<starts.2 - 1, mtimeField = starts.2..<starts.3 - 1
                let sha256 = starts.3..<starts.4 - 1
                let inputs = columns == 6 ? starts.4..<starts.5 - 1 : sha256.upperBound..<sha256.upperBound
                let path = (columns == 6 ? starts.5 : starts.4)..<stop
                guard let size = integer(b, sizeField), let mtime = integer(b, mtimeField) else { continue }
                body(Line(area: area, size: size, mtime: mtime, sha256: sha256, inputs: inputs, path: path))
            }
        }
        return true
    }

    /// A decimal integer, possibly negative; nil for anything else.
    static func integer(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
        var i = range.lowerBound
        let negative = i < range.upperBound && b[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        guard i < range.upperBound else { return nil }
        var value = 0
        while i < range.upperBound {
            let digit = Int(b[i]) - 48
            guard digit >= 0, digit <= 9 else { return nil }
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(digit)
            guard !o1, !o2 else { return nil }
            value = sum
            i += 1
        }
        return negative ? -value : value
    }

    static func parse(_ bytes: [UInt8], areas wanted: Set<OutputArea> = Set(OutputArea.allCases)) -> Manifest {
        var manifest = Manifest()
        let format = format(bytes)
        if format == 3 { manifest.siteFolders = [:] }
        func string(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
        let areas = OutputArea.allCases.filter(wanted.contains).map { (Array($0.rawValue.utf8), $0) }
        let folderArea = Array(Self.folderArea.utf8)
        let segmentAreas = OutputArea.allCases.filter(wanted.contains).map { (Array(($0.rawValue + segmentSuffix).utf8), $0) }
        // Sized up front from a count of lines by area, so the tables never grow by doubling.
        var tables = Dictionary(uniqueKeysWithValues: areas.map { ($0.1, PathTable<Entry>()) })
        for (area, lines) in lineCounts(bytes, areas: areas) { tables[area]?.reserveCapacity(lines) }
        bytes.withUnsafeBufferPointer { b in
            scan(bytes, build: { manifest.build = string($0) }) { line in
                let area = b[line.area]
                if let known = segmentAreas.first(where: { $0.0.elementsEqual(area) })?.1 {
                    manifest.segments[known, default: [:]][string(line.path), default: []]
                        .append(Segment(inputs: string(line.inputs), offset: line.mtime, length: line.size, sha256: string(line.sha256)))
                } else if let known = areas.first(where: { $0.0.elementsEqual(area) })?.1 {
                    let entry = Entry(size: line.size, mtime: line.mtime,
                                      sha256: PackedHex(UnsafeBufferPointer(rebasing: b[line.sha256])),
                                      inputs: PackedHex(UnsafeBufferPointer(rebasing: b[line.inputs])))
                    tables[known]!.set(entry, for: UnsafeBufferPointer(rebasing: b[line.path]))
                } else if area.elementsEqual(folderArea), format == 3 {
                    manifest.siteFolders?[string(line.path)] = line.mtime
                }
            }
        }
        for (area, table) in tables where !table.isEmpty { manifest.entries[area] = table }
        return manifest
    }

    /// How many lines each of `areas` has, from each line's first bytes only.
    private static func lineCounts(_ bytes: [UInt8], areas: [([UInt8], OutputArea)]) -> [OutputArea: Int] {
        var counts: [OutputArea: Int] = [:]
        let tab = UInt8(ascii: "\t"), newline = UInt8(ascii: "\n")
        bytes.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress else { return }
            var start = 0
            while start < b.count {
                var end = b.count
                if let found = memchr(base + start, Int32(newline), b.count - start) {
                    end = UnsafeRawPointer(found) - UnsafeRawPointer(base)
                }
                for (name, area) in areas {
                    guard end - start > name.count, b[start + name.count] == tab else { continue }
                    if UnsafeBufferPointer(rebasing: b[start..<start + name.count]).elementsEqual(name) { counts[area, default: 0] += 1 }
                }
                start = end + 1
            }
        }
        return counts
    }

    /// The manifest as written: one line per file, segment and site folder, each group sorted
    /// by path. Built as bytes: at 100,000 referrers it has over 300,000 lines.
    func bytes() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(160 * ((entries[.site]?.count ?? 0) + (entries[.kit]?.count ?? 0) + (siteFolders?.count ?? 0)) + 4096)
        func line(_ area: String, _ size: Int, _ mtime: Int, _ sha256: String, _ inputs: String, _ path: String) {
            out.append(contentsOf: area.utf8)
            out.append(UInt8(ascii: "\t"))
            out.append(contentsOf: String(size).utf8)
            out.append(UInt8(ascii: "\t"))
            out.append(contentsOf: String(mtime).utf8)
            out.append(UInt8(ascii: "\t"))
            out.append(contentsOf: sha256.utf8)
            out.append(UInt8(ascii: "\t"))
            out.append(contentsOf: inputs.utf8)
            out.append(UInt8(ascii: "\t"))
            out.append(contentsOf: path.utf8)
            out.append(UInt8(ascii: "\n"))
        }
        out.append(contentsOf: (Manifest.header + "\n").utf8)
        if !build.isEmpty { out.append(contentsOf: (Manifest.buildPrefix + build + "\n").utf8) }
        for area in OutputArea.allCases {
            entries[area]?.forEachSorted { path, e in
                out.append(contentsOf: area.rawValue.utf8)
                out.append(UInt8(ascii: "\t"))
                out.append(contentsOf: String(e.size).utf8)
                out.append(UInt8(ascii: "\t"))
                out.append(contentsOf: String(e.mtime).utf8)
                out.append(UInt8(ascii: "\t"))
                e.appendSHA256(to: &out)
                out.append(UInt8(ascii: "\t"))
                e.appendInputs(to: &out)
                out.append(UInt8(ascii: "\t"))
                out.append(contentsOf: path)
                out.append(UInt8(ascii: "\n"))
            }
        }
        for area in OutputArea.allCases {
            for (path, list) in (segments[area] ?? [:]).sorted(by: { $0.key < $1.key }) {
                for segment in list {
                    line(area.rawValue + Manifest.segmentSuffix, segment.length, segment.offset, segment.sha256, segment.inputs, path)
                }
            }
        }
        for (path, mtime) in (siteFolders ?? [:]).sorted(by: { $0.key < $1.key }) {
            line(Manifest.folderArea, 0, mtime, "", "", path)
        }
        out.append(contentsOf: Manifest.trailer.utf8)
        return out
    }
}

/// Hex text stored as its bits when it is 32 or 64 lowercase hex digits (a fingerprint, a
/// SHA-256), and as the text itself otherwise, so that it always reads back as written.
enum PackedHex: Hashable {
    case bits128(UInt64, UInt64)
    case bits256(UInt64, UInt64, UInt64, UInt64)
    case text(String)

    init(_ text: String) {
        var text = text
        self = text.withUTF8 { PackedHex($0) }
    }

    /// From the UTF-8 bytes of the text, as the manifest holds them: no String is made for
    /// the 32 and 64 digits of hex refkit writes.
    init(_ utf8: UnsafeBufferPointer<UInt8>) {
        func word(_ at: Int) -> UInt64? {
            var word: UInt64 = 0
            for byte in utf8[at..<at + 16] {
                let value: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): value = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): value = byte - UInt8(ascii: "a") + 10
                default: return nil
                }
                word = word << 4 | UInt64(value)
            }
            return word
        }
        switch utf8.count {
        case 32:
            if let a = word(0), let b = word(16) { self = .bits128(a, b); return }
        case 64:
            if let a = word(0), let b = word(16), let c = word(32), let d = word(48) { self = .bits256(a, b, c, d); return }
        default: break
        }
        self = .text(String(decoding: utf8, as: UTF8.self))
    }

    var text: String {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        append(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the text's UTF-8 bytes.
    func append(to out: inout [UInt8]) {
        func hex(_ word: UInt64) {
            for shift in stride(from: 60, through: 0, by: -4) {
                let digit = UInt8(word >> UInt64(shift) & 0xF)
                out.append(digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10)
            }
        }
        switch self {
        case .text(let text): out.append(contentsOf: text.utf8)
        case let .bits128(a, b): hex(a); hex(b)
        case let .bits256(a, b, c, d): hex(a); hex(b); hex(c); hex(d)
        }
    }
}

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

        /// Whether the file's SHA-256 is `hex`, without making text of the stored bytes.
        func hasSHA256(_ hex: String) -> Bool { packedSHA256 == PackedHex(hex) }
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

    var entries: [OutputArea: [String: Entry]] = [:]
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
    func byInputs() -> [String: [(area: OutputArea, path: String)]] {
        var out: [String: [(area: OutputArea, path: String)]] = [:]
        for (area, files) in entries {
            for (path, entry) in files where !entry.inputs.isEmpty {
                out[entry.inputs, default: []].append((area, path))
            }
        }
        return out
    }

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
                var fields: [Range<Int>] = []
                fields.reserveCapacity(columns)
                var field = start
                var i = start
                while i < stop, fields.count < columns - 1 {
                    if b[i] == tab {
                        fields.append(field..<i)
                        field = i + 1
                    }
                    i += 1
                }
                guard fields.count == columns - 1 else { continue }
                fields.append(field..<stop)
                guard let size = integer(b, fields[1]), let mtime = integer(b, fields[2]) else { continue }
                body(Line(area: fields[0], size: size, mtime: mtime, sha256: fields[3],
                          inputs: columns == 6 ? fields[4] : fields[3].upperBound..<fields[3].upperBound, path: fields[columns - 1]))
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
        scan(bytes, build: { manifest.build = string($0) }) { line in
            let area = bytes[line.area]
            if let known = segmentAreas.first(where: { $0.0.elementsEqual(area) })?.1 {
                manifest.segments[known, default: [:]][string(line.path), default: []]
                    .append(Segment(inputs: string(line.inputs), offset: line.mtime, length: line.size, sha256: string(line.sha256)))
            } else if let known = areas.first(where: { $0.0.elementsEqual(area) })?.1 {
                manifest.entries[known, default: [:]][string(line.path)] =
                    Entry(size: line.size, mtime: line.mtime, sha256: string(line.sha256), inputs: string(line.inputs))
            } else if area.elementsEqual(folderArea), format == 3 {
                manifest.siteFolders?[string(line.path)] = line.mtime
            }
        }
        return manifest
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
            for (path, e) in (entries[area] ?? [:]).sorted(by: { $0.key < $1.key }) {
                line(area.rawValue, e.size, e.mtime, e.sha256, e.inputs, path)
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
        var words: [UInt64] = []
        let utf8 = text.utf8
        if utf8.count == 32 || utf8.count == 64 {
            words.reserveCapacity(utf8.count / 16)
            var word: UInt64 = 0
            var digits = 0
            for byte in utf8 {
                let value: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): value = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): value = byte - UInt8(ascii: "a") + 10
                default: self = .text(text); return
                }
                word = word << 4 | UInt64(value)
                digits += 1
                if digits == 16 {
                    words.append(word)
                    (word, digits) = (0, 0)
                }
            }
        }
        switch words.count {
        case 2: self = .bits128(words[0], words[1])
        case 4: self = .bits256(words[0], words[1], words[2], words[3])
        default: self = .text(text)
        }
    }

    var text: String {
        switch self {
        case .text(let text): return text
        case let .bits128(a, b): return Self.hex([a, b])
        case let .bits256(a, b, c, d): return Self.hex([a, b, c, d])
        }
    }

    private static func hex(_ words: [UInt64]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        return String(unsafeUninitializedCapacity: words.count * 16) { buffer in
            var i = 0
            for word in words {
                for shift in stride(from: 60, through: 0, by: -4) {
                    buffer[i] = digits[Int(word >> UInt64(shift) & 0xF)]
                    i += 1
                }
            }
            return i
        }
    }
}

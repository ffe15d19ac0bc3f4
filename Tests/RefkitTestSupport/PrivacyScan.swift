import CSV
import Foundation
import RefkitLoad
import RefkitModel

#if canImport(Glibc)
import Glibc
#endif

/// Looks through a built site for what must stay in `kit/`: the referrers' email addresses
/// and surnames, the secret codes are derived from, the ledger's rows and the kit's own file
/// names. Every test that builds through the real binary runs it on the result (see
/// `CLI.refkit`), so each fixture, hostile or not, is also a privacy check.
///
/// Values are searched for as written and as they would look escaped for where they might land:
/// percent-encoded in a link, HTML-escaped in a page.
public struct PrivacyScan: Sendable {
    /// What kind of private value leaked; messages name the kind, not the value's owner.
    public enum Kind: String, Sendable, CaseIterable {
        case email = "email address"
        case surname
        case secret
        case ledgerRow = "ledger row"
        case kitPath = "kit file name"
        case coupon
    }

    /// One value to look for, in one spelling.
    public struct Needle: Hashable, Sendable {
        public var kind: Kind
        public var value: String
        /// "raw", "percent-encoded", "HTML-escaped".
        public var spelling: String
        /// Only where neither neighbour is a letter or digit: a short surname ("Roux") is
        /// private, the same letters inside another word are not.
        public var wholeWord: Bool

        public init(kind: Kind, value: String, spelling: String = "raw", wholeWord: Bool = false) {
            self.kind = kind
            self.value = value
            self.spelling = spelling
            self.wholeWord = wholeWord
        }
    }

    /// A needle found in a file of the scanned folder.
    public struct Leak: Hashable, Sendable, CustomStringConvertible {
        public var file: String
        public var needle: Needle
        /// The scanned folder as messages name it: `public`, or `kit/counter` for the counter page.
        public var folder = "public"
        public var description: String {
            "\(folder)/\(file) contains a \(needle.kind.rawValue) (\(needle.spelling)): \(needle.value)"
        }
    }

    /// Raised by `check`: every leak, one per line.
    public struct LeakError: Error, CustomStringConvertible {
        public var leaks: [Leak]
        public var description: String {
            "private data in public/ or the counter page (\(leaks.count) leak(s)):\n" + leaks.map { "  " + $0.description }.joined(separator: "\n")
        }
    }

    public let needles: [Needle]
    private let index: NeedleIndex

    public init(needles: [Needle]) {
        self.needles = needles
        self.index = NeedleIndex(needles)
    }

    /// The needles of a built project: its `content/referrers.csv`, `kit/secret` (or `secret`,
    /// the REFKIT_SECRET the build ran with) and `kit/retired-secrets`, `kit/codes.csv` and the
    /// files under `kit/`; `kit` is where the build put the kit (`--kit`), `PROJECT/kit` when nil.
    ///
    /// Emails and surnames that the author also wrote in `content/` or `site-templates/` (a
    /// contact address, a brand that is someone's surname) are public by the author's choice,
    /// and a surname within another referrer's first name is public on that referrer's page:
    /// neither is looked for.
    public init(project: URL, secret: String? = nil, kit: URL? = nil) throws {
        var needles: [Needle] = []
        let referrers = try Self.referrerRows(project.appendingPathComponent("content/referrers.csv"))
        let emails = referrers.map(\.email).filter { !$0.isEmpty }
        let surnames = referrers.map { Self.surname(name: $0.name, firstName: $0.firstName) }.filter { !$0.isEmpty }
        let authored = Self.occurring(emails + surnames, in: Self.authoredText(project))
        // What personal pages may show: every first name. A surname inside one ("佐藤" of
        // 佐藤 健, whose first name is 健, inside another referrer's whole-name "佐藤 美咲")
        // is on that page by right.
        let shown = Self.occurring(surnames, in: referrers.map(\.firstName).joined(separator: "\n"))
        for email in emails where !authored.contains(email) {
            needles += Self.spellings(of: email, kind: .email, wholeWord: false)
        }
        let kit = kit ?? project.appendingPathComponent("kit")
        // People who asked for no more email, and friends' addresses the report keeps (the
        // rewards ledger and the follow-up log): as private as the referrers'.
        var others: [String] = []
        let unsubscribed = project.appendingPathComponent("content/unsubscribed.csv")
        if let text = try? String(contentsOf: unsubscribed, encoding: .utf8) {
            others += text.split(whereSeparator: \.isNewline).dropFirst().map { $0.trimmingCharacters(in: .whitespaces) }
        }
        for file in ["report/rewards.csv", "report/follow-ups.csv"] {
            guard let text = try? String(contentsOf: kit.appendingPathComponent(file), encoding: .utf8) else { continue }
            for row in text.split(whereSeparator: \.isNewline).dropFirst() {
                others += row.split(separator: ",").map(String.init).filter { $0.contains("@") && !$0.contains("\"") }
            }
        }
        for email in Set(others) where email.contains("@") && !authored.contains(email) {
            needles += Self.spellings(of: email, kind: .email, wholeWord: false)
        }
        for surname in surnames where !authored.contains(surname) && !shown.contains(surname) {
            needles += Self.spellings(of: surname, kind: .surname, wholeWord: true)
        }
        // Coupons are money: `content/coupons.csv` goes to rewards.csv and drafts only.
        for coupon in try Self.coupons(project.appendingPathComponent("content/coupons.csv")) {
            needles += Self.spellings(of: coupon, kind: .coupon, wholeWord: true)
        }
        var secrets = [secret]
        secrets.append(try? String(contentsOf: kit.appendingPathComponent("secret"), encoding: .utf8))
        // Retired secrets (`refkit codes rotate-secret`) still check old codes: as private.
        if let retired = try? String(contentsOf: kit.appendingPathComponent("retired-secrets"), encoding: .utf8) {
            for line in retired.split(separator: "\n") where !line.hasPrefix("#") {
                let fields = line.split(separator: " ")
                guard fields.count == 4, fields[3] != "lost" else { continue }
                secrets.append(String(fields[3]))
                var bytes: [UInt8] = []
                var digits = fields[3].utf8.makeIterator()
                while let high = digits.next(), let low = digits.next(), let byte = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) {
                    bytes.append(byte)
                }
                secrets.append(String(decoding: bytes, as: UTF8.self))
            }
        }
        for s in secrets.compactMap({ $0?.trimmingCharacters(in: .whitespacesAndNewlines) }) where !s.isEmpty {
            needles.append(Needle(kind: .secret, value: s))
        }
        if let ledger = try? String(contentsOf: kit.appendingPathComponent("codes.csv"), encoding: .utf8) {
            for row in ledger.split(whereSeparator: \.isNewline).dropFirst() where !row.isEmpty {
                needles.append(Needle(kind: .ledgerRow, value: String(row)))
            }
        }
        for path in Self.files(under: kit) {
            needles.append(Needle(kind: .kitPath, value: "kit/" + path))
            // A bare name is distinctive only with an extension (codes.csv, drafts.mbox); one
            // like `secret` is an ordinary word a page may use.
            if path.contains("/") || path.contains(".") { needles.append(Needle(kind: .kitPath, value: path)) }
        }
        self.init(needles: Array(Set(needles)).sorted { ($0.kind.rawValue, $0.value, $0.spelling) < ($1.kind.rawValue, $1.value, $1.spelling) })
    }

    /// Every leak in the files under `folder` (hidden ones included: they get uploaded too).
    public func leaks(in folder: URL) -> [Leak] {
        var leaks: [Leak] = []
        for path in Self.files(under: folder) {
            guard let data = try? Data(contentsOf: folder.appendingPathComponent(path)) else { continue }
            leaks += self.leaks(in: data, file: path)
        }
        return leaks
    }

    /// The needles found in one file's bytes.
    public func leaks(in data: Data, file: String) -> [Leak] {
        data.withUnsafeBytes { index.matches(in: $0) }.sorted().map { Leak(file: file, needle: needles[$0]) }
    }

    /// Throws `LeakError` when `folder` holds any needle.
    public func check(_ folder: URL) throws {
        let found = leaks(in: folder)
        if !found.isEmpty { throw LeakError(leaks: found) }
    }

    /// The counter page (`KIT/counter/`), which leaves the kit on a tablet or a USB stick: it
    /// may show codes and first names, and nothing else private. Throws `LeakError` naming
    /// `kit/counter/...`; a kit without the page has nothing to scan.
    public func checkCounter(kit: URL) throws {
        let folder = kit.appendingPathComponent("counter")
        guard FileManager.default.fileExists(atPath: folder.path) else { return }
        let found = leaks(in: folder).map { leak -> Leak in
            var leak = leak
            leak.folder = "kit/counter"
            return leak
        }
        if !found.isEmpty { throw LeakError(leaks: found) }
    }

    // MARK: - Needles

    /// The value as written, percent-encoded (everything but RFC 3986's unreserved characters)
    /// and HTML-escaped, without repeats.
    static func spellings(of value: String, kind: Kind, wholeWord: Bool) -> [Needle] {
        var out: [Needle] = []
        func add(_ v: String?, _ spelling: String) {
            guard let v, !out.contains(where: { $0.value == v }) else { return }
            out.append(Needle(kind: kind, value: v, spelling: spelling, wholeWord: wholeWord))
        }
        add(value, "raw")
        add(value.addingPercentEncoding(withAllowedCharacters: unreserved), "percent-encoded")
        add(Markup.escape(value), "HTML-escaped")
        if value.contains("@") {
            add(Markup.escape(value).replacingOccurrences(of: "@", with: "&#64;"), "HTML-escaped")
            add(Markup.escape(value).replacingOccurrences(of: "@", with: "&#x40;"), "HTML-escaped")
        }
        return out
    }

    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// The name without the first name pages may show: "Dupont, Jean-Luc" → "Dupont",
    /// "Marie Dupont" → "Dupont", "山田 花子" → "" (the whole name is the first name).
    /// A name that does not contain its first name is private whole.
    static func surname(name: String, firstName: String) -> String {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !firstName.isEmpty, let range = name.range(of: firstName) else { return name }
        var rest = name
        rest.removeSubrange(range)
        return rest.trimmingCharacters(in: CharacterSet.whitespacesAndNewlines.union(CharacterSet(charactersIn: ",")))
    }

    struct Row { var email: String; var name: String; var firstName: String }

    /// The `coupon` cells of a coupon bank, decoded as the loader decodes it.
    static func coupons(_ file: URL) throws -> [String] {
        guard let data = try? Data(contentsOf: file), case .text(let text) = CSVText.decode(data, file: file.path) else { return [] }
        let reader = try CSVReader(string: text, hasHeaderRow: false, trimFields: false, delimiter: CSVText.delimiter(of: text))
        guard let header = reader.next(), let column = header.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).lowercased() == "coupon" }) else { return [] }
        var out: [String] = []
        while let cells = reader.next() {
            guard column < cells.count else { continue }
            let code = cells[column].trimmingCharacters(in: .whitespacesAndNewlines)
            if !code.isEmpty { out.append(code) }
        }
        return out
    }

    /// The rows of referrers.csv, decoded as the build decodes them (encoding, delimiter,
    /// quoted cells); a first name comes from `first_name` or the build's first-name rule.
    static func referrerRows(_ file: URL) throws -> [Row] {
        guard let data = try? Data(contentsOf: file) else { return [] }
        guard case .text(let text) = CSVText.decode(data, file: file.path) else { return [] }
        let reader = try CSVReader(string: text, hasHeaderRow: false, trimFields: false, delimiter: CSVText.delimiter(of: text))
        guard let header = reader.next() else { return [] }
        let keys = header.map { $0.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: " ", with: "_").replacingOccurrences(of: "-", with: "_") }
        func column(_ key: String) -> Int? { keys.firstIndex(of: key) }
        var rows: [Row] = []
        while let cells = reader.next() {
            func cell(_ i: Int?) -> String {
                guard let i, i < cells.count else { return "" }
                return cells[i].trimmingCharacters(in: .whitespacesAndNewlines)
            }
            let name = cell(column("name")), given = cell(column("first_name"))
            rows.append(Row(email: cell(column("email")), name: name,
                            firstName: given.isEmpty ? Referrer.firstName(fromName: name) : given))
        }
        return rows
    }

    /// What the author wrote for publication: every file of content/ but referrers.csv, and
    /// of site-templates/.
    static func authoredText(_ project: URL) -> String {
        var text = ""
        for folder in ["content", "site-templates"] {
            let root = project.appendingPathComponent(folder)
            for path in files(under: root) where path != "referrers.csv" {
                if let data = try? Data(contentsOf: root.appendingPathComponent(path)) { text += String(decoding: data, as: UTF8.self) + "\n" }
            }
        }
        return text
    }

    /// Regular files under a folder, relative paths, sorted.
    static func files(under folder: URL) -> [String] {
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
        let base = folder.resolvingSymlinksInPath().path
        var out: [String] = []
        for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
            let path = url.resolvingSymlinksInPath().path
            out.append(path.hasPrefix(base + "/") ? String(path.dropFirst(base.count + 1)) : url.lastPathComponent)
        }
        return out.sorted()
    }

    // MARK: - Search

    /// Which of `values` occur in `text`, anywhere: one pass, as for a page.
    static func occurring(_ values: [String], in text: String) -> Set<String> {
        let index = NeedleIndex(values.map { Needle(kind: .surname, value: $0) })
        let found = Array(text.utf8).withUnsafeBytes { index.matches(in: $0) }
        return Set(found.map { values[$0] })
    }

    /// The needles bucketed by their first four bytes (hashed; two for needles of two or three
    /// bytes), so a file is read once whatever the number of needles (1,300 for 130 referrers)
    /// and each position is compared only with the few needles that start like it: emails
    /// share their first two bytes by the hundred. One-byte needles are not searched for.
    struct NeedleIndex: Sendable {
        let bytes: [[UInt8]]
        let wholeWord: [Bool]
        /// Needle numbers grouped by key: those of key `k` are `order[first[k]..<first[k + 1]]`;
        /// keys 0..<65536 are hashed four-byte prefixes, 65536... two-byte ones. Flat arrays,
        /// not a dictionary: the lookup runs once per byte of every page, in a debug build.
        let first: [Int32]
        let order: [Int32]

        static let buckets = 65_536 * 2

        init(_ needles: [Needle]) {
            let all = needles.map { Array($0.value.utf8) }
            let indexed = all.indices.filter { all[$0].count >= 2 }.sorted { Self.key(all[$0]) < Self.key(all[$1]) }
            var counts = [Int32](repeating: 0, count: Self.buckets + 1)
            for i in indexed { counts[Self.key(all[i]) + 1] += 1 }
            for k in 0..<Self.buckets { counts[k + 1] += counts[k] }
            bytes = all
            wholeWord = needles.map(\.wholeWord)
            first = counts
            order = indexed.map(Int32.init)
        }

        static func key(_ b: [UInt8]) -> Int {
            b.count >= 4 ? hash(UInt32(b[0]) << 24 | UInt32(b[1]) << 16 | UInt32(b[2]) << 8 | UInt32(b[3]))
                : 65_536 + (Int(b[0]) << 8 | Int(b[1]))
        }

        static func hash(_ word: UInt32) -> Int { Int((word &* 2_654_435_761) >> 16) }

        /// The numbers of the needles that occur in `haystack`.
        func matches(in haystack: UnsafeRawBufferPointer) -> Set<Int> {
            var found: Set<Int> = []
            guard haystack.count >= 2, let base = haystack.baseAddress else { return found }
            let h = haystack.bindMemory(to: UInt8.self)
            first.withUnsafeBufferPointer { first in
                func check(_ key: Int, at start: Int) {
                    let from = Int(first[key]), to = Int(first[key + 1])
                    guard from != to else { return }
                    for slot in from..<to {
                        let i = Int(order[slot])
                        let n = bytes[i]
                        guard start + n.count <= h.count, !found.contains(i),
                              n.withUnsafeBytes({ memcmp(base + start, $0.baseAddress!, n.count) }) == 0 else { continue }
                        if !wholeWord[i] || (isBoundary(haystack, before: start) && isBoundary(haystack, after: start + n.count)) {
                            found.insert(i)
                        }
                    }
                }
                var word = UInt32(h[0]) << 16 | UInt32(h[1]) << 8 | (h.count > 2 ? UInt32(h[2]) : 0)
                for start in 0..<(h.count - 1) {
                    word = word << 8 | (start + 3 < h.count ? UInt32(h[start + 3]) : 0)
                    if start + 4 <= h.count { check(Self.hash(word), at: start) }
                    check(65_536 + Int(word >> 16), at: start)
                }
            }
            return found
        }
    }

    /// Whether the character before `index` (or at it, for `after`) is not a letter or digit.
    /// Non-ASCII bytes count as letters: a surname inside a longer word in any script is not it.
    static func isBoundary(_ bytes: UnsafeRawBufferPointer, before index: Int) -> Bool {
        index == 0 || !isWordByte(bytes[index - 1])
    }

    static func isBoundary(_ bytes: UnsafeRawBufferPointer, after index: Int) -> Bool {
        index >= bytes.count || !isWordByte(bytes[index])
    }

    static func isWordByte(_ b: UInt8) -> Bool {
        (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) || b >= 0x80
    }
}

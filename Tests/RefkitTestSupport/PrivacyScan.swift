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
        public var description: String {
            "public/\(file) contains a \(needle.kind.rawValue) (\(needle.spelling)): \(needle.value)"
        }
    }

    /// Raised by `check`: every leak, one per line.
    public struct LeakError: Error, CustomStringConvertible {
        public var leaks: [Leak]
        public var description: String {
            "private data in public/ (\(leaks.count) leak(s)):\n" + leaks.map { "  " + $0.description }.joined(separator: "\n")
        }
    }

    public private(set) var needles: [Needle]

    public init(needles: [Needle]) {
        self.needles = needles
    }

    /// The needles of a built project: its `content/referrers.csv`, `kit/secret` (or `secret`,
    /// the REFKIT_SECRET the build ran with), `kit/codes.csv` and the files under `kit/`.
    ///
    /// Emails and surnames that the author also wrote in `content/` or `site-templates/` (a
    /// contact address, a brand that is someone's surname, a surname that is another
    /// referrer's first name) are public by the author's choice and are not looked for.
    public init(project: URL, secret: String? = nil) throws {
        var needles: [Needle] = []
        let referrers = try Self.referrerRows(project.appendingPathComponent("content/referrers.csv"))
        let authored = Self.authoredText(project)
        let firstNames = Set(referrers.map(\.firstName))
        for row in referrers {
            if !row.email.isEmpty, !authored.contains(row.email) {
                needles += Self.spellings(of: row.email, kind: .email, wholeWord: false)
            }
            let surname = Self.surname(name: row.name, firstName: row.firstName)
            if !surname.isEmpty, !firstNames.contains(surname), !authored.contains(surname) {
                needles += Self.spellings(of: surname, kind: .surname, wholeWord: true)
            }
        }
        let kit = project.appendingPathComponent("kit")
        var secrets = [secret]
        secrets.append(try? String(contentsOf: kit.appendingPathComponent("secret"), encoding: .utf8))
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
        data.withUnsafeBytes { haystack in
            needles.compactMap { needle in Self.find(needle, in: haystack) ? Leak(file: file, needle: needle) : nil }
        }
    }

    /// Throws `LeakError` when `folder` holds any needle.
    public func check(_ folder: URL) throws {
        let found = leaks(in: folder)
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

    /// memchr for the first byte, then memcmp: libc's vectorised loops, so a few thousand
    /// needles over a few hundred pages take well under a second even in a debug build
    /// (Glibc's module does not export memmem). Whole-word needles skip hits inside a word.
    static func find(_ needle: Needle, in haystack: UnsafeRawBufferPointer) -> Bool {
        let bytes = Array(needle.value.utf8)
        guard !bytes.isEmpty, let base = haystack.baseAddress, haystack.count >= bytes.count else { return false }
        return bytes.withUnsafeBytes { n -> Bool in
            let last = haystack.count - n.count
            var offset = 0
            while offset <= last, let hit = memchr(base + offset, Int32(n[0]), last - offset + 1) {
                let start = base.distance(to: UnsafeRawPointer(hit))
                if memcmp(base + start, n.baseAddress!, n.count) == 0,
                   !needle.wholeWord || (isBoundary(haystack, before: start) && isBoundary(haystack, after: start + n.count)) {
                    return true
                }
                offset = start + 1
            }
            return false
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

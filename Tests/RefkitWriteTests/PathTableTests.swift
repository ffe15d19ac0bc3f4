import Foundation
import Testing
@testable import RefkitWrite
import RefkitModel

/// The manifest's compact tables: they must behave as the dictionaries they replaced, for any
/// bytes a path may hold, through growth and removal.
@Suite("Path tables and the inputs index")
struct PathTableTests {
    @Test("a table agrees with a dictionary through inserts, overwrites, removals and growth")
    func agreesWithDictionary() {
        var table = PathTable<Int>()
        // Keyed by bytes: String keys would take "é" and "e\u{301}" for one key.
        var dictionary: [[UInt8]: Int] = [:]
        var generator = SystemRandomNumberGenerator()
        let odd = ["", "é", "e\u{301}", "\"\u{301}", "a\u{0}b", "\u{202E}txt.exe", "r/A/index.html", String(repeating: "x/", count: 500)]
        for step in 0..<20_000 {
            let key = step % 7 == 0 ? odd[step % odd.count] : "r/\(Int.random(in: 0..<3_000, using: &generator))/index.html"
            if Int.random(in: 0..<4, using: &generator) == 0 {
                table[key] = nil
                dictionary[Array(key.utf8)] = nil
            } else {
                table[key] = step
                dictionary[Array(key.utf8)] = step
            }
        }
        #expect(table.count == dictionary.count)
        for (key, value) in dictionary { #expect(table[String(decoding: key, as: UTF8.self)] == value) }
        var seen = 0
        table.forEach { path, value in
            #expect(dictionary[Array(path.utf8)] == value)
            seen += 1
        }
        #expect(seen == dictionary.count)
        #expect(!table.contains("never/added"))
    }

    @Test("paths are bytes: a precomposed é and e plus a combining accent are two paths")
    func pathsAreBytes() {
        var table: PathTable<Int> = ["\u{E9}": 1]
        table["e\u{301}"] = 2
        #expect(table.count == 2)
        #expect(table["\u{E9}"] == 1 && table["e\u{301}"] == 2)
    }

    @Test("sorted iteration is byte order, as the manifest is written")
    func sortedIsByteOrder() {
        let paths = ["b", "a/z", "a", "é", "Z", "a/b", "e\u{301}"]
        var table = PathTable<Int>()
        for (i, path) in paths.enumerated() { table[path] = i }
        table["Z"] = nil
        var order: [[UInt8]] = []
        table.forEachSorted { path, _ in order.append(Array(path)) }
        let expected = paths.filter { $0 != "Z" }.map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) }
        #expect(order == expected)
    }

    @Test("the inputs index finds every file made from a fingerprint, in both areas, and nothing else")
    func inputsIndex() {
        var manifest = Manifest()
        let a = Fingerprint("a").hex, b = Fingerprint("b").hex
        manifest.entries[.site] = [
            "r/A/index.html": .init(size: 1, mtime: 1, sha256: "x", inputs: a),
            "p/A/index.html": .init(size: 1, mtime: 1, sha256: "x", inputs: a),
            "index.html": .init(size: 1, mtime: 1, sha256: "x", inputs: ""),
            "odd.html": .init(size: 1, mtime: 1, sha256: "x", inputs: "not hex"),
        ]
        manifest.entries[.kit] = ["mail/A.eml": .init(size: 1, mtime: 1, sha256: "x", inputs: a),
                                  "mail/B.eml": .init(size: 1, mtime: 1, sha256: "x", inputs: b)]
        let index = manifest.byInputs()
        let found = (index[inputs: a] ?? []).map { "\($0.area.rawValue):\($0.path)" }.sorted()
        #expect(found == ["kit:mail/A.eml", "site:p/A/index.html", "site:r/A/index.html"])
        #expect(index[inputs: b]?.map(\.path) == ["mail/B.eml"])
        #expect(index[inputs: "not hex"]?.map(\.path) == ["odd.html"])
        #expect(index[inputs: Fingerprint("c").hex] == nil)
        #expect(index[inputs: ""] == nil)
    }
}

/// The writer's check of every output path, now made on bytes.
@Suite("Output paths checked as bytes")
struct OutputPathSafetyTests {
    @Test("relative paths inside their folder pass; empty, absolute, dot and dot-dot parts, control bytes and backslashes do not, whatever follows them", arguments: [
        ("index.html", true), ("r/K7QM4TZ9X/index.html", true), ("a/.well-known/x", true), ("é/e\u{301}/\u{202E}txt", true),
        ("a/...", true), ("..a/b", true),
        ("", false), ("/", false), ("/a", false), ("a//b", false), ("a/", false), ("./a", false), ("a/./b", false),
        ("..", false), ("a/../b", false), ("a/..", false), ("a\\b", false), ("a\u{0}b", false), ("a\nb", false), ("a\rb", false),
        ("\u{1F}", false),
        // A combining mark after the slash or dot makes one Character of them: by Characters,
        // "/\u{301}x" has no "/" prefix and "..\u{301}" is not "..". By bytes each is caught.
        ("/\u{301}x", false), ("a//\u{301}", false), ("../\u{301}b", false),
    ])
    func safety(_ path: String, _ safe: Bool) {
        #expect(OutputWriter.isSafe(path) == safe, "\(path.unicodeScalars.map { String($0.value, radix: 16) })")
    }
}

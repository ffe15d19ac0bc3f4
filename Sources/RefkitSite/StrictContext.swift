import Foundation
import Mustache
import RefkitModel

/// A template context that remembers the names it was asked for and did not have.
///
/// swift-mustache renders an unknown variable as nothing, so a typo in a template
/// (`{{program.headlin}}`) would ship a page with a hole in it. The root of every page's
/// context and its named objects (`site`, `page`, `program`, `t`, ...) are strict: a lookup
/// that reaches them and fails is a real miss, because Mustache only falls back to the root
/// after every inner context failed, and named objects are reached by dotted names.
/// Templates therefore use dotted names (`{{program.headline}}`), not sections, to read them.
final class StrictContext: MustacheParent, @unchecked Sendable {
    let name: String
    let values: [String: Any]
    let misses: MissLog

    init(_ name: String, _ values: [String: Any], misses: MissLog) {
        self.name = name
        self.values = values
        self.misses = misses
    }

    func child(named key: String) -> Any? {
        if let value = values[key] { return value }
        misses.record(name.isEmpty ? key : name + "." + key, known: values.keys.map { name.isEmpty ? $0 : name + "." + $0 })
        return nil
    }
}

/// The names templates asked for that no context had, with the known names beside them.
struct MissLog {
    private let missing = Locked<[String: [String]]>([:])

    func record(_ name: String, known: [String]) {
        missing.withLock { $0[name] = known }
    }

    /// Missing names with the known names beside them, then cleared.
    func take() -> [(name: String, known: [String])] {
        missing.withLock { missing in
            defer { missing = [:] }
            return missing.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        }
    }
}

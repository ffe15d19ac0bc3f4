import Mustache
import RefkitModel

/// The values a message's Mustache variables can name, and the record of names it asked for
/// and did not find.
///
/// swift-mustache renders an unknown variable as empty text without a word. It looks a name
/// up in each context on its stack, innermost first, and asks the root last; so a root that
/// conforms to `MustacheParent` sees exactly the lookups nothing else answered, and records
/// them. (Checked against swift-mustache 2.1.1, `Template+Render.swift`,
/// `_getChildInStack`.)
final class MailVariables: MustacheParent {
    /// Built-in names first, then extra CSV columns; built-ins win a clash.
    private(set) var values: [String: Any] = [:]
    /// Names in the order they are listed in a fix.
    private(set) var names: [String] = []
    private(set) var unknown: [String] = []
    /// A name a nested group did not have; see `Group`.
    fileprivate var groupMiss: (group: String, name: String)?

    init() {}

    func set(_ name: String, _ value: String?) {
        if values[name] == nil { names.append(name) }
        values[name] = Self.value(value)
    }

    func set(group: String, _ members: [(String, String?)]) {
        if values[group] == nil { names.append(contentsOf: members.map { group + "." + $0.0 }) }
        values[group] = Group(name: group, root: self, values: Dictionary(uniqueKeysWithValues: members.map { ($0.0, Self.value($0.1)) }))
    }

    func has(_ name: String) -> Bool { values[name] != nil }

    /// Empty text is "no value", as in other Mustache implementations: `{{#deadline}}` skips
    /// its section and `{{^deadline}}` shows its own.
    private static func value(_ text: String?) -> Any {
        guard let text, !text.isEmpty else { return Absent() }
        return text
    }

    func child(named name: String) -> Any? {
        if let miss = groupMiss {
            groupMiss = nil
            // The group's miss was the stack lookup passing through `{{#incentive}}` on its way
            // here; only a miss nobody answers is reported, and it is reported below.
            if miss.name != name { record(miss.group + "." + miss.name) }
        }
        if let value = values[name] { return value }
        record(name)
        return nil
    }

    /// Call after rendering: a group's miss that was not followed by a root lookup was a dotted
    /// name such as `{{incentive.bonus}}`.
    func finish() {
        if let miss = groupMiss { record(miss.group + "." + miss.name) }
        groupMiss = nil
    }

    private func record(_ name: String) {
        if !unknown.contains(name) { unknown.append(name) }
    }

    func resetUnknown() {
        unknown = []
        groupMiss = nil
    }

    /// `incentive.referrer` and `incentive.friend`.
    final class Group: MustacheParent {
        let name: String
        unowned let root: MailVariables
        let values: [String: Any]
        init(name: String, root: MailVariables, values: [String: Any]) {
            self.name = name
            self.root = root
            self.values = values
        }
        func child(named child: String) -> Any? {
            if let value = values[child] { return value }
            if !root.has(child) { root.groupMiss = (name, child) }
            return nil
        }
    }

    /// A variable that exists but has no value: renders empty and is false in a section.
    struct Absent: MustacheCustomRenderable {
        var renderText: String { "" }
        var isNull: Bool { true }
    }
}

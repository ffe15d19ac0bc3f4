import Foundation
import RefkitModel

/// What personal pages and progress pages share: one page per referrer, on every core, each
/// carried over when what it shows did not change, and otherwise filled in from a prototype
/// (see `PagePrototype`) made once per kind of page, copy and shape.
extension SiteRenderer {
    /// The key a page of `layout` is stamped with: everything the site is made from apart from
    /// the referrers and the other layouts, plus this one. Editing the personal layout renders
    /// the personal pages again and carries the progress pages over. A theme whose layouts
    /// include one another (`{{> layouts/personal}}`) gets every layout in every key.
    func layoutKey(_ layout: String) -> String? {
        guard let inputsKey else { return nil }
        var f = Fingerprint("site page layout 1", inputsKey, layout)
        let layouts = project.theme.templates.filter { $0.key.hasPrefix("layouts/") }
        let nested = layouts.values.contains { $0.text.contains("layouts/") }
        for (name, source) in layouts.sorted(by: { $0.key < $1.key }) where nested || name == "layouts/" + layout {
            f.add(name)
            f.add(source.text)
        }
        return f.hex
    }

    /// Calls `body` with every index in `0..<count` on every core. After a failure no new
    /// item starts, and the error of the lowest-numbered item that failed is thrown, so the
    /// message does not depend on thread timing.
    func forEachOnEveryCore(_ count: Int, _ body: @Sendable (Int) throws -> Void) throws {
        let queue = Locked.workQueue(count: count)
        let failure = Locked<(index: Int, error: any Error)?>(nil)
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, count))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let index = queue.take() {
                do {
                    try body(index)
                } catch {
                    queue.stop()
                    failure.withLock { if $0 == nil || index < $0!.index { $0 = (index, error) } }
                }
            }
        }
        if let first = failure.current { throw first.error }
    }

    /// A page's bytes from the prototype of `key`, made on first use and checked against a
    /// full render of the page it was made on; pages whose key cannot have a prototype (a
    /// template transforms a value) are rendered in full. `render` renders the page with the
    /// values given, in the order of `values`.
    func prototypedPage(_ key: String, _ values: [String], _ prototypes: Locked<PagePrototypes>,
                        render: ([String]) throws -> String) throws -> [UInt8] {
        guard usesPrototypes else { return Array(try render(values).utf8) }
        let shapeKey = key + "\u{0}" + String(PagePrototype.shape(values))
        // Held while a prototype is made, so that each is made once.
        let lookup = try prototypes.withLock { cache -> PagePrototypes.Lookup in
            if let entry = cache.entries[shapeKey] { return .cached(entry) }
            let full = Array(try render(values).utf8)
            let rendered = try render(PagePrototype.placeholders(for: values))
            guard let prototype = PagePrototype(rendered: rendered, slots: values.count), prototype.fill(values) == full else {
                cache.entries[shapeKey] = .renderEachPage
                return .made(full)
            }
            cache.entries[shapeKey] = .prototype(prototype)
            return .made(full)
        }
        switch lookup {
        case .made(let page): return page
        case .cached(.prototype(let prototype)): return prototype.fill(values)
        case .cached(.renderEachPage): return Array(try render(values).utf8)
        }
    }
}

/// The page prototypes of one render, by kind, copy and shape.
struct PagePrototypes {
    enum Entry {
        case prototype(PagePrototype)
        /// The templates transform a referrer's value, so pages of this key are rendered one by one.
        case renderEachPage
    }

    enum Lookup {
        /// The entry was made by this call: the page it was checked on.
        case made([UInt8])
        case cached(Entry)
    }

    var entries: [String: Entry] = [:]
    /// What the pages of one programme edition and variant share, by the same key.
    var copies: [String: PageBuilder.PersonalCopy] = [:]

    init() {}
}

extension Locked where Value == PagePrototypes {
    /// The copy of `key`, made on first use.
    func copy(_ key: String, make: () -> PageBuilder.PersonalCopy) -> PageBuilder.PersonalCopy {
        withLock { cache in
            if let known = cache.copies[key] { return known }
            let copy = make()
            cache.copies[key] = copy
            return copy
        }
    }
}

/// Pages rendered and carried over, from every core.
struct PageCounts {
    var rendered = 0
    var reused = 0
}

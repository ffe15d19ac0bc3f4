/// The latest build's errors at the top of a preview page: the page is the last good build,
/// the banner says why the latest change is not in it. With it, the live-reload tags
/// (`LiveReloadAssets.tags`), which keep the banner current without a reload.
struct BuildErrorBanner {
    let errors: [String]
    /// The good build the page comes from.
    var generation = 0

    /// `page` with the live-reload tags at the end of its `<head>` and, when there are errors,
    /// the banner just after its `<body ...>` tag (or first, when it has none). The banner's
    /// looks are in `/_refkit/live.css`: the site's CSP refuses inline styles.
    func inserted(into page: [UInt8]) -> [UInt8] {
        var page = page
        let tags = Array(LiveReloadAssets.tags(generation: generation).utf8)
        if let at = Self.beforeHeadEnd(page) ?? Self.afterBodyTag(page) {
            page.insert(contentsOf: tags, at: at)
        } else {
            page = tags + page
        }
        guard !errors.isEmpty else { return page }
        let items = errors.map { "<li>" + Self.escape($0) + "</li>" }.joined()
        let banner = Array("""
        <div role="alert" id="refkit-build-errors">\
        <strong>refkit: the last change did not build; this is the previous build.</strong><ul>\(items)</ul></div>
        """.utf8)
        guard let at = Self.afterBodyTag(page) else { return banner + page }
        return Array(page[..<at]) + banner + Array(page[at...])
    }

    /// Where `</head>` starts, compared without case.
    static func beforeHeadEnd(_ page: [UInt8]) -> Int? {
        let tag = Array("</head>".utf8)
        var i = 0
        while i + tag.count <= page.count {
            if page[i] == UInt8(ascii: "<"), zip(page[i..<i + tag.count], tag).allSatisfy({ $0 | 0x20 == $1 | 0x20 }) { return i }
            i += 1
        }
        return nil
    }

    /// Just after the first `<body` tag's `>`, compared without case.
    static func afterBodyTag(_ page: [UInt8]) -> Int? {
        let tag = Array("<body".utf8)
        var i = 0
        while i + tag.count <= page.count {
            if page[i] == UInt8(ascii: "<"), zip(page[i..<i + tag.count], tag).allSatisfy({ $0 | 0x20 == $1 | 0x20 }) {
                let next = i + tag.count
                // `<body>` or `<body attributes>`, not `<bodyguard>`.
                if next < page.count, [UInt8(ascii: ">"), 0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: "/")].contains(page[next]),
                   let close = page[next...].firstIndex(of: UInt8(ascii: ">")) {
                    return close + 1
                }
            }
            i += 1
        }
        return nil
    }

    /// HTML text by Unicode scalar (a quote followed by a combining mark is still a quote),
    /// with control characters shown as their visible pictures (U+2400...).
    static func escape(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": out.append(contentsOf: "&quot;".unicodeScalars)
            case "'": out.append(contentsOf: "&#39;".unicodeScalars)
            case "\n", "\t": out.append(scalar)
            default:
                if scalar.value < 0x20 { out.append(Unicode.Scalar(0x2400 + scalar.value)!) }
                else if scalar.value == 0x7F { out.append("\u{2421}") }
                else { out.append(scalar) }
            }
        }
        return String(out)
    }
}

import RefkitMarkdown
import RefkitModel

extension MailRenderer {
    /// The draft's parts from its message's prototype, or nil when there is no trustworthy
    /// prototype for its shape or its values do not fit one.
    func fromPrototype(_ draft: Draft, _ template: MessageTemplate, _ values: DraftValues) -> Parts? {
        guard values.clean.count <= Sentinel.maxSlots else { return nil }
        let key = PrototypeCache.MessageKey(incentive: draft.incentive, deadline: draft.deadline, brand: draft.brand,
                                            extraNames: draft.referrer.extra.map(\.name), shape: values.shape)
        guard let prototype = template.prototypes.message(key, make: { makePrototype(draft, template, values) }),
              prototype.accepts(values) else { return nil }
        return fill(prototype, draft, values)
    }

    /// Fills a prototype: the message's three texts, then the layout around the body.
    func fill(_ prototype: MessagePrototype, _ draft: Draft, _ values: DraftValues) -> Parts? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(prototype.plain.byteCount + 256)
        func string(_ segmented: Segmented) -> String {
            bytes.removeAll(keepingCapacity: true)
            segmented.fill(into: &bytes) { hole, out in MessagePrototype.fill(hole, values, into: &out) }
            return String(decoding: bytes, as: UTF8.self)
        }
        let subject = HeaderText.clean(string(prototype.subject))
        var text = string(prototype.text)
        if prototype.textHasCR { text = text.replacingLineEnds("\n") }
        var page = layoutValues(draft, values, subject: subject)
        page.preheader = EmailHTML.preheader(string(prototype.plain))
        let chrome = chrome(draft.language)
        text = Self.joinText(text, page.text(senderName: senderName(draft), senderAddress: senderAddress, chrome: chrome))

        var layoutValues = Array(repeating: "", count: LayoutPrototype.slotCount)
        layoutValues[LayoutPrototype.title] = page.title
        layoutValues[LayoutPrototype.preheader] = page.preheader
        layoutValues[LayoutPrototype.link] = page.link
        layoutValues[LayoutPrototype.code] = page.code
        layoutValues[LayoutPrototype.firstName] = page.firstName
        var shape = layoutValues.map(\.isEmpty)
        shape[LayoutPrototype.body] = prototype.body.holes.isEmpty && prototype.body.byteCount == 0
        let key = PrototypeCache.LayoutKey(language: draft.language, brand: page.brand, sender: senderName(draft),
                                           incentiveReferrer: page.incentiveReferrer, incentiveFriend: page.incentiveFriend,
                                           shape: shape)
        guard let layout = layoutPrototypes.layout(key, make: { makeLayoutPrototype(key) }) else { return nil }

        var html: [UInt8] = []
        html.reserveCapacity(layout.page.byteCount + prototype.body.byteCount + 512)
        layout.page.fill(into: &html) { hole, out in
            if hole.slot == LayoutPrototype.body {
                prototype.body.fill(into: &out) { inner, out in MessagePrototype.fill(inner, values, into: &out) }
            } else {
                LayoutPrototype.fill(hole, layoutValues, into: &out)
            }
        }
        return Parts(subject: subject, text: text, html: String(decoding: html, as: UTF8.self))
    }

    /// Renders the message with sentinels for the draft's non-empty values, cuts the results
    /// and checks the prototype against full renders. Nil when any step says it cannot be
    /// trusted; the drafts of this shape are then rendered in full.
    func makePrototype(_ draft: Draft, _ template: MessageTemplate, _ values: DraftValues) -> MessagePrototype? {
        let message = template.message
        guard !message.subject.unicodeScalars.contains(where: Sentinel.isReserved),
              !message.body.unicodeScalars.contains(where: Sentinel.isReserved),
              // A reference definition's label could match a value: `[{{name}}]` would link.
              !message.body.contains("]:") else { return nil }
        let sentinels = values.clean.indices.map { values.clean[$0].isEmpty ? "" : Sentinel.message($0) }
        let plain = variables(draft, slots: sentinels, constant: HeaderText.clean)
        let markdownValues = variables(draft, slots: sentinels, constant: { ValueEscaping.markdown(HeaderText.clean($0)) })
        var markdown = template.body.render(markdownValues)
        // `<{{link}}>` is an autolink only when the value is a URL, which a sentinel is not.
        // cmark writes an autolink to a URL exactly as it writes `[url](url)`, so the
        // prototype is rendered from that, and `accepts` lets only URLs fill it.
        var autolinked = Set<Int>()
        for slot in values.kinds.indices where values.kinds[slot] == .link && !sentinels[slot].isEmpty {
            let sentinel = sentinels[slot]
            if markdown.contains("<" + sentinel + ">") {
                markdown = markdown.replacingOccurrences(of: "<" + sentinel + ">", with: "[" + sentinel + "](" + sentinel + ")")
                autolinked.insert(slot)
            }
        }
        guard let (edge, digits) = Self.analyse(markdown) else { return nil }
        let rendered = Markdown.render(markdown, unsafe: unsafeHTML, plain: true)
        let raw: Sentinel.Forms = [(Array("\\&".utf8), .raw)]
        guard let subject = Sentinel.cut(template.subject.render(plain), start: Sentinel.messageStart, end: Sentinel.messageEnd, forms: raw),
              let text = Sentinel.cut(rendered.plain, start: Sentinel.messageStart, end: Sentinel.messageEnd,
                                      forms: [(Array("&".utf8), .plainText), (Array("\\&".utf8), .plainCode)]),
              let plainText = Sentinel.cut(rendered.text, start: Sentinel.messageStart, end: Sentinel.messageEnd,
                                           forms: [(Array("&".utf8), .plainText), (Array("\\&".utf8), .plainCode)]),
              let body = Sentinel.cut(EmailHTML.styled(rendered.html, accent: accentColor), start: Sentinel.messageStart,
                                      end: Sentinel.messageEnd,
                                      forms: [(Array("&amp;".utf8), .markdownText), (Array("\\&amp;".utf8), .markdownCode)],
                                      hrefContext: .markdownHref)
        else { return nil }
        let prototype = MessagePrototype(subject: subject, text: text, plain: plainText, body: body,
                                         edgeSensitive: edge, digitSensitive: digits, autolinked: autolinked,
                                         unsafeHTML: unsafeHTML)
        // The check: the draft that made it and a probe with other values must come out as
        // the full render makes them.
        for probe in [draft, Self.probe(draft)] {
            let probeValues = DraftValues(probe)
            guard prototype.accepts(probeValues), let filled = fill(prototype, probe, probeValues),
                  filled == fullParts(probe, template, probeValues) else { return nil }
        }
        return prototype
    }

    /// Looks at what surrounds each sentinel in the Markdown. Nil when the text around a value
    /// could read differently depending on the value (an entity, an escape, an HTML tag or
    /// autolink); otherwise the slots that sit next to emphasis markers or other values, and
    /// those followed by `.` or `)`.
    static func analyse(_ markdown: String) -> (edge: Set<Int>, digits: Set<Int>)? {
        let bytes = Array(markdown.utf8)
        var edge = Set<Int>(), digits = Set<Int>()
        func marker(at p: Int) -> UInt32? {
            guard p >= 0, p + 2 < bytes.count, bytes[p] == 0xEE else { return nil }
            return 0xE000 | (UInt32(bytes[p + 1] & 0x3F) << 6) | UInt32(bytes[p + 2] & 0x3F)
        }
        var lineStart = 0
        var p = 0
        while p < bytes.count {
            if bytes[p] == 10 { lineStart = p + 1 }
            guard let s = marker(at: p), s >= Sentinel.messageStart, s < Sentinel.messageEnd else { p += 1; continue }
            let slot = Int(s - Sentinel.messageStart)
            let after = p + 8 // start marker, `\&`, end marker
            let before: UInt8? = p > 0 ? bytes[p - 1] : nil
            let next: UInt8? = after < bytes.count ? bytes[after] : nil
            if before == UInt8(ascii: "&") || before == UInt8(ascii: "\\")
                || (p >= 2 && bytes[p - 2] == UInt8(ascii: "&") && before == UInt8(ascii: "#")) { return nil }
            // `<` before the value on its line with no `>` after it: a tag or an autolink
            // whose reading depends on the value's spaces.
            if let open = bytes[lineStart..<p].lastIndex(of: UInt8(ascii: "<")),
               !bytes[open..<p].contains(UInt8(ascii: ">")) { return nil }
            let delimiters: [UInt8] = [UInt8(ascii: "*"), UInt8(ascii: "_")]
            if let before, delimiters.contains(before) { edge.insert(slot) }
            if let next, delimiters.contains(next) { edge.insert(slot) }
            if p >= 3, let previous = marker(at: p - 3), previous >= Sentinel.messageEnd, previous < Sentinel.messageEnd + UInt32(Sentinel.maxSlots) { edge.insert(slot) }
            if let following = marker(at: after), following >= Sentinel.messageStart, following < Sentinel.messageEnd { edge.insert(slot) }
            if next == UInt8(ascii: ".") || next == UInt8(ascii: ")") { digits.insert(slot) }
            p = after
        }
        return (edge, digits)
    }

    /// The draft with other values of the same shape, chosen so that a transform or an escape
    /// the prototype does not know about changes them: mixed case and an accent. No spaces or
    /// punctuation, so that the probe fits wherever an ordinary name does (a URL, emphasis).
    static func probe(_ draft: Draft) -> Draft {
        var probe = draft
        func other(_ value: String, _ replacement: String) -> String {
            HeaderText.clean(value).isEmpty ? value : replacement
        }
        probe.referrer.firstName = other(draft.referrer.firstName, "xYZé")
        probe.referrer.name = other(draft.referrer.name, "qXYé")
        probe.formattedCode = other(draft.formattedCode, "xY9-Zq7")
        probe.link = other(draft.link, "https://probe.example/xY-Zé?q=Rs")
        probe.referrer.extra = draft.referrer.extra.enumerated().map { index, field in
            Referrer.Field(name: field.name, value: other(field.value, "xYZé\(index)"))
        }
        return probe
    }

    /// The layout with sentinels for the values of the key's shape, checked against a full
    /// render with probe values.
    func makeLayoutPrototype(_ key: PrototypeCache.LayoutKey) -> LayoutPrototype? {
        guard !layoutSource.text.unicodeScalars.contains(where: Sentinel.isReserved) else { return nil }
        func values(_ make: (Int) -> String) -> [String] {
            (0..<LayoutPrototype.slotCount).map { key.shape[$0] ? "" : make($0) }
        }
        let chrome = chrome(key.language)
        func render(_ v: [String]) -> String {
            var page = LayoutValues(language: key.language, brand: key.brand)
            page.title = v[LayoutPrototype.title]
            page.preheader = v[LayoutPrototype.preheader]
            page.body = v[LayoutPrototype.body]
            page.link = v[LayoutPrototype.link]
            page.code = v[LayoutPrototype.code]
            page.firstName = v[LayoutPrototype.firstName]
            page.incentiveReferrer = key.incentiveReferrer
            page.incentiveFriend = key.incentiveFriend
            return layout.render(page.variables(color: accentColor, logoURL: logoURL, senderName: key.sender,
                                                senderAddress: senderAddress, chrome: chrome))
        }
        // An empty title becomes the brand in `layoutValues`; drafts never have one.
        guard !key.shape[LayoutPrototype.title],
              let page = Sentinel.cut(render(values(Sentinel.layout)), start: Sentinel.layoutStart, end: Sentinel.layoutEnd,
                                      forms: [(Array("&amp;".utf8), .layoutEscaped), (Array("&".utf8), .layoutRaw)]),
              !page.holes.contains(where: { $0.slot == LayoutPrototype.body && $0.context != .layoutRaw })
        else { return nil }
        let probe = values { slot in
            switch slot {
            case LayoutPrototype.body: "<p>xY Zé</p>"
            case LayoutPrototype.link: "https://probe.example/?a=1&b='2'"
            case LayoutPrototype.code: "xY9-Zq7"
            default: "xY <Zé> & \"q\" 'r'"
            }
        }
        var filled: [UInt8] = []
        page.fill(into: &filled) { hole, out in LayoutPrototype.fill(hole, probe, into: &out) }
        guard String(decoding: filled, as: UTF8.self) == render(probe) else { return nil }
        return LayoutPrototype(page: page)
    }
}

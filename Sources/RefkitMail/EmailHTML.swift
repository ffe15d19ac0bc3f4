/// Inline styles for the tags cmark writes.
///
/// Outlook's Word engine and some webmail drop `<style>` blocks, so spacing and colours go on
/// each element. cmark writes its opening tags in a fixed form (`<p>`, `<a href="...">`,
/// `<ol start="3">`), which is what makes a plain string rewrite safe here.
enum EmailHTML {
    static func styled(_ html: String, accent: String) -> String {
        let rules: [([UInt8], [UInt8])] = [
            ("<p>", "<p style=\"margin:0 0 16px;\">"),
            ("<a href=", "<a style=\"color:\(accent);text-decoration:underline;\" href="),
            ("<h1>", "<h1 style=\"margin:0 0 16px;font-size:24px;line-height:1.3;\">"),
            ("<h2>", "<h2 style=\"margin:0 0 12px;font-size:20px;line-height:1.3;\">"),
            ("<h3>", "<h3 style=\"margin:0 0 12px;font-size:18px;line-height:1.3;\">"),
            ("<ul>", "<ul style=\"margin:0 0 16px;padding-left:24px;\">"),
            ("<ol>", "<ol style=\"margin:0 0 16px;padding-left:24px;\">"),
            ("<ol start=", "<ol style=\"margin:0 0 16px;padding-left:24px;\" start="),
            ("<blockquote>", "<blockquote style=\"margin:0 0 16px;padding-left:12px;border-left:3px solid #dddddd;\">"),
            ("<code>", "<code style=\"font-family:Consolas,Menlo,monospace;font-size:15px;\">"),
            ("<hr />", "<hr style=\"border:0;border-top:1px solid #dddddd;margin:24px 0;\">"),
        ].map { (Array($0.0.utf8), Array($0.1.utf8)) }
        // One pass over the bytes: Foundation's `replacing` per rule was a third of the
        // renderer's time.
        let input = Array(html.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(input.count + input.count / 2)
        var i = 0
        outer: while i < input.count {
            if input[i] == UInt8(ascii: "<") {
                for (tag, replacement) in rules where input.count - i >= tag.count {
                    if input[i..<(i + tag.count)].elementsEqual(tag) {
                        out += replacement
                        i += tag.count
                        continue outer
                    }
                }
            }
            out.append(input[i])
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `#RRGGBB` or `#RGB`, or the default: the colour goes into a style attribute.
    static func color(_ text: String) -> String {
        let hex = text.dropFirst()
        let ok = text.hasPrefix("#") && (hex.count == 6 || hex.count == 3) && hex.allSatisfy(\.isHexDigit)
        return ok ? text : "#8a3b12"
    }

    /// Scripts written right to left.
    static func direction(_ language: String) -> String {
        ["ar", "he", "fa", "ur", "yi", "ps", "dv", "ckb", "sd", "ug"].contains(language) ? "rtl" : "ltr"
    }

    /// The first words of the body, shown by inbox lists after the subject.
    static func preheader(_ text: String) -> String {
        // Only the first 109 characters are kept. `clean` looks at most one scalar ahead and
        // grapheme breaks are local, so a cleaned prefix with a good margin of characters past
        // 109 starts exactly as the whole cleaned text does.
        if text.utf8.count > 480 {
            let flat = HeaderText.clean(String(decoding: text.utf8.prefix(420), as: UTF8.self))
            if flat.count > 120 { return String(flat.prefix(109)) + "…" }
        }
        let flat = HeaderText.clean(text)
        guard flat.count > 110 else { return flat }
        return String(flat.prefix(109)) + "…"
    }
}

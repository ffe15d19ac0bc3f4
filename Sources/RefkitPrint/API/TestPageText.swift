/// The words of the office file's test sheet, in the card's language (`postcard.test.*` in
/// `site-templates/i18n/LANG.yaml`). The renderer fills the placeholders, which only it knows:
/// `{program}`, `{language}`, `{cards}`, `{size}`, `{sheets}`, `{sheet}` and `{per_sheet}`.
/// The defaults are the English strings, for a strings file that lacks the keys.
public struct TestPageText: Hashable, Sendable, Codable {
    public var title = "Print test: {program} postcards ({language})"
    /// When the file fills exactly one sheet.
    public var summaryOne = "This file: {size} cards ({cards} in all) on one sheet of {sheet}, {per_sheet} per sheet, printed on both sides. Print this test sheet on its own first and check it before printing the rest (from page 3)."
    public var summaryOther = "This file: {cards} {size} cards on {sheets} sheets of {sheet}, {per_sheet} per sheet, each sheet printed on both sides. Print this test sheet on its own first and check it before printing the rest (from page 3)."
    public var paper = "Paper: {sheet}. Thick card stock if your printer takes it; choose the matching paper type in the print dialog."
    public var scale = "Scale: Actual size, 100 %. Turn off Fit to page, Shrink oversized pages and Scale to fit. The ruler below must measure exactly 100 mm."
    public var duplex = "Two-sided: on, Flip on long edge (long-edge binding). Turn the printed sheet over like a page of a book: the back must read the right way up."
    public var cut = "Cut along the crop marks at the edges of each sheet with a guillotine, or a ruler and a craft knife. Neighbouring cards share a cut."
    public var colour = "Colours from an office printer differ from a print shop's. For large runs, send the print-shop file (-shop-) instead."
    public var backTitle = "Back of the test sheet"
    public var backBody = "If this side reads the right way up when you turn the sheet over like a page of a book, two-sided printing is set up right. If it is upside down, choose Flip on long edge. If it is on a separate sheet, turn two-sided printing on."

    public init() {}

    /// The i18n keys under `postcard.test.` and the field each fills.
    public static var keys: [(key: String, field: WritableKeyPath<TestPageText, String>)] { [
        ("title", \.title), ("summary_one", \.summaryOne), ("summary_other", \.summaryOther), ("paper", \.paper),
        ("scale", \.scale), ("duplex", \.duplex), ("cut", \.cut), ("colour", \.colour),
        ("back_title", \.backTitle), ("back_body", \.backBody),
    ] }

    /// The English defaults with every key `strings` has replaced.
    public init(strings lookup: (String) -> String?) {
        for (key, field) in Self.keys {
            if let value = lookup("postcard.test." + key) { self[keyPath: field] = value }
        }
    }
}

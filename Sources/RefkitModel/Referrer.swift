/// A happy customer from `content/referrers.csv`.
public struct Referrer: Hashable, Sendable {
    /// The key: trimmed, compared case-insensitively (see `normalizedEmail`).
    public var email: String
    /// The full name as written: private, never published.
    public var name: String
    /// What pages and postcards may show.
    public var firstName: String
    public var language: LanguageTag
    /// Programme slug.
    public var program: String
    /// Every other CSV column, in file order, for templates and the mail merge.
    public var extra: [Field]
    /// The CSV line the row starts on.
    public var line: Int

    public struct Field: Hashable, Sendable {
        public var name: String
        public var value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public init(email: String, name: String, firstName: String, language: LanguageTag, program: String,
                extra: [Field] = [], line: Int) {
        self.email = email
        self.name = name
        self.firstName = firstName
        self.language = language
        self.program = program
        self.extra = extra
        self.line = line
    }

    /// The form emails are compared in: trimmed and lower-cased.
    public var normalizedEmail: String { Referrer.normalize(email: email) }

    public static func normalize(email: String) -> String {
        email.trimmingWhitespace().lowercased()
    }
}

extension String {
    /// Trims Unicode white space (and newlines) at both ends, without Foundation.
    ///
    /// Fast path first: a string that starts and ends with a visible ASCII character has
    /// nothing to trim, and that is most cells of a 100,000-row CSV or ledger.
    public func trimmingWhitespace() -> String {
        if let first = utf8.first, let last = utf8.last, first > 0x20, first < 0x7F, last > 0x20, last < 0x7F {
            return self
        }
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}

import RefkitModel

/// The counter page's interface strings: the `counter:` block of `site-templates/i18n/LANG.yaml`,
/// in every language of the programmes. Each key is required, as for the site's strings.
public enum CounterStrings {
    /// Placeholders the page fills: {brand}, {code}, {name}, {date}, {count}.
    public static let keys = [
        "title", "heading", "intro", "language",
        "code_label", "code_hint", "check", "scan", "scan_stop", "scan_help", "scan_failed", "scan_not_code",
        "valid", "valid_detail", "unnamed", "offer", "programme", "card_language", "variant",
        "mistyped", "mistyped_detail", "use_code", "inactive", "inactive_detail", "unknown", "unknown_detail", "ambiguous_detail",
        "record_title", "email", "value", "staff", "record", "recorded", "invalid_email",
        "confirm_title", "already_code", "already_friend", "record_again", "cancel",
        "saved_title", "saved_count", "no_storage", "export", "export_help", "exported",
    ]

    /// The strings for a language, falling back from `zh-Hans` to `zh`, as the site's pages do.
    static func lookup(_ language: LanguageTag, in theme: Theme) -> Strings? {
        theme.strings[language] ?? LanguageTag(language.language).flatMap { theme.strings[$0] }
    }

    /// The strings of one language, or the diagnostics naming what is missing.
    static func values(for language: LanguageTag, in theme: Theme) -> Result<(name: String, values: [String: String]), CounterError> {
        guard let strings = lookup(language, in: theme) else {
            return .failure(CounterError([Diagnostic(SourceLocation(file: "site-templates/i18n/"),
                                                     "there are no interface strings for \(language), which the counter page needs",
                                                     fix: "add site-templates/i18n/\(language.language).yaml (copy en.yaml and translate it)")]))
        }
        var values: [String: String] = [:]
        var missing: [String] = []
        for key in keys {
            if let value = strings["counter." + key] { values[key] = value } else { missing.append("counter." + key) }
        }
        if strings["language_name"] == nil { missing.append("language_name") }
        guard missing.isEmpty else {
            return .failure(CounterError([Diagnostic(SourceLocation(file: strings.file),
                                                     "missing \(missing.count) string(s) of the counter page: " + missing.prefix(8).joined(separator: ", "),
                                                     fix: "copy the `counter:` block from site-templates/i18n/en.yaml of a new project (`refkit init`) and translate it")]))
        }
        return .success((strings["language_name"]!, values))
    }
}

/// A problem that stops the counter page from being made: missing interface strings.
public struct CounterError: DiagnosticError, Equatable {
    public var diagnostics: [Diagnostic]
    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
}

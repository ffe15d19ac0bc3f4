/// The user-editable look from `site-templates/`, read by the loader so that renderers never
/// touch the file system: Mustache sources, i18n strings and static files.
public struct Theme: Hashable, Sendable {
    /// Keyed by name without extension, relative to `site-templates/`: `layouts/landing`,
    /// `partials/form`, `mail/invite`.
    public var templates: [String: TemplateSource]
    /// `i18n/LANG.yaml`, flattened to dotted keys (`form.submit`).
    public var strings: [LanguageTag: Strings]
    /// `static/` files, published under `assets/` with the same relative path.
    public var staticFiles: [Asset]
    /// `print/postcard.yaml`: where each block of a postcard goes.
    public var printLayout: PrintLayout

    public init(templates: [String: TemplateSource] = [:], strings: [LanguageTag: Strings] = [:], staticFiles: [Asset] = [],
                printLayout: PrintLayout = PrintLayout()) {
        self.templates = templates
        self.strings = strings
        self.staticFiles = staticFiles
        self.printLayout = printLayout
    }
}

extension Theme {
    /// The strings for a language, falling back from `zh-Hans` to `zh`: what the loader checks
    /// and the postcards read.
    public static func strings(_ theme: Theme, for language: LanguageTag) -> Strings? {
        theme.strings[language] ?? LanguageTag(language.language).flatMap { theme.strings[$0] }
    }
}

public struct TemplateSource: Hashable, Sendable {
    public var name: String
    /// Path relative to the project root, for messages.
    public var file: String
    public var text: String
    public init(name: String, file: String, text: String) {
        self.name = name
        self.file = file
        self.text = text
    }
}

/// The interface strings of one language.
public struct Strings: Hashable, Sendable {
    public var language: LanguageTag
    public var file: String
    public var values: [String: String]
    public init(language: LanguageTag, file: String, values: [String: String]) {
        self.language = language
        self.file = file
        self.values = values
    }
    public subscript(key: String) -> String? { values[key] }
}

import RefkitModel

/// Postcards could not be printed as asked: text too long for its block, a layout block
/// outside the safe zone, a character no font can show, a broken image. It names the
/// programme, the language and the field, so the user knows which copy to shorten.
public struct PrintError: DiagnosticError, Hashable, Sendable, Codable {
    /// The programme's slug.
    public var program: String
    public var language: LanguageTag
    /// The field or layout block at fault: `headline`, `back.redeem`, `image`, ...
    public var field: String
    /// The file to edit: the programme's copy or the layout.
    public var location: SourceLocation
    public var message: String
    public var fix: String?

    public init(program: String, language: LanguageTag, field: String, location: SourceLocation, message: String, fix: String? = nil) {
        self.program = program
        self.language = language
        self.field = field
        self.location = location
        self.message = message
        self.fix = fix
    }

    public var diagnostics: [Diagnostic] {
        [Diagnostic(location, "postcard for programme \"\(program)\" (\(language)), \(field): \(message)", fix: fix)]
    }
}

import RefkitModel

/// A problem found while rendering pages, such as a template naming a variable that does not
/// exist (swift-mustache would silently print nothing).
public struct SiteError: DiagnosticError, Equatable {
    public var diagnostics: [Diagnostic]
    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
}

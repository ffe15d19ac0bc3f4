import RefkitModel

/// Everything wrong with a project's input, reported together.
public struct LoadError: DiagnosticError, Equatable {
    public var diagnostics: [Diagnostic]
    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics.sorted { $0.location < $1.location }
    }
}

/// Collects diagnostics while loading, so one build reports every problem at once.
final class DiagnosticLog {
    private(set) var items: [Diagnostic] = []

    func add(_ location: SourceLocation, _ message: String, fix: String? = nil) {
        items.append(Diagnostic(location, message, fix: fix))
    }

    func add(contentsOf diagnostics: [Diagnostic]) { items.append(contentsOf: diagnostics) }

    var isEmpty: Bool { items.isEmpty }
}

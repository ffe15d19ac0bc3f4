import RefkitModel

/// Which output files one writer manages.
///
/// `refkit build` owns the site and the kit except `kit/report/`. `refkit report` owns only
/// `kit/report/` and leaves the site alone. Each replaces what it owns and carries over
/// everything else exactly as it was, so neither can drop the other's files.
public struct WriteScope: Sendable {
    public var areas: Set<OutputArea>
    private let ownsKitPath: @Sendable (String) -> Bool

    public init(areas: Set<OutputArea>, ownsKitPath: @escaping @Sendable (String) -> Bool) {
        self.areas = areas
        self.ownsKitPath = ownsKitPath
    }

    /// The report's folder in the kit.
    public static let reportFolder = "report/"

    public static let build = WriteScope(areas: [.site, .kit]) { !$0.hasPrefix(reportFolder) }
    public static let report = WriteScope(areas: [.kit]) { $0.hasPrefix(reportFolder) }

    public func owns(_ area: OutputArea, _ path: String) -> Bool {
        guard areas.contains(area) else { return false }
        return area == .site || ownsKitPath(path)
    }
}

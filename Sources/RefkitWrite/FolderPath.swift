import Foundation

/// A folder's absolute path as components, with symbolic links resolved as far as the path
/// exists: what the writer will really replace, compared component by component.
///
/// `/` is no components at all, so it can never pass for a prefix such as `//`.
struct FolderPath: Equatable {
    let components: [String]

    init(_ url: URL) {
        // Lexical first (`a/../b`), then the kernel's view of the part that exists.
        var existing = url.standardizedFileURL.path.split(separator: "/").map(String.init)
        var missing: [String] = []
        while true {
            let path = "/" + existing.joined(separator: "/")
            if let resolved = Syscalls.realPath(path) {
                existing = resolved.split(separator: "/").map(String.init)
                break
            }
            guard let last = existing.popLast() else { break }
            missing.insert(last, at: 0)
        }
        components = existing + missing
    }

    private init(components: [String]) {
        self.components = components
    }

    var path: String { "/" + components.joined(separator: "/") }
    var url: URL { URL(fileURLWithPath: path, isDirectory: true) }

    func appending(_ component: String) -> FolderPath { FolderPath(components: components + [component]) }

    /// Strictly inside `other` (not the same folder).
    func isInside(_ other: FolderPath) -> Bool {
        components.count > other.components.count && components.starts(with: other.components)
    }

    /// Whether something that is not a folder is there.
    var isExistingNonFolder: Bool {
        Syscalls.status(following: path).map { !$0.isDirectory } ?? false
    }
}

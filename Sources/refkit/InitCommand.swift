import ArgumentParser
import Foundation
import RefkitSkeleton

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a new project with a sample programme and the default theme.",
        discussion: """
        Copies a commented sample content/ and the default site-templates/ into DIR, ready for \
        `refkit build`. DIR must not exist or be empty.

        The sample comes from $REFKIT_SKELETON when set; otherwise from beside the refkit \
        binary, ../share/refkit from it, the repository it was built in, or /usr/share/refkit.

        Examples:
          refkit init my-bakery && cd my-bakery && refkit build
        """
    )

    @Argument(help: ArgumentHelp("The new project's folder.", valueName: "dir"))
    var directory: String

    func run() throws {
        let fm = FileManager.default
        let target = URL(fileURLWithPath: directory, isDirectory: true).standardizedFileURL
        if let items = try? fm.contentsOfDirectory(atPath: target.path), !items.isEmpty {
            Terminal.plainError("error: \(target.path) is not empty; choose a new folder name.")
            throw ExitCode(2)
        }
        let skeleton = Skeleton.locate()
        guard let root = skeleton.found else {
            Terminal.plainError("error: " + skeleton.notFoundMessage)
            throw ExitCode(3)
        }
        let content = root.appendingPathComponent("content", isDirectory: true)
        let templates = root.appendingPathComponent("site-templates", isDirectory: true)
        try fm.createDirectory(at: target, withIntermediateDirectories: true)
        try fm.copyItem(at: content, to: target.appendingPathComponent("content"))
        try fm.copyItem(at: templates, to: target.appendingPathComponent("site-templates"))
        try "public/\nkit/\n.refkit.lock\n.refkit-preview/\n*.refkit-staging*\n*.refkit-spare\n".write(to: target.appendingPathComponent(".gitignore"), atomically: true, encoding: .utf8)
        Terminal.out(Terminal.styled("Created", .green) + " \(target.path) with content/ and site-templates/.")
        Terminal.out("Next: cd \(directory) && refkit build")
    }
}

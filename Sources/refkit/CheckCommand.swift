import ArgumentParser
import Foundation
import RefkitBuild

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Load and validate the project, render it in memory, and write nothing.",
        discussion: """
        Exits 0 when the project builds, 1 with every problem listed (file:line:column) otherwise.

        Examples:
          refkit check
          refkit check --root my-bakery
        """
    )

    @OptionGroup var project: ProjectOptions

    func run() throws {
        let project = try Build(options: BuildOptions(root: self.project.rootURL)).check()
        Terminal.warnings(project.warnings)
        if !self.project.quiet {
            let editions = project.programs.reduce(0) { $0 + $1.editions.count }
            Terminal.out(Terminal.styled("OK", .green) + ": \(project.programs.count) programme(s), \(editions) edition(s), \(project.referrers.count) referrer(s).")
        }
    }
}

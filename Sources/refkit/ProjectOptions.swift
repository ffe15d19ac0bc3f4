import ArgumentParser
import Foundation

/// Options every command that reads a project takes.
struct ProjectOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The project folder (holding content/ and site-templates/).", valueName: "dir"))
    var root: String = "."

    @Flag(name: .shortAndLong, help: "Print only errors.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Print each step with its timing.")
    var verbose = false

    var rootURL: URL { URL(fileURLWithPath: root, isDirectory: true).standardizedFileURL }

    func validate() throws {
        if quiet && verbose { throw ValidationError("--quiet and --verbose cannot be used together; pick one.") }
    }
}

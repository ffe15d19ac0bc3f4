import ArgumentParser
import Foundation
import RefkitCodes
import RefkitModel

struct CodesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codes",
        abstract: "List the code ledger (kit/codes.csv), or check a code.",
        discussion: """
        Examples:
          refkit codes                          Every code with its status
          refkit codes --status active --search marie
          refkit codes check k7qm 4tz9 x        Exit 0 when it is active
        """,
        subcommands: [List.self, Check.self],
        defaultSubcommand: List.self
    )

    struct KitOptions: ParsableArguments {
        @OptionGroup var project: ProjectOptions
        @Option(help: ArgumentHelp("The private kit folder.", valueName: "dir"))
        var kit: String?

        func ledger() throws -> Ledger {
            let url = kit.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? project.rootURL.appendingPathComponent("kit")
            return try Ledger.load(kitDirectory: url)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List codes, filtered.")
        @OptionGroup var options: KitOptions
        @Option(help: "Only this programme.") var program: String?
        @Option(help: "active or inactive.") var status: String?
        @Option(help: "Text to find in names, emails or codes.") var search: String?

        func validate() throws {
            if let status, LedgerEntry.Status(rawValue: status) == nil {
                throw ValidationError("--status must be active or inactive.")
            }
        }

        func run() throws {
            let records = try options.ledger().records(program: program, status: status.flatMap(LedgerEntry.Status.init), matching: search)
            for r in records {
                Terminal.out([r.code.formatted(), r.program, r.status.rawValue, r.issued.description, r.language.rawValue, r.name, r.email]
                    .joined(separator: "\t"))
            }
            if !options.project.quiet { Terminal.plainError("\(records.count) code(s).") }
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "check", abstract: "Say whether a code is valid and whose it is.")
        @OptionGroup var options: KitOptions
        @Argument(help: "The code as typed; spaces, hyphens and case do not matter.") var code: [String]

        func run() throws {
            let result = try options.ledger().check(code.joined(separator: " "))
            Terminal.out(result.description)
            if result.exitCode != 0 { throw ExitCode(result.exitCode) }
        }
    }
}

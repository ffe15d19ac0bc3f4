import ArgumentParser
import Foundation
import RefkitBuild
import RefkitCodes
import RefkitModel

struct CodesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codes",
        abstract: "List the code ledger (kit/codes.csv), check a code, or rotate the secret.",
        discussion: """
        Every row of kit/codes.csv is checked against the secret that issued it and against \
        kit/codes.seal (what the last build wrote) before anything is listed, checked or built: \
        a ledger edited by hand is refused, naming the line. Only the status (active, inactive) \
        may be changed by hand.

        Examples:
          refkit codes                          Every code with its status
          refkit codes --status active --search marie
          refkit codes check k7qm 4tz9 x        Exit 0 when it is active
          refkit codes rotate-secret            New secret for new codes; issued codes stay valid
        """,
        subcommands: [List.self, Check.self, RotateSecret.self],
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
                // Tab-separated for `cut` and spreadsheets: a cell's own controls (a tab in a
                // hand-edited name) are shown as <U+0009>, so the columns stay where they are.
                Terminal.out([r.code.formatted(), r.program, r.status.rawValue, r.issued.description, r.language.rawValue, r.name, r.email]
                    .map(VisibleText.escaped).joined(separator: "\t"))
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

    struct RotateSecret: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-secret",
            abstract: "Make a new kit/secret for the codes issued from now on; issued codes stay valid.",
            discussion: """
            The current secret moves to kit/retired-secrets with the last ledger row it issued, and \
            the rows up to there are checked against it from then on: keep kit/retired-secrets as \
            private as kit/secret, and back up the kit after a rotation. Every row is checked first; \
            an edited ledger is refused. Writes kit/secret, kit/retired-secrets and kit/codes.seal, \
            nothing else. Do not delete or replace kit/secret by hand: the ledger would be refused.

            --lost is for a secret that is gone (no backup, or deleted under an older refkit): the \
            ledger cannot be checked against it, so you vouch for kit/codes.csv as it is now (compare \
            it with a backup first). Its rows are recorded as issued by a lost secret, and \
            kit/codes.seal alone protects them from then on.

            Examples:
              refkit codes rotate-secret
              refkit codes rotate-secret --lost --root my-bakery
            """)
        @OptionGroup var project: ProjectOptions
        @Option(help: ArgumentHelp("The private kit folder.", valueName: "dir"))
        var kit: String?
        @Flag(help: "The secret that issued the ledger's rows is lost: vouch for kit/codes.csv as it is.")
        var lost = false
        @Option(help: ArgumentHelp("Today's date, recorded with the retired secret.", valueName: "YYYY-MM-DD"))
        var now: String?

        func validate() throws {
            if let now, Day(now) == nil { throw ValidationError("--now \"\(now)\" is not a date; use YYYY-MM-DD.") }
        }

        func run() throws {
            let rotation = SecretRotation(root: project.rootURL, kitDirectory: kit.map { URL(fileURLWithPath: $0, isDirectory: true) },
                                          today: now.flatMap(Day.init) ?? .today())
            let result = try rotation.run(lost: lost)
            guard !project.quiet else { return }
            if let retired = result.retired {
                Terminal.out("Secret \(retired) retired to kit/retired-secrets; it still checks the \(result.rows) ledger row(s) it issued.")
            } else {
                Terminal.out("The \(result.rows) ledger row(s) so far are recorded as issued by a lost secret; kit/codes.seal vouches for them from now on.")
            }
            Terminal.out("New secret \(result.current) in kit/secret issues the codes from now on. Back up kit/ now.")
        }
    }
}

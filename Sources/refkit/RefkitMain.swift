import ArgumentParser
import Foundation
import RefkitModel

/// Entry point. ArgumentParser's own `main()` exits 64 on usage errors; refkit promises
/// 0 success, 1 content errors, 2 usage errors and 3 I/O failures.
///
/// The exit code travels on the error, as ArgumentParser's `ExitCode` does: every error refkit
/// throws is a `ClassifiedError` (a `DiagnosticError` is one, a content error unless it says
/// otherwise), so nothing here looks at error types. Only ArgumentParser's own errors are
/// left for the last branch, which asks ArgumentParser what they are.
@main
enum RefkitMain {
    static func main() {
        do {
            var command = try Refkit.parseAsRoot()
            try command.run()
        } catch let error as any ClassifiedError {
            // Whether the error left the output as it was: a kit swapped in whose site could
            // not follow did not.
            if let error = error as? any DiagnosticError {
                Terminal.error(error.diagnostics, nothingWritten: error.leftOutputUnchanged)
            } else {
                Terminal.plainError(Terminal.styled("error: ", .red, fd: 2) + error.description)
            }
            Foundation.exit(error.failureKind.rawValue)
        } catch let error as ExitCode {
            Foundation.exit(error.rawValue)
        } catch {
            switch Refkit.exitCode(for: error) {
            case .success:
                Refkit.exit(withError: error)  // --help and --version print and exit 0
            case .validationFailure:
                Terminal.plainError(Refkit.fullMessage(for: error))
                Foundation.exit(FailureKind.usage.rawValue)
            default:
                // Not ArgumentParser's and not refkit's: a library's error (Foundation's, from
                // a file operation) that reached the top unwrapped. The machine failed.
                Terminal.plainError(error.localizedDescription)
                Foundation.exit(FailureKind.fileSystem.rawValue)
            }
        }
    }
}

struct Refkit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refkit",
        abstract: "Turns a folder of plain files into a customer-referral kit: a static site, codes, postcards and email drafts.",
        discussion: """
        A project holds content/ (site.yaml, programs/*.md, referrers.csv, assets/) and \
        site-templates/ (the look). `refkit build` writes the public site to public/ and the \
        private kit (code ledger, postcards, drafts) to kit/. Keep kit/ private and backed up.

        Examples:
          refkit init my-bakery        Start a new project with a sample programme
          refkit build                 Build the project in the current folder
          refkit check --root my-bakery
          refkit codes check K7QM-4TZ9-X

        Exit codes: 0 success, 1 content errors, 2 usage errors, 3 file-system failures.
        """,
        version: RefkitVersion.line,
        subcommands: [BuildCommand.self, CheckCommand.self, InitCommand.self, CodesCommand.self, ReportCommand.self, ServeCommand.self, MailCommand.self, BenchCommand.self,
                      PrintWorkerCommand.self]
    )

    /// This refkit binary, for the processes it starts (print workers, bench sizes and floor
    /// shares): the kernel's link, because `CommandLine.arguments[0]` may be a bare name found
    /// on the PATH.
    static var executable: URL? {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")).map { URL(fileURLWithPath: $0) }
    }
}

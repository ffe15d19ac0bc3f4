import ArgumentParser
import Foundation
import RefkitBuild
import RefkitModel
import RefkitPreview
import RefkitPrint
import RefkitWrite

/// Entry point. ArgumentParser's own `main()` exits 64 on usage errors; refkit promises
/// 0 success, 1 content errors, 2 usage errors and 3 I/O failures, so errors are mapped here.
@main
enum RefkitMain {
    static func main() {
        do {
            var command = try Refkit.parseAsRoot()
            try command.run()
        } catch let error as any ClassifiedError {
            // The error says which exit code it is (`FailureKind`), and whether it left the
            // output as it was (a kit swapped in whose site could not follow did not).
            if let error = error as? any DiagnosticError {
                Terminal.error(error.diagnostics, nothingWritten: (error as? any ClassifiedError)?.leftOutputUnchanged ?? true)
            } else {
                Terminal.plainError(Terminal.styled("error: ", .red, fd: 2) + error.description)
            }
            Foundation.exit(error.failureKind.rawValue)
        } catch let error as any DiagnosticError {
            Terminal.error(error.diagnostics)
            Foundation.exit(1)
        } catch let error as ExitCode {
            Foundation.exit(error.rawValue)
        } catch {
            let code = Refkit.exitCode(for: error)
            if code == .success {
                Refkit.exit(withError: error)  // --help and --version print and exit 0
            }
            if error is CocoaError || (error as NSError).domain == NSPOSIXErrorDomain {
                Terminal.plainError("\(error.localizedDescription)")
                Foundation.exit(3)
            }
            Terminal.plainError(Refkit.fullMessage(for: error))
            Foundation.exit(2)
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

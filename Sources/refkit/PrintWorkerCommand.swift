import ArgumentParser
import Foundation
import RefkitPrint

/// `refkit print-worker`: renders postcard files for a running build, which starts one per
/// core with a socket on descriptor 3. Hidden: nobody runs it by hand.
struct PrintWorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: PrintWorker.commandName,
        abstract: "Render postcard files for a running build (started by `refkit build`).",
        shouldDisplay: false
    )

    func run() throws {
        guard Syscalls.isOpen(PrintWorker.socketDescriptor) else {
            Terminal.plainError("error: `refkit print-worker` is started by `refkit build`, not by hand.")
            throw ExitCode(2)
        }
        do {
            try PrintWorker.serve()
        } catch {
            // The build went away mid-answer (killed, or stopped by another file's error): it
            // reports what happened, and a line from here would only confuse.
            throw ExitCode(1)
        }
    }
}

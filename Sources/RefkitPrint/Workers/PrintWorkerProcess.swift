import Foundation
import RefkitModel

/// One print worker: a `refkit print-worker` process that renders the file pairs this object
/// hands it, one at a time, and sends the PDFs back to be added to the build's sink. A
/// build keeps one per core and renders on each from its own thread (see `PrintWorker` for
/// why not threads).
///
/// The worker gets its end of a socket pair as descriptor 3, `/dev/null` as input and the
/// build's standard error as both outputs (a worker has nothing to say unless it fails).
/// It exits when the build closes its end; a build that dies takes its workers with it.
public final class PrintWorkerProcess: @unchecked Sendable {
    public let pid: pid_t
    private let channel: FrameChannel
    private var greeted = false
    private var finished = false
    private var termination = Syscalls.Termination.exited(0)
    /// The largest resident memory the worker reported, in bytes.
    public private(set) var peakBytes = 0

    /// Starts `executable print-worker`.
    public init(executable: URL) throws {
        let ours: Int32, theirs: Int32
        do throws(Syscalls.Errno) {
            (ours, theirs) = try Syscalls.socketPair()
        } catch {
            throw PrintWorkerError(message: "could not make a socket for a print worker: \(error.reason)")
        }
        defer { Syscalls.close(theirs) }
        let pid: pid_t
        do throws(Syscalls.Errno) {
            // Only the worker's socket crosses the exec, as descriptor 3 (glibc ≥ 2.29 clears
            // close-on-exec on it too when `theirs` is already 3, as POSIX now asks); nothing
            // from 4 up, or the preview's connections and listening socket would stay alive in
            // every worker until it exits.
            pid = try Syscalls.spawn([executable.path, PrintWorker.commandName],
                                     files: [.open(0, "/dev/null", flags: O_RDONLY), .duplicate(2, as: 1),
                                             .duplicate(theirs, as: PrintWorker.socketDescriptor)],
                                     closingFrom: PrintWorker.socketDescriptor + 1)
        } catch {
            Syscalls.close(ours)
            throw PrintWorkerError(message: "could not start a print worker (\(executable.path)): \(error.reason)")
        }
        self.pid = pid
        channel = FrameChannel(fd: ours)
    }

    deinit { finish() }

    /// Renders one file pair in the worker and adds its files to `sink`, with the same
    /// contract as `PostcardRenderer.renderFile`: the same bytes, the same `PrintError`s.
    public func renderFile(_ renderer: PostcardRenderer, number: Int, cards: [Postcard], to sink: any OutputSink) throws -> PrintSummary {
        guard !cards.isEmpty else { return PrintSummary() }
        let request = PrintWorkRequest(renderer, number: number, cards: cards)
        let what = "file \(number) of the \(request.program) postcards (\(request.language))"
        do {
            if !greeted {
                guard let frame = try channel.receive() else { throw FrameChannel.Broken(description: "it closed its socket before greeting") }
                let hello = try? JSONDecoder().decode(PrintWorkHello.self, from: frame)
                guard hello == PrintWorkHello() else {
                    throw PrintWorkerError(message: "the print worker speaks another protocol (\(hello?.protocolName ?? "unknown")); was refkit replaced during the build?",
                                           fix: "run the build again")
                }
                greeted = true
            }
            try channel.send(json: request)
            while true {
                guard let message = try channel.receive(json: PrintWorkMessage.self) else { throw FrameChannel.Broken(description: "no answer") }
                switch message {
                case let .file(file):
                    guard let bytes = try channel.receive(), bytes.count == file.size else {
                        throw FrameChannel.Broken(description: "\(file.path) came short")
                    }
                    try sink.add(OutputFile(area: file.area, path: file.path, bytes: bytes, isPrivate: file.isPrivate))
                case let .done(reply):
                    peakBytes = max(peakBytes, reply.peakBytes)
                    if let error = reply.printError { throw error }
                    if let failure = reply.failure { throw PrintWorkerError(message: "rendering \(what) failed: \(failure)") }
                    guard let summary = reply.summary else { throw FrameChannel.Broken(description: "an answer without a result") }
                    return summary
                }
            }
        } catch let broken as FrameChannel.Broken {
            finish()
            throw PrintWorkerError(message: "the print worker (process \(pid)) \(termination.description) while rendering \(what): \(broken)",
                                   fix: "see the worker's message above, if any; the previous kit is untouched, so run the build again")
        }
    }

    /// Closes the worker's socket and waits for it to exit. Idempotent.
    public func finish() {
        guard !finished else { return }
        finished = true
        Syscalls.close(channel.fd)
        termination = Syscalls.wait(for: pid)
    }
}

/// A print worker could not be started, or stopped answering.
public struct PrintWorkerError: ClassifiedError, Hashable, Sendable {
    /// The machine failed the build (a worker killed, out of memory), not the project.
    public var failureKind: FailureKind { .fileSystem }

    public var message: String
    public var fix: String?

    public var description: String { message + (fix.map { "; " + $0 } ?? "") + "." }
}

import Foundation
import RefkitModel
import CRefkitSystem

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
    private var exitStatus: Int32 = 0
    /// The largest resident memory the worker reported, in bytes.
    public private(set) var peakBytes = 0

    /// Starts `executable print-worker`.
    public init(executable: URL) throws {
        var fds: [Int32] = [0, 0]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) == 0 else {
            throw PrintWorkerError(message: "could not make a socket for a print worker: \(String(cString: strerror(errno)))")
        }
        let (ours, theirs) = (fds[0], fds[1])
        defer { close(theirs) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, 2, 1)
        // dup2 clears close-on-exec on the copy, so only this descriptor crosses the exec
        // (glibc ≥ 2.29 clears it too when `theirs` is already 3, as POSIX now asks).
        posix_spawn_file_actions_adddup2(&actions, theirs, PrintWorker.socketDescriptor)
        // And nothing else: descriptors that libraries open without close-on-exec (FlyingSocks'
        // sockets in `refkit serve`, say) would otherwise stay open in every worker until it
        // exits, keeping the preview's connections and listening socket alive (glibc ≥ 2.34).
        crefkit_spawn_close_from(&actions, PrintWorker.socketDescriptor + 1)
        let arguments = [executable.path, PrintWorker.commandName]
        let argv = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable.path, &actions, nil, argv, environ)
        guard status == 0 else {
            close(ours)
            throw PrintWorkerError(message: "could not start a print worker (\(executable.path)): \(String(cString: strerror(status)))")
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
            throw PrintWorkerError(message: "the print worker (process \(pid)) \(exitDescription) while rendering \(what): \(broken)",
                                   fix: "see the worker's message above, if any; the previous kit is untouched, so run the build again")
        }
    }

    /// Closes the worker's socket and waits for it to exit. Idempotent.
    public func finish() {
        guard !finished else { return }
        finished = true
        close(channel.fd)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        exitStatus = status
    }

    /// How the worker ended, from its wait status.
    private var exitDescription: String {
        let signal = exitStatus & 0x7f
        if signal == 0 { return "exited with status \((exitStatus >> 8) & 0xff)" }
        let name = strsignal(signal).map { String(cString: $0) } ?? "signal \(signal)"
        return "was stopped by signal \(signal) (\(name))"
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

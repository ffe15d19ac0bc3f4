import Foundation

/// Ctrl-C, `kill` and a closed terminal (SIGINT, SIGTERM, SIGHUP) turned into a call on a
/// thread of its own, so that `refkit serve` removes its private preview folder before it
/// exits, even in the middle of a build.
///
/// The signal handler only writes the signal's number to a pipe, the one thing a handler may
/// safely do; a thread waiting on the pipe does the rest.
public enum StopSignals {
    /// The pipe's write end. Set once, before any handler is installed, and only read after.
    nonisolated(unsafe) private static var pipeWrite: Int32 = -1

    /// Installs the handlers; `stop` runs once, with the signal's number, on its own thread.
    public static func onStop(_ stop: @escaping @Sendable (Int32) -> Void) {
        guard let (readEnd, writeEnd) = Syscalls.makePipe() else { return }
        pipeWrite = writeEnd
        // Unblocked too: serve runs until stopped, so it must hear them.
        Syscalls.handle([SIGINT, SIGTERM, SIGHUP]) { number in
            Syscalls.writeByte(StopSignals.pipeWrite, UInt8(truncatingIfNeeded: number))
        }
        let thread = Thread {
            stop(Int32(Syscalls.readByte(readEnd)))
        }
        thread.name = "refkit stop signals"
        thread.start()
    }
}

import Foundation

#if canImport(Glibc)
import Glibc
#endif

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
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return }
        pipeWrite = fds[1]
        let signals = [SIGINT, SIGTERM, SIGHUP]
        for number in signals {
            signal(number) { number in
                var byte = UInt8(truncatingIfNeeded: number)
                _ = write(StopSignals.pipeWrite, &byte, 1)
            }
        }
        // A parent may have started us with them blocked (Foundation's Process passes its
        // thread's mask on); serve runs until stopped, so it must hear them.
        var mask = sigset_t()
        sigemptyset(&mask)
        for number in signals { sigaddset(&mask, number) }
        sigprocmask(SIG_UNBLOCK, &mask, nil)
        let readEnd = fds[0]
        let thread = Thread {
            var byte: UInt8 = 0
            while read(readEnd, &byte, 1) < 0, errno == EINTR {}
            stop(Int32(byte))
        }
        thread.name = "refkit stop signals"
        thread.start()
    }
}

import FlyingFox
import FlyingSocks
import Foundation

/// `refkit serve`'s HTTP server: FlyingFox's `HTTPServer` answering from the preview's site
/// (`PreviewSite`) on a Unix socket inside the private preview folder, behind the front door on
/// ADDRESS:PORT (`PreviewFrontDoor`; 127.0.0.1 unless `--bind` says otherwise), which keeps heads FlyingFox would choke on from it.
/// FlyingFox parses every request and encodes every answer; nothing listens on a TCP port but
/// the front door.
public final class PreviewServer: Sendable {
    public let port: Int
    private let frontDoor: PreviewFrontDoor
    private let http: HTTPServer
    private let frontDoorPool: any AsyncSocketPool

    /// Listens on `bind`:`port` at once; FlyingFox will listen on `socketPath`.
    public init(port: Int, bind: String = BindAddress.loopback, socketPath: String, site: PreviewSite) throws(PreviewError) {
        let backend = sockaddr_un.unix(path: socketPath)
        frontDoorPool = HTTPServer.defaultPool()
        frontDoor = try PreviewFrontDoor(port: port, bind: bind, backend: backend, pool: frontDoorPool,
                                         securityHeaders: { [site] in site.commonHeaders })
        http = HTTPServer(config: .init(address: backend, timeout: 15, logger: .disabled), handler: site)
        self.port = port
    }

    /// Starts FlyingFox and the front door on the concurrency pool and returns once FlyingFox
    /// listens. `failed` is called if either stops with an error later.
    public func start(failed: @escaping @Sendable (String) -> Void) throws(PreviewError) {
        let (http, frontDoor, pool) = (self.http, self.frontDoor, self.frontDoorPool)
        Task {
            do { try await http.run() } catch { failed("the preview's HTTP server stopped: \(error.localizedDescription)") }
        }
        Task {
            do {
                try await pool.prepare()
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await pool.run() }
                    group.addTask { try await frontDoor.run() }
                    try await group.next()
                }
            } catch {
                failed("the preview's front door stopped: \(error.localizedDescription)")
            }
        }
        let listening = Listening()
        let ready = DispatchSemaphore(value: 0)
        Task {
            listening.value = (try? await http.waitUntilListening(timeout: 10)) != nil
            ready.signal()
        }
        ready.wait()
        guard listening.value else {
            throw PreviewError("FlyingFox did not start listening on the preview folder's socket", fix: "run refkit serve again")
        }
    }

    /// Whether FlyingFox listens; written by one task before the semaphore, read after it.
    private final class Listening: @unchecked Sendable {
        var value = false
    }
}

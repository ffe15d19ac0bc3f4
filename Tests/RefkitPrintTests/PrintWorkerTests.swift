import Foundation
import RefkitModel
import RefkitPrint
import RefkitTestSupport
import Testing

/// Print workers: `refkit print-worker` processes started from the real binary render the
/// same files as the renderer in this process, report the same errors, and a worker that
/// dies is a clear error, not a hang.
@Suite("Print workers")
struct PrintWorkerTests {
    let renderer = PostcardRenderer(settings: .init(cardsPerFile: 3))

    @Test("a worker renders file pairs byte for byte as this process does, in four scripts and with an image")
    func sameBytes() throws {
        let worker = try PrintWorkerProcess(executable: CLI.binary)
        defer { worker.finish() }
        for (i, copy) in Fixtures.copies.enumerated() {
            let cards = Fixtures.postcards(copy, count: 3, image: i == 0 ? Fixtures.png : nil)
            let here = MemorySink(), there = MemorySink()
            let expected = try renderer.renderFile(number: i + 1, cards: cards, to: here)
            let summary = try worker.renderFile(renderer, number: i + 1, cards: cards, to: there)
            #expect(summary == expected)
            #expect(there.files == here.files)
            #expect(there.files.count == 2 && there.files.allSatisfy { $0.area == .kit && $0.isPrivate && $0.bytes.count > 1000 })
        }
        #expect(worker.peakBytes > 0)
    }

    @Test("copy that does not fit comes back as the same PrintError, and the worker goes on")
    func printErrorCrosses() throws {
        var cards = Fixtures.postcards(Fixtures.copies[3], count: 2)
        cards[1].back.redeem = String(repeating: "Présentez cette carte en boutique pour recevoir votre cadeau. ", count: 12)
        let expected = #expect(throws: PrintError.self) { try renderer.renderFile(number: 1, cards: cards, to: MemorySink()) }
        let worker = try PrintWorkerProcess(executable: CLI.binary)
        defer { worker.finish() }
        let sink = MemorySink()
        let error = #expect(throws: PrintError.self) { try worker.renderFile(renderer, number: 1, cards: cards, to: sink) }
        #expect(error != nil && error == expected)
        #expect(error?.field == "back.redeem")
        #expect(sink.files.isEmpty)
        // The same worker renders the next file.
        _ = try worker.renderFile(renderer, number: 2, cards: Array(cards.prefix(1)), to: sink)
        #expect(sink.files.map(\.path) == ["print/bread-club-fr-office-002.pdf", "print/bread-club-fr-shop-002.pdf"])
    }

    @Test("a worker killed mid-build is an error naming the file and the signal")
    func killedWorker() throws {
        let worker = try PrintWorkerProcess(executable: CLI.binary)
        defer { worker.finish() }
        _ = try worker.renderFile(renderer, number: 1, cards: Fixtures.postcards(Fixtures.copies[2], count: 1), to: MemorySink())
        kill(worker.pid, SIGKILL)
        let error = #expect(throws: PrintWorkerError.self) {
            try worker.renderFile(renderer, number: 2, cards: Fixtures.postcards(Fixtures.copies[2], count: 1), to: MemorySink())
        }
        let text = error?.description ?? ""
        #expect(text.contains("signal 9"), "\(text)")
        #expect(text.contains("file 2 of the bread-club postcards (ms)"), "\(text)")
    }

    @Test("a worker exits when the build closes its socket, leaving no process behind")
    func exitsOnClose() throws {
        let worker = try PrintWorkerProcess(executable: CLI.binary)
        _ = try worker.renderFile(renderer, number: 1, cards: Fixtures.postcards(Fixtures.copies[0], count: 1), to: MemorySink())
        worker.finish()
        // Reaped: no such process any more.
        #expect(kill(worker.pid, 0) == -1 && errno == ESRCH)
    }

    @Test("a worker holds only its input, outputs and socket, not a descriptor the build left open without close-on-exec")
    func noInheritedDescriptors() throws {
        // As FlyingSocks opens `refkit serve`'s sockets: no close-on-exec. A file of its own
        // name, so that the worker's own descriptors cannot be mistaken for it.
        let marker = FileManager.default.temporaryDirectory.appendingPathComponent("refkit-leak-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: marker.path, contents: Data())
        defer { try? FileManager.default.removeItem(at: marker) }
        let leaky = open(marker.path, O_RDONLY)
        #expect(leaky > 3)
        defer { close(leaky) }
        let worker = try PrintWorkerProcess(executable: CLI.binary)
        defer { worker.finish() }
        // Once it has answered, it runs refkit's own code, past the exec.
        _ = try worker.renderFile(renderer, number: 1, cards: Fixtures.postcards(Fixtures.copies[0], count: 1), to: MemorySink())
        let folder = "/proc/\(worker.pid)/fd"
        let targets = try FileManager.default.contentsOfDirectory(atPath: folder)
            .compactMap { try? FileManager.default.destinationOfSymbolicLink(atPath: folder + "/" + $0) }
        #expect(!targets.contains(marker.path), "the worker inherited \(marker.path): \(targets)")
    }

    @Test("a missing executable is an error at start, not a hang")
    func missingExecutable() throws {
        #expect(throws: PrintWorkerError.self) {
            try PrintWorkerProcess(executable: URL(fileURLWithPath: "/nonexistent/refkit"))
        }
    }
}

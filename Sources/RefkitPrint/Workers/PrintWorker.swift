import Foundation
import RefkitModel

/// The other side of `PrintWorkerProcess`: a process that renders postcard file pairs on its
/// one thread, for as long as the build sends them (`refkit print-worker`).
///
/// Why processes: Debian 12's cairo 1.16.0 has a race in `cairo_scaled_font_destroy` (fixed
/// upstream in 2020, commit a67735010). Every PDF surface makes its own reference to a size-1
/// "unscaled" font per face for subsetting and drops it when the file is finished; when one
/// thread drops the last reference while another thread takes the same font from cairo's
/// global cache, the build aborts with `Assertion '! scaled_font->cache_frozen' failed`.
/// With threads, 5 of 12 full builds of 100,000 cards did. Processes share no cairo state, so
/// both cores draw cards and nothing can race.
public enum PrintWorker {
    /// The hidden subcommand that runs `serve`.
    public static let commandName = "print-worker"
    /// The descriptor the worker's end of the socket is given.
    public static let socketDescriptor: Int32 = 3
    static let protocolName = "refkit print worker 2"

    /// Answers requests on `fd` until the build closes its end. Throws only when the socket
    /// breaks; a card that cannot be rendered is an answer, not an error.
    public static func serve(fd: Int32 = socketDescriptor) throws {
        let channel = FrameChannel(fd: fd)
        try channel.send(json: PrintWorkHello())
        while let request = try channel.receive(json: PrintWorkRequest.self) {
            var reply = PrintWorkReply(peakBytes: 0)
            do {
                let renderer = PostcardRenderer(settings: request.settings, layout: request.layout)
                reply.summary = try renderer.renderFile(number: request.number, cards: request.cards, to: ChannelSink(channel: channel))
            } catch let error as PrintError {
                reply.printError = error
            } catch {
                reply.failure = String(describing: error)
            }
            reply.peakBytes = peakResidentBytes()
            try channel.send(json: PrintWorkMessage.done(reply))
        }
    }

    /// Sends each file to the build as the renderer adds it, in the order it adds them, as a
    /// build in one process adds them.
    struct ChannelSink: OutputSink {
        let channel: FrameChannel

        func add(_ file: OutputFile) throws {
            try channel.send(json: PrintWorkMessage.file(.init(area: file.area, path: file.path, isPrivate: file.isPrivate, size: file.bytes.count)))
            try channel.send(file.bytes)
        }

        /// The renderer adds whole files; a streamed one is sent when it is closed.
        func open(area: OutputArea, path: String, isPrivate: Bool) throws -> any OutputStreamFile {
            BufferedOutputFile(sink: self, area: area, path: path, isPrivate: isPrivate)
        }
    }

    /// VmHWM from `/proc/self/status`: the most this process has held in memory.
    static func peakResidentBytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kb = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") else { return 0 }
        return kb * 1024
    }
}

import Foundation

/// An image from `content/assets/` as the loader read it: the renderer decodes it (SVG with
/// librsvg, anything else with gdk-pixbuf) and never opens a file.
public struct PostcardImage: Sendable, Codable, CustomStringConvertible {
    /// The asset's path under `content/assets/`, for messages.
    public var name: String
    public var bytes: Data

    public init(name: String, bytes: Data) {
        self.name = name
        self.bytes = bytes
    }

    /// SVG by its name or by its markup, wherever it starts (a file named `.png` that holds
    /// SVG after a BOM, a comment or a DOCTYPE is still SVG): every SVG must go through
    /// `SVGCheck`, never through gdk-pixbuf's own SVG loader, which has no limit on the images
    /// embedded in it.
    var isSVG: Bool { SVGCheck.looksLikeSVG(name: name, bytes: bytes) }

    public var description: String { "content/assets/\(name)" }
}

extension PostcardImage: Hashable {
    /// Every card of a run carries the same image, normally the same buffer: comparing its
    /// address first keeps the per-card check of the front from reading a hero photo 10,000 times.
    public static func == (a: PostcardImage, b: PostcardImage) -> Bool {
        guard a.name == b.name, a.bytes.count == b.bytes.count else { return false }
        let same = a.bytes.withUnsafeBytes { ra in b.bytes.withUnsafeBytes { rb in ra.baseAddress == rb.baseAddress } }
        return same || a.bytes == b.bytes
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(bytes.count)
    }
}

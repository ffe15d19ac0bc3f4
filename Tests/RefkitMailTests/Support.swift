import Foundation
import RefkitTestSupport
import Testing
import RefkitModel
@testable import RefkitMail

/// Small programmes and referrers for the tests, and a way to run real tools on the output.
enum Fixture {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The real layout from `site-templates/mail/`.
    static func layout() throws -> TemplateSource {
        let file = "site-templates/mail/layout.mustache"
        let text = try String(contentsOf: repo.appendingPathComponent(file), encoding: .utf8)
        return TemplateSource(name: MailRenderer.layoutName, file: file, text: text)
    }

    static let settings = MailSettings(from: Mailbox(name: "Boulangerie Étoile", address: "bonjour@example.fr"),
                                       replyTo: Mailbox(name: nil, address: "reply@example.fr"), scenario: "invite")

    static func renderer(settings: MailSettings = settings) throws -> MailRenderer {
        try MailRenderer(settings: settings, layout: layout(), accentColor: "#8a3b12")
    }

    static let invite = EmailMessage(
        subject: "{{first_name}}, your invitation to {{brand}}",
        body: """
        Hello {{first_name}},

        Share your code **{{code}}** or your link: [{{link}}]({{link}})

        - You get: {{incentive.referrer}}
        - Your friend gets: {{incentive.friend}}
        {{#deadline}}

        Offer ends on {{deadline}}.
        {{/deadline}}

        Thanks, {{brand}}
        """,
        location: SourceLocation(file: "content/programs/main.md", line: 12))

    struct Person {
        var name: String
        var firstName: String
        var language: String
        var subject: String? = nil
    }

    static func draft(_ person: Person, index: Int = 0, message: EmailMessage = invite,
                      extra: [Referrer.Field] = [], email: String? = nil, deadline: String? = "2025-12-31") -> Draft {
        let raw = "K7QM4TZ9" + String("0123456789ABCDEFGHJKMNPQRSTVWXYZ".map { $0 }[index % 32]) + String(index)
        let code = InviteCode(uncheckedRawValue: raw)
        var message = message
        if let subject = person.subject { message.subject = subject }
        let referrer = Referrer(email: email ?? "person\(index)@example.com", name: person.name, firstName: person.firstName,
                                language: LanguageTag(person.language)!, program: "main", extra: extra, line: index + 2)
        return Draft(referrer: referrer, code: code, formattedCode: code.formatted(), link: "https://example.fr/r/\(raw)/",
                     incentive: Incentive(referrer: "€10 off", friend: "a free croissant"), deadline: deadline,
                     brand: "Boulangerie Étoile", message: message, language: LanguageTag(person.language)!)
    }

    static let people: [Person] = [
        Person(name: "山田 太郎", firstName: "太郎", language: "ja", subject: "{{first_name}}さん、{{brand}}へのご招待です"),
        Person(name: "王小明", firstName: "小明", language: "zh-Hans", subject: "{{first_name}}，邀请您加入{{brand}}"),
        Person(name: "Zoé Lefèvre-Dubois", firstName: "Zoé", language: "fr", subject: "{{first_name}}, votre invitation à {{brand}} !"),
        Person(name: "Nur Aisyah binti Abdullah", firstName: "Aisyah", language: "ms", subject: "{{first_name}}, jemputan anda ke {{brand}}"),
    ]

    /// A fresh folder under the system's temporary directory.
    static func temporaryDirectory() throws -> URL {
        try TemporaryFolder.create("refkit-mail")
    }

    /// Writes a sink's kit files under `directory`.
    static func write(_ sink: MemorySink, to directory: URL) throws {
        for file in sink.files {
            let url = directory.appendingPathComponent(file.path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try file.bytes.write(to: url)
        }
    }
}

struct ToolResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

enum Tool {
    /// Runs a program found on PATH. A missing program throws, so the test fails rather than
    /// passing without checking anything.
    static func run(_ name: String, _ arguments: [String], stdin: String? = nil) throws -> ToolResult {
        guard let path = which(name) else { throw ToolError(message: "\(name) is not installed; the test needs it") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        // Read both pipes before waiting so that a full pipe cannot block the child.
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return ToolResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                          stderr: String(decoding: errData, as: UTF8.self))
    }

    static func which(_ name: String) -> String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for directory in paths {
            let candidate = String(directory) + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs a Python 3 script with arguments and decodes its stdout as JSON.
    static func python<T: Decodable>(_ script: String, _ arguments: [String], as: T.Type) throws -> T {
        let result = try run("python3", ["-c", script] + arguments)
        guard result.status == 0 else { throw ToolError(message: "python3 failed: \(result.stderr)") }
        return try JSONDecoder().decode(T.self, from: Data(result.stdout.utf8))
    }
}

struct ToolError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

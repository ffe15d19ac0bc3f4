import Foundation
import Testing
@testable import RefkitMail

@Suite("Header text")
struct HeaderTextTests {
    @Test("Cleaning turns controls into single spaces and drops bidi and zero-width characters", arguments: [
        ("Bob\r\nBcc: x@evil", "Bob Bcc: x@evil"),
        ("  Zoé\t\tLefèvre  ", "Zoé Lefèvre"),
        ("a\u{202E}b\u{2066}c\u{200B}d\u{FEFF}", "abcd"),
        ("pay\u{200D}pal", "paypal"),
        ("👨\u{200D}👩", "👨\u{200D}👩"),
        ("Bienvenue\u{202F}!", "Bienvenue\u{202F}!"),
        ("x\u{0085}y\u{2028}z", "x y z"),
    ])
    func clean(input: String, output: String) {
        #expect(HeaderText.clean(input) == output)
    }

    @Test("Encoded words stay within 75 characters and every line within 78", arguments: [
        String(repeating: "日本語の件名がとても長い場合", count: 12),
        String(repeating: "Où est la boulangerie ? Élodie a dit « près de l’église ». ", count: 4),
        String(repeating: "e\u{301}\u{302}\u{303}\u{304}\u{305}\u{306}\u{307}\u{308}\u{309}\u{30A}\u{30B}\u{30C}", count: 3),
    ])
    func limits(subject: String) {
        let header = HeaderText.unstructured(name: "Subject", value: subject)
        let lines = header.components(separatedBy: "\r\n").dropLast()
        #expect(lines.allSatisfy { $0.utf8.count <= 78 })
        let words = header.split(separator: " ").filter { $0.hasPrefix("=?") }
        #expect(!words.isEmpty)
        #expect(words.allSatisfy { $0.trimmingCharacters(in: .newlines).utf8.count <= 75 })
    }

    @Test("Q encoding for mostly Latin text, B for CJK")
    func encodingChoice() {
        #expect(HeaderText.unstructured(name: "Subject", value: "Café").contains("=?UTF-8?Q?Caf=C3=A9?="))
        #expect(HeaderText.unstructured(name: "Subject", value: "日本語").contains("=?UTF-8?B?"))
        #expect(HeaderText.unstructured(name: "Subject", value: "Hello there") == "Subject: Hello there\r\n")
    }

    @Test("Display names: atoms as they are, specials quoted, non-ASCII encoded")
    func displayNames() {
        #expect(HeaderText.mailbox(name: "To", displayName: "Ana Lima", address: "a@b.example") == "To: Ana Lima <a@b.example>\r\n")
        #expect(HeaderText.mailbox(name: "To", displayName: "Lima, Ana \"AL\"", address: "a@b.example") == "To: \"Lima, Ana \\\"AL\\\"\" <a@b.example>\r\n")
        #expect(HeaderText.mailbox(name: "To", displayName: nil, address: "a@b.example") == "To: a@b.example\r\n")
        #expect(HeaderText.mailbox(name: "To", displayName: "王小明", address: "a@b.example").hasPrefix("To: =?UTF-8?B?"))
    }

    @Test("Quoted-printable lines stay within 76 characters and From at a line start is encoded")
    func quotedPrintable() {
        let text = String(repeating: "é", count: 100) + "\nFrom the bakery\n" + String(repeating: "a", count: 200) + " \n"
        let encoded = QuotedPrintable.encode(text)
        let lines = encoded.components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.utf8.count <= 76 })
        #expect(encoded.contains("\r\n=46rom the bakery\r\n"))
        #expect(encoded.contains("=20\r\n"))
    }
}

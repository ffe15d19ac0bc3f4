import Foundation
import RefkitTestSupport
import Testing
import RefkitModel
@testable import RefkitCodes

@Suite("Secret")
struct SecretTests {
    func tempKit() throws -> URL {
        try TemporaryFolder.create("refkit-secret")
    }

    func code(_ secret: Secret) -> String {
        CodeDeriver(secret: secret, length: 8).code(program: "main", email: "marie@example.fr").rawValue
    }

    @Test("without a file or variable, a new random secret is made and must be kept, privately")
    func new() throws {
        let kit = try tempKit()
        let (secret, file) = try Secret.resolve(environment: [:], kitDirectory: kit, random: { Array(repeating: 0xAB, count: 32) })
        #expect(file.area == .kit && file.path == "secret" && file.isPrivate)
        #expect(file.bytes.text == String(repeating: "ab", count: 32) + "\n")
        // Reading the file back gives the same codes.
        try file.bytes.write(to: kit.appendingPathComponent("secret"))
        let (again, kept) = try Secret.resolve(environment: [:], kitDirectory: kit)
        #expect(code(again) == code(secret))
        #expect(kept.bytes == file.bytes)
    }

    @Test("two new secrets differ")
    func random() throws {
        let kit = try tempKit()
        let a = try Secret.resolve(environment: [:], kitDirectory: kit)
        let b = try Secret.resolve(environment: [:], kitDirectory: kit)
        #expect(a.file.bytes != b.file.bytes)
        #expect(a.file.bytes.count == 65)
    }

    @Test("REFKIT_SECRET wins over the file, which is kept unchanged")
    func environment() throws {
        let kit = try tempKit()
        try Data("file-secret-0123456789abcdef\n".utf8).write(to: kit.appendingPathComponent("secret"))
        let (secret, file) = try Secret.resolve(environment: ["REFKIT_SECRET": "test-secret-0123456789abcdef"], kitDirectory: kit)
        #expect(code(secret) == "ZK3MTA3S7")
        #expect(file.bytes.text == "file-secret-0123456789abcdef\n")
    }

    @Test("the environment's secret is saved when there is no file, so later builds agree")
    func environmentSaved() throws {
        let kit = try tempKit()
        let (_, file) = try Secret.resolve(environment: ["REFKIT_SECRET": "test-secret-0123456789abcdef"], kitDirectory: kit)
        #expect(file.bytes.text == "test-secret-0123456789abcdef\n")
        #expect(file.isPrivate)
    }

    @Test("a file's trailing newline does not change the key")
    func trimmed() throws {
        let kit = try tempKit()
        try Data("test-secret-0123456789abcdef\r\n".utf8).write(to: kit.appendingPathComponent("secret"))
        #expect(code(try Secret.resolve(environment: [:], kitDirectory: kit).0) == "ZK3MTA3S7")
    }

    @Test("short or empty secrets are refused with a fix")
    func short() throws {
        let kit = try tempKit()
        let e = #expect(throws: SecretError.self) { try Secret.resolve(environment: ["REFKIT_SECRET": "abc"], kitDirectory: kit) }
        #expect(e?.location.file == "REFKIT_SECRET")
        #expect(e?.description.contains("abc") == false)
        try Data("\n".utf8).write(to: kit.appendingPathComponent("secret"))
        let f = #expect(throws: SecretError.self) { try Secret.resolve(environment: [:], kitDirectory: kit) }
        #expect(f?.location.file == "kit/secret")
    }
}

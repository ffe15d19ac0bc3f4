import Foundation
import RefkitCSV
import RefkitCodes
import RefkitModel
import RefkitReport
import RefkitTestSupport
import Testing

/// The counter page (kit/counter/index.html) in headless Chromium from file://, and its
/// JavaScript against refkit's Swift code on the same tables of inputs.
@Suite("Counter page", .serialized)
struct CounterTests {
    @Test("valid, mistyped, inactive and unknown codes; hostile values as text; asking before a second recording; two devices' overlapping exports counted once by refkit report; axe clean; CSP holds, no request")
    func counterPage() throws {
        let result = try Tools.browserScript("counter")
        print(result.output)
        #expect(result.status == 0 && result.output.hasSuffix("OK\n"), "\(result.output)")
    }

    @Test("the page's code normaliser and matcher and its CSV formula guard and quoting give what InviteCode, CodeMatcher, FormulaGuard and CSVWriter give, input for input")
    func parity() throws {
        let project = try CLI.sampleProject(prefix: "refkit-counter-parity")
        defer { try? FileManager.default.removeItem(at: project) }
        let built = try CLI.refkit(["build", "--root", project.path, "--now", "2026-06-01", "--quiet"])
        #expect(built.status == 0, "\(built.output)")
        let ledger = try Ledger.load(kitDirectory: project.appendingPathComponent("kit"))
        let issued = ledger.issuedCodes
        let matcher = CodeMatcher(issued: issued, length: 8)

        var inputs = Self.codeInputs(issued.sorted().map(\.rawValue))
        var random = SplitMix64(state: 23)
        let symbols = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZOILUoil -_.")
        for _ in 0..<300 {
            let base = issued.sorted()[Int(random.next() % UInt64(issued.count))].rawValue
            var chars = Array(base)
            switch random.next() % 4 {
            case 0: chars[Int(random.next() % UInt64(chars.count))] = symbols[Int(random.next() % UInt64(symbols.count))]
            case 1: let i = Int(random.next() % UInt64(chars.count - 1)); chars.swapAt(i, i + 1)
            case 2: chars.remove(at: Int(random.next() % UInt64(chars.count)))
            default: chars.insert(symbols[Int(random.next() % UInt64(symbols.count))], at: Int(random.next() % UInt64(chars.count + 1)))
            }
            inputs.append(String(chars))
        }
        let codeCases: [[String: Any]] = inputs.map { input in
            let match: String
            switch matcher.match(input) {
            case .exact(let c): match = "exact:" + c.rawValue
            case .corrected(let c): match = "corrected:" + c.rawValue
            case .ambiguous(let list): match = "ambiguous:" + list.map(\.rawValue).joined(separator: ",")
            case .unknown: match = "unknown"
            }
            return ["input": input, "normalize": InviteCode.normalize(input),
                    "parse": InviteCode.parse(input)?.rawValue ?? NSNull(), "match": match]
        }
        let cellCases: [[String: Any]] = Self.cellInputs.map { value in
            ["input": value, "guard": FormulaGuard.needsGuard(value), "cell": CSVWriter.cell(value),
             "line": CSVWriter(lineEnd: .crlf).line([value, "x"])]
        }
        let table = FileManager.default.temporaryDirectory.appendingPathComponent("refkit-counter-parity-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: table) }
        let page = project.appendingPathComponent("kit/counter/index.html").path
        try JSONSerialization.data(withJSONObject: ["page": page, "codes": codeCases, "cells": cellCases]).write(to: table)
        let result = try CLI.run("python3", [CLI.repository.appendingPathComponent("Tests/Browser/counter_parity.py").path, table.path], combined: true)
        print(result.output)
        #expect(result.status == 0 && result.output.hasSuffix("OK\n"), "\(result.output)")
        #expect(codeCases.count > 350 && cellCases.count > 40)
    }

    /// Issued codes as people type them, and what is not a code.
    static func codeInputs(_ codes: [String]) -> [String] {
        var out = ["", " ", "\u{3000}", "ZZZZ-ZZZZ-Z", "0000 0000 0", "U", "uuuuuuuuu", "ＫＱ７", "12345678901234567890123456789012"]
        for code in codes.prefix(8) {
            let grouped = code.prefix(4) + "-" + code.dropFirst(4).prefix(4) + "-" + code.dropFirst(8)
            out += [code, code.lowercased(), String(grouped), " \(grouped.lowercased()) ",
                    code.replacingOccurrences(of: "0", with: "O").replacingOccurrences(of: "1", with: "l"),
                    code.replacingOccurrences(of: "1", with: "I").lowercased(),
                    // Full-width, as a Japanese IME types it, with the long-vowel mark for the hyphen.
                    String(code.unicodeScalars.map { Character(Unicode.Scalar($0.value + 0xFEE0)!) }),
                    code.prefix(4) + "ー" + code.dropFirst(4), code.prefix(4) + "\u{2013}" + code.dropFirst(4),
                    code.prefix(4) + "\u{00A0}" + code.dropFirst(4), code.prefix(4) + "\u{200B}" + code.dropFirst(4),
                    code.prefix(4) + "\u{FEFF}" + code.dropFirst(4), code + "\u{0301}", "\u{202E}" + code,
                    String(code.dropLast()), code + "7", String(code.reversed()), "U" + code.dropFirst(), code.prefix(3) + "U" + code.dropFirst(4)]
        }
        return out
    }

    /// What a cell may hold: the formula signs in every width, after spaces and invisible
    /// characters, control characters, quotes with combining marks, line separators.
    static let cellInputs: [String] = [
        "", "plain", "=1+2", "+33 6 12", "-5", "@SUM(A1)", "＝1", "＋1", "－1", "＠x", "﹦1", "﹢1", "﹣1", "﹫x", "⁼1", "₊1", "−1", "﬩1",
        " =1", "\u{3000}=1", "\u{200B}=1", "\u{FEFF}=1", "\u{202E}=1", "\t=1", "\r=1", "\n1", "\u{0}x", "'x", "''x", "'=1",
        "a,b", "a;b", "say \"hi\"", "\"\u{301}", "x\u{2028}y", "x\u{2029}", "x\u{85}y", " lead", "trail ", "\u{A0}nbsp", "nbsp\u{A0}",
        "\u{FEFF}bom", "12,50", "€12.50", "ami@example.org", "=HYPERLINK(\"http://x\")", "日本語", "\u{1F600}", "a\u{7F}",
    ]
}

import Foundation
import RefkitLoad
import RefkitModel

// `refkit-fuzz`: libFuzzer drives the loaders of the files people edit by hand or export from
// spreadsheets. `make test` builds it with
//
//     swift build --sanitize=fuzzer --sanitize=address -Xswiftc -DREFKIT_FUZZ \
//         --scratch-path .build-fuzz --product refkit-fuzz
//
// and Tests/RefkitLoadTests/FuzzTests.swift runs it for a bounded time per loader.
// REFKIT_FUZZ_LOADER picks the loader (`program`, `referrers` or `site`), so each seed corpus
// under Tests/Fixtures/fuzz/ holds real files, without a selector byte in front.
//
// Besides crashes and hangs, each input is checked against what the loaders promise: every
// diagnostic names the file and a line that exists, and every referrer that loads has an
// address, a visible name and its line. A broken promise traps, which libFuzzer reports as a
// crash with the input saved.

/// Which loader the bytes go to.
enum Loader: String, CaseIterable {
    case program, referrers, site

    static let current: Loader = {
        let name = ProcessInfo.processInfo.environment["REFKIT_FUZZ_LOADER"] ?? ""
        guard let loader = Loader(rawValue: name) else {
            let names = allCases.map(\.rawValue).joined(separator: ", ")
            FileHandle.standardError.write(Data("refkit-fuzz: set REFKIT_FUZZ_LOADER to one of: \(names)\n".utf8))
            exit(2)
        }
        return loader
    }()
}

/// A French site whose main programme has editions in French, English and Japanese: enough
/// for language fallbacks and "no such edition" paths to be reached.
let fr = LanguageTag("fr")!
let site = Site(name: "Fuzz", baseURL: "https://fuzz.example/", language: fr)
let programLanguages: [String: Set<LanguageTag>] = [
    "parrainage": [fr, LanguageTag("en")!, LanguageTag("ja")!],
    "club": [LanguageTag("en")!],
]

func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("refkit-fuzz: broken promise: \(message())") }
}

/// Diagnostics name the file that was loaded, at a line it has (one past the end for
/// "never closed" problems). Lines end at LF, CR or CRLF (CSV and YAML), and YAML also breaks
/// at U+0085, U+2028 and U+2029; counting each byte 0x0A and 0x0D bounds UTF-16 files too.
func checkDiagnostics(_ diagnostics: [Diagnostic], file: String, data: Data) {
    let breaks = data.reduce(0) { $1 == 0x0A || $1 == 0x0D ? $0 + 1 : $0 }
        + String(decoding: data, as: UTF8.self).unicodeScalars.reduce(0) { [0x85, 0x2028, 0x2029].contains($1.value) ? $0 + 1 : $0 }
    for d in diagnostics {
        check(d.location.file == file, "diagnostic for another file: \(d)")
        if let line = d.location.line { check(line >= 1 && line <= breaks + 2, "line \(line) of at most \(breaks + 1): \(d)") }
        check(!d.message.isEmpty, "a diagnostic without a message at \(d.location)")
    }
}

/// Loads one input; returns normally unless a promise is broken.
func run(_ data: Data, loader: Loader) {
    switch loader {
    case .site:
        let file = "content/site.yaml"
        checkDiagnostics(FileLoader.site(data, file: file).diagnostics, file: file, data: data)
    case .program:
        let file = "content/programs/parrainage.md"
        let (programs, diagnostics) = FileLoader.program(data, file: file, site: site, assets: ["hero.jpg"])
        checkDiagnostics(diagnostics, file: file, data: data)
        for edition in programs.flatMap(\.editions) {
            check(!edition.headline.isEmpty && !edition.cta.isEmpty, "an edition without headline or call to action")
        }
    case .referrers:
        let file = "content/referrers.csv"
        let (referrers, diagnostics) = ReferrerLoader.load(data, file: file, defaultLanguage: fr, mainProgram: "parrainage",
                                                           programLanguages: programLanguages)
        checkDiagnostics(diagnostics, file: file, data: data)
        for r in referrers {
            // An empty first name is allowed: a name that does not show its given name (山田花子)
            // gets none rather than a surname (see `Referrer.firstName(fromName:language:)`).
            check(r.email.contains("@") && !r.name.isEmpty, "a referrer without address or name: \(r)")
            check(!r.name.unicodeScalars.contains { $0.value < 0x20 || (0x202A...0x202E).contains($0.value) }, "an invisible character in \(r.name)")
            check(programLanguages[r.program]?.contains(r.language) == true, "\(r.program) has no edition in \(r.language)")
        }
    }
}

#if REFKIT_FUZZ
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let data = start.map { Data(bytes: $0, count: count) } ?? Data()
    run(data, loader: Loader.current)
    return 0
}
#else
/// Without libFuzzer (the plain `swift build`): replays saved inputs, `refkit-fuzz FILE...`,
/// so a crash file can be reproduced under a debugger.
@main
struct Replay {
    static func main() {
        let loader = Loader.current
        for path in CommandLine.arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write(Data("refkit-fuzz: cannot read \(path); pass the files libFuzzer saved\n".utf8))
                exit(2)
            }
            run(data, loader: loader)
        }
    }
}
#endif

import Foundation
import RefkitModel

/// Loads one input file from its bytes, without a project folder: the fuzz target
/// (Sources/RefkitFuzz) feeds these whatever libFuzzer makes, and regression tests feed them
/// the inputs it found. Each runs the code `ProjectLoader` runs for that file, from decoding
/// to validation, so a crash or hang found here is one a real project can hit.
public enum FileLoader {
    /// `content/site.yaml`.
    public static func site(_ data: Data, file: String = "content/site.yaml") -> (site: Site?, diagnostics: [Diagnostic]) {
        let log = DiagnosticLog()
        guard let text = ProjectFiles.text(data, path: file, log: log) else { return (nil, log.items) }
        return (SiteLoader.load(text, file: file, log: log), log.items)
    }

    /// One programme file, `content/programs/NAME.md` or `NAME.LANG.md`, for a site; `assets`
    /// are the names under `content/assets/` that `image:` may use.
    public static func program(_ data: Data, file: String, site: Site, assets: Set<String> = []) -> (programs: [Program], diagnostics: [Diagnostic]) {
        let log = DiagnosticLog()
        let name = String(file.split(separator: "/").last ?? "")
        guard let parsed = ProgramLoader.parseName(name, path: file, log: log),
              let text = ProjectFiles.text(data, path: file, log: log) else { return ([], log.items) }
        let loader = ProgramLoader(site: site, log: log, assetExists: assets.contains)
        let programs = loader.load([.init(slug: parsed.slug, language: parsed.language, path: file, text: text)])
        return (programs, log.items)
    }
}

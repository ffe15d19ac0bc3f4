import Foundation
import RefkitModel

/// `kit/counter/index.html`: the page the shop's staff open on a tablet or the till computer to
/// check a friend's code, give the offer and record the visit, with no network.
///
/// Model in, one file out. It lives in the kit because it lists every code (a code is what gets
/// a friend the offer), but it holds only what the counter needs: per code the referrer's first
/// name, programme, language, variant and the friend's offer, and which codes are inactive.
public struct CounterRenderer {
    public static let path = "counter/index.html"

    let project: Project
    let invitations: [Invitation]
    let inactive: [InviteCode]

    /// - Parameters:
    ///   - invitations: every active code with its referrer.
    ///   - inactive: the ledger's inactive codes, shown as inactive.
    public init(project: Project, invitations: [Invitation], inactive: [InviteCode]) {
        self.project = project
        self.invitations = invitations
        self.inactive = inactive
    }

    /// The programmes' languages, the site language first: the page's language switch.
    var languages: [LanguageTag] {
        var seen = Set<LanguageTag>(), out: [LanguageTag] = []
        for language in [project.site.language] + project.programs.flatMap(\.languages) where seen.insert(language).inserted {
            out.append(language)
        }
        return out
    }

    public func render() throws(CounterError) -> OutputFile {
        var strings: [(LanguageTag, name: String, values: [String: String])] = []
        var problems: [Diagnostic] = []
        for language in languages {
            switch CounterStrings.values(for: language, in: project.theme) {
            case .success(let s): strings.append((language, s.name, s.values))
            case .failure(let e): problems += e.diagnostics
            }
        }
        guard problems.isEmpty, let first = strings.first else { throw CounterError(problems) }
        let names = Dictionary(strings.map { ($0.0, $0.name) }, uniquingKeysWith: { a, _ in a })
        let tables = CounterTables(project: project, invitations: invitations, inactive: inactive) { language in
            names[language] ?? CounterStrings.lookup(language, in: project.theme)?["language_name"] ?? language.rawValue
        }
        let page = CounterPage(site: project.site, language: first.0, strings: first.values,
                               data: CounterData.json(site: project.site, tables: tables, strings: strings))
        return OutputFile(area: .kit, path: Self.path, text: page.html, isPrivate: true)
    }
}

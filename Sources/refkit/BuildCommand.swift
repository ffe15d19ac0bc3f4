import ArgumentParser
import Foundation
import RefkitBuild
import RefkitDeploy
import RefkitModel

struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build the site into public/ and the private kit into kit/.",
        discussion: """
        Everything is rendered first; public/ and kit/ are replaced only when the whole build \
        succeeds, so a failed build leaves the previous output as it was. Files whose bytes did \
        not change keep their modification time.

        Examples:
          refkit build
          refkit build --root my-bakery --base-url https://preview.example.com/
          refkit build --now 2027-01-15        Build as if today were 15 January 2027
          refkit build --target netlify        Add _headers and _redirects for Netlify

        Targets: plain (default: the pages only), netlify (_headers, _redirects), \
        github-pages (.nojekyll, and CNAME from deploy.cname), nginx (kit/deploy/nginx.conf), \
        s3 (kit/deploy/s3-sync.sh with the aws s3 sync commands).
        """
    )

    @OptionGroup var project: ProjectOptions

    @Option(help: ArgumentHelp("Where the public site goes.", valueName: "dir"))
    var out: String?

    @Option(help: ArgumentHelp("Where the private kit goes (never inside the site).", valueName: "dir"))
    var kit: String?

    @Option(help: ArgumentHelp("Overrides base_url from site.yaml.", valueName: "url"))
    var baseURL: String?

    @Option(help: ArgumentHelp("Today's date for deadlines and issue dates, for reproducible builds.", valueName: "YYYY-MM-DD"))
    var now: String?

    @Option(help: ArgumentHelp("The static host to prepare for: \(DeployTarget.names.joined(separator: ", ")).", valueName: "host"))
    var target: DeployTarget = .plain

    func validate() throws {
        if let now, Day(now) == nil { throw ValidationError("--now \"\(now)\" is not a date; use YYYY-MM-DD.") }
        // The same rule as base_url in site.yaml: its host and path reach host files and the 404 page.
        if let baseURL, case let .failure(problem) = WebAddress.parse(baseURL, kind: .siteFolder) {
            throw ValidationError("--base-url \"\(VisibleText.escaped(baseURL))\" \(problem.message); \(problem.fix).")
        }
    }

    func run() throws {
        let options = BuildOptions(
            root: project.rootURL,
            siteDirectory: out.map { URL(fileURLWithPath: $0, isDirectory: true) },
            kitDirectory: kit.map { URL(fileURLWithPath: $0, isDirectory: true) },
            baseURL: baseURL, today: now.flatMap(Day.init) ?? .today(), target: target,
            printWorker: Refkit.executable)
        let verbose = project.verbose, quiet = project.quiet
        let build = Build(options: options) { event in
            guard !quiet else { return }
            switch event {
            case let .started(step, index, count):
                if verbose { Terminal.out(Terminal.styled("[\(index)/\(count)] ", .dim) + step.rawValue + "…") }
            case let .finished(step, seconds):
                if verbose { Terminal.out(Terminal.styled("      \(step.rawValue): \(String(format: "%.2f", seconds)) s", .dim)) }
            }
        }
        let report = try build.run()
        Terminal.warnings(report.warnings)
        guard !quiet else { return }
        Summary.print(report)
    }
}

/// The end-of-build summary: what was written where, counts, time, what was unchanged.
enum Summary {
    static func print(_ r: BuildReport) {
        let site = r.written.site, kit = r.written.kit
        if r.upToDate {
            Terminal.out(Terminal.styled("Up to date", .green) + " in \(String(format: "%.2f", r.seconds)) s: no input changed since the last build (\(r.programs) programme(s), \(r.referrers) referrer(s)) and its \(site.unchanged + kit.unchanged) files are intact.")
            Terminal.out("  Nothing was rendered or written in \(r.siteDirectory?.path ?? "public")/ and \(r.kitDirectory?.path ?? "kit")/ (kit/ is private: keep it and back it up).")
            return
        }
        Terminal.out(Terminal.styled("Built", .green) + " \(r.programs) programme(s) in \(r.languages) language(s) for \(r.referrers) referrer(s) in \(String(format: "%.2f", r.seconds)) s.")
        Terminal.out("  codes:    \(r.codes.new) new, \(r.codes.reactivated) reactivated, \(r.codes.deactivated) deactivated, \(r.codes.updated) updated")
        Terminal.out("  site:     \(r.site.landingPages) landing, \(r.site.variantPages) variant, \(r.site.personalPages) personal, \(r.site.otherPages) other pages, \(r.site.assets) assets"
                     + carried(r.site.reusedPersonalPages, "personal page", of: r.site.personalPages))
        if r.site.progressPages > 0 || r.site.leaderboardPages > 0 {
            Terminal.out("  progress: \(r.site.progressPages) progress page(s), \(r.site.leaderboardPages) leaderboard page(s)"
                         + carried(r.site.reusedProgressPages, "progress page", of: r.site.progressPages)
                         + (r.hasReport ? "" : "; no report has been run yet, so they show zero (run `refkit report SUBMISSIONS.csv`)"))
        }
        for program in Set(r.variants.map(\.program)).sorted() {
            let arms = r.variants.filter { $0.program == program }
            let total = max(1, arms.reduce(0) { $0 + $1.referrers })
            let weights = arms.reduce(0) { $0 + $1.weight }
            let parts = arms.map { "\($0.variant) \(String(format: "%.0f", 100 * $0.weight / weights))% → \($0.referrers) (\(String(format: "%.0f", 100 * Double($0.referrers) / Double(total)))%)" }
            Terminal.out("  variants: \(program): " + parts.joined(separator: ", "))
        }
        Terminal.out("  counter:  \(r.counter.active) active and \(r.counter.inactive) inactive code(s) in \(r.kitDirectory?.path ?? "kit")/\(r.counter.path) (\(r.counter.bytes / 1024) KB; copy it to the shop's tablet)")
        let perSheet = r.print.cardsPerSheet > 0 ? " (\(r.print.cardsPerSheet) per sheet)" : ""
        Terminal.out("  print:    \(r.print.cards) postcards: \(r.print.shop.files) print-shop file(s), \(r.print.office.files) office file(s)\(perSheet)"
                     + carried(r.reusedPostcards, "postcard", of: r.print.cards))
        // Each part by name: these are the files to upload one by one.
        let parts = r.print.splitShopPaths
        if !parts.isEmpty {
            let shown = parts.prefix(8).map { ($0 as NSString).lastPathComponent }.joined(separator: ", ")
            Terminal.out("            \(parts.count) print-shop files are parts, split to stay under 5 MB (Lob's limit): \(shown)"
                         + (parts.count > 8 ? " and \(parts.count - 8) more" : ""))
        }
        if let mail = r.mail {
            Terminal.out("  mail:     \(mail.drafts) drafts, drafts.mbox and merge.csv" + carried(r.reusedDrafts, "draft", of: mail.drafts)
                         + (r.unsubscribed > 0 ? "; \(r.unsubscribed) referrer(s) in content/unsubscribed.csv left out" : ""))
        }
        Terminal.out("  \(r.siteDirectory?.path ?? "public")/: \(site.written) written, \(site.unchanged) unchanged, \(site.removed) removed")
        Terminal.out("  \(r.kitDirectory?.path ?? "kit")/: \(kit.written) written, \(kit.unchanged) unchanged, \(kit.removed) removed (private: keep it and back it up)")
    }

    /// "; all personal pages carried over unchanged" when the build skipped rendering some
    /// because nothing they are made from changed.
    private static func carried(_ reused: Int, _ noun: String, of total: Int) -> String {
        guard reused > 0 else { return "" }
        return reused == total ? "; all \(noun)s carried over unchanged" : "; \(reused) \(noun)(s) carried over unchanged"
    }
}

extension DeployTarget: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
    public static var allValueStrings: [String] { names }
}

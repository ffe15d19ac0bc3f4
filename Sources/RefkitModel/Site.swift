/// Site-wide settings from `content/site.yaml`.
public struct Site: Hashable, Sendable {
    /// The brand, shown in titles and the footer.
    public var name: String
    /// Absolute http(s) URL, always ending in `/`; the loader lets through only what
    /// `WebAddress(_:kind: .siteFolder)` reads, so its host and path are safe in host files.
    public var baseURL: String
    /// The default language: programmes in `NAME.md` are in this language.
    public var language: LanguageTag
    public var contactEmail: String?
    public var form: FormSettings
    public var theme: ThemeSettings
    /// The slug of the programme shown at `/`; nil when there is only one.
    public var main: String?
    /// Keep raw HTML found in Markdown. Off by default: content may come from anyone who can
    /// edit a file, and the pages go public.
    public var unsafeHTML: Bool
    public var codes: CodeSettings
    public var print: PrintSettings
    public var mail: MailSettings
    /// The `deploy:` section: what host files need (a GitHub Pages custom domain).
    public var deploy: DeploySettings = DeploySettings()
    /// The `report:` section: what counts towards rewards.
    public var report: ReportSettings = ReportSettings()

    public init(name: String, baseURL: String, language: LanguageTag, contactEmail: String? = nil,
                form: FormSettings = .init(), theme: ThemeSettings = .init(), main: String? = nil,
                unsafeHTML: Bool = false, codes: CodeSettings = .init(), print: PrintSettings = .init(),
                mail: MailSettings = .init()) {
        self.name = name
        self.baseURL = baseURL.hasSuffix("/") ? baseURL : baseURL + "/"
        self.language = language
        self.contactEmail = contactEmail
        self.form = form
        self.theme = theme
        self.main = main
        self.unsafeHTML = unsafeHTML
        self.codes = codes
        self.print = print
        self.mail = mail
    }

    /// The absolute URL of a site path such as `r/K7QM-4TZ9/` (no leading slash).
    public func url(_ path: String) -> String { baseURL + path }
}

/// Where the friend's form is sent. Every provider works on a static host without JavaScript.
public struct FormSettings: Hashable, Sendable {
    public enum Provider: Hashable, Sendable {
        /// Netlify Forms: the host collects submissions found through the `data-netlify` attribute.
        case netlify
        /// POST to a form service or your own endpoint (Formspree, Basin, ...).
        case action(url: String)
        /// Opens the visitor's mail program with a pre-filled message.
        case mailto(email: String)
    }
    public var provider: Provider
    /// The form's name as the provider sees it.
    public var name: String

    public init(provider: Provider = .netlify, name: String = "referral") {
        self.provider = provider
        self.name = name
    }
}

public struct ThemeSettings: Hashable, Sendable {
    /// Brand colour as `#RRGGBB`.
    public var color: String
    /// Path under `content/assets/`, or nil.
    public var logo: String?

    public init(color: String = "#8a3b12", logo: String? = nil) {
        self.color = color
        self.logo = logo
    }
}

/// The `codes:` section of `site.yaml`.
public struct CodeSettings: Hashable, Sendable {
    /// Random symbols per code, before the check symbol; 8 symbols are 40 bits.
    public var length: Int
    /// Symbols per group when printed: `K7QM-4TZ9-X`.
    public var group: Int

    public init(length: Int = 8, group: Int = 4) {
        self.length = length
        self.group = group
    }
}

/// The `deploy:` section of `site.yaml`.
public struct DeploySettings: Hashable, Sendable {
    /// A custom domain for GitHub Pages, written to `public/CNAME` (`refkit build --target github-pages`).
    public var cname: String?

    public init(cname: String? = nil) {
        self.cname = cname
    }
}

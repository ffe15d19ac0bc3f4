import Foundation
import RefkitModel

/// The HTTP headers refkit's pages are built to satisfy, shared by every host that can set
/// headers (Netlify, nginx).
///
/// The pages load only first-party files: one stylesheet, one or two scripts by `src`, images
/// under `assets/`, the QR code as inline SVG, and JSON-LD (a data block, which CSP does not
/// treat as script). So the policy can deny everything else, including inline styles and scripts.
public struct SecurityHeaders: Sendable {
    public let site: Site

    public init(site: Site) { self.site = site }

    /// Where the friend's form may be posted: the site itself, the form service's origin, or
    /// the visitor's mail program.
    var formAction: String {
        switch site.form.provider {
        case .netlify: return "'self'"
        case let .action(url): return Self.origin(of: url).map { "'self' " + $0 } ?? "'self'"
        case .mailto: return "'self' mailto:"
        }
    }

    public var contentSecurityPolicy: String {
        [
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self'",
            "font-src 'self'",
            "connect-src 'self'",
            "manifest-src 'self'",
            "form-action \(formAction)",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ].joined(separator: "; ")
    }

    /// Headers for every response, in a stable order.
    public var common: [(name: String, value: String)] {
        [
            ("Content-Security-Policy", contentSecurityPolicy),
            ("X-Content-Type-Options", "nosniff"),
            ("X-Frame-Options", "DENY"),
            // Personal pages carry a code in their path: other sites see only our origin.
            ("Referrer-Policy", "strict-origin-when-cross-origin"),
            ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"),
            ("Cross-Origin-Opener-Policy", "same-origin"),
        ]
    }

    /// Personal pages: never in search results, whatever a crawler makes of robots.txt.
    public static let personal: [(name: String, value: String)] = [("X-Robots-Tag", "noindex")]

    /// Files whose names carry a content hash never change under that name.
    public static let immutableCache = "public, max-age=31536000, immutable"
    /// Pages may change with every build: browsers check back each time (cheap with ETags).
    public static let pageCache = "public, max-age=0, must-revalidate"

    /// `https://forms.example.com/f/abc` → `https://forms.example.com`, from the host as
    /// written: a decoded one (`URLComponents.host`) turns `%3B` into a `;` that starts a new
    /// CSP directive and `%0A` into a new header line. Nil for anything `WebAddress` refuses.
    static func origin(of url: String) -> String? {
        WebAddress(url, kind: .endpoint)?.origin
    }
}

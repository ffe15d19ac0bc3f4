/// Netlify's `_headers` and `_redirects`, read from the root of the published folder.
struct NetlifyFiles {
    let security: SecurityHeaders
    let immutablePaths: [String]

    init(headers: SecurityHeaders, immutablePaths: [String]) {
        self.security = headers
        self.immutablePaths = immutablePaths
    }

    /// Netlify adds every block whose path matches, so `/*` carries the common headers and the
    /// narrower blocks add to them.
    var headers: String {
        var out = "# Written by `refkit build --target netlify`; rebuild rather than edit.\n"
        out += "/*\n"
        for (name, value) in security.common { out += "  \(name): \(ConfigText.headerValue(value))\n" }
        out += "  Cache-Control: \(SecurityHeaders.pageCache)\n"
        // Personal pages and progress pages: each names one person.
        for prefix in ["/r/*", "/p/*"] {
            out += prefix + "\n"
            for (name, value) in SecurityHeaders.personal { out += "  \(name): \(ConfigText.headerValue(value))\n" }
        }
        for path in immutablePaths {
            out += "/\(path)\n  Cache-Control: \(SecurityHeaders.immutableCache)\n"
        }
        return out
    }

    /// Netlify serves `404.html` for missing paths by itself; the rule says so explicitly for
    /// personal pages, whose folders disappear when a code is withdrawn, so that an edit to
    /// Netlify's defaults can never turn them into a redirect to the home page.
    var redirects: String {
        """
        # Written by `refkit build --target netlify`; rebuild rather than edit.
        # Existing files always win over these rules (no `!`), so live pages are never shadowed.
        /r/*       /404.html   404
        /p/*       /404.html   404

        """
    }
}

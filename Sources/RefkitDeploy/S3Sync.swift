import Foundation
import RefkitModel

/// A shell script with the `aws s3 sync` commands that upload `public/` to a bucket with the
/// right content types and cache headers.
///
/// S3 guesses content types from extensions but sends no charset, which garbles Japanese and
/// Chinese pages in some browsers, so HTML, CSS, JS and text go up with explicit types. S3
/// cannot send arbitrary headers (CSP, X-Robots-Tag): put CloudFront with a response-headers
/// policy in front for those; personal pages still carry `<meta name="robots" content="noindex">`
/// and robots.txt disallows /r/.
struct S3Sync {
    static let fileName = "s3-sync.sh"
    let site: Site
    let immutablePaths: [String]

    var script: String {
        var lines: [String] = []
        lines.append("""
        #!/bin/sh
        # Uploads public/ for \(ConfigText.comment(site.name)) to an S3 bucket; written by `refkit build --target s3`.
        # Usage: sh kit/deploy/s3-sync.sh BUCKET [PUBLIC_DIR]   (needs the AWS CLI, configured)
        # Each sync uploads one kind of file with its content type and cache header; the last one
        # uploads everything else and deletes what the build removed.
        set -eu
        BUCKET="${1:?usage: sh kit/deploy/s3-sync.sh BUCKET [PUBLIC_DIR]}"
        SITE="${2:-public}"
        DEST="s3://$BUCKET/"

        """)
        let long = SecurityHeaders.immutableCache, short = SecurityHeaders.pageCache
        // Hashed theme files first, so that no page is live before the files it names.
        for path in immutablePaths {
            let type = path.hasSuffix(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8"
            lines.append(sync(include: [path], type: type, cache: long))
        }
        lines.append(sync(include: ["*.html"], type: "text/html; charset=utf-8", cache: short))
        lines.append(sync(include: ["sitemap.xml"], type: "application/xml; charset=utf-8", cache: short))
        lines.append(sync(include: ["robots.txt"], type: "text/plain; charset=utf-8", cache: short))
        lines.append(sync(include: ["*.css"], exclude: immutablePaths, type: "text/css; charset=utf-8", cache: short))
        lines.append(sync(include: ["*.js"], exclude: immutablePaths, type: "text/javascript; charset=utf-8", cache: short))
        lines.append("""
        # Everything else (images, fonts): types guessed from the extension; removed files deleted.
        aws s3 sync "$SITE" "$DEST" --delete --exclude "*.html" --exclude "*.css" --exclude "*.js" --exclude "sitemap.xml" --exclude "robots.txt" --cache-control "public, max-age=3600"
        aws s3 sync "$SITE" "$DEST" --delete --size-only
        # For S3 website hosting, once: index and 404 pages.
        # aws s3 website "$DEST" --index-document index.html --error-document 404.html

        """)
        return lines.joined(separator: "\n")
    }

    private func sync(include: [String], exclude: [String] = [], type: String, cache: String) -> String {
        // Every value is one single-quoted word (`ConfigText.shellQuoted`): nothing in it expands.
        var parts = ["aws s3 sync \"$SITE\" \"$DEST\" --exclude '*'"]
        parts += include.map { "--include " + ConfigText.shellQuoted($0) }
        parts += exclude.map { "--exclude " + ConfigText.shellQuoted($0) }
        parts += ["--content-type " + ConfigText.shellQuoted(type), "--cache-control " + ConfigText.shellQuoted(cache)]
        return parts.joined(separator: " ")
    }
}

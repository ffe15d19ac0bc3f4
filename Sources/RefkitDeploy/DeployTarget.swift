/// The static host a build prepares `public/` for (`refkit build --target NAME`).
///
/// Each target adds only what its host reads: Netlify reads `_headers` and `_redirects` from the
/// published folder and GitHub Pages reads `.nojekyll` and `CNAME` there, so those go into the
/// site; an nginx `server` block and the S3 upload commands are configuration for a person to
/// apply, so they go into `kit/deploy/`, never onto the public site.
public enum DeployTarget: String, CaseIterable, Hashable, Sendable {
    case plain
    case netlify
    case githubPages = "github-pages"
    case s3
    case nginx

    /// The names `--target` accepts, for help and error messages.
    public static var names: [String] { allCases.map(\.rawValue) }
}

import Foundation
import RefkitModel

/// The files a host needs beside the pages, for one deploy target.
///
/// `immutablePaths` are the site paths whose names carry a content hash (from RefkitSite's
/// `AssetPaths`); they get a year-long cache.
public struct HostFiles: Sendable {
    public let site: Site
    public let target: DeployTarget
    public let immutablePaths: [String]

    public init(site: Site, target: DeployTarget, immutablePaths: [String]) {
        self.site = site
        self.target = target
        // Only names a host file can hold as they are (see `ConfigText.isPlainPath`).
        self.immutablePaths = immutablePaths.filter(ConfigText.isPlainPath)
    }

    /// Where the kit's host instructions go.
    public static let kitFolder = "deploy/"

    public func files() -> [OutputFile] {
        switch target {
        case .plain:
            return []
        case .netlify:
            let netlify = NetlifyFiles(headers: SecurityHeaders(site: site), immutablePaths: immutablePaths)
            return [OutputFile(area: .site, path: "_headers", text: netlify.headers),
                    OutputFile(area: .site, path: "_redirects", text: netlify.redirects)]
        case .githubPages:
            // Without .nojekyll, Pages runs Jekyll, which drops files and folders starting with _ or .
            var files = [OutputFile(area: .site, path: ".nojekyll", text: "")]
            if let cname = site.deploy.cname { files.append(OutputFile(area: .site, path: "CNAME", text: cname + "\n")) }
            return files
        case .nginx:
            let nginx = NginxConfig(site: site, headers: SecurityHeaders(site: site))
            return [OutputFile(area: .kit, path: Self.kitFolder + NginxConfig.fileName, text: nginx.text)]
        case .s3:
            let s3 = S3Sync(site: site, immutablePaths: immutablePaths)
            return [OutputFile(area: .kit, path: Self.kitFolder + S3Sync.fileName, text: s3.script)]
        }
    }
}

import Foundation
import RefkitModel

/// An nginx `server` block serving `public/` with the same headers as the Netlify files.
///
/// nginx forgets inherited `add_header` lines in a location that has its own, so every
/// location repeats the security headers.
struct NginxConfig {
    static let fileName = "nginx.conf"
    let site: Site
    let headers: SecurityHeaders

    /// The host as written in `base_url` (never percent-decoded: `WebAddress` allows only
    /// letters, digits, `-`, `.` and IPv6 literals), so it is safe bare in `server_name` and `root`.
    var host: String { WebAddress(site.baseURL, kind: .siteFolder)?.host ?? "example.com" }

    var text: String {
        let common = headers.common.map { "        add_header \($0.name) \(ConfigText.nginxQuoted($0.value)) always;" }.joined(separator: "\n")
        let robots = SecurityHeaders.personal.map { "        add_header \($0.name) \(ConfigText.nginxQuoted($0.value)) always;" }.joined(separator: "\n")
        return """
        # nginx server block for \(ConfigText.comment(site.name)), written by `refkit build --target nginx`.
        # 1. Copy public/ to the folder `root` names (or change `root`).
        # 2. Put this file in /etc/nginx/sites-enabled/ (Debian) or include it in the http block,
        #    whose default `include mime.types;` gives each file its content type.
        # 3. Add TLS, for example with `certbot --nginx -d \(host)`, then `nginx -t && nginx -s reload`.
        # public/ is served at the root of the domain; rebuild to update this file.
        server {
            listen 80;
            listen [::]:80;
            server_name \(host);
            root /var/www/\(host);
            index index.html;
            charset utf-8;
            charset_types text/css text/plain text/xml application/javascript application/xml;
            server_tokens off;
            # Relative redirects (/r/CODE → /r/CODE/) keep working behind a proxy or on another port.
            absolute_redirect off;
            error_page 404 /404.html;

            location / {
        \(common)
                add_header Cache-Control \(ConfigText.nginxQuoted(SecurityHeaders.pageCache)) always;
                try_files $uri $uri/ =404;
            }

            # Personal pages: never indexed, and never cached by a shared cache.
            location ^~ /r/ {
        \(common)
        \(robots)
                add_header Cache-Control "private, max-age=0, must-revalidate" always;
                try_files $uri $uri/ =404;
            }

            # Progress pages: the same.
            location ^~ /p/ {
        \(common)
        \(robots)
                add_header Cache-Control "private, max-age=0, must-revalidate" always;
                try_files $uri $uri/ =404;
            }

            # Theme files whose names carry a content hash: cached for a year.
            location ~ "^/assets/theme/.+\\.[0-9a-f]{8}\\.(css|js)$" {
        \(common)
                add_header Cache-Control \(ConfigText.nginxQuoted(SecurityHeaders.immutableCache)) always;
                try_files $uri =404;
            }

            location = /404.html {
        \(common)
                add_header Cache-Control \(ConfigText.nginxQuoted(SecurityHeaders.pageCache)) always;
            }
        }

        """
    }
}

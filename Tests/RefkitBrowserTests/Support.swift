import Foundation
import RefkitTestSupport
import Testing

/// Runs the Python browser scripts in Tests/Browser/ against the real `refkit`, and fetches.
enum Tools {
    /// Runs Tests/Browser/NAME.py; the script prints OK last when all passed.
    ///
    /// The scripts build their own copies of the sample and delete them when done, so they get
    /// a wrapper instead of the binary: it runs refkit and, after each build that succeeds,
    /// keeps a copy of the project; the privacy scan then runs on every copy, as `CLI.refkit`
    /// does for builds made from Swift. A leak throws, naming the file and kind.
    static func browserScript(_ name: String, arguments: [String] = []) throws -> CLI.Result {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("refkit-browser-scan-\(UUID().uuidString)")
        let kept = work.appendingPathComponent("builds")
        try FileManager.default.createDirectory(at: kept, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let wrapper = work.appendingPathComponent("refkit")
        try """
        #!/bin/sh
        \(shellQuoted(CLI.binary.path)) "$@"
        status=$?
        if [ "$status" -eq 0 ] && [ "$1" = build ]; then
          root=.; previous=
          for argument in "$@"; do [ "$previous" = --root ] && root=$argument; previous=$argument; done
          copy=\(shellQuoted(kept.path))/$(date +%s%N)-$$
          mkdir -p "$copy" && cp -a "$root/content" "$root/site-templates" "$root/kit" "$root/public" "$copy/" || exit 99
        fi
        exit $status

        """.write(to: wrapper, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: wrapper.path)

        let result = try CLI.run("python3", [CLI.repository.appendingPathComponent("Tests/Browser/\(name).py").path, wrapper.path] + arguments, combined: true)
        let builds = try FileManager.default.contentsOfDirectory(atPath: kept.path).sorted()
        #expect(!builds.isEmpty || result.status != 0, "the script built nothing, so nothing was scanned for private data")
        for build in builds {
            let project = kept.appendingPathComponent(build)
            let scan = try PrivacyScan(project: project)
            try scan.check(project.appendingPathComponent("public"))
            try scan.checkCounter(kit: project.appendingPathComponent("kit"))
        }
        return result
    }

    static func shellQuoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    /// Fetches a URL with Python's urllib: status and body ("0" and the error when unreachable).
    static func fetch(_ url: String) throws -> (status: Int, body: String) {
        let script = """
        import sys, urllib.request, urllib.error
        try:
            r = urllib.request.urlopen(sys.argv[1], timeout=5); print(r.status); sys.stdout.write(r.read().decode())
        except urllib.error.HTTPError as e:
            print(e.code); sys.stdout.write(e.read().decode())
        except Exception as e:
            print(0); print(e)
        """
        let result = try CLI.run("python3", ["-c", script, url], combined: true)
        let status = Int(result.output.prefix { $0 != "\n" }) ?? 0
        return (status, String(result.output.drop { $0 != "\n" }.dropFirst()))
    }

    /// A TCP port nobody listens on right now, on 127.0.0.1.
    static func freePort() throws -> Int {
        let result = try CLI.run("python3", ["-c", "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"])
        return Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }
}

// swift-tools-version:6.1
// refkit: a folder of plain files in, a referral site and a private kit out.
//
// The targets spell the pipeline: load → model → render → write.
// C libraries sit behind tiny `systemLibrary` shims (C*), each wrapped by one Swift module
// that owns its pointers; renderers (Site, Print, Mail) read the model and never each other.
import PackageDescription

let package = Package(
    name: "refkit",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "refkit", targets: ["refkit"]),
        // libFuzzer on the loaders; see Sources/RefkitFuzz (built by `make test` in .build-fuzz).
        .executable(name: "refkit-fuzz", targets: ["RefkitFuzz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        // 3.x: measured faster and leaner to build than 4.x here; the HMAC API is the same.
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"4.0.0"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        // `refkit serve`'s HTTP server: small, pure Swift (sockets + async/await, no NIO), about
        // 20 s to build here. 0.27.1 parses each line of a request's head in quadratic time with
        // no limit, so refkit puts a front door before it (RefkitPreview's PreviewFrontDoor).
        .package(url: "https://github.com/swhitty/FlyingFox", exact: "0.27.1"),
        // `refkit mail push`: IMAP over TCP (NIOPosix) with TLS by swift-nio-ssl (BoringSSL, with
        // certificate and host name checks). Debian 12's libcurl 7.88 cannot set \Draft on APPEND
        // (its APPEND always sends `(\Seen)`; CURLOPT_UPLOAD_FLAGS came in 8.13), so not libcurl.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        // Tests only: property-based checks of the escaping functions and the code normaliser.
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // C shims: pkg-config supplies the flags, the apt provider names the Debian package.
        .systemLibrary(name: "CCmark", pkgConfig: "libcmark", providers: [.apt(["libcmark-dev"])]),
        .systemLibrary(name: "CPangoCairo", pkgConfig: "pangocairo", providers: [.apt(["libpango1.0-dev", "libcairo2-dev"])]),
        .systemLibrary(name: "CQRencode", pkgConfig: "libqrencode", providers: [.apt(["libqrencode-dev"])]),
        .systemLibrary(name: "CQPDF", pkgConfig: "libqpdf", providers: [.apt(["libqpdf-dev"])]),
        // The brand's images on postcards: SVG as vectors (librsvg), PNG and JPEG (gdk-pixbuf).
        .systemLibrary(name: "CRsvg", pkgConfig: "librsvg-2.0", providers: [.apt(["librsvg2-dev"])]),
        .systemLibrary(name: "CGdkPixbuf", pkgConfig: "gdk-pixbuf-2.0", providers: [.apt(["libgdk-pixbuf-2.0-dev"])]),

        // Linux calls Swift cannot reach (atomic exchange of two folders, spawn flags and actions).
        .target(name: "CRefkitSystem"),
        // The commit `refkit --version` names: a weak symbol `make dist` defines at link time.
        .target(name: "CRefkitBuildInfo"),

        // Model: plain value types, Foundation only.
        .target(name: "RefkitModel", dependencies: [
            // Only SHA-256, for the fingerprints of build inputs.
            .product(name: "Crypto", package: "swift-crypto"),
        ]),

        // Wrappers around the C libraries.
        .target(name: "RefkitMarkdown", dependencies: ["CCmark"]),
        .target(name: "RefkitQR", dependencies: ["CQRencode"]),

        // Load: content/ and site-templates/ → validated model.
        .target(name: "RefkitLoad", dependencies: [
            // RefkitCSV: the strict reader of refkit's own files (kit/report/progress.csv).
            "RefkitModel", "RefkitMarkdown", "RefkitCSV",
            .product(name: "Yams", package: "Yams"),
            .product(name: "CSV", package: "CSV.swift"),
            // Only to check templates for syntax errors at load time, with file and line.
            .product(name: "Mustache", package: "swift-mustache"),
        ]),

        // The one CSV writer (quoting by bytes, one formula guard) and the strict reader of
        // refkit's own CSV files: every CSV refkit writes goes through it. No dependencies.
        .target(name: "RefkitCSV"),

        // Invite codes and the append-only ledger.
        .target(name: "RefkitCodes", dependencies: [
            "RefkitModel", "RefkitCSV",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),

        // Mustache for HTML with refkit's escaping (by Unicode scalar, not by Character).
        .target(name: "RefkitMustache", dependencies: [
            "RefkitModel",
            .product(name: "Mustache", package: "swift-mustache"),
        ]),

        // Renderers: model in, a stream of output files out.
        .target(name: "RefkitSite", dependencies: [
            "RefkitModel", "RefkitQR", "RefkitMustache",
            .product(name: "Mustache", package: "swift-mustache"),
        ]),
        .target(name: "RefkitPrint", dependencies: ["RefkitModel", "RefkitQR", "CPangoCairo", "CQPDF", "CRsvg", "CGdkPixbuf", "CRefkitSystem"]),
        .target(name: "RefkitMail", dependencies: [
            "RefkitModel", "RefkitMarkdown", "RefkitCSV", "RefkitMustache",
            .product(name: "Mustache", package: "swift-mustache"),
        ]),

        // The report: form exports and conversions in, analysis and the report page out.
        .target(name: "RefkitReport", dependencies: [
            "RefkitModel", "RefkitCodes", "RefkitCSV",
            // Only for CSVText, so exports are decoded as referrers.csv is.
            "RefkitLoad", "RefkitMustache",
            .product(name: "CSV", package: "CSV.swift"),
            .product(name: "Mustache", package: "swift-mustache"),
        ]),

        // The counter page (kit/counter/index.html): one self-contained file for the shop's
        // tablet or till. Its script and style are real files embedded in the binary; Crypto
        // hashes them for the page's Content-Security-Policy.
        .target(name: "RefkitCounter", dependencies: [
            "RefkitModel",
            .product(name: "Crypto", package: "swift-crypto"),
        ], resources: [.embedInCode("Resources/counter.js"), .embedInCode("Resources/counter.css")]),

        // Writer: owns public/ and kit/.
        .target(name: "RefkitWrite", dependencies: [
            "RefkitModel", "CRefkitSystem",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),

        // The sample content and default theme for `refkit init`, found beside the binary.
        .target(name: "RefkitSkeleton"),

        // What each static host needs beside the pages (`refkit build --target`): headers,
        // redirects, an nginx server block, S3 upload commands.
        .target(name: "RefkitDeploy", dependencies: ["RefkitModel"]),

        // The named steps of a build.
        .target(name: "RefkitBuild", dependencies: [
            "RefkitModel", "RefkitLoad", "RefkitCodes", "RefkitSite", "RefkitPrint", "RefkitMail", "RefkitWrite", "RefkitDeploy",
            "RefkitReport", "RefkitCSV", "RefkitCounter",
        ]),

        // `refkit bench`: a synthetic programme, the machine's floor (plain writes, a minimal
        // cairo loop) and Hugo as a peer.
        .target(name: "RefkitBench", dependencies: ["RefkitBuild", "RefkitModel", "RefkitCSV", "CPangoCairo", "CQRencode", "CRefkitSystem"]),

        // `refkit serve`: a private preview folder, served by FlyingFox over a Unix socket inside
        // it. What refkit works around in 0.27.1: `HTTPRequest.path` drops a folder URL's final
        // slash (the handler reads `target`), HEAD answers keep their body (the handler sends
        // none), and each line of the head is parsed in quadratic time with no limit (a front
        // door on FlyingSocks caps lines and head before FlyingFox sees them).
        .target(name: "RefkitPreview", dependencies: [
            "RefkitBuild", "RefkitCodes", "RefkitModel",
            .product(name: "FlyingFox", package: "FlyingFox"),
            .product(name: "FlyingSocks", package: "FlyingFox"),
        ]),

        // IMAP: a small command layer (quoting, literals, responses capped in size) over a
        // swift-nio transport, and `refkit mail push` on top: drafts into the Drafts folder.
        .target(name: "RefkitIMAP", dependencies: [
            // RefkitCSV: kit/mail/pushed.csv, what was pushed where.
            "RefkitModel", "RefkitCSV",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            // TLSUserEvent: the handshake's end, when refkit checks the certificate's names.
            .product(name: "NIOTLS", package: "swift-nio"),
        ]),

        // The thin CLI. Every module its files import is named here rather than reached through
        // RefkitBuild's: `print-worker` runs RefkitPrint itself, `codes` reads the ledger
        // (RefkitCodes), `report` prints RefkitReport's results, and RefkitModel has the errors.
        .executableTarget(name: "refkit", dependencies: [
            "RefkitBuild", "RefkitBench", "RefkitSkeleton", "RefkitDeploy", "RefkitPreview", "RefkitIMAP", "CRefkitBuildInfo",
            "RefkitModel", "RefkitCodes", "RefkitPrint", "RefkitReport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // The loaders under libFuzzer with -DREFKIT_FUZZ; without it, a replayer of saved inputs.
        .executableTarget(name: "RefkitFuzz", dependencies: ["RefkitLoad", "RefkitModel"]),

        // Shared by the test targets: the runner of the real binary, the privacy scan, and the
        // temporary folders every target makes its scratch folders with.
        .target(name: "RefkitTestSupport", dependencies: [
            "RefkitModel",
            // CSVText and the CSV reader, so the scan reads referrers.csv as the build does.
            "RefkitLoad", .product(name: "CSV", package: "CSV.swift"),
        ], path: "Tests/RefkitTestSupport"),

        .testTarget(name: "RefkitMarkdownTests", dependencies: ["RefkitMarkdown"]),
        .testTarget(name: "RefkitLoadTests", dependencies: ["RefkitLoad", "RefkitModel", "RefkitTestSupport"]),
        .testTarget(name: "RefkitCodesTests", dependencies: ["RefkitCodes", "RefkitModel", "RefkitTestSupport"]),
        .testTarget(name: "RefkitSiteTests", dependencies: [
            "RefkitSite", "RefkitLoad", "RefkitModel", "RefkitMustache", "RefkitTestSupport",
            .product(name: "Mustache", package: "swift-mustache"),
        ]),
        .testTarget(name: "RefkitPrintTests", dependencies: ["RefkitPrint", "RefkitQR", "RefkitModel", "RefkitTestSupport"]),
        .testTarget(name: "RefkitMailTests", dependencies: ["RefkitMail", "RefkitModel", "RefkitWrite", "RefkitTestSupport"]),
        .testTarget(name: "RefkitWriteTests", dependencies: ["RefkitWrite", "RefkitModel", "RefkitTestSupport"]),
        .testTarget(name: "RefkitBuildTests", dependencies: ["RefkitBuild", "RefkitModel", "RefkitTestSupport"]),
        .testTarget(name: "RefkitCLITests", dependencies: ["RefkitModel", "RefkitTestSupport"]),
        .testTarget(name: "RefkitBenchTests", dependencies: ["RefkitBench", "RefkitModel", "RefkitTestSupport"]),
        .testTarget(name: "RefkitPreviewTests", dependencies: ["RefkitPreview", "RefkitTestSupport", .product(name: "FlyingFox", package: "FlyingFox")]),
        // Runs Tests/Browser/*.py: headless Chromium, axe-core and nginx against real builds.
        .testTarget(name: "RefkitBrowserTests", dependencies: ["RefkitModel", "RefkitTestSupport", "RefkitCodes", "RefkitReport", "RefkitCSV"]),
        .testTarget(name: "RefkitPropertyTests", dependencies: [
            "RefkitSite", "RefkitCodes", "RefkitModel", "RefkitCSV", "RefkitReport", "RefkitTestSupport",
            .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
        .testTarget(name: "RefkitIMAPTests", dependencies: ["RefkitIMAP", "RefkitTestSupport"]),
        .testTarget(name: "RefkitCounterTests", dependencies: [
            "RefkitCounter", "RefkitLoad", "RefkitModel", "RefkitTestSupport",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .testTarget(name: "RefkitCSVTests", dependencies: ["RefkitCSV", "RefkitTestSupport"]),
        .testTarget(name: "RefkitReportTests", dependencies: ["RefkitReport", "RefkitCSV", "RefkitCodes", "RefkitLoad", "RefkitModel", "RefkitTestSupport"]),
    ]
)

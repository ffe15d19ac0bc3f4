import Foundation
import RefkitModel

/// Turns a finished print-shop PDF (cairo's RGB, with TrimBox and BleedBox) into PDF/X-4 or
/// PDF/X-1a: qpdf rewrites pure black as DeviceGray (K only, see `BlackAsGray`), Ghostscript
/// converts everything else to CMYK for the output intent, and qpdf puts the page boxes back,
/// adds what Ghostscript 10.0 leaves out for PDF/X-4 (XMP metadata, the 1.6 header) and checks
/// that no DeviceRGB is left.
///
/// Ghostscript 10.0's pdfwrite knows one PDF/X mode (`-dPDFX`, X-3 rules: CMYK or gray,
/// transparency flattened, PDF 1.3), used for X-1a. It flattens a page with any transparency
/// (the hero's `opacity`, say) into one 720 dpi image, text and all; X-4 allows transparency,
/// so for X-4 Ghostscript converts the colours without `-dPDFX`, keeps vectors and groups, and
/// this pass adds what the mode would have (the output intent from the prologue, the boxes,
/// XMP, CMYK blending spaces). The version the file claims comes from the prologue.
struct PDFXPass {
    let standard: PDFStandard

    /// The CMYK output condition: Ghostscript's own default CMYK profile (Debian's
    /// `libgs-common`, installed with `ghostscript`), a SWOP-like coated-paper press profile,
    /// registered as CGATS TR 001 (SWOP). Embedded in every file as the output intent.
    static let profilePath = "/usr/share/color/icc/ghostscript/default_cmyk.icc"
    static let outputConditionIdentifier = "CGATS TR 001"
    static let outputCondition = "SWOP (Ghostscript default_cmyk.icc), coated paper"

    struct Failure: Error, CustomStringConvertible {
        var message: String
        var fix: String
        var description: String { message }
    }

    /// The PDF/X bytes for `pdf`, whose pages are the front once and then every back (see
    /// `ShopFile`): Ghostscript converts each page it is given, an image on it too, however
    /// often it repeats (about a second for a 2-megapixel photo), so it gets the front once
    /// and qpdf repeats it afterwards. `trim` and `bleed` are the page boxes to restore,
    /// `title` the document title, `date` its creation date (Ghostscript reads
    /// SOURCE_DATE_EPOCH).
    func convert(_ pdf: Data, title: String, trim: PageBox, bleed: PageBox, date: Date) throws -> Data {
        guard FileManager.default.isReadableFile(atPath: Self.profilePath) else {
            throw Failure(message: "print.pdf: \(standard.rawValue) needs the CMYK profile \(Self.profilePath), which is missing",
                          fix: "install Debian's ghostscript package (sudo apt-get install ghostscript), or set print.pdf: plain")
        }
        let before = try QPDFDocument(pdf, description: title)
        try before.drawBlackAsGray()
        let grayBlack = try before.write()

        let folder = try TemporaryFolder()
        let input = folder.path + "/in.pdf"
        let output = folder.path + "/out.pdf"
        let prologue = folder.path + "/pdfx.ps"
        let log = folder.path + "/gs.log"
        try grayBlack.write(to: URL(fileURLWithPath: input))
        try Data(prologueText(title: title).utf8).write(to: URL(fileURLWithPath: prologue))
        let arguments = [
            "gs", "-q", "-dBATCH", "-dNOPAUSE", "-dSAFER",
            "-sDEVICE=pdfwrite", "-sColorConversionStrategy=CMYK",
        ] + (standard == .x1a ? ["-dPDFX", "-dCompatibilityLevel=1.3"] : ["-dCompatibilityLevel=1.6"]) + [
            "-dEmbedAllFonts=true", "-dSubsetFonts=true",
            // -dSAFER lets Ghostscript read only what is named: the prologue opens the profile.
            "--permit-file-read=" + Self.profilePath,
            "-sOutputFile=" + output, prologue, input,
        ]
        let epoch = Int(date.timeIntervalSince1970)
        let status = try Self.run(arguments, log: log, environment: ["SOURCE_DATE_EPOCH=\(epoch)"])
        guard status == 0, let converted = FileManager.default.contents(atPath: output), !converted.isEmpty else {
            let said = (try? String(contentsOfFile: log, encoding: .utf8)).map { String($0.suffix(600)) } ?? ""
            throw Failure(message: "Ghostscript could not make the PDF/X file (\(status == 0 ? "no output" : "exit status \(status)")): \(said.trimmingCharacters(in: .whitespacesAndNewlines))",
                          fix: "set print.pdf: plain and send the RGB file, or report this with the postcard files")
        }

        let after = try QPDFDocument(converted, description: title)
        try after.repeatFirstPageBeforeEachOther()
        // Ghostscript writes TrimBox and BleedBox of its own in PDF/X mode; the pass's are the
        // ones the cards were drawn for.
        try after.setBoxes(trim: trim, bleed: bleed)
        if standard == .x4 {
            try after.setGroupSpacesToCMYK()
            after.addPDFX4Metadata(title: title, date: date)
        }
        // PDF/X-4 is PDF 1.6; Ghostscript 10.0 writes 1.3 for any PDF/X.
        return try after.write(version: standard == .x4 ? "1.6" : nil)
    }

    /// The pdfmark prologue Ghostscript reads before the file: the version and title in the
    /// document information, the ICC profile and the output intent (cf. Ghostscript's
    /// PDFX_def.ps, whose ICC profile and identifier must be filled in).
    private func prologueText(title: String) -> String {
        let version = standard == .x1a ? "PDF/X-1a:2003" : "PDF/X-4"
        return """
        %!
        [ /GTS_PDFXVersion \(Self.ps(version)) /Title \(Self.ps(title)) /Trapped /False /DOCINFO pdfmark
        [/_objdef {icc_PDFX} /type /stream /OBJ pdfmark
        [{icc_PDFX} << /N 4 >> /PUT pdfmark
        [{icc_PDFX} \(Self.ps(Self.profilePath)) (r) file /PUT pdfmark
        [/_objdef {OutputIntent_PDFX} /type /dict /OBJ pdfmark
        [{OutputIntent_PDFX} << /Type /OutputIntent /S /GTS_PDFX
          /OutputCondition \(Self.ps(Self.outputCondition))
          /OutputConditionIdentifier \(Self.ps(Self.outputConditionIdentifier))
          /RegistryName (http://www.color.org) /Info \(Self.ps(Self.outputCondition))
          /DestOutputProfile {icc_PDFX} >> /PUT pdfmark
        [{Catalog} << /OutputIntents [ {OutputIntent_PDFX} ] >> /PUT pdfmark
        % Images Ghostscript recompresses as JPEG: Acrobat's "maximum" quality, no chroma
        % subsampling, instead of its default medium quality.
        << /ColorACSImageDict << /QFactor 0.15 /Blend 1 /HSamples [1 1 1 1] /VSamples [1 1 1 1] >> >> setdistillerparams

        """
    }

    /// A PostScript string literal: printable ASCII as it is, `(`, `)` and `\` escaped, every
    /// other byte in octal, so no title can end the string or run PostScript.
    static func ps(_ text: String) -> String {
        var out = "("
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "\\"):
                out += "\\" + String(UnicodeScalar(byte))
            case 0x20...0x7E:
                out.unicodeScalars.append(UnicodeScalar(byte))
            default:
                out += "\\" + String(format: "%03o", byte)
            }
        }
        return out + ")"
    }

    /// Runs `arguments` (found on PATH, no shell) with /dev/null as input and both outputs in
    /// `log`, and waits for it. Returns the exit status; a signal is 128 + its number.
    private static func run(_ arguments: [String], log: String, environment extra: [String]) throws -> Int32 {
        let environment = ProcessInfo.processInfo.environment.filter { $0.key != "SOURCE_DATE_EPOCH" }.map { "\($0.key)=\($0.value)" } + extra
        let pid: pid_t
        do throws(Syscalls.Errno) {
            // Nothing else crosses: a print worker's socket to the build must not live on in gs.
            pid = try Syscalls.spawn(arguments, searchPath: true,
                                     files: [.open(0, "/dev/null", flags: O_RDONLY), .open(1, log, flags: O_WRONLY | O_CREAT | O_TRUNC, mode: 0o600),
                                             .duplicate(1, as: 2)],
                                     closingFrom: 3, environment: environment)
        } catch {
            throw Failure(message: "print.pdf needs Ghostscript (gs), which could not be started: \(error.reason)",
                          fix: "install Debian's ghostscript package (sudo apt-get install ghostscript), or set print.pdf: plain")
        }
        return Syscalls.wait(for: pid).shellStatus
    }
}

/// A private folder (0700) for Ghostscript's input and output, removed when released.
final class TemporaryFolder {
    let path: String

    init() throws {
        do throws(Syscalls.Errno) {
            path = try Syscalls.makeUniqueFolder(NSTemporaryDirectory() + "/refkit-pdfx-")
        } catch {
            throw PDFXPass.Failure(message: "could not make a temporary folder for the PDF/X pass: \(error.reason)",
                                   fix: "check that $TMPDIR (or /tmp) is writable and not full")
        }
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

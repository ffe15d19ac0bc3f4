import Foundation
import RefkitModel

/// The disk a bench run needs, checked against what is free before anything is generated: at
/// a million referrers the programme, its outputs and the spare folders the rebuilds leave
/// take more than most machines have, and a run that fills the disk an hour in helps nobody
/// (nor whatever else shares that disk).
///
/// The figures are `du` of `refkit bench --keep` folders at 2,000 and 10,000 referrers (README,
/// Performance), sampled every 3 seconds during the run and taken per referrer at their
/// largest. A file system with another block size or longer names needs a little more or less.
public enum DiskSpace {
    /// The programme's folder at its largest: public/ (38 KB a referrer) and kit/ (31 KB), the
    /// spare folders the rebuilds leave (`.public.refkit-spare`, `.kit.refkit-spare`, sharing
    /// unchanged files with the live ones by hard links), 4 KB blocks and a folder per page,
    /// and the old output a rebuild removes in the background while the next one is staged:
    /// 98-100 KB at the end of a run, 110-112 KB at the peak.
    static let projectBytesPerReferrer = 112_000
    /// One set of write-floor files per personal page (a folder and a file each) and per draft,
    /// and the minimal postcard loop's PDFs per card: the floor writes five sets (pages and
    /// drafts on one thread and on all cores, then cards), of at most `WriteFloor.maximumFiles`.
    static let floorBytesPerPage = 25_200
    static let floorBytesPerDraft = 13_600
    static let floorBytesPerCard = 13_100
    /// The sample programme's content/ and site-templates/ (0.4 MB), whatever the size.
    static let fixedBytes = 1_000_000
    /// The measured figures vary with names' lengths and the file system's block size; a
    /// quarter more leaves room for both and for the rest of the machine.
    static let margin = 1.25

    /// Bytes a run of `referrers` needs at its largest: the programme, and either every floor
    /// set (`keep`) or the largest one, since each goes once measured.
    public static func needed(referrers: Int, keep: Bool) -> Int {
        let floorCount = min(referrers, WriteFloor.maximumFiles)
        let sets = [floorBytesPerPage, floorBytesPerPage, floorBytesPerDraft, floorBytesPerDraft, floorBytesPerCard].map { $0 * floorCount }
        let floor = keep ? sets.reduce(0, +) : sets.max()!
        return Int(Double(fixedBytes + referrers * projectBytesPerReferrer + floor) * margin)
    }

    /// Bytes several sizes need, run one after the other: together when each run's folder is
    /// kept, the largest alone when each goes before the next starts.
    public static func needed(sizes: [Int], keep: Bool) -> Int {
        let each = sizes.map { needed(referrers: $0, keep: keep) }
        return keep ? each.reduce(0, +) : each.max() ?? 0
    }

    /// The bytes an unprivileged process may write on the disk of `folder`, or of the nearest
    /// folder above it that exists (the bench makes `folder`); nil when that cannot be read.
    public static func free(at folder: URL) -> Int? {
        var path = folder.standardizedFileURL.path
        while true {
            if FileManager.default.fileExists(atPath: path) { return try? Syscalls.availableBytes(path) }
            let parent = (path as NSString).deletingLastPathComponent
            guard parent != path, !parent.isEmpty else { return nil }
            path = parent
        }
    }

    /// Throws when `free` bytes (nil: unknown, not refused) cannot hold bench runs of `sizes`
    /// in `folder`, saying how much is needed, how much is free and what to do.
    public static func check(referrers sizes: [Int], keep: Bool, folder: URL, free: Int?) throws(BenchError) {
        let need = needed(sizes: sizes, keep: keep)
        guard let free, need > free else { return }
        let asked = sizes.map { "--referrers \($0)" }.joined(separator: " ") + (keep ? " --keep" : "")
        // --work-dir takes one size; several run in the temporary folder, which TMPDIR moves.
        var fix = (sizes.count == 1 ? "give --work-dir a folder" : "set TMPDIR to a folder") + " on a disk with \(text(need)) free"
        if let fits = largestFitting(free, keep: keep) {
            fix += ", or ask for fewer referrers (about \(fits.grouped) fit here in one run)"
        } else {
            fix += ", or free some space on this one"
        }
        if keep, sizes.count > 1 { fix += "; without --keep each size's folder goes before the next size starts" }
        // A single run goes in `folder` itself (several go in folders of their own inside it).
        if sizes.count == 1, let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path), !names.isEmpty {
            fix += "; \(folder.path) holds an earlier run, which counts as used until it is removed"
        }
        throw BenchError("refkit bench \(asked) needs about \(text(need)) of disk in \(folder.path), and \(text(free)) is free there; \(fix). Nothing was generated.",
                         kind: .fileSystem)
    }

    /// The most referrers (rounded down to two significant digits) one run can have in
    /// `free` bytes; nil when not even the smallest bench fits.
    static func largestFitting(_ free: Int, keep: Bool) -> Int? {
        guard needed(referrers: 10, keep: keep) <= free else { return nil }
        var low = 10, high = 10_000_000
        while low < high {
            let middle = (low + high + 1) / 2
            if needed(referrers: middle, keep: keep) <= free { low = middle } else { high = middle - 1 }
        }
        var unit = 1
        while low / unit >= 100 { unit *= 10 }
        return low / unit * unit
    }

    /// Bytes as people read them on a disk: decimal units, two significant digits or more.
    public static func text(_ bytes: Int) -> String {
        let units = [(1e12, "TB"), (1e9, "GB"), (1e6, "MB"), (1e3, "kB")]
        let value = Double(bytes)
        for (size, unit) in units where value >= size {
            let scaled = value / size
            return (scaled < 10 ? String(format: "%.1f", scaled) : String(format: "%.0f", scaled)) + " " + unit
        }
        return "\(bytes) bytes"
    }
}

import Foundation
import RefkitReport

extension ReportRun {
    /// Every `--conversions` file, in the order given, as one list in which each counter
    /// redemption appears once (`ConversionExport.merge`): the counter's exports can be given
    /// all together, overlapping as they may. A file given twice (by another path, through a
    /// link, or copied under another name) is read once and listed in `sameFiles`: a till
    /// export has no redemption ids, and reading its copy would count each walk-in again.
    /// Nil without any.
    func readConversions() throws -> (conversions: [Conversion]?, repeated: Int, sameFiles: [(String, String)]) {
        guard !options.conversions.isEmpty else { return (nil, 0, []) }
        var seenPaths = Set<String>()
        var seenBytes: [Data: String] = [:]
        var sameFiles: [(String, String)] = []
        var files: [[Conversion]] = []
        for url in options.conversions where seenPaths.insert(url.resolvingSymlinksInPath().standardizedFileURL.path).inserted {
            let bytes = try read(url)
            if let first = seenBytes[bytes] {
                sameFiles.append((display(url), first))
                continue
            }
            seenBytes[bytes] = display(url)
            files.append(try ConversionExport.read(bytes, file: display(url)))
        }
        let merged = ConversionExport.merge(files)
        return (merged.conversions, merged.repeated, sameFiles)
    }
}

import Foundation
import RefkitReport

extension ReportRun {
    /// Every `--conversions` file, in the order given, as one list in which each counter
    /// redemption appears once (`ConversionExport.merge`): the counter's exports can be given
    /// all together, overlapping as they may. A file named twice is read once. Nil without any.
    func readConversions() throws -> (conversions: [Conversion]?, repeated: Int) {
        guard !options.conversions.isEmpty else { return (nil, 0) }
        var seen = Set<String>()
        var files: [[Conversion]] = []
        for url in options.conversions where seen.insert(url.standardizedFileURL.path).inserted {
            files.append(try ConversionExport.read(read(url), file: display(url)))
        }
        let merged = ConversionExport.merge(files)
        return (merged.conversions, merged.repeated)
    }
}

import Foundation

/// Reads a CSV file refkit wrote back with the tools its users open it with: Python's `csv`
/// module (which splits a row at a stray quote) and LibreOffice Calc (which runs a cell that
/// starts with `=` as a formula when it imports a CSV).
public enum CSVReadBack {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Every row of the file as Python's `csv.reader` reads it (UTF-8, a BOM dropped).
    public static func python(_ file: URL) throws -> [[String]] {
        let script = """
        import csv, json, sys
        with open(sys.argv[1], newline='', encoding='utf-8-sig') as f:
            json.dump(list(csv.reader(f)), sys.stdout)
        """
        let result = try CLI.run("python3", ["-c", script, file.path])
        guard result.status == 0 else { throw Failure(description: "python3 csv could not read \(file.path): \(result.stderr)") }
        return try JSONDecoder().decode([[String]].self, from: Data(result.stdout.utf8))
    }

    public struct Sheet: Sendable {
        /// Cells per row, trailing empty cells left out (LibreOffice does not keep them).
        public var columns: [Int]
        /// Cells LibreOffice imported as formulas (`table:formula` in the document).
        public var formulas: [String]
    }

    /// Imports each file into LibreOffice Calc as refkit's users would (comma, double quote,
    /// UTF-8, from line 1: `--infilter="CSV:44,34,76,1"`), converts it to `.ods` and reads the
    /// document back. One `soffice` run for all files: it takes about ten seconds to start.
    public static func libreOffice(_ files: [URL]) throws -> [URL: Sheet] {
        let scratch = try TemporaryFolder("refkit-lo")
        defer { scratch.remove() }
        let work = scratch.url
        // Copies with distinct names: the ods files are named after their CSV files.
        var copies: [(URL, URL)] = []
        for (i, file) in files.enumerated() {
            let copy = work.appendingPathComponent("f\(i).csv")
            try FileManager.default.copyItem(at: file, to: copy)
            copies.append((file, copy))
        }
        // A profile of its own, so that another LibreOffice (another test, another user) does not
        // take the conversion over.
        let profile = "-env:UserInstallation=file://" + work.appendingPathComponent("profile").path
        let convert = try CLI.run("soffice", [profile, "--headless", "--infilter=CSV:44,34,76,1", "--convert-to", "ods",
                                             "--outdir", work.path] + copies.map(\.1.path))
        guard convert.status == 0 else { throw Failure(description: "soffice failed: \(convert.output)") }
        let script = """
        import json, sys, zipfile
        import xml.etree.ElementTree as ET
        T = '{urn:oasis:names:tc:opendocument:xmlns:table:1.0}'
        out = {}
        for path in sys.argv[1:]:
            root = ET.fromstring(zipfile.ZipFile(path).read('content.xml'))
            columns, formulas = [], []
            for row in root.iter(T + 'table-row'):
                cells = []
                for cell in row:
                    if cell.tag not in (T + 'table-cell', T + 'covered-table-cell'):
                        continue
                    if cell.get(T + 'formula') is not None:
                        formulas.append(cell.get(T + 'formula'))
                    text = ''.join(cell.itertext())
                    cells += [text] * int(cell.get(T + 'number-columns-repeated', '1'))
                while cells and cells[-1] == '':
                    cells.pop()
                columns.append(len(cells))
            out[path] = {'columns': columns, 'formulas': formulas}
        json.dump(out, sys.stdout)
        """
        let ods = copies.map { work.appendingPathComponent($0.1.deletingPathExtension().lastPathComponent + ".ods").path }
        let read = try CLI.run("python3", ["-c", script] + ods)
        guard read.status == 0 else { throw Failure(description: "cannot read LibreOffice's documents: \(read.output)") }
        struct Raw: Decodable { var columns: [Int]; var formulas: [String] }
        let raw = try JSONDecoder().decode([String: Raw].self, from: Data(read.stdout.utf8))
        var sheets: [URL: Sheet] = [:]
        for ((file, _), path) in zip(copies, ods) {
            guard let sheet = raw[path] else { throw Failure(description: "LibreOffice wrote no document for \(file.path)") }
            sheets[file] = Sheet(columns: sheet.columns, formulas: sheet.formulas)
        }
        return sheets
    }

    /// Cells per row as `libreOffice` counts them: trailing empty cells left out.
    public static func columns(_ rows: [[String]]) -> [Int] {
        rows.map { row in
            var n = row.count
            while n > 0, row[n - 1].isEmpty { n -= 1 }
            return n
        }
    }

    /// Exact equality by Unicode scalar: Swift's `==` on String treats `e` + U+0301 and `é` as
    /// equal, and a round trip must not change either into the other.
    public static func same(_ a: [[String]], _ b: [[String]]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { x, y in
            x.count == y.count && zip(x, y).allSatisfy { Array($0.unicodeScalars) == Array($1.unicodeScalars) }
        }
    }
}

/// Writes the CSV inputs of a test (a hostile `referrers.csv`, a form export) exactly as
/// meant: every cell quoted, every `"` byte doubled, nothing guarded (these are files a
/// spreadsheet or an attacker wrote, not files refkit writes).
///
/// By bytes, not with `replacingOccurrences`: that matches whole Characters and leaves the
/// quote of `"` + U+0301 undoubled, so the fixture would not say what the test means.
public enum CSVFixture {
    public static func row(_ cells: [String]) -> String {
        var bytes: [UInt8] = []
        for (i, cell) in cells.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(0x22)
            for b in cell.utf8 {
                bytes.append(b)
                if b == 0x22 { bytes.append(0x22) }
            }
            bytes.append(0x22)
        }
        bytes.append(0x0A)
        return String(decoding: bytes, as: UTF8.self)
    }
}

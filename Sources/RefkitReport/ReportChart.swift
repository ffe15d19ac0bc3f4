import Foundation
import RefkitModel

/// The report's SVG: submissions and conversions over time, and confidence intervals.
/// Every piece of text is escaped here, because the template puts the SVG in unescaped.
enum ReportChart {
    static func escape(_ text: String) -> String { Markup.escape(text) }

    static func number(_ x: Double) -> String { String(format: "%.1f", x) }

    /// Bars per day or week: submissions light, conversions dark in front, with the cumulative
    /// conversions (or submissions, without a conversions file) as a line on a right-hand axis.
    static func svg(_ buckets: [TimelineBucket], conversions: Bool) -> String {
        guard !buckets.isEmpty else { return "" }
        let width = 900.0, height = 300.0, left = 44.0, right = 50.0, top = 16.0, bottom = 46.0
        let plotW = width - left - right, plotH = height - top - bottom
        let peak = max(1, buckets.map { max($0.submitted, $0.converted) }.max() ?? 1)
        let step = niceStep(Double(peak))
        let yMax = step * (Double(peak) / step).rounded(.up)
        let slot = plotW / Double(buckets.count)
        let barW = max(1, slot * 0.8)
        var totals: [Int] = []
        var running = 0
        for b in buckets {
            running += conversions ? b.converted : b.submitted
            totals.append(running)
        }
        let totalMax = Double(max(1, running))
        let unit = buckets[0].days == 7 ? "week" : "day"
        let label = "Submissions\(conversions ? " and conversions" : "") per \(unit), \(buckets.first!.start) to \(buckets.last!.start)"

        var s = "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(escape(label))\">"
        s += "<title>\(escape(label))</title>"
        // Grid and left axis.
        var y = 0.0
        while y <= yMax + 0.001 {
            let py = top + plotH - plotH * y / yMax
            s += "<line x1=\"\(number(left))\" y1=\"\(number(py))\" x2=\"\(number(left + plotW))\" y2=\"\(number(py))\" stroke=\"#e4ddd6\" stroke-width=\"1\"/>"
            s += "<text x=\"\(number(left - 6))\" y=\"\(number(py + 4))\" font-size=\"11\" text-anchor=\"end\" fill=\"#6b625c\">\(Int(y))</text>"
            y += step
        }
        // Bars.
        for (i, b) in buckets.enumerated() {
            let x = left + Double(i) * slot + (slot - barW) / 2
            let hs = plotH * Double(b.submitted) / yMax
            let title = "\(b.start): \(b.submitted) submitted" + (conversions ? ", \(b.converted) converted" : "")
            s += "<g><title>\(escape(title))</title>"
            s += "<rect x=\"\(number(x))\" y=\"\(number(top + plotH - hs))\" width=\"\(number(barW))\" height=\"\(number(hs))\" fill=\"var(--brand, #8a3b12)\" fill-opacity=\"0.35\"/>"
            if conversions {
                let hc = plotH * Double(b.converted) / yMax
                s += "<rect x=\"\(number(x + barW * 0.2))\" y=\"\(number(top + plotH - hc))\" width=\"\(number(barW * 0.6))\" height=\"\(number(hc))\" fill=\"var(--brand, #8a3b12)\"/>"
            }
            s += "</g>"
        }
        // Cumulative line on the right axis.
        let points = totals.enumerated().map { i, t in
            "\(number(left + (Double(i) + 0.5) * slot)),\(number(top + plotH - plotH * Double(t) / totalMax))"
        }
        s += "<polyline points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"#1f1a17\" stroke-width=\"2\"/>"
        s += "<text x=\"\(number(left + plotW + 6))\" y=\"\(number(top + 4))\" font-size=\"11\" fill=\"#1f1a17\">\(running)</text>"
        s += "<text x=\"\(number(left + plotW + 6))\" y=\"\(number(top + plotH + 4))\" font-size=\"11\" fill=\"#1f1a17\">0</text>"
        // Dates along the bottom: about eight labels.
        let every = max(1, Int((Double(buckets.count) / 8).rounded(.up)))
        for i in stride(from: 0, to: buckets.count, by: every) {
            let x = left + (Double(i) + 0.5) * slot
            s += "<text x=\"\(number(x))\" y=\"\(number(top + plotH + 16))\" font-size=\"11\" text-anchor=\"middle\" fill=\"#6b625c\">\(escape(String(buckets[i].start.description.dropFirst(5))))</text>"
        }
        // Legend.
        let ly = height - 12
        s += "<rect x=\"\(number(left))\" y=\"\(number(ly - 9))\" width=\"12\" height=\"10\" fill=\"var(--brand, #8a3b12)\" fill-opacity=\"0.35\"/>"
        s += "<text x=\"\(number(left + 16))\" y=\"\(number(ly))\" font-size=\"12\" fill=\"#1f1a17\">submitted per \(unit)</text>"
        var lx = left + 170
        if conversions {
            s += "<rect x=\"\(number(lx))\" y=\"\(number(ly - 9))\" width=\"12\" height=\"10\" fill=\"var(--brand, #8a3b12)\"/>"
            s += "<text x=\"\(number(lx + 16))\" y=\"\(number(ly))\" font-size=\"12\" fill=\"#1f1a17\">converted per \(unit)</text>"
            lx += 170
        }
        s += "<line x1=\"\(number(lx))\" y1=\"\(number(ly - 4))\" x2=\"\(number(lx + 14))\" y2=\"\(number(ly - 4))\" stroke=\"#1f1a17\" stroke-width=\"2\"/>"
        s += "<text x=\"\(number(lx + 18))\" y=\"\(number(ly))\" font-size=\"12\" fill=\"#1f1a17\">\(conversions ? "conversions" : "submissions") so far (right axis)</text>"
        s += "</svg>"
        return s
    }

    /// 1, 2 or 5 times a power of ten, giving four to eight grid lines.
    static func niceStep(_ peak: Double) -> Double {
        let rough = peak / 5
        let power = pow(10, floor(log10(max(rough, 1))))
        for m in [1.0, 2.0, 5.0, 10.0] where m * power >= rough { return m * power }
        return 10 * power
    }

    /// A small bar from `low` to `high` on a 0–100% scale with a dot at the rate.
    static func interval(low: Double, rate: Double, high: Double) -> String {
        let w = 120.0
        let label = String(format: "%.1f%% (95%% interval %.1f%% to %.1f%%)", 100 * rate, 100 * low, 100 * high)
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(w))\" height=\"12\" viewBox=\"0 0 \(Int(w)) 12\" role=\"img\" aria-label=\"\(escape(label))\">"
            + "<line x1=\"0\" y1=\"6\" x2=\"\(Int(w))\" y2=\"6\" stroke=\"#e4ddd6\" stroke-width=\"2\"/>"
            + "<line x1=\"\(number(w * low))\" y1=\"6\" x2=\"\(number(w * high))\" y2=\"6\" stroke=\"var(--brand, #8a3b12)\" stroke-width=\"4\"/>"
            + "<circle cx=\"\(number(w * rate))\" cy=\"6\" r=\"4\" fill=\"#1f1a17\"/></svg>"
    }
}

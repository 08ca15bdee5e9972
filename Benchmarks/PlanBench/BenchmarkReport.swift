import Foundation

/// One measured figure: a fixture × method × chunk size.
struct BenchmarkRecord: Codable {
    var fixture: String
    var bytes: Int
    var method: String
    /// Bytes per chunk; 0 for the whole document at once.
    var chunkSize: Int
    var medianSeconds: Double
    var minSeconds: Double
    var maxSeconds: Double
    var mbPerSecond: Double?
    var peakBytes: Int?
    var runs: Int
    /// `naive-reparse` only: stopped at its time cap, `medianSeconds` extrapolated (a lower bound).
    var capped: Bool?
    /// The typed methods' models when the default ones (`PlanMetadata`, `PlanDay`) do not fit the
    /// fixture: `JSONValue`; absent otherwise.
    var models: String?
    /// `client` and `envelope-push`: the provider framing (`openai-sse`, `ollama-ndjson`); the body
    /// arrives one envelope per chunk, `chunkSize` is the mean envelope size, `bytes` the body's
    /// size and `documentBytes` the plan's.
    var envelope: String?
    var documentBytes: Int?
    /// `concurrent-streams`: streams at once (`bytes` repeats it), how many completed with the exact
    /// plan, and CPU seconds (user + system) per stream; `medianSeconds` is the wall time of all.
    var streams: Int?
    var completedStreams: Int?
    var cpuSecondsPerStream: Double?
    /// `push`, `push-scalar` and `push-batch`: what a push costs beyond the bytes it brings, in nanoseconds — the
    /// fastest run's excess over the fastest run at the largest chunk size measured (the whole
    /// document when measured), divided by the pushes.
    var nanosecondsPerPush: Double?
}

struct BenchmarkDocument: Codable {
    struct Machine: Codable {
        var cores: Int
        var os: String
        var memoryBytes: UInt64
    }

    var machine: Machine
    var configuration: String
    var results: [BenchmarkRecord]
}

enum BenchmarkReport {
    static func tableHeader() -> String {
        "fixture              method               chunk     median ms      min ms      max ms       MB/s   note"
    }

    static func tableRow(_ r: BenchmarkRecord) -> String {
        let chunk = r.chunkSize == 0 ? "whole" : String(r.chunkSize)
        let mbps = r.mbPerSecond.map { String(format: "%10.1f", $0) } ?? String(repeating: " ", count: 10)
        var note = r.capped == true ? "capped, extrapolated" : ""
        if let peak = r.peakBytes { note = String(format: "peak %.1f MB", Double(peak) / 1_048_576) }
        if r.method == "repair" { note = String(format: "median %.2f µs per repair", r.medianSeconds * 1e6) }
        if let streams = r.streams, let cpu = r.cpuSecondsPerStream, let peak = r.peakBytes {
            note = String(format: "%d/%d streams complete, %.1f ms CPU per stream, peak %.1f MB",
                          r.completedStreams ?? 0, streams, cpu * 1e3, Double(peak) / 1_048_576)
        }
        if let envelope = r.envelope, r.streams == nil { note = envelope }
        if let perPush = r.nanosecondsPerPush { note = String(format: "%.1f ns per push", perPush) }
        return pad(r.fixture, 21) + pad(r.method, 21) + pad(chunk, 6)
            + String(format: "%12.4f %11.4f %11.4f ", r.medianSeconds * 1e3, r.minSeconds * 1e3, r.maxSeconds * 1e3)
            + mbps + "   " + note
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }

    /// Throughput against chunk size, one line per streaming method, one-shot methods as
    /// horizontal references; log scales.
    static func svg(_ records: [BenchmarkRecord], fixture: String) -> String {
        let rows = records.filter { $0.fixture == fixture && $0.mbPerSecond != nil }
        let sizes = [1, 16, 64, 256, 4096, 0]
        let width = 760.0, height = 440.0, left = 70.0, right = 190.0, top = 40.0, bottom = 50.0
        let values = rows.compactMap(\.mbPerSecond).filter { $0 > 0 }
        let low = pow(10, floor(log10(values.min() ?? 0.1))), high = pow(10, ceil(log10(values.max() ?? 1000)))
        func x(_ size: Int) -> Double {
            let i = Double(sizes.firstIndex(of: size) ?? 0)
            return left + i * (width - left - right) / Double(sizes.count - 1)
        }
        func y(_ v: Double) -> Double {
            top + (height - top - bottom) * (1 - (log10(v) - log10(low)) / (log10(high) - log10(low)))
        }
        let colors = ["push": "#1f77b4", "plan": "#2ca02c", "naive-reparse": "#d62728",
                      "foundation-oneshot": "#7f7f7f", "decoder-oneshot": "#9467bd"]
        var svg = #"<svg xmlns="http://www.w3.org/2000/svg" width="\#(Int(width))" height="\#(Int(height))" font-family="sans-serif" font-size="12">"#
        svg += #"<rect width="100%" height="100%" fill="white"/>"#
        svg += #"<text x="\#(left)" y="22" font-size="15">Throughput against chunk size — \#(fixture) (MB/s, log scale)</text>"#
        var tick = low
        while tick <= high * 1.0001 {
            svg += #"<line x1="\#(left)" x2="\#(width - right)" y1="\#(y(tick))" y2="\#(y(tick))" stroke="gainsboro"/>"#
            svg += #"<text x="\#(left - 8)" y="\#(y(tick) + 4)" text-anchor="end">\#(tick >= 1 ? String(Int(tick)) : String(tick))</text>"#
            tick *= 10
        }
        for size in sizes {
            svg += #"<text x="\#(x(size))" y="\#(height - bottom + 20)" text-anchor="middle">\#(size == 0 ? "whole" : String(size))</text>"#
        }
        svg += #"<text x="\#((left + width - right) / 2)" y="\#(height - 12)" text-anchor="middle">chunk size (bytes)</text>"#
        var legendY = top + 10
        for method in ["push", "plan", "naive-reparse", "foundation-oneshot", "decoder-oneshot"] {
            let points = rows.filter { $0.method == method }
            guard !points.isEmpty, let color = colors[method] else { continue }
            if points.count == 1, let v = points[0].mbPerSecond {
                svg += #"<line x1="\#(left)" x2="\#(width - right)" y1="\#(y(v))" y2="\#(y(v))" stroke="\#(color)" stroke-dasharray="6 4" stroke-width="2"/>"#
            } else {
                let path = sizes.compactMap { size in points.first { $0.chunkSize == size }.flatMap { p in p.mbPerSecond.map { "\(x(size)),\(y($0))" } } }
                svg += #"<polyline fill="none" stroke="\#(color)" stroke-width="2.5" points="\#(path.joined(separator: " "))"/>"#
                for point in path { svg += #"<circle r="3.5" fill="\#(color)" cx="\#(point.split(separator: ",")[0])" cy="\#(point.split(separator: ",")[1])"/>"# }
            }
            svg += #"<line x1="\#(width - right + 15)" x2="\#(width - right + 40)" y1="\#(legendY)" y2="\#(legendY)" stroke="\#(color)" stroke-width="2.5"\#(points.count == 1 ? #" stroke-dasharray="6 4""# : "")/>"#
            svg += #"<text x="\#(width - right + 46)" y="\#(legendY + 4)">\#(method)</text>"#
            legendY += 20
        }
        return svg + "</svg>\n"
    }
}

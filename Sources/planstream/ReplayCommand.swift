import CommandLineSupport
import Foundation
import IncrementalJSON
import PlanStream

/// `planstream replay`: the demo. Streams a plan in model-like chunks with small delays, with a
/// progress bar on a terminal, the day being written shown live (its title and activity count
/// appear as they arrive), and a line per completed day.
enum ReplayCommand {
    static let usage = "planstream replay [FILE] [--chunk-size N] [--delay-ms M]"

    static func run(_ arguments: [String]) throws -> Int32 {
        let options = try CommandLineArguments(arguments, valued: ["chunk-size", "delay-ms"], switches: [])
        guard options.positionals.count <= 1 else {
            throw UsageError("expected at most one FILE")
        }
        let bytes = try options.positionals.first.map(Input.read) ?? PackageResources.default_plan_json
        let chunkSize = try options.count("chunk-size", default: 0)
        let delay = try options.count("delay-ms", default: 12)
        let display = ProgressDisplay(isTerminal: isatty(STDOUT_FILENO) == 1)
        let parser = PlanStreamParser(schema: PlanSchema(), metadata: JSONValue.self, day: JSONValue.self,
                                      snapshots: .everyChange)
        let clock = ContinuousClock()
        let start = clock.now

        var generator = SystemRandomNumberGenerator()
        var offset = 0
        var finalStatus: Int32 = 0
        while offset < bytes.count {
            // Models send a few tokens at a time: 8 to 48 bytes, unless a size is given.
            let size = chunkSize > 0 ? chunkSize : Int.random(in: 8...48, using: &generator)
            let end = min(offset + size, bytes.count)
            do {
                for event in try parser.feed(bytes[offset..<end]) {
                    display.show(event, elapsed: clock.now - start)
                }
            } catch {
                display.finishLine()
                print("error: \(error)", to: &standardError)
                finalStatus = 1
                break
            }
            offset = end
            display.received(bytes: offset)
            if delay > 0 { usleep(UInt32(delay) * 1000) }
        }
        for event in parser.finish() {
            display.show(event, elapsed: clock.now - start)
            if case .partial = event { finalStatus = 1 }
        }
        display.finishLine()
        return finalStatus
    }
}

/// Draws the replay: a bar redrawn in place on a terminal, plain lines otherwise; on standard
/// output (`replay`) or standard error (`stream`, whose standard output is the plan).
final class ProgressDisplay {
    let isTerminal: Bool
    let toStandardError: Bool
    private var expectedDays: Int?
    private var daysCompleted = 0
    private var bytes = 0
    /// The day being written, from its snapshots: `Day 3 · "Morning wa…" · 2 activities`.
    private var writing: String?
    /// Off a terminal: the day whose completed title was already announced.
    private var announcedTitle: Int?

    init(isTerminal: Bool, toStandardError: Bool = false) {
        self.isTerminal = isTerminal
        self.toStandardError = toStandardError
    }

    private func write(_ text: String) {
        if toStandardError {
            FileHandle.standardError.write(Data(text.utf8))
        } else {
            print(text, terminator: "")
            fflush(nil)   // all output streams: `stdout` itself is not concurrency-safe to name
        }
    }

    func show(_ event: PlanEvent<JSONValue, JSONValue>, elapsed: Duration) {
        switch event {
        case .metadataReady(let metadata, _):
            expectedDays = metadata["duration"]?["value"]?.numberValue?.int
            say("Plan: \(metadata["title"]?.stringValue ?? "untitled")" + (expectedDays.map { " — \($0) days" } ?? ""))
        case .daySnapshot(let index, let partial):
            showWriting(index: index, partial)
        case .dayCompleted(let index, let day, _):
            writing = nil
            let title = day["title"]?.stringValue ?? "Day \(index + 1)"
            say("✓ \(title)  (\(format(elapsed)))")
        case .dayFailed(let index, let error, _):
            say("✗ day \(index + 1) did not decode: \(error)")
        case .progress(let progress):
            daysCompleted = progress.daysCompleted
            expectedDays = progress.expectedDays ?? expectedDays
            bytes = progress.bytesReceived
            if isTerminal { drawBar() }
        case .completed(let plan):
            say("Completed: \(plan.days.count) days in \(format(elapsed))"
                + (plan.warnings.isEmpty ? "" : "; warnings: " + plan.warnings.map(\.description).joined(separator: "; ")))
        case .partial(let partial):
            say("Partial: \(partial.nextDayIndex) days kept; the next day to generate is \(partial.nextDayIndex + 1)")
        case .metadataFailed(let error, _):
            say("metadata did not decode: \(error)")
        case .dayStarted, .metadataSnapshot:
            break
        }
    }

    /// On a terminal, the bar's line shows the day being written; elsewhere, a line when its
    /// title is complete.
    private func showWriting(index: Int, _ partial: JSONPartialValue) {
        let title = partial.value["title"]?.stringValue
        let activities = partial.value["activities"]?.arrayValue?.count ?? 0
        if isTerminal {
            let shown = title.map { "\"" + $0 + (partial.completion(at: [.key("title")]) == .complete ? "\"" : "…\"") }
            writing = (["Day \(index + 1)", shown, activities > 0 ? "\(activities) activities" : nil] as [String?])
                .compactMap { $0 }.joined(separator: " · ")
            drawBar()
        } else if let title, partial.completion(at: [.key("title")]) == .complete, announcedTitle != index {
            announcedTitle = index
            write("… writing day \(index + 1): \(title)\n")
        }
    }

    /// Prints a line above the bar (or a plain line), then redraws the bar.
    private func say(_ text: String) {
        if isTerminal {
            write("\r\u{1B}[2K" + text + "\n")
            drawBar()
        } else {
            write(text + "\n")
        }
    }

    private func drawBar() {
        let width = 30
        let total = max(expectedDays ?? 0, daysCompleted)
        let fraction = total > 0 ? Double(daysCompleted) / Double(total) : 0
        let filled = Int((fraction * Double(width)).rounded())
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let counts = total > 0 ? "\(daysCompleted)/\(total) days" : "\(daysCompleted) days"
        write("\r\u{1B}[2K[\(bar)] \(counts)  \(bytes) bytes" + (writing.map { "  ✎ " + $0 } ?? ""))
    }

    /// Moves the bar as bytes arrive, between completed days.
    func received(bytes: Int) {
        self.bytes = bytes
        if isTerminal { drawBar() }
    }

    func finishLine() {
        if isTerminal { write("\n") }
    }

    private func format(_ duration: Duration) -> String {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
        return String(format: "%.1f s", seconds)
    }
}

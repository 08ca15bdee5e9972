import CommandLineSupport
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import IncrementalJSON
import PlanStream
import PlanStreamClient

/// `planstream stream URL`: reads a live plan stream, shows progress on standard error, and prints
/// the plan on standard output — the document as received when complete, the repaired partial
/// document when not (completed days as the bytes that arrived). Exit 0 complete, 1 partial,
/// 2 failed before any document text arrived.
enum StreamCommand {
    static let usage = """
        planstream stream URL [--format \(StreamFormat.allCases.map(\.rawValue).joined(separator: "|"))]
                              [--tool NAME] [--idle-timeout S] [--deadline S] [--header K:V]...
                              [--data TEXT | --data-file FILE]
          --format  how the body carries the plan (default auto: from the Content-Type and the first bytes)
          --tool    the plan is the arguments of the tool call NAME ('*': the first tool call)
        """

    static func run(_ arguments: [String]) async throws -> Int32 {
        let options = try CommandLineArguments(
            arguments, valued: ["format", "tool", "idle-timeout", "deadline", "header", "data", "data-file"], switches: [])
        guard let url = URL(string: try options.single("URL")), url.scheme != nil else {
            throw UsageError("expected a URL")
        }
        let formatName = options.string("format") ?? "auto"
        guard let format = StreamFormat(rawValue: formatName) else {
            throw UsageError("unknown format '\(formatName)'")
        }
        let source = options.string("tool").map { $0 == "*" ? DocumentSource.toolArguments() : .toolArguments(named: $0) } ?? .text
        var request = URLRequest(url: url)
        for header in options.strings("header") {
            guard let colon = header.firstIndex(of: ":") else {
                throw UsageError("--header needs K:V, not '\(header)'")
            }
            request.addValue(header[header.index(after: colon)...].trimmingCharacters(in: .whitespaces),
                             forHTTPHeaderField: String(header[..<colon]))
        }
        if let body = try options.string("data").map({ Data($0.utf8) }) ?? options.string("data-file").map({ Data(try Input.read($0)) }) {
            request.httpMethod = "POST"
            request.httpBody = body
            if request.value(forHTTPHeaderField: "Content-Type") == nil {
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            }
        }
        let isTerminal = isatty(STDERR_FILENO) == 1
        // On a terminal the day being written is shown live, redrawn at most ten times a second.
        let client = PlanStreamClient(idleTimeout: .seconds(try seconds(options, "idle-timeout") ?? 60),
                                      deadline: try seconds(options, "deadline").map { .seconds($0) },
                                      snapshots: isTerminal ? .atMost(every: .milliseconds(100)) : .off)
        let stream = client.events(for: request, format: format, document: source, schema: PlanSchema(),
                                   metadata: JSONValue.self, day: JSONValue.self)
        let display = ProgressDisplay(isTerminal: isTerminal, toStandardError: true)
        let clock = ContinuousClock()
        let start = clock.now
        var document: String?
        var status: Int32 = 0
        do {
            for try await event in stream {
                display.show(event, elapsed: clock.now - start)
                if case .completed(let plan) = event { document = plan.json }
            }
        } catch let interruption as PlanStreamInterruption {
            display.finishLine()
            print("error: \(interruption)", to: &standardError)
            document = stream.partialPlan?.json
            status = interruption.receivedDocumentText && document != nil ? 1 : 2
        }
        display.finishLine()
        if let document { print(document) }
        return document == nil ? 2 : status
    }

    private static func seconds(_ options: CommandLineArguments, _ name: String) throws -> Double? {
        guard let text = options.string(name) else { return nil }
        guard let value = Double(text), value > 0 else {
            throw UsageError("--\(name) needs a positive number of seconds")
        }
        return value
    }
}

import CommandLineSupport
import Foundation
import IncrementalJSON
import PlanStream
import PlanStreamClient

/// `planstream relay FILE`: the seed's relay protocol for a plan file, as a server would send it
/// while the model writes — what a web front end developer points a test page at
/// (`planstream relay plan.json --chunk-size 5 --delay-ms 10 | …`, or saved as an `.sse` fixture).
///
/// Server-Sent Events from ``RelayEncoder``: a `status` first, then `metadata`, `day_complete`
/// (the day's JSON as it arrived), `progress`, `day_progress` with `--snapshots`, and `complete`
/// — or, for a cut or invalid file, an `error` and `partial` with every completed day.
enum RelayCommand {
    static let usage = "planstream relay FILE [--chunk-size N] [--delay-ms M] [--lenient] [--expected-days N] [--snapshots]"

    /// 0 when the plan is complete, 1 when partial or invalid.
    static func run(_ arguments: [String]) throws -> Int32 {
        let options = try CommandLineArguments(arguments, valued: ["chunk-size", "delay-ms", "expected-days"],
                                               switches: ["lenient", "snapshots"])
        let delay = try options.count("delay-ms", default: 0)
        var relay = RelayEncoder()
        var started = false
        func send(_ encode: (inout RelayEncoder) -> String?) {
            // The status goes first, once the file was read (a usage or I/O error prints nothing),
            // and is encoded first: the events' ids count up in the order they are sent.
            if !started {
                started = true
                FileHandle.standardOutput.write(Data(relay.status("Starting generation...").utf8))
            }
            if let lines = encode(&relay) { FileHandle.standardOutput.write(Data(lines.utf8)) }
        }
        return try PlanCommands.feed(options, delayMilliseconds: delay) { event in
            send { $0.encode(event) }
        } failed: { error in
            send { $0.error("\(error)") }
        }
    }
}

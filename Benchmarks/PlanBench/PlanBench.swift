import CommandLineSupport
import Foundation
import IncrementalJSON
import PlanStream

/// `plan-bench`: every method on every fixture at every chunk size, side by side in one process.
///
///     swift run -c release plan-bench [--fixtures DIR] [--filter NAME] [--json] [--svg FILE]
///                                     [--budget SECONDS] [--stream-megabytes N] [--no-stream-memory]
///                                     [--methods push,plan,...] [--chunks 1,64,0]
@main
enum PlanBench {
    static let chunkSizes = [1, 4, 16, 64, 256, 4096, 0]

    static let methods = ["foundation-oneshot", "decoder-oneshot", "push", "push-scalar", "push-batch", "plan", "envelope-push", "client", "snapshots",
                          "naive-reparse", "repair", "decode-shapes", "stream-memory", "concurrent-streams"]

    static let usage = """
        usage: plan-bench [--fixtures DIR] [--filter NAME] [--methods M,M,...] [--chunks N,N,...]
                          [--budget SECONDS] [--json] [--svg FILE] [--svg-fixture NAME] [--naive-cap SECONDS]
                          [--stream-megabytes N] [--no-stream-memory] [--streams N,N,...]

        Runs every method on every fixture (*.json, *.txt in DIR, default Fixtures) at every chunk size
        (0 = the whole input at once), side by side in one process; prints a table, or --json.
        Methods: \(methods.joined(separator: ", ")).
        Exit status: 0 done (a method that cannot read a fixture is reported and skipped), 2 usage.
        """

    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.contains("--help") || arguments.contains("-h") {
            print(usage)
            return
        }
        do {
            try run(arguments)
        } catch let error as UsageError {
            FileHandle.standardError.write(Data("plan-bench: \(error)\n\(usage)\n".utf8))
            exit(2)
        } catch {
            FileHandle.standardError.write(Data("plan-bench: \(error)\n".utf8))
            exit(1)
        }
    }

    static func run(_ arguments: [String]) throws {
        if arguments.first == ConcurrentStreams.childFlag, arguments.count == 4, let count = Int(arguments[1]) {
            try ConcurrentStreams.runChild(count: count, url: arguments[2], expectedFile: arguments[3])
            return
        }
        if arguments.first == StreamMemory.childFlag, arguments.count == 3 {
            try StreamMemory.runChild(megabytes: Int(arguments[1]) ?? 100, template: URL(fileURLWithPath: arguments[2]))
            return
        }
        let options = try Options(arguments)
        var records: [BenchmarkRecord] = []
        func emit(_ record: BenchmarkRecord) {
            records.append(record)
            if !options.json { print(BenchmarkReport.tableRow(record)) }
        }
        /// A method that cannot read a fixture (a plan of another shape, say) is reported and
        /// skipped; the run goes on.
        func attempt(_ method: String, on fixture: String, _ body: () throws -> Void) {
            do {
                try body()
            } catch {
                FileHandle.standardError.write(Data("plan-bench: \(method) on \(fixture) skipped: \(error)\n".utf8))
            }
        }
        if !options.json { print(BenchmarkReport.tableHeader()) }

        let folder = URL(fileURLWithPath: options.fixtures)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { ($0.hasSuffix(".json") || $0.hasSuffix(".txt")) && (options.filter.map($0.contains) ?? true) }
            .sorted()
        for name in names {
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            let bytes = Array(data)
            // Plans wrapped in prose or fences need the lenient options; Foundation cannot read them.
            let wrapped = name.hasSuffix(".txt")
            let parserOptions: JSONParserOptions = wrapped ? .llm : .strict
            func record(_ method: String, _ chunk: Int, _ m: Measurement, capped: Bool? = nil, throughput: Bool = true) {
                emit(BenchmarkRecord(fixture: name, bytes: bytes.count, method: method, chunkSize: chunk,
                                     medianSeconds: m.median, minSeconds: m.minimum, maxSeconds: m.maximum,
                                     mbPerSecond: throughput ? Double(bytes.count) / m.median / 1e6 : nil,
                                     peakBytes: nil, runs: m.seconds.count, capped: capped, models: fallbackModels))
            }
            // A plan of another shape is read as JSONValue by the typed methods, and says so.
            let misfit = BenchmarkMethods.defaultModelsMisfit(bytes, options: parserOptions)
            let fallbackModels = misfit == nil ? nil : "JSONValue"
            if let misfit {
                FileHandle.standardError.write(Data(
                    "plan-bench: \(name): the default models do not fit (\(misfit)); typed methods read it as JSONValue\n".utf8))
            }
            func measure<Metadata: Decodable & Sendable, Day: Decodable & Sendable>(_ models: (Metadata.Type, Day.Type)) throws {
                try bytes.withUnsafeBytes { raw in
                    if !wrapped && options.runs("foundation-oneshot") {
                        attempt("foundation-oneshot", on: name) {
                            record("foundation-oneshot", 0, try Measurement.run(budget: options.budget) {
                                _ = try BenchmarkMethods.foundationOneshot(data)
                            })
                        }
                    }
                    if !wrapped && options.runs("decoder-oneshot") {
                        attempt("decoder-oneshot", on: name) {
                            record("decoder-oneshot", 0, try Measurement.run(budget: options.budget) {
                                _ = try BenchmarkMethods.decoderOneshot(data, models)
                            })
                        }
                    }
                    for method in ["push", "push-scalar", "push-batch"] where options.runs(method) {
                        attempt(method, on: name) {
                            let runs = try options.chunkSizes.map { size in
                                (size, try Measurement.run(budget: options.budget) {
                                    if method == "push-batch" {
                                        _ = try BenchmarkMethods.pushBatch(raw, chunkSize: size, options: parserOptions)
                                    } else {
                                        _ = try BenchmarkMethods.push(raw, chunkSize: size, options: parserOptions, vectors: method == "push")
                                    }
                                })
                            }
                            // The cost of a push beyond the bytes it brings: against the largest
                            // chunk measured (the whole document, when it was), from the fastest
                            // runs (a difference of two medians is mostly noise on a shared machine).
                            let reference = runs.max { ($0.0 == 0 ? Int.max : $0.0) < ($1.0 == 0 ? Int.max : $1.0) }
                            for (size, m) in runs {
                                var row = BenchmarkRecord(fixture: name, bytes: bytes.count, method: method, chunkSize: size,
                                                          medianSeconds: m.median, minSeconds: m.minimum, maxSeconds: m.maximum,
                                                          mbPerSecond: Double(bytes.count) / m.median / 1e6,
                                                          peakBytes: nil, runs: m.seconds.count)
                                if let reference, size != reference.0, size > 0 {
                                    let pushes = (bytes.count + size - 1) / size
                                    row.nanosecondsPerPush = (m.minimum - reference.1.minimum) / Double(pushes) * 1e9
                                }
                                emit(row)
                            }
                        }
                    }
                    for size in options.chunkSizes where options.runs("plan") {
                        attempt("plan", on: name) {
                            record("plan", size, try Measurement.run(budget: options.budget) {
                                _ = try BenchmarkMethods.plan(raw, chunkSize: size, options: parserOptions, models)
                            })
                        }
                    }
                    if !wrapped {
                        for kind in Envelopes.Kind.allCases where options.runs("client") || options.runs("envelope-push") {
                            let envelopes = Envelopes(bytes, kind: kind)
                            let works: [(String, () throws -> Int)] = [("envelope-push", envelopes.envelopePush),
                                                                  ("client", { try envelopes.client(models) })]
                            for (method, work) in works
                            where options.runs(method) {
                                attempt(method, on: name) {
                                    let m = try Measurement.run(budget: options.budget) { _ = try work() }
                                    emit(BenchmarkRecord(
                                        fixture: name, bytes: envelopes.bytes, method: method,
                                        chunkSize: envelopes.bytes / envelopes.chunks.count,
                                        medianSeconds: m.median, minSeconds: m.minimum, maxSeconds: m.maximum,
                                        mbPerSecond: Double(envelopes.bytes) / m.median / 1e6, peakBytes: nil,
                                        runs: m.seconds.count, capped: nil, models: method == "client" ? fallbackModels : nil,
                                        envelope: kind.rawValue, documentBytes: bytes.count))
                                }
                            }
                        }
                    }
                    for size in options.snapshotChunkSizes where options.runs("snapshots") {
                        attempt("snapshots", on: name) {
                            record("snapshots", size, try Measurement.run(budget: options.budget) {
                                _ = try BenchmarkMethods.snapshots(raw, chunkSize: size, options: parserOptions, models)
                            })
                        }
                    }
                    if !wrapped {
                        for size in options.chunkSizes where options.runs("naive-reparse") {
                            var capped = false
                            let m = try Measurement.run(budget: options.budget, minimumRuns: 3, maximumRuns: 15) {
                                let run = BenchmarkMethods.naiveReparse(raw, chunkSize: size, cap: options.naiveCap)
                                capped = capped || run.capped
                                if run.capped { throw Measurement.Stop(seconds: run.seconds) }
                            }
                            record("naive-reparse", size, m, capped: capped)
                        }
                    }
                    if options.runs("repair") {
                        attempt("repair", on: name) {
                            record("repair", 0, try repairMeasurement(bytes, options: parserOptions), throughput: false)
                        }
                    }
                }
            }
            if misfit == nil {
                try measure((PlanMetadata.self, PlanDay.self))
            } else {
                try measure((JSONValue.self, JSONValue.self))
            }
        }

        if options.runs("decode-shapes") {
            let planFile = folder.appendingPathComponent("plan-90d.json")
            let plan = FileManager.default.fileExists(atPath: planFile.path) ? Array(try Data(contentsOf: planFile)) : nil
            for shape in DecodeShapes.shapes(plan: plan) where options.filter.map(shape.name.contains) ?? true {
                attempt("decode-shapes", on: shape.name) {
                    let data = Data(shape.bytes)
                    // Interleaved, so that both see the same machine.
                    var token: [Double] = [], foundation: [Double] = []
                    for _ in 0..<3 {
                        token += try Measurement.run(budget: options.budget / 3) { try shape.token(shape.bytes) }.seconds
                        foundation += try Measurement.run(budget: options.budget / 3) { try shape.foundation(data) }.seconds
                    }
                    for (method, seconds) in [("decode-shapes/token", token), ("decode-shapes/foundation", foundation)] {
                        let m = Measurement(seconds: seconds)
                        emit(BenchmarkRecord(fixture: shape.name, bytes: shape.bytes.count, method: method, chunkSize: 0,
                                             medianSeconds: m.median, minSeconds: m.minimum, maxSeconds: m.maximum,
                                             mbPerSecond: Double(shape.bytes.count) / m.median / 1e6, peakBytes: nil,
                                             runs: seconds.count, capped: nil))
                    }
                }
            }
        }

        if options.streamMemory && options.runs("stream-memory") {
            let template = folder.appendingPathComponent("plan-7d.min.json")
            let result = try StreamMemory.measure(megabytes: options.streamMegabytes, dayTemplateFixture: template)
            emit(BenchmarkRecord(fixture: "generated-\(options.streamMegabytes)MB", bytes: result.bytes, method: "stream-memory",
                                 chunkSize: 65536, medianSeconds: result.seconds, minSeconds: result.seconds,
                                 maxSeconds: result.seconds, mbPerSecond: Double(result.bytes) / result.seconds / 1e6,
                                 peakBytes: result.peakBytes, runs: 1, capped: nil))
        }

        if options.runs("concurrent-streams"), names.contains("plan-30d.json") {
            let results = try ConcurrentStreams.measure(counts: options.streamCounts, fixture: "plan-30d.json",
                                                        fixtures: options.fixtures)
            if results == nil, !options.json { print("concurrent-streams: skipped (needs python3 and \(ConcurrentStreams.serverScript))") }
            for result in results ?? [] {
                emit(BenchmarkRecord(
                    fixture: "plan-30d.json", bytes: result.streams, method: "concurrent-streams", chunkSize: ConcurrentStreams.writeBytes,
                    medianSeconds: result.wallSeconds, minSeconds: result.wallSeconds, maxSeconds: result.wallSeconds,
                    mbPerSecond: nil, peakBytes: result.peakBytes, runs: 1, capped: nil, envelope: "openai-sse",
                    streams: result.streams, completedStreams: result.completed,
                    cpuSecondsPerStream: result.cpuSeconds / Double(result.streams)))
            }
        }

        if options.json {
            let info = ProcessInfo.processInfo
            let document = BenchmarkDocument(
                machine: .init(cores: info.activeProcessorCount, os: info.operatingSystemVersionString,
                               memoryBytes: info.physicalMemory),
                configuration: Self.configuration, results: records)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(document), as: UTF8.self))
        }
        if let svg = options.svg {
            let fixture = options.svgFixture ?? (names.contains("plan-30d.json") ? "plan-30d.json" : names.first ?? "")
            try BenchmarkReport.svg(records, fixture: fixture).write(toFile: svg, atomically: true, encoding: .utf8)
        }
    }

    /// `repair`: one repair from live state at 200 random cuts (a fixed seed), each timed alone.
    static func repairMeasurement(_ bytes: [UInt8], options: JSONParserOptions) throws -> Measurement {
        var generator = SplitMix(seed: 42)
        let cuts = (0..<200).map { _ in Int.random(in: (bytes.count / 20)...bytes.count, using: &generator) }.sorted()
        let parser = JSONParser(options: options)
        let clock = ContinuousClock()
        var seconds: [Double] = []
        var fed = 0
        for cut in cuts {
            parser.push(bytes[fed..<cut])
            fed = cut
            while try parser.nextToken() != nil {}
            _ = try? parser.repair()   // warm
            seconds.append(clock.measure { _ = try? parser.repair() }.seconds)
        }
        return Measurement(seconds: seconds)
    }

    #if DEBUG
    static let configuration = "debug"
    #else
    static let configuration = "release"
    #endif

    struct Options {
        var fixtures = "Fixtures"
        var filter: String?
        var json = false
        var svg: String?
        var svgFixture: String?
        var budget = 0.4
        var naiveCap = 4.0
        var streamMegabytes = 100
        var streamMemory = true
        var methods: Set<String>?
        var chunkSizes = PlanBench.chunkSizes
        /// Snapshots matter at a model's token sizes.
        var snapshotChunkSizes = [4, 16, 64]
        var streamCounts = [10, 100]

        func runs(_ method: String) -> Bool { methods?.contains(method) ?? true }

        init(_ arguments: [String]) throws(UsageError) {
            let reader = try CommandLineArguments(
                arguments,
                valued: ["fixtures", "filter", "svg", "svg-fixture", "budget", "naive-cap", "stream-megabytes",
                         "streams", "methods", "chunks"],
                switches: ["json", "no-stream-memory"])
            if let extra = reader.positionals.first { throw UsageError("unexpected argument \(extra)") }
            fixtures = reader.string("fixtures") ?? fixtures
            filter = reader.string("filter")
            json = reader.flag("json")
            svg = reader.string("svg")
            svgFixture = reader.string("svg-fixture")
            budget = try reader.number("budget") ?? budget
            naiveCap = try reader.number("naive-cap") ?? naiveCap
            streamMegabytes = try reader.number("stream-megabytes") ?? streamMegabytes
            streamMemory = !reader.flag("no-stream-memory")
            streamCounts = try reader.counts("streams") ?? streamCounts
            if let names = reader.string("methods")?.split(separator: ",").map(String.init) {
                if let unknown = names.first(where: { !PlanBench.methods.contains($0) }) {
                    throw UsageError("unknown method \(unknown)")
                }
                methods = Set(names)
            }
            if let sizes = try reader.counts("chunks") {
                chunkSizes = sizes
                snapshotChunkSizes = sizes
            }
        }
    }
}

/// A small seeded generator, so that the repair cut points are the same on every run.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

import Foundation
import IncrementalJSON
import PlanStream

/// The work each method does once, on one fixture at one chunk size.
enum BenchmarkMethods {
    /// The whole plan in the given models, for `decoder-oneshot`.
    struct WholePlan<Metadata: Decodable, Day: Decodable>: Decodable {
        var metadata: Metadata?
        var days: [Day]
    }

    /// Why the default models (`PlanMetadata`, `PlanDay`) do not fit a fixture — its metadata or a
    /// day fails to decode, as in a plan of another shape — or `nil` when they fit. The typed
    /// methods then read that fixture as `JSONValue` and say so.
    static func defaultModelsMisfit(_ bytes: [UInt8], options: JSONParserOptions) -> String? {
        var schema = PlanSchema()
        schema.parserOptions = options
        let parser = PlanStreamParser(schema: schema)
        parser.push(bytes)
        parser.endInput()
        while let event = try? parser.nextEvent() {
            switch event {
            case .metadataFailed(let error, _): return "metadata: \(error.message)"
            case .dayFailed(let index, let error, _): return "day \(index): \(error.message)"
            default: continue
            }
        }
        return nil
    }

    /// `push`: IncrementalJSON's fast path, counting tokens. `push-scalar`: the same without the
    /// SIMD scan of long string runs (`vectors: false`), eight bytes at a time instead.
    static func push(_ bytes: UnsafeRawBufferPointer, chunkSize: Int, options: JSONParserOptions, vectors: Bool = true) throws -> Int {
        let parser = JSONParser(options: options)
        parser.scansWithVectors = vectors
        var tokens = 0
        // A plain loop, as yajl's C driver has: the caller's overhead is not the parser's.
        let size = chunkSize == 0 ? max(bytes.count, 1) : chunkSize
        var start = 0
        while start < bytes.count {
            parser.push(UnsafeRawBufferPointer(start: bytes.baseAddress! + start, count: min(size, bytes.count - start)))
            while try parser.nextToken() != nil { tokens += 1 }
            start += size
        }
        parser.endInput()
        while try parser.nextToken() != nil { tokens += 1 }
        return tokens
    }

    /// `push-batch`: `push` read with `nextTokens(into:)`, 256 tokens at most per call.
    static func pushBatch(_ bytes: UnsafeRawBufferPointer, chunkSize: Int, options: JSONParserOptions) throws -> Int {
        let parser = JSONParser(options: options)
        let buffer = UnsafeMutableBufferPointer<JSONToken>.allocate(capacity: 256)
        defer { buffer.deallocate() }
        var tokens = 0
        let size = chunkSize == 0 ? max(bytes.count, 1) : chunkSize
        var start = 0
        while start < bytes.count {
            parser.push(UnsafeRawBufferPointer(start: bytes.baseAddress! + start, count: min(size, bytes.count - start)))
            var count = try parser.nextTokens(into: buffer)
            while count > 0 {
                tokens += count
                count = try parser.nextTokens(into: buffer)
            }
            start += size
        }
        parser.endInput()
        while case let count = try parser.nextTokens(into: buffer), count > 0 { tokens += count }
        return tokens
    }

    /// `plan`: typed plan events, every day decoded as `Day` (the default `PlanDay`).
    static func plan<Metadata: Decodable, Day: Decodable>(
        _ bytes: UnsafeRawBufferPointer, chunkSize: Int, options: JSONParserOptions, _ models: (Metadata.Type, Day.Type)
    ) throws -> Int {
        var schema = PlanSchema()
        schema.parserOptions = options
        if Metadata.self == PlanMetadata.self && Day.self == PlanDay.self {
            return try planDefaultModels(bytes, chunkSize: chunkSize, schema: schema)
        }
        let parser = PlanStreamParser(schema: schema, metadata: models.0, day: models.1)
        var days = 0
        try forEachChunk(bytes, chunkSize) { chunk in
            parser.push(chunk)
            while let event = try parser.nextEvent() {
                if case .dayCompleted = event { days += 1 }
            }
        }
        guard case .completed? = parser.finish().last else { throw BenchmarkError("plan did not complete") }
        return days
    }

    /// `plan`'s loop written for the default models, outside any generic context: Swift 6.3.1
    /// compiles it, when generic (even specialized), with an outlined destroy of the `nil` event
    /// that ends each chunk — +9% at 1-byte chunks (callgrind), the harness's cost, not the
    /// library's, which a user's concrete loop does not pay either.
    private static func planDefaultModels(_ bytes: UnsafeRawBufferPointer, chunkSize: Int, schema: PlanSchema) throws -> Int {
        let parser = PlanStreamParser(schema: schema)
        var days = 0
        try forEachChunk(bytes, chunkSize) { chunk in
            parser.push(chunk)
            while let event = try parser.nextEvent() {
                if case .dayCompleted = event { days += 1 }
            }
        }
        guard case .completed? = parser.finish().last else { throw BenchmarkError("plan did not complete") }
        return days
    }

    /// `snapshots`: `plan` with a live snapshot of the day being written after every chunk that
    /// changed it (`SnapshotPolicy.everyChange`), each snapshot's value read as a UI would.
    static func snapshots<Metadata: Decodable, Day: Decodable>(
        _ bytes: UnsafeRawBufferPointer, chunkSize: Int, options: JSONParserOptions, _ models: (Metadata.Type, Day.Type)
    ) throws -> Int {
        var schema = PlanSchema()
        schema.parserOptions = options
        let parser = PlanStreamParser(schema: schema, metadata: models.0, day: models.1, snapshots: .everyChange)
        var snapshots = 0
        var members = 0
        try forEachChunk(bytes, chunkSize) { chunk in
            parser.push(chunk)
            // A `switch`, not `while let`: see `planDefaultModels`; here the `nil` is matched
            // as a case and needs no destroy.
            while true {
                switch try parser.nextEvent() {
                case .daySnapshot(_, let partial)?:
                    snapshots += 1
                    members += partial.value.objectValue?.count ?? 0
                case .some: continue
                case nil: return
                }
            }
        }
        guard case .completed? = parser.finish().last, members > 0 else { throw BenchmarkError("plan did not complete") }
        return snapshots
    }

    /// `foundation-oneshot`: JSONSerialization on the whole document.
    static func foundationOneshot(_ data: Data) throws -> Int {
        let object = try JSONSerialization.jsonObject(with: data)
        return withExtendedLifetime(object) { 1 }
    }

    /// `decoder-oneshot`: JSONDecoder of the whole plan into the models.
    static func decoderOneshot<Metadata: Decodable, Day: Decodable>(_ data: Data, _ models: (Metadata.Type, Day.Type)) throws -> Int {
        try JSONDecoder().decode(WholePlan<Metadata, Day>.self, from: data).days.count
    }

    /// `naive-reparse`: what the seed's web version did — JSONSerialization of the accumulated
    /// text after every chunk. Stops after `cap` seconds and says how far it got.
    static func naiveReparse(_ bytes: UnsafeRawBufferPointer, chunkSize: Int, cap: Double) -> (seconds: Double, capped: Bool) {
        let clock = ContinuousClock()
        let start = clock.now
        var accumulated = Data()
        var done = 0
        let chunks = chunkSize == 0 ? 1 : (bytes.count + chunkSize - 1) / chunkSize
        var capped = false
        try? forEachChunk(bytes, chunkSize) { chunk in
            guard !capped else { return }
            accumulated.append(contentsOf: chunk)
            _ = try? JSONSerialization.jsonObject(with: accumulated)
            done += 1
            if (clock.now - start).seconds > cap { capped = true }
        }
        let elapsed = (clock.now - start).seconds
        // When capped, extrapolate: later parses are longer, so this is a lower bound.
        return (capped ? elapsed * Double(chunks) / Double(done) : elapsed, capped)
    }

    static func forEachChunk(_ bytes: UnsafeRawBufferPointer, _ chunkSize: Int,
                             _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let size = chunkSize == 0 ? max(bytes.count, 1) : chunkSize
        var start = 0
        while start < bytes.count {
            try body(UnsafeRawBufferPointer(rebasing: bytes[start..<min(start + size, bytes.count)]))
            start += size
        }
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}

import IncrementalJSON
import PlanStream
import PlanStreamClient

/// A plan as a provider streams it: the document cut into 3–6-byte text deltas (a model's
/// tokens, never inside a character), each in its own envelope — OpenAI-style SSE or Ollama's
/// NDJSON — and each envelope one network chunk.
struct Envelopes {
    enum Kind: String, CaseIterable {
        case openAI = "openai-sse"
        case ollama = "ollama-ndjson"

        var format: StreamFormat { self == .openAI ? .openai : .ndjson }
    }

    let kind: Kind
    /// The body, one chunk per envelope.
    let chunks: [[UInt8]]
    /// Each envelope's JSON payload (without SSE framing): what `envelope-push` parses.
    let payloads: [[UInt8]]
    var bytes: Int { chunks.reduce(0) { $0 + $1.count } }

    init(_ document: [UInt8], kind: Kind, seed: UInt64 = 7) {
        self.kind = kind
        var generator = SplitMix(seed: seed)
        var deltas: [String] = []
        var start = 0
        while start < document.count {
            var end = min(start + Int.random(in: 3...6, using: &generator), document.count)
            while end < document.count && document[end] & 0xC0 == 0x80 { end += 1 }   // whole characters
            deltas.append(String(decoding: document[start..<end], as: UTF8.self))
            start = end
        }
        // As the providers send them: OpenAI pads each chunk with a random `obfuscation` string,
        // Ollama stamps each line with its time — strings that change in every payload.
        var payloads: [String] = deltas.enumerated().map { number, delta in
            let text = JSONValue.string(delta).serialized()
            switch kind {
            case .openAI:
                let padding = String(repeating: "x", count: Int.random(in: 1...12, using: &generator))
                return #"{"id":"chatcmpl-9x","object":"chat.completion.chunk","created":1764300000,"model":"gpt-4o-mini","system_fingerprint":"fp_50cad350e4","choices":[{"index":0,"delta":{"content":\#(text)},"logprobs":null,"finish_reason":null}],"obfuscation":"\#(padding)"}"#
            case .ollama:
                let nanoseconds = String(100_000_000 + number * 21_347)
                return #"{"model":"llama3.2","created_at":"2026-11-28T04:00:00.\#(nanoseconds)Z","response":\#(text),"done":false}"#
            }
        }
        switch kind {
        case .openAI:
            payloads.append(#"{"id":"chatcmpl-9x","object":"chat.completion.chunk","created":1764300000,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#)
        case .ollama:
            payloads.append(#"{"model":"llama3.2","created_at":"2026-11-28T04:00:00.000000Z","response":"","done":true,"done_reason":"stop","eval_count":9000}"#)
        }
        self.payloads = payloads.map { Array($0.utf8) }
        var chunks = payloads.map { payload in
            Array((kind == .openAI ? "data: " + payload + "\n\n" : payload + "\n").utf8)
        }
        if kind == .openAI { chunks.append(Array("data: [DONE]\n\n".utf8)) }
        self.chunks = chunks
    }

    /// `client`: the body through the client's per-chunk work (body reader, plan parser, the
    /// partial plan recorded at each completed part), no network. Returns the days completed.
    func client<Metadata: Decodable & Sendable, Day: Decodable & Sendable>(_ models: (Metadata.Type, Day.Type)) throws -> Int {
        let reader = PlanResponseReader<Metadata, Day>(format: kind.format, schema: PlanSchema(), snapshots: .off)
        // A class for the counts: Swift 6.3.1's SIL verifier rejects a closure that writes a local
        // here (generic over the models, passed to a typed-throws call).
        let tally = ClientTally<Metadata, Day>()
        let yield = { (event: PlanEvent<Metadata, Day>) in
            if case .dayCompleted = event { tally.days += 1 }
            if PlanResponseReader.completesAPart(event) { tally.recorded.record(reader.parser.partialPlan) }
        }
        for chunk in chunks { try reader.read(chunk, yield) }
        try reader.endOfBody(yield)
        guard case .completed? = reader.parser.finish().last, tally.recorded.partialPlan != nil else { throw BenchmarkError("client did not complete") }
        return tally.days
    }

    /// `envelope-push`: the same envelopes' JSON parsed by `JSONParser` alone, one per push — the
    /// floor the client's layers are compared with.
    func envelopePush() throws -> Int {
        var options = JSONParserOptions()
        options.allowsMultipleTopLevelValues = true
        let parser = JSONParser(options: options)
        var tokens = 0
        for payload in payloads {
            parser.push(payload)
            while try parser.nextToken() != nil { tokens += 1 }
        }
        parser.endInput()
        while try parser.nextToken() != nil { tokens += 1 }
        return tokens
    }
}

/// What `client` counts, in a class (see there).
private final class ClientTally<Metadata, Day> {
    var days = 0
    var recorded = PartialPlanRecord<Metadata, Day>()
}

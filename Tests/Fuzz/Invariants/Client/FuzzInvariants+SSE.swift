import FuzzSupport
import IncrementalJSON
import PlanStream
import PlanStreamClient

extension FuzzInvariants {
    /// Server-Sent Events and the HTTP response around them: no crash; the same outputs for the whole body, byte by byte, and split
    /// at points derived from the input, with either end-of-stream policy; and the same text and
    /// signals from every provider format's body reader, and the same signals, one by one, whether
    /// payloads of a repeated shape are read by their shape or scanned; and the same plan events
    /// and ending from the client's per-chunk reading, whole and split.
    public static func checkSSE(_ input: [UInt8]) {
        checkHTTPResponse(input)
        let cuts = derivedCuts(input)
        for lenientEnd in [false, true] {
            let whole = decodeSSE(input, cuts: [], lenientEnd: lenientEnd)
            require(decodeSSE(input, cuts: input.isEmpty ? [] : Array(1..<input.count), lenientEnd: lenientEnd) == whole,
                    "SSE byte-by-byte output differs from whole", input)
            require(decodeSSE(input, cuts: cuts, lenientEnd: lenientEnd) == whole, "SSE output differs at splits \(cuts)", input)
        }
        for format in StreamFormat.allCases {
            for document in [DocumentSource.text, .toolArguments()] {
                let whole = readBody(input, cuts: [], format: format, document: document)
                require(readBody(input, cuts: cuts, format: format, document: document) == whole,
                        "\(format) reader of \(document) differs at splits \(cuts)", input)
                require(readSignals(input, format: format, document: document, byShape: true)
                            == readSignals(input, format: format, document: document, byShape: false),
                        "\(format) reader of \(document) differs when payloads are read by their shape", input)
            }
            let whole = readPlan(input, cuts: [], format: format)
            require(readPlan(input, cuts: cuts, format: format) == whole, "\(format) client reading differs at splits \(cuts)", input)
        }
    }

    /// What the client's per-chunk code (`PlanResponseReader`) makes of a body: each plan event,
    /// then either why it stopped or the parser's last events and what the provider said.
    /// After a stop the parser's ending is left out: it has seen whatever else the stopping chunk
    /// held, which depends on the split.
    struct PlanReading: Equatable {
        /// Progress without its byte count (the bytes received when a day completed depend on
        /// the split).
        var events: [PlanEvent<JSONValue, JSONValue>] = []
        var stop: PlanStreamInterruption.Reason?
        var finishReason: FinishReason?
        var usage: JSONValue?
        var refusal: String?
        var receivedText = false
    }

    static func readPlan(_ input: [UInt8], cuts: [Int], format: StreamFormat) -> PlanReading {
        let reader = PlanResponseReader<JSONValue, JSONValue>(format: format, schema: PlanSchema(), snapshots: .off)
        var reading = PlanReading()
        func record(_ event: PlanEvent<JSONValue, JSONValue>) {
            if case .progress(var progress) = event {
                progress.bytesReceived = 0
                reading.events.append(.progress(progress))
            } else {
                reading.events.append(event)
            }
        }
        do {
            for piece in pieces(of: input, at: cuts) { try reader.read(Array(piece), record) }
            try reader.endOfBody(record)
        } catch {
            reading.stop = error.reason
            return reading
        }
        for event in reader.parser.finish() { record(event) }
        reading.finishReason = reader.finishReason
        reading.usage = reader.usage
        reading.refusal = reader.refusal
        reading.receivedText = reader.receivedText
        return reading
    }

    /// The socket transport's response reader: the same head, body and ending (or error) for the
    /// whole input, byte by byte, and split at points derived from it.
    static func checkHTTPResponse(_ input: [UInt8]) {
        let whole = readResponse(input, cuts: [])
        require(readResponse(input, cuts: input.isEmpty ? [] : Array(1..<input.count)) == whole,
                "HTTP response byte by byte differs from whole", input)
        require(readResponse(input, cuts: derivedCuts(input)) == whole, "HTTP response differs at splits", input)
    }

    struct ResponseReading: Equatable {
        var head: HTTPResponseParser.Head?
        var body: [UInt8] = []
        var isComplete = false
        var error: String?
    }

    static func readResponse(_ input: [UInt8], cuts: [Int]) -> ResponseReading {
        var parser = HTTPResponseParser()
        var reading = ResponseReading()
        do {
            for piece in pieces(of: input, at: cuts) {
                try piece.withUnsafeBytes { try parser.parse($0, body: &reading.body) }
            }
            try parser.endOfInput()
        } catch {
            reading.error = "\(error)"
        }
        reading.head = parser.head
        reading.isComplete = parser.isComplete
        return reading
    }

    /// Every signal of the reader, in order, with or without reading payloads by their shape.
    static func readSignals(_ input: [UInt8], format: StreamFormat, document: DocumentSource, byShape: Bool) -> [StreamBodyReader.Signal] {
        var reader = StreamBodyReader(format: format, document: document)
        reader.readsPayloadShapes = byShape
        return reader.feed(input) + reader.finish()
    }

    static func decodeSSE(_ input: [UInt8], cuts: [Int], lenientEnd: Bool) -> [ServerSentEventDecoder.Output]? {
        var decoder = ServerSentEventDecoder()
        decoder.dispatchesIncompleteEventAtEnd = lenientEnd
        decoder.maximumLineLength = 1 << 12
        var outputs: [ServerSentEventDecoder.Output] = []
        do {
            for piece in pieces(of: input, at: cuts) { outputs += try decoder.feed(piece) }
        } catch {
            return nil
        }
        return outputs + decoder.finish()
    }

    /// The reader's signals, with text deltas joined (their chunking may differ).
    struct BodyReading: Equatable {
        var text: [UInt8] = []
        var signals: [StreamBodyReader.Signal] = []
    }

    static func readBody(_ input: [UInt8], cuts: [Int], format: StreamFormat, document: DocumentSource) -> BodyReading {
        var reader = StreamBodyReader(format: format, document: document)
        var reading = BodyReading()
        func take(_ signals: [StreamBodyReader.Signal]) {
            for signal in signals {
                if case .text(let bytes) = signal { reading.text += bytes } else { reading.signals.append(signal) }
            }
        }
        for piece in pieces(of: input, at: cuts) { take(reader.feed(piece)) }
        take(reader.finish())
        return reading
    }
}

import FuzzSupport
import PlanStreamClient

extension FuzzInvariants {
    /// Server-Sent Events: no crash; the same outputs for the whole body, byte by byte, and split
    /// at points derived from the input, with either end-of-stream policy; and the same text and
    /// signals from every provider format's body reader, and the same signals, one by one, whether
    /// payloads of a repeated shape are read by their shape or scanned.
    public static func checkSSE(_ input: [UInt8]) {
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
        }
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
        var start = 0
        do {
            for cut in cuts + [input.count] {
                outputs += try decoder.feed(input[start..<cut])
                start = cut
            }
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
        var start = 0
        for cut in cuts + [input.count] {
            take(reader.feed(input[start..<cut]))
            start = cut
        }
        take(reader.finish())
        return reading
    }
}

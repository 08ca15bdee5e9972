import IncrementalJSON

/// A JSON text made of received bytes and a few literal ones, rendered only when read.
struct PlanDocument: Sendable, Hashable {
    enum Piece: Sendable {
        case received(ReceivedBytes, Range<Int>)
        case literal([UInt8])
    }

    /// Everything up to the closers: a continuation inserts its days here.
    var pieces: [Piece]
    /// The closers.
    var suffix: String

    /// The received bytes that a repair keeps, then its closers.
    init(_ repair: JSONRepair, of source: ReceivedBytes) {
        pieces = repair.keptRanges.map { .received(source, $0) }
        suffix = repair.suffix
    }

    /// The text. Cost: its length. Valid UTF-8 without a second check: the received ranges are
    /// what the parser accepted (a repair keeps whole characters), the rest ASCII commas and
    /// closers.
    var text: String {
        var bytes: [UInt8] = []
        for piece in pieces {
            switch piece {
            case .received(let source, let range): source.withBytes(in: range) { bytes += $0 }
            case .literal(let literal): bytes += literal
            }
        }
        bytes += suffix.utf8
        return bytes.withUnsafeBytes { JSONStringDecoding.string(validatedUTF8: $0) }
    }

    /// Documents are equal when their texts are. Cost: their lengths.
    static func == (lhs: PlanDocument, rhs: PlanDocument) -> Bool { lhs.text == rhs.text }

    func hash(into hasher: inout Hasher) { hasher.combine(text) }

    /// The last byte before the closers that is not whitespace, if any.
    var lastSignificantByte: UInt8? {
        for piece in pieces.reversed() {
            let last: UInt8?
            switch piece {
            case .received(let source, let range): last = source.withBytes(in: range) { $0.last { !Self.isWhitespace($0) } }
            case .literal(let literal): last = literal.last { !Self.isWhitespace($0) }
            }
            if let last { return last }
        }
        return nil
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }
}

import Foundation
import FuzzSupport
import IncrementalJSON

extension FuzzInvariants {
    /// JSONTokenDecoder against Foundation's JSONDecoder on any input, into a fixed set of types
    /// (the plan's own types: `checkPlanDecoding` in PlanFuzzInvariants):
    /// both decode to equal values, or both throw — with the same `DecodingError` kind where the
    /// kind does not depend on a dictionary's (unspecified) key order; invalid JSON is rejected by
    /// the parser. The deliberate differences listed in JSONTokenDecoder's documentation are
    /// outside these types.
    public static func checkDecoding(_ input: [UInt8]) {
        compare(input, as: [Int].self, kinds: true)
        compare(input, as: [Double].self, kinds: true)
        compare(input, as: [String].self, kinds: true)
        compare(input, as: [Bool?].self, kinds: true)
        compare(input, as: [[Int]].self, kinds: true)
        compare(input, as: [Lossy].self, kinds: true)
        compare(input, as: Record.self, kinds: true)
        compare(input, as: [Record].self, kinds: true)
        compare(input, as: [String: Int].self, kinds: false)
        compare(input, as: [String: [String]].self, kinds: false)
    }

    /// Optional members of the common kinds, a nested record and an array of them.
    struct Record: Decodable, Equatable {
        var a: Int?
        var b: String?
        var c: Double?
        var d: Bool?
        var e: [Int]?
        var f: Int8?
        var g: Float?
        var inner: [Record]?
    }

    /// The "lossy array" idiom: what does not decode as a String is skipped.
    struct Lossy: Decodable, Equatable {
        var strings: [String] = []
        init(from decoder: any Decoder) throws {
            var container = try decoder.unkeyedContainer()
            while !container.isAtEnd {
                if let string = try? container.decode(String.self) { strings.append(string) } else {
                    _ = try container.decode(Skip.self)
                }
            }
        }
        struct Skip: Decodable {}
    }

    package static func compare<T: Decodable & Equatable>(_ input: [UInt8], as type: T.Type, kinds: Bool) {
        let theirs = Result { try JSONDecoder().decode(T.self, from: Data(input)) }
        let ours = Result { try JSONTokenDecoder().decode(T.self, from: input) }
        // Invalid JSON: rejected here whatever the type (JSONDecoder validates lazily, so it may
        // report a type mismatch first, or accept bad bytes in a member the type ignores). The
        // parser's own fuzz target holds its verdict to JSONSerialization's.
        if case .failure(let error) = ours, error is JSONParseError { return }
        switch (theirs, ours) {
        case (.success(let value), .success(let ourValue)):
            guard value != ourValue else { return }
            fail("decoded \(T.self) differently: \(value) vs \(ourValue)", input)
        case (.failure(let error), .failure(let ourError)):
            guard kinds, let theirKind = kind(of: error) else { return }   // invalid JSON: either error says so
            let ourKind = kind(of: ourError)
            if theirKind != ourKind { fail("\(T.self): JSONDecoder threw \(theirKind), ours \(ourKind ?? "\(ourError)")", input) }
        case (.success(let value), .failure(let error)):
            fail("\(T.self): JSONDecoder gave \(value), ours threw \(error)", input)
        case (.failure(let error), .success(let value)):
            if kind(of: error) == nil && holdsZeroWithUnsignedExponent(input) { return }
            fail("\(T.self): JSONDecoder threw \(error), ours gave \(value)", input)
        }
    }

    /// Whether a number of `input` is a zero with an exponent and no sign (`0e1`): valid JSON,
    /// which Swift 6.3.1's `JSONDecoder` on Linux rejects as invalid (JSONTokenDecoder's
    /// documented differences).
    package static func holdsZeroWithUnsignedExponent(_ input: [UInt8]) -> Bool {
        let parser = JSONParser(options: .strict)
        parser.push(input)
        parser.endInput()
        while let token = try? parser.nextToken() {
            guard token.kind == .number else { continue }
            let text = parser.withUnsafeRawBytes(of: token) { Array($0.drop { $0 == UInt8(ascii: "-") }) }
            if text.count > 2 && text[0] == UInt8(ascii: "0") && text[1] | 0x20 == UInt8(ascii: "e")
                && text[2] != UInt8(ascii: "+") && text[2] != UInt8(ascii: "-") { return true }
        }
        return false
    }

    /// A `DecodingError`'s kind; `nil` for invalid JSON (Foundation's dataCorrupted "not valid
    /// JSON", the parser's error), whose messages differ by design.
    package static func kind(of error: any Error) -> String? {
        switch error {
        case DecodingError.typeMismatch: return "typeMismatch"
        case DecodingError.valueNotFound: return "valueNotFound"
        case DecodingError.keyNotFound: return "keyNotFound"
        case DecodingError.dataCorrupted(let context):
            return context.debugDescription.contains("not valid JSON") || context.underlyingError != nil ? nil : "dataCorrupted"
        default: return nil
        }
    }
}

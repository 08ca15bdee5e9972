import Foundation
import FuzzSupport
import IncrementalJSON

extension FuzzInvariants {
    /// Parser: no crash or hang; identical tokens, raw text and error for the whole input,
    /// byte by byte, and split at points derived from the input; tokens of valid UTF-8 only; in
    /// strict mode, the same verdict as `JSONSerialization` apart from ``knownDifference(_:)``.
    public static func checkParser(_ input: [UInt8]) {
        for options in [JSONParserOptions.strict, .llm, llmObject, multipleValues] {
            let whole = trace(input, cuts: [], options: options)
            let dripped = trace(input, cuts: input.isEmpty ? [] : Array(1..<input.count), options: options)
            require(whole == dripped, "byte-by-byte parse differs from whole parse", input)
            // Strings are made from accepted bytes without a second UTF-8 check: every token the
            // parser accepted must pass the standard library's.
            require(String(validating: whole.raw, as: UTF8.self) != nil, "an accepted token is not valid UTF-8", input)
            let cuts = derivedCuts(input)
            require(trace(input, cuts: cuts, options: options) == whole, "split at \(cuts) differs from whole parse", input)
            require(trace(input, cuts: [], options: options, vectors: false) == whole, "the scalar path differs from the vector path", input)
            require(trace(input, cuts: cuts, options: options, batchSize: 3) == whole,
                    "tokens read three at a time, split at \(cuts), differ from the whole parse", input)
            require(trace(input, cuts: cuts, options: options, vectors: false) == whole,
                    "the scalar path split at \(cuts) differs from the whole parse", input)
            if options == .strict { checkAgainstFoundation(input, ourError: whole.error) }
        }
        checkCaptures(input)
    }

    /// Every value a lenient matcher captures reads back, as a tree and through the token
    /// decoder, to the same value (captures are re-read with the options that accepted them).
    static func checkCaptures(_ input: [UInt8]) {
        let matcher = JSONMatcher(patterns: ["$", "$.*", "$[*]", "$.*.*", "$.*[*]"], options: .llm)
        matcher.push(input)
        matcher.endInput()
        while let match = try? matcher.nextMatch() {
            guard match.phase == .completed else { continue }
            let value = matcher.value(of: match)
            struct Wrapper: Decodable { var value: JSONValue; init(from decoder: any Decoder) throws { value = try JSONValue(from: decoder) } }
            let decoded = try? matcher.decode(Wrapper.self, from: match).value
            require(decoded != nil, "a captured value does not decode", input)
            // A repeated key: the tree keeps the last value (as JSONSerialization and JavaScript
            // do), the token decoder the first (as JSONDecoder does).
            if repeatsAKey(matcher.rawBytes(of: match)) { continue }
            require(decoded == value, "a captured value decodes to something else", input)
        }
    }

    /// Whether some object in `input` (read leniently, up to its first error) repeats a key.
    package static func repeatsAKey(_ input: [UInt8]) -> Bool {
        let parser = JSONParser(options: .llm)
        parser.push(input)
        parser.endInput()
        var keys: [Set<String>] = []
        while let token = try? parser.nextToken() {
            switch token.kind {
            case .objectStart: keys.append([])
            case .arrayStart: keys.append([])
            case .objectEnd, .arrayEnd: keys.removeLast()
            case .key:
                guard keys[keys.count - 1].insert(parser.string(of: token)).inserted else { return true }
            default: break
            }
        }
        return false
    }

    /// Repair: for every prefix cut at points derived from the input, a repair from the live
    /// parser is strict JSON (for this parser and for `JSONSerialization`), keeps only the
    /// input's own bytes plus closers, invents no scalar, and equals the standalone repair.
    public static func checkRepair(_ input: [UInt8]) {
        let scalars = scalars(of: input)
        for keepPartial in [false, true] {
            let parser = JSONParser(options: JSONRepair.repairOptions)
            var fed = 0
            for cut in derivedCuts(input) + [input.count] where cut >= fed {
                parser.push(input[fed..<cut])
                fed = cut
                do {
                    while try parser.nextToken() != nil {}
                } catch {
                    return   // invalid before the cut: nothing to check from here on
                }
                let prefix = Array(input[..<cut])
                let live: JSONRepair
                do {
                    live = try parser.repair(keepingPartialStrings: keepPartial)
                } catch {
                    require((try? RepairedJSON(repairing: prefix, keepingPartialStrings: keepPartial)) == nil
                            || error == .noValue, "live repair failed where standalone succeeded: \(error)", input)
                    continue
                }
                let repaired = live.apply(to: prefix)
                // Only the input's own bytes, in order, then closers.
                for range in live.keptRanges { require(range.upperBound <= cut, "kept bytes beyond the cut", input) }
                require(live.suffix.utf8.allSatisfy { [0x22, 0x5D, 0x7D].contains($0) }, "suffix \(live.suffix) is not closers", input)
                var strict = JSONParserOptions()
                strict.maximumDepth = .max
                let value: JSONValue
                do {
                    value = try JSONValue(parsing: repaired, options: strict)
                } catch {
                    fail("repair is not valid JSON: \(error) — \(String(decoding: repaired, as: UTF8.self))", input)
                }
                // Unless it is a known difference: a number Double cannot hold, which JSONSerialization
                // rejects and RFC 8259 allows, as in the parse check.
                if live.report.containersClosed < 500, knownDifference(repaired, ourError: nil) == nil {
                    require((try? JSONSerialization.jsonObject(with: Data(repaired), options: .fragmentsAllowed)) != nil,
                            "JSONSerialization rejects the repair \(String(decoding: repaired, as: UTF8.self))", input)
                }
                if let scalars { checkNothingInvented(value, in: scalars, partialAllowed: keepPartial, input) }
                if let standalone = try? RepairedJSON(repairing: prefix, keepingPartialStrings: keepPartial) {
                    require(standalone.bytes == repaired, "standalone repair differs from live repair", input)
                }
            }
        }
    }

    // MARK: - Helpers

    /// `.llm` for a document known to be an object (a plan's): only `{"` ends the prose.
    static var llmObject: JSONParserOptions {
        var options = JSONParserOptions.llm
        options.leadingProseEndsAtObject = true
        return options
    }

    static var multipleValues: JSONParserOptions {
        var options = JSONParserOptions()
        options.allowsMultipleTopLevelValues = true
        options.maximumDepth = 64
        return options
    }

    /// Tokens with their raw bytes, and the error, for the input pushed in the given pieces.
    public struct Trace: Equatable {
        public var tokens: [JSONToken] = []
        public var raw: [UInt8] = []
        public var error: JSONParseError?
    }

    /// `vectors: false` reads long string runs on the scalar path (``JSONParser/scansWithVectors``);
    /// a `batchSize` reads the tokens with ``JSONParser/nextTokens(into:)``, that many at most per
    /// call, instead of one ``JSONParser/nextToken()`` call each.
    public static func trace(_ input: [UInt8], cuts: [Int], options: JSONParserOptions, vectors: Bool = true,
                             batchSize: Int? = nil) -> Trace {
        let parser = JSONParser(options: options)
        parser.scansWithVectors = vectors
        let batch = UnsafeMutableBufferPointer<JSONToken>.allocate(capacity: batchSize ?? 0)
        defer { batch.deallocate() }
        var result = Trace()
        func record(_ token: JSONToken) {
            result.tokens.append(token)
            parser.withUnsafeRawBytes(of: token) { result.raw += $0 }
        }
        func readTokens() throws(JSONParseError) {
            guard batchSize != nil else {
                while let token = try parser.nextToken() { record(token) }
                return
            }
            while case let count = try parser.nextTokens(into: batch), count > 0 {
                batch[..<count].forEach(record)
            }
        }
        do {
            for piece in pieces(of: input, at: cuts) {
                parser.push(piece)
                try readTokens()
            }
            parser.endInput()
            try readTokens()
        } catch {
            result.error = error
        }
        return result
    }

    /// Where this parser and `JSONSerialization` (swift-corelibs-foundation, Linux) disagree,
    /// and why. Each was observed, not assumed; anything else is a finding.
    public enum KnownDifference: String, CaseIterable, Sendable {
        case byteOrderMark = "a leading UTF-8 byte order mark: JSONSerialization skips it; strict mode rejects it (RFC 8259 §8.1 lets a parser ignore it, never requires it)"
        case trailingComma = "a comma before ] or }: JSONSerialization accepts it; strict mode rejects it (allowsTrailingCommas accepts it)"
        case hugeNumber = "a number beyond Double's range (1e400): valid JSON, accepted here; JSONSerialization rejects it"
        case depth = "nesting near 512 levels: the two parsers' depth limits are not the same number"
        case otherEncoding = "NUL bytes among the first four: JSONSerialization reads UTF-16 or UTF-32; this parser reads UTF-8 only, as RFC 8259 §8.1 requires"
    }

    /// The documented difference that explains a disagreement on `input`, if any.
    static func knownDifference(_ input: [UInt8], ourError: JSONParseError?) -> KnownDifference? {
        if input.starts(with: [0xEF, 0xBB, 0xBF]) { return .byteOrderMark }
        if input.prefix(4).contains(0) { return .otherEncoding }
        if ourError?.reason == .trailingComma { return .trailingComma }
        if case .depthLimitExceeded? = ourError?.reason.code { return .depth }
        var depth = 0, deepest = 0
        for byte in input {
            if byte == 0x5B || byte == 0x7B { depth += 1; deepest = max(deepest, depth) }
            else if byte == 0x5D || byte == 0x7D { depth -= 1 }
        }
        if deepest >= 500 { return .depth }
        if ourError == nil {
            // We accepted: does it hold a number Double cannot represent?
            let parser = JSONParser(options: .strict)
            parser.push(input)
            parser.endInput()
            while let token = try? parser.nextToken() {
                if token.kind == .number, parser.number(of: token).double == nil { return .hugeNumber }
            }
        }
        return nil
    }

    static func checkAgainstFoundation(_ input: [UInt8], ourError: JSONParseError?) {
        let theirs = (try? JSONSerialization.jsonObject(with: Data(input), options: .fragmentsAllowed)) != nil
        let ours = ourError == nil
        guard ours != theirs, knownDifference(input, ourError: ourError) == nil else { return }
        fail("verdict differs from JSONSerialization: ours \(ours ? "valid" : "invalid (\(ourError!))"), Foundation \(theirs ? "valid" : "invalid")", input)
    }

    /// The scalars and keys of a document, to check that a repair invents none.
    public struct Scalars: Sendable {
        /// Every scalar serialized, and every key as `key:` + key.
        var texts: Set<String> = []
        /// Every string value and key, decoded, for partial-string prefixes.
        var strings: [String] = []
    }

    /// The scalars and keys of a valid document, or `nil` when the input is not one.
    public static func scalars(of input: [UInt8]) -> Scalars? {
        let parser = JSONParser(options: JSONRepair.repairOptions)
        parser.push(input)
        parser.endInput()
        var scalars = Scalars()
        do {
            while let token = try parser.nextToken() {
                switch token.kind {
                case .key:
                    let key = parser.string(of: token)
                    scalars.texts.insert("key:" + key)
                    scalars.strings.append(key)
                case .string:
                    let string = parser.string(of: token)
                    scalars.texts.insert(JSONValue.string(string).serialized())
                    scalars.strings.append(string)
                case .number: scalars.texts.insert(parser.number(of: token).text)
                case .true: scalars.texts.insert("true")
                case .false: scalars.texts.insert("false")
                case .null: scalars.texts.insert("null")
                default: break
                }
            }
        } catch {
            return nil
        }
        return scalars
    }

    /// Traps unless every scalar and key of `value` occurs in the original (partial strings as
    /// prefixes of an original string, in code points, when allowed: a cut may split a grapheme).
    public static func checkNothingInvented(_ value: JSONValue, in scalars: Scalars, partialAllowed: Bool, _ input: [UInt8]) {
        var stack = [value]
        while let next = stack.popLast() {
            switch next {
            case .array(let elements): stack += elements
            case .object(let members):
                stack += members.values
                for key in members.keys { require(scalars.texts.contains("key:" + key), "invented key \(key)", input) }
            case .string(let string) where !scalars.texts.contains(next.serialized()):
                let isPrefix = scalars.strings.contains { $0.unicodeScalars.starts(with: string.unicodeScalars) }
                require(partialAllowed && isPrefix, "invented string \(string)", input)
            default:
                require(scalars.texts.contains(next.serialized()), "invented \(next.serialized())", input)
            }
        }
    }
}

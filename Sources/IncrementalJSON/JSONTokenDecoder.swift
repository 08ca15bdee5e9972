import Foundation

/// Decodes `Decodable` values from JSON bytes with this package's parser: one scan into a flat
/// token tape, then keys are found by comparing raw bytes — no dictionary per object, no
/// intermediate tree. It is what ``JSONMatcher/decode(_:from:using:)`` uses for captured values.
///
/// ```swift
/// let day = try JSONTokenDecoder().decode(PlanDay.self, from: bytes)
/// ```
///
/// It has `JSONDecoder`'s strategies, with the same defaults: keys as written, `Date` as seconds
/// since the reference date, `Data` as Base64; `URL` from a string, `Decimal` from the number's
/// text. Set others as on `JSONDecoder` (`decoder.keyDecodingStrategy = .convertFromSnakeCase`),
/// or take a configured one's with ``init(_:)``.
/// Invalid JSON throws ``JSONParseError``; a shape that does not fit the type throws
/// `DecodingError`, with the coding path.
///
/// On valid JSON it gives what `JSONDecoder` gives on the same toolchain, or throws the same
/// `DecodingError` kind at the same (or a more precise) coding path — `DecoderDifferentialTests`
/// holds it to that: the first member of a repeated key wins and `allKeys` lists it once; keys
/// compare as Swift strings (canonically equivalent spellings match); an unkeyed container moves
/// past an element only when it decoded, so `try?` can try another type; `decodeNil()` at the end
/// throws; `Int128`/`UInt128`; an integer from `1e19`, `1.0` or `1e-400` (through `Double`);
/// a floating-point number that overflows or underflows to zero throws; `superDecoder(forKey:)`
/// of a missing key decodes `null`. The deliberate differences:
/// - invalid JSON — also inside members the type ignores — throws ``JSONParseError`` with its
///   byte offset, where `JSONDecoder` throws `DecodingError.dataCorrupted`;
/// - an integer written with a fraction or exponent at or above 2^63 (`9223372036854775807.0`)
///   is read through `Double` (`JSONDecoder` gives `UInt64` 9223372036854775807 but fails `Int64`);
/// - where `JSONDecoder` throws its internal `JSONError` inside an `init(from:)` (a number that
///   does not fit), this throws `DecodingError.dataCorrupted` with the coding path;
/// - `allKeys` is in document order (`JSONDecoder`'s order is unspecified), which decides the
///   winner when `[Int: T]` keys collide as numbers (`"1"` and `"01"`);
/// - a zero with an exponent and no sign (`0e1`, `0E5`) is the number zero, as RFC 8259 §6
///   reads it (JSONTestSuite's `y_number_0e1`); Swift 6.3.1's `JSONDecoder` on Linux rejects
///   the document as invalid JSON (`0e+1`, `-0e1` and `JSONSerialization` are fine).
public struct JSONTokenDecoder: Sendable {
    /// Values for `Decoder.userInfo`.
    public var userInfo: [CodingUserInfoKey: any Sendable] = [:]
    /// How JSON keys become coding keys, as `JSONDecoder`'s (`.convertFromSnakeCase`, `.custom`).
    public var keyDecodingStrategy: JSONDecoder.KeyDecodingStrategy = .useDefaultKeys
    /// How a `Date` is read, as `JSONDecoder`'s (`.iso8601`, `.secondsSince1970`, `.formatted`, …).
    public var dateDecodingStrategy: JSONDecoder.DateDecodingStrategy = .deferredToDate
    /// How `Data` is read, as `JSONDecoder`'s (`.base64`, `.deferredToData`, `.custom`).
    public var dataDecodingStrategy: JSONDecoder.DataDecodingStrategy = .base64
    /// Which strings stand for infinities and NaN, as `JSONDecoder`'s.
    public var nonConformingFloatDecodingStrategy: JSONDecoder.NonConformingFloatDecodingStrategy = .throw

    /// How the bytes are read: strict, at most 512 levels deep (as JSONDecoder). A matcher passes
    /// its own relaxations (trailing commas) for values its parser accepted.
    var parserOptions = JSONParserOptions()

    public init() {}

    /// A decoder with `decoder`'s strategies and user info, so that values a `JSONDecoder` was
    /// configured for decode here at this decoder's speed:
    ///
    /// ```swift
    /// let foundation = JSONDecoder()
    /// foundation.keyDecodingStrategy = .convertFromSnakeCase
    /// foundation.dateDecodingStrategy = .iso8601
    /// let decoder = try JSONTokenDecoder(foundation)
    /// ```
    ///
    /// Throws ``UnsupportedOption`` for what it does not read: JSON5, and a top-level dictionary
    /// without braces.
    public init(_ decoder: JSONDecoder) throws(UnsupportedOption) {
        guard !decoder.allowsJSON5 else { throw UnsupportedOption(name: "allowsJSON5") }
        guard !decoder.assumesTopLevelDictionary else { throw UnsupportedOption(name: "assumesTopLevelDictionary") }
        keyDecodingStrategy = decoder.keyDecodingStrategy
        dateDecodingStrategy = decoder.dateDecodingStrategy
        dataDecodingStrategy = decoder.dataDecodingStrategy
        nonConformingFloatDecodingStrategy = decoder.nonConformingFloatDecodingStrategy
        userInfo = decoder.userInfo
    }

    /// A `JSONDecoder` option this decoder does not support.
    public struct UnsupportedOption: Error, Sendable, Hashable, CustomStringConvertible {
        /// The `JSONDecoder` property.
        public var name: String
        public var description: String { "JSONTokenDecoder does not support JSONDecoder.\(name) (strict JSON only)" }
    }

    /// Decodes a `T` from a complete JSON document.
    ///
    /// Cost: one parse of the document into a tape (16 bytes per token, beside the parser's copy
    /// of the bytes), then per key look-up a scan of the object's members before it (a length
    /// comparison each; objects of more than 12 members get a key index), per value its own text.
    public func decode<T: Decodable>(_ type: T.Type, from bytes: some Collection<UInt8>) throws -> T {
        try decode(type, from: TokenTape(bytes, options: parserOptions))
    }

    /// Decodes a `T` from a tape of a complete value's tokens.
    func decode<T: Decodable>(_ type: T.Type, from tape: TokenTape) throws -> T {
        try DecoderImpl(tape: tape, index: 0, parent: nil, key: nil, options: Options(self)).decodeValue(T.self)
    }

    /// The strategies, shared by every decoder of one document.
    final class Options: Sendable {
        let userInfo: [CodingUserInfoKey: any Sendable]
        let keys: JSONDecoder.KeyDecodingStrategy
        let convertsKeys: Bool
        let dates: JSONDecoder.DateDecodingStrategy
        let defersDates: Bool
        let data: JSONDecoder.DataDecodingStrategy
        let nonConformingFloats: (positiveInfinity: String, negativeInfinity: String, nan: String)?

        init(_ decoder: JSONTokenDecoder) {
            userInfo = decoder.userInfo
            keys = decoder.keyDecodingStrategy
            if case .useDefaultKeys = keys { convertsKeys = false } else { convertsKeys = true }
            dates = decoder.dateDecodingStrategy
            if case .deferredToDate = dates { defersDates = true } else { defersDates = false }
            data = decoder.dataDecodingStrategy
            if case .convertFromString(let positive, let negative, let nan) = decoder.nonConformingFloatDecodingStrategy {
                nonConformingFloats = (positive, negative, nan)
            } else {
                nonConformingFloats = nil
            }
        }
    }
}

extension JSONTokenDecoder {
    /// `snake_case_key` → `snakeCaseKey`, as `JSONDecoder.KeyDecodingStrategy.convertFromSnakeCase`
    /// does: leading and trailing underscores stay; a key without inner underscores is unchanged.
    static func convertFromSnakeCase(_ key: String) -> String {
        guard !key.isEmpty, let first = key.firstIndex(where: { $0 != "_" }) else { return key }
        var last = key.index(before: key.endIndex)
        while last > first, key[last] == "_" { last = key.index(before: last) }
        let body = key[first...last]
        let components = body.split(separator: "_")
        guard components.count > 1 else { return key }
        let joined = ([components[0].lowercased()] + components.dropFirst().map { $0.capitalized }).joined()
        return String(key[..<first]) + joined + String(key[key.index(after: last)...])
    }
}

/// The `Decoder` for one value of a tape. Its coding path is a chain of parents, built into an
/// array only when asked for (errors, mostly).
final class DecoderImpl: Decoder {
    let tape: TokenTape
    let index: Int
    let parent: DecoderImpl?
    let key: (any CodingKey)?
    let options: JSONTokenDecoder.Options
    /// For a `[String: V]` under a key decoding strategy: its keys are used as written.
    let keepsKeys: Bool
    var userInfo: [CodingUserInfoKey: Any] { options.userInfo }

    init(tape: TokenTape, index: Int, parent: DecoderImpl?, key: (any CodingKey)?, options: JSONTokenDecoder.Options,
         keepsKeys: Bool = false) {
        self.tape = tape
        self.index = index
        self.parent = parent
        self.key = key
        self.options = options
        self.keepsKeys = keepsKeys
    }

    var codingPath: [any CodingKey] {
        var path: [any CodingKey] = []
        var decoder: DecoderImpl? = self
        while let current = decoder {
            if let key = current.key { path.append(key) }
            decoder = current.parent
        }
        return path.reversed()
    }

    /// The coding path of a value one `key` below this decoder.
    func path(_ key: (any CodingKey)?) -> [any CodingKey] {
        key.map { codingPath + [$0] } ?? codingPath
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard tape.kind(index) == .objectStart else {
            throw mismatch([String: Any].self, at: index, key: nil)
        }
        return KeyedDecodingContainer(KeyedContainer<Key>(decoder: self, object: index))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard tape.kind(index) == .arrayStart else { throw mismatch([Any].self, at: index, key: nil) }
        return UnkeyedContainer(decoder: self, array: index)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleValueContainer(decoder: self)
    }

    /// A decoder for the value at `index`, one key or index deeper.
    func child(_ index: Int, key: any CodingKey) -> DecoderImpl {
        DecoderImpl(tape: tape, index: index, parent: self, key: key, options: options)
    }

    // MARK: - Values

    /// Decodes the value at this decoder's index.
    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        try decode(type, at: index, key: nil)
    }

    /// Decodes the value at `index` (this decoder's own when `key` is `nil`, else its member or
    /// element `key`): primitives and arrays and dictionaries of them straight from the tape, the
    /// types `JSONDecoder` treats specially as it does, anything else through its `init(from:)`.
    ///
    /// The common types are matched by identity first — a metatype comparison, where a cast or an
    /// `Optional<T>` would look up generic metadata — and collections of them are read in one loop,
    /// not through the standard library's generic `init(from:)` (a metadata look-up per element).
    func decode<T: Decodable>(_ type: T.Type, at index: Int, key: (any CodingKey)?) throws -> T {
        if T.self == Int.self { return unsafeBitCast(try integer(Int.self, at: index, key: key), to: T.self) }
        if T.self == String.self { return unsafeBitCast(try string(at: index, key: key), to: T.self) }
        if T.self == Double.self { return unsafeBitCast(try floatingPoint(Double.self, at: index, key: key), to: T.self) }
        if T.self == Bool.self { return unsafeBitCast(try bool(at: index, key: key), to: T.self) }
        if T.self == [Int].self {
            return unsafeBitCast(try array(at: index, key: key) { try $0.integer(Int.self, at: $1, key: $2) }, to: T.self)
        }
        if T.self == [String].self {
            return unsafeBitCast(try array(at: index, key: key) { try $0.string(at: $1, key: $2) }, to: T.self)
        }
        if T.self == [Double].self {
            return unsafeBitCast(try array(at: index, key: key) { try $0.floatingPoint(Double.self, at: $1, key: $2) }, to: T.self)
        }
        if !options.convertsKeys || keepsKeys {
            if T.self == [String: Int].self {
                return unsafeBitCast(try dictionary(at: index, key: key) { try $0.integer(Int.self, at: $1, key: $2) }, to: T.self)
            }
            if T.self == [String: String].self {
                return unsafeBitCast(try dictionary(at: index, key: key) { try $0.string(at: $1, key: $2) }, to: T.self)
            }
            if T.self == [String: Double].self {
                return unsafeBitCast(try dictionary(at: index, key: key) { try $0.floatingPoint(Double.self, at: $1, key: $2) }, to: T.self)
            }
        }
        return try decodeOther(type, at: index, key: key)
    }

    /// Everything but the commonest types — still by identity, never by a conformance look-up,
    /// which a struct decoded ten thousand times would pay each time.
    private func decodeOther<T: Decodable>(_ type: T.Type, at index: Int, key: (any CodingKey)?) throws -> T {
        if options.convertsKeys && !keepsKeys && tape.kind(index) == .objectStart, T.self is StringKeyedDictionary.Type {
            // As JSONDecoder: a `[String: V]`'s own keys are its data, never converted.
            return try T(from: DecoderImpl(tape: tape, index: index, parent: key == nil ? parent : self,
                                           key: key ?? self.key, options: options, keepsKeys: true))
        }
        if tape.kind(index) == .arrayStart, let arrayType = T.self as? any DecodableArray.Type {
            // An array of any element type, element by element without the standard library's
            // generic `init(from:)` (a metadata look-up per element).
            return try arrayType.decodeArray(from: self, at: index, key: key) as! T
        }
        if T.self == Float.self { return unsafeBitCast(try floatingPoint(Float.self, at: index, key: key), to: T.self) }
        if T.self == Int8.self { return unsafeBitCast(try integer(Int8.self, at: index, key: key), to: T.self) }
        if T.self == Int16.self { return unsafeBitCast(try integer(Int16.self, at: index, key: key), to: T.self) }
        if T.self == Int32.self { return unsafeBitCast(try integer(Int32.self, at: index, key: key), to: T.self) }
        if T.self == Int64.self { return unsafeBitCast(try integer(Int64.self, at: index, key: key), to: T.self) }
        if T.self == UInt.self { return unsafeBitCast(try integer(UInt.self, at: index, key: key), to: T.self) }
        if T.self == UInt8.self { return unsafeBitCast(try integer(UInt8.self, at: index, key: key), to: T.self) }
        if T.self == UInt16.self { return unsafeBitCast(try integer(UInt16.self, at: index, key: key), to: T.self) }
        if T.self == UInt32.self { return unsafeBitCast(try integer(UInt32.self, at: index, key: key), to: T.self) }
        if T.self == UInt64.self { return unsafeBitCast(try integer(UInt64.self, at: index, key: key), to: T.self) }
        if T.self == Int128.self { return unsafeBitCast(try integer(Int128.self, at: index, key: key), to: T.self) }
        if T.self == UInt128.self { return unsafeBitCast(try integer(UInt128.self, at: index, key: key), to: T.self) }
        if T.self == Decimal.self {
            guard tape.kind(index) == .number else { throw mismatch(type, at: index, key: key) }
            let text = tape.numberText(index)
            guard let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")), !value.isNaN else {
                throw DecodingError.dataCorrupted(.init(codingPath: self.path(key),
                    debugDescription: "Number \(text) is not representable in Swift as Decimal."))
            }
            return value as! T
        }
        if T.self == URL.self {
            guard let value = URL(string: try string(at: index, key: key)) else {
                throw DecodingError.dataCorrupted(.init(codingPath: self.path(key), debugDescription: "Invalid URL string."))
            }
            return value as! T
        }
        if T.self == Data.self { return try data(at: index, key: key) as! T }
        if T.self == Date.self, !options.defersDates { return try date(at: index, key: key) as! T }
        if T.self == JSONValue.self {
            return try JSONValue(parsing: tape.valueText(index), options: tape.options) as! T
        }
        return try T(from: key.map { child(index, key: $0) } ?? self)
    }

    /// The elements of the array at `index`, as `[Element]`.
    func elements<Element: Decodable>(_ type: Element.Type, at index: Int, key: (any CodingKey)?) throws -> [Element] {
        try array(at: index, key: key) { try $0.decode(Element.self, at: $1, key: $2) }
    }

    /// The array at `index`, each element read by `element` (with its index as its key).
    private func array<Element>(at index: Int, key: (any CodingKey)?,
                                _ element: (DecoderImpl, Int, any CodingKey) throws -> Element) throws -> [Element] {
        guard tape.kind(index) == .arrayStart else { throw mismatch([Any].self, at: index, key: key) }
        let decoder = key.map { child(index, key: $0) } ?? self
        var elements: [Element] = []
        var position = index + 1
        let end = tape.end(of: index)
        // Scalars are one token each; else count (a step per element) rather than grow.
        elements.reserveCapacity(tape.elementCount(of: index))
        while position < end {
            elements.append(try element(decoder, position, IndexKey(intValue: elements.count)))
            position = tape.next(after: position)
        }
        return elements
    }

    /// The object at `index` as a dictionary, each value read by `value`; a repeated key keeps its
    /// first value, as JSONDecoder does.
    private func dictionary<Value>(at index: Int, key: (any CodingKey)?,
                                   _ value: (DecoderImpl, Int, any CodingKey) throws -> Value) throws -> [String: Value] {
        guard tape.kind(index) == .objectStart else { throw mismatch([String: Any].self, at: index, key: key) }
        let decoder = key.map { child(index, key: $0) } ?? self
        var dictionary: [String: Value] = [:]
        var position = index + 1
        while tape.kind(position) == .key {
            let name = tape.string(position)
            if dictionary[name] == nil {
                dictionary[name] = try value(decoder, position + 1, IndexKey(stringValue: name))
            }
            position = tape.next(after: position + 1)
        }
        return dictionary
    }

    func data(at index: Int, key: (any CodingKey)?) throws -> Data {
        switch options.data {
        case .deferredToData:
            return try Data(from: key.map { child(index, key: $0) } ?? self)
        case .custom(let decode):
            return try decode(key.map { child(index, key: $0) } ?? self)
        default:   // .base64
            guard let value = Data(base64Encoded: try string(at: index, key: key)) else {
                throw DecodingError.dataCorrupted(.init(codingPath: self.path(key), debugDescription: "Encountered Data is not valid Base64."))
            }
            return value
        }
    }

    func date(at index: Int, key: (any CodingKey)?) throws -> Date {
        switch options.dates {
        case .secondsSince1970:
            return Date(timeIntervalSince1970: try floatingPoint(Double.self, at: index, key: key))
        case .millisecondsSince1970:
            return Date(timeIntervalSince1970: try floatingPoint(Double.self, at: index, key: key) / 1000)
        case .iso8601:
            let text = try string(at: index, key: key)
            guard let date = try? Date.ISO8601FormatStyle().parse(text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: self.path(key), debugDescription: "Expected date string to be ISO8601-formatted."))
            }
            return date
        #if canImport(Darwin)
        // A case on Apple platforms; elsewhere `.formatted` is built as `.custom`.
        case .formatted(let formatter):
            let text = try string(at: index, key: key)
            guard let date = formatter.date(from: text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: self.path(key), debugDescription: "Date string does not match format expected by formatter."))
            }
            return date
        #endif
        case .custom(let decode):
            return try decode(key.map { child(index, key: $0) } ?? self)
        default:   // .deferredToDate
            return try Date(from: key.map { child(index, key: $0) } ?? self)
        }
    }

    func string(at index: Int, key: (any CodingKey)?) throws -> String {
        guard tape.kind(index) == .string else { throw mismatch(String.self, at: index, key: key) }
        return tape.string(index)
    }

    func bool(at index: Int, key: (any CodingKey)?) throws -> Bool {
        switch tape.kind(index) {
        case .true: return true
        case .false: return false
        case .null:
            // JSONDecoder reports a null Bool as a type mismatch, not a missing value.
            throw DecodingError.typeMismatch(Bool.self, .init(codingPath: self.path(key),
                debugDescription: "Expected to decode Bool but found null instead."))
        default: throw mismatch(Bool.self, at: index, key: key)
        }
    }

    func integer<T: FixedWidthInteger>(_ type: T.Type, at index: Int, key: (any CodingKey)?) throws -> T {
        guard tape.kind(index) == .number else { throw mismatch(type, at: index, key: key) }
        if let value = Self.integerLiteral(T.self, tape.text(index)) { return value }
        // As JSONDecoder does: an integer literal converts exactly or not at all; a fraction or
        // exponent goes through Double, then must fit Int64 or UInt64 and the type exactly
        // (`1e19` is a UInt64; `1.5` and `9223372036854775807.0` are not integers; `1e-400` is 0).
        let text = tape.numberText(index)
        let isLiteral = !text.utf8.contains { $0 == ASCII.dot || $0 == ASCII.lowerE || $0 == 0x45 }
        if !isLiteral, let double = Double(text), double.isFinite {
            if let value = Int64(exactly: double).flatMap({ T(exactly: $0) }) { return value }
            if let value = UInt64(exactly: double).flatMap({ T(exactly: $0) }) { return value }
        }
        throw DecodingError.dataCorrupted(.init(codingPath: self.path(key),
            debugDescription: "Number \(text) is not representable in Swift as \(T.self)."))
    }

    /// A number token's text read as a plain integer literal with overflow checks, or `nil` if
    /// it has a fraction or an exponent or does not fit.
    private static func integerLiteral<T: FixedWidthInteger>(_ type: T.Type, _ text: UnsafeRawBufferPointer) -> T? {
        var value: T = 0
        let negative = text[0] == ASCII.minus
        for byte in text[(negative ? 1 : 0)...] {
            let digit = byte &- ASCII.zero
            guard digit < 10 else { return nil }
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = negative
                ? shifted.subtractingReportingOverflow(T(digit)) : shifted.addingReportingOverflow(T(digit))
            guard !overflow1 && !overflow2 else { return nil }
            value = next
        }
        return value
    }

    func floatingPoint<T: BinaryFloatingPoint & LosslessStringConvertible>(_ type: T.Type, at index: Int, key: (any CodingKey)?) throws -> T {
        if tape.kind(index) == .string, let names = options.nonConformingFloats {
            switch tape.string(index) {
            case names.positiveInfinity: return .infinity
            case names.negativeInfinity: return -.infinity
            case names.nan: return .nan
            default: break
            }
        }
        guard tape.kind(index) == .number,
              let value = T.self == Double.self ? tape.double(index).map({ T($0) }) : T(tape.numberText(index)) else {
            throw mismatch(type, at: index, key: key)
        }
        // Like JSONDecoder: a number too large (infinite) or too small (rounded to zero though
        // its digits are not all zero) is not representable.
        let underflows = value == 0 && tape.numberText(index).utf8.prefix { $0 != ASCII.lowerE && $0 != 0x45 }
            .contains { $0 > ASCII.zero && $0 <= ASCII.nine }
        guard value.isFinite, !underflows else {
            throw DecodingError.dataCorrupted(.init(codingPath: self.path(key),
                debugDescription: "Number \(tape.numberText(index)) is not representable in Swift as \(T.self)."))
        }
        return value
    }

    func mismatch(_ type: Any.Type, at index: Int, key: (any CodingKey)?) -> DecodingError {
        if tape.kind(index) == .null {
            return .valueNotFound(type, .init(codingPath: self.path(key),
                debugDescription: "Expected \(type) value but found null instead."))
        }
        return .typeMismatch(type, .init(codingPath: self.path(key),
            debugDescription: "Expected to decode \(type) but found \(tape.describe(index)) instead."))
    }
}

/// `[String: V]`, whose keys a key decoding strategy leaves alone (as JSONDecoder's marker does).
protocol StringKeyedDictionary {}
extension Dictionary: StringKeyedDictionary where Key == String, Value: Decodable {}

/// `[Element]`, decoded by ``DecoderImpl`` in one loop (see `decodeOther`).
protocol DecodableArray {
    static func decodeArray(from decoder: DecoderImpl, at index: Int, key: (any CodingKey)?) throws -> Self
}

extension Array: DecodableArray where Element: Decodable {
    static func decodeArray(from decoder: DecoderImpl, at index: Int, key: (any CodingKey)?) throws -> [Element] {
        try decoder.elements(Element.self, at: index, key: key)
    }
}

// The three decoding containers of JSONTokenDecoder. Each primitive `decode` forwards to one
// generic implementation on the decoder.

struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: DecoderImpl
    /// The token index of the object's `{`: members are found on the tape, in place.
    private let object: Int
    /// With a key decoding strategy: each member's key, converted, in document order.
    private let convertedKeys: [String]?
    /// With converted keys, or for a large object (a dictionary's data, mostly): each key's first
    /// value token, so that a look-up is not a scan of every member.
    private let lookup: [String: Int]?
    private static var lookupThreshold: Int { 12 }

    init(decoder: DecoderImpl, object: Int) {
        self.decoder = decoder
        self.object = object
        let tape = decoder.tape
        if decoder.options.convertsKeys && !decoder.keepsKeys {
            let convertedKeys = tape.members(of: object).map { member in
                let name = tape.string(member.key)
                switch decoder.options.keys {
                case .convertFromSnakeCase: return JSONTokenDecoder.convertFromSnakeCase(name)
                case .custom(let convert): return convert(decoder.codingPath + [IndexKey(stringValue: name)]).stringValue
                default: return name
                }
            }
            self.convertedKeys = convertedKeys
            self.lookup = Self.firstValues(zip(convertedKeys, tape.members(of: object).map(\.value)))
            return
        }
        self.convertedKeys = nil
        // Each member is at least two tokens: a short span cannot hold more than the threshold.
        if tape.span(of: object) > 2 * Self.lookupThreshold,
           tape.members(of: object).dropFirst(Self.lookupThreshold).contains(where: { _ in true }) {
            self.lookup = Self.firstValues(tape.members(of: object).lazy.map { (tape.string($0.key), $0.value) })
        } else {
            self.lookup = nil
        }
    }

    /// Each name's first value token, as JSONDecoder keeps the first of a repeated key.
    private static func firstValues(_ members: some Sequence<(String, Int)>) -> [String: Int] {
        var lookup: [String: Int] = [:]
        lookup.reserveCapacity(members.underestimatedCount)
        for (name, value) in members where lookup[name] == nil { lookup[name] = value }
        return lookup
    }

    var codingPath: [any CodingKey] { decoder.codingPath }

    /// Each key once (a repeated key is one key, as in JSONDecoder), in document order.
    var allKeys: [Key] {
        let tape = decoder.tape
        var seen = Set<String>()
        return tape.members(of: object).enumerated().compactMap { position, member in
            let name = convertedKeys?[position] ?? tape.string(member.key)
            if let lookup {
                guard lookup[name] == member.value else { return nil }
            } else {
                guard seen.insert(name).inserted else { return nil }
            }
            return Key(stringValue: name)
        }
    }

    /// The value token for `key`: the first member with that key, as JSONDecoder keeps it.
    /// Keys compare as Swift strings (canonically equivalent spellings match).
    private func valueIndex(_ key: Key) -> Int? {
        if let lookup { return lookup[key.stringValue] }
        return decoder.tape.member(of: object, named: key.stringValue)
    }

    private func require(_ key: Key) throws -> Int {
        guard let index = valueIndex(key) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath,
                debugDescription: "No value associated with key \(key.stringValue)."))
        }
        return index
    }

    func contains(_ key: Key) -> Bool { valueIndex(key) != nil }

    func decodeNil(forKey key: Key) throws -> Bool { decoder.tape.kind(try require(key)) == .null }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try decoder.decode(type, at: try require(key), key: key)
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let index = valueIndex(key), decoder.tape.kind(index) != .null else { return nil }
        return try decoder.decode(type, at: index, key: key)
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decoder.bool(at: require(key), key: key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try decoder.string(at: require(key), key: key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try decoder.floatingPoint(type, at: require(key), key: key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try decoder.floatingPoint(type, at: require(key), key: key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decoder.integer(type, at: require(key), key: key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try decoder.integer(type, at: require(key), key: key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try decoder.integer(type, at: require(key), key: key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try decoder.integer(type, at: require(key), key: key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try decoder.integer(type, at: require(key), key: key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try decoder.integer(type, at: require(key), key: key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try decoder.integer(type, at: require(key), key: key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try decoder.integer(type, at: require(key), key: key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try decoder.integer(type, at: require(key), key: key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try decoder.integer(type, at: require(key), key: key) }
    func decode(_ type: Int128.Type, forKey key: Key) throws -> Int128 { try decoder.integer(type, at: require(key), key: key) }
    func decode(_ type: UInt128.Type, forKey key: Key) throws -> UInt128 { try decoder.integer(type, at: require(key), key: key) }

    // One look-up each: the standard library's defaults for these ask `contains`, `decodeNil`
    // and `decode` in turn — three scans of the members.
    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try present(key) { try $0.bool(at: $1, key: key) } }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try present(key) { try $0.string(at: $1, key: key) } }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try present(key) { try $0.floatingPoint(type, at: $1, key: key) } }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { try present(key) { try $0.floatingPoint(type, at: $1, key: key) } }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try present(key) { try $0.integer(type, at: $1, key: key) } }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try present(key) { try $0.integer(type, at: $1, key: key) } }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try present(key) { try $0.integer(type, at: $1, key: key) } }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try present(key) { try $0.integer(type, at: $1, key: key) } }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try present(key) { try $0.integer(type, at: $1, key: key) } }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try present(key) { try $0.integer(type, at: $1, key: key) } }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try present(key) { try $0.integer(type, at: $1, key: key) } }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try present(key) { try $0.integer(type, at: $1, key: key) } }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try present(key) { try $0.integer(type, at: $1, key: key) } }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try present(key) { try $0.integer(type, at: $1, key: key) } }
    func decodeIfPresent(_ type: Int128.Type, forKey key: Key) throws -> Int128? { try present(key) { try $0.integer(type, at: $1, key: key) } }
    func decodeIfPresent(_ type: UInt128.Type, forKey key: Key) throws -> UInt128? { try present(key) { try $0.integer(type, at: $1, key: key) } }

    /// `nil` for a missing key or a `null` value, else what `read` makes of the value token.
    private func present<T>(_ key: Key, _ read: (DecoderImpl, Int) throws -> T) throws -> T? {
        guard let index = valueIndex(key), decoder.tape.kind(index) != .null else { return nil }
        return try read(decoder, index)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try decoder.child(try require(key), key: key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try decoder.child(try require(key), key: key).unkeyedContainer()
    }

    /// The decoder of the member `super`; a missing member decodes as `null`, as in JSONDecoder.
    func superDecoder() throws -> any Decoder {
        let key = IndexKey(stringValue: "super")
        let index = Key(stringValue: "super").flatMap(valueIndex) ?? decoder.tape.nullIndex
        return decoder.child(index, key: key)
    }

    /// The decoder of the member `key`; a missing member decodes as `null`, as in JSONDecoder.
    func superDecoder(forKey key: Key) throws -> any Decoder {
        decoder.child(valueIndex(key) ?? decoder.tape.nullIndex, key: key)
    }
}

struct UnkeyedContainer: UnkeyedDecodingContainer {
    let decoder: DecoderImpl
    /// The token indices of the array's `[` and `]`.
    private let start: Int
    private let end: Int
    /// The token index of the next element.
    private var position: Int
    private(set) var currentIndex = 0

    init(decoder: DecoderImpl, array: Int) {
        self.decoder = decoder
        self.start = array
        self.position = array + 1
        self.end = decoder.tape.end(of: array)
    }

    var codingPath: [any CodingKey] { decoder.codingPath }

    /// Cost: O(elements), counted on each call.
    var count: Int? { decoder.tape.elementCount(of: start) }

    var isAtEnd: Bool { position >= end }

    private var key: IndexKey { IndexKey(intValue: currentIndex) }

    /// The token index of the next element; throws at the end. The container moves past an
    /// element only once it decoded (``advance()``), as JSONDecoder's does: a failed `try?`
    /// leaves the element to be read as something else.
    private func peek(_ type: Any.Type) throws -> Int {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(type, .init(codingPath: codingPath + [key],
                debugDescription: "Unkeyed container is at end."))
        }
        return position
    }

    private mutating func advance() {
        position = decoder.tape.next(after: position)
        currentIndex += 1
    }

    mutating func decodeNil() throws -> Bool {
        guard try decoder.tape.kind(peek(Any?.self)) == .null else { return false }
        advance()
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let value = try decoder.decode(type, at: try peek(type), key: key)
        advance()
        return value
    }

    /// `nil` for a `null` element, moving past it; at the end, `nil` — and, as JSONDecoder's
    /// container does, `currentIndex` still moves on.
    private mutating func present<T: Decodable>(_ type: T.Type) throws -> T? {
        if isAtEnd {
            currentIndex += 1
            return nil
        }
        return try decodeNil() ? nil : decode(type)
    }

    mutating func decodeIfPresent<T: Decodable>(_ type: T.Type) throws -> T? { try present(type) }
    mutating func decodeIfPresent(_ type: Bool.Type) throws -> Bool? { try present(type) }
    mutating func decodeIfPresent(_ type: String.Type) throws -> String? { try present(type) }
    mutating func decodeIfPresent(_ type: Double.Type) throws -> Double? { try present(type) }
    mutating func decodeIfPresent(_ type: Float.Type) throws -> Float? { try present(type) }
    mutating func decodeIfPresent(_ type: Int.Type) throws -> Int? { try present(type) }
    mutating func decodeIfPresent(_ type: Int8.Type) throws -> Int8? { try present(type) }
    mutating func decodeIfPresent(_ type: Int16.Type) throws -> Int16? { try present(type) }
    mutating func decodeIfPresent(_ type: Int32.Type) throws -> Int32? { try present(type) }
    mutating func decodeIfPresent(_ type: Int64.Type) throws -> Int64? { try present(type) }
    mutating func decodeIfPresent(_ type: UInt.Type) throws -> UInt? { try present(type) }
    mutating func decodeIfPresent(_ type: UInt8.Type) throws -> UInt8? { try present(type) }
    mutating func decodeIfPresent(_ type: UInt16.Type) throws -> UInt16? { try present(type) }
    mutating func decodeIfPresent(_ type: UInt32.Type) throws -> UInt32? { try present(type) }
    mutating func decodeIfPresent(_ type: UInt64.Type) throws -> UInt64? { try present(type) }
    mutating func decodeIfPresent(_ type: Int128.Type) throws -> Int128? { try present(type) }
    mutating func decodeIfPresent(_ type: UInt128.Type) throws -> UInt128? { try present(type) }

    mutating func decode(_ type: Int.Type) throws -> Int { try decode(primitive: type) { try $0.integer(type, at: $1, key: $2) } }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try decode(primitive: type) { try $0.integer(type, at: $1, key: $2) } }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try decode(primitive: type) { try $0.integer(type, at: $1, key: $2) } }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try decode(primitive: type) { try $0.integer(type, at: $1, key: $2) } }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try decode(primitive: type) { try $0.integer(type, at: $1, key: $2) } }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try decode(primitive: type) { try $0.integer(type, at: $1, key: $2) } }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try decode(primitive: type) { try $0.integer(type, at: $1, key: $2) } }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try decode(primitive: type) { try $0.integer(type, at: $1, key: $2) } }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try decode(primitive: type) { try $0.integer(type, at: $1, key: $2) } }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try decode(primitive: type) { try $0.integer(type, at: $1, key: $2) } }
    mutating func decode(_ type: Int128.Type) throws -> Int128 { try decode(primitive: type) { try $0.integer(type, at: $1, key: $2) } }
    mutating func decode(_ type: UInt128.Type) throws -> UInt128 { try decode(primitive: type) { try $0.integer(type, at: $1, key: $2) } }
    mutating func decode(_ type: Double.Type) throws -> Double { try decode(primitive: type) { try $0.floatingPoint(type, at: $1, key: $2) } }
    mutating func decode(_ type: Float.Type) throws -> Float { try decode(primitive: type) { try $0.floatingPoint(type, at: $1, key: $2) } }
    mutating func decode(_ type: String.Type) throws -> String { try decode(primitive: type) { try $0.string(at: $1, key: $2) } }
    mutating func decode(_ type: Bool.Type) throws -> Bool { try decode(primitive: type) { try $0.bool(at: $1, key: $2) } }

    private mutating func decode<T>(primitive type: T.Type, _ read: (DecoderImpl, Int, IndexKey) throws -> T) throws -> T {
        let value = try read(decoder, try peek(type), key)
        advance()
        return value
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let container = try decoder.child(try peek([String: Any].self), key: key).container(keyedBy: type)
        advance()
        return container
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let container = try decoder.child(try peek([Any].self), key: key).unkeyedContainer()
        advance()
        return container
    }

    mutating func superDecoder() throws -> any Decoder {
        let superDecoder = decoder.child(try peek(Any.self), key: key)
        advance()
        return superDecoder
    }
}

struct SingleValueContainer: SingleValueDecodingContainer {
    let decoder: DecoderImpl

    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool { decoder.tape.kind(decoder.index) == .null }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.decodeValue(type) }
    func decode(_ type: Int.Type) throws -> Int { try decoder.integer(type, at: decoder.index, key: nil) }
    func decode(_ type: Int8.Type) throws -> Int8 { try decoder.integer(type, at: decoder.index, key: nil) }
    func decode(_ type: Int16.Type) throws -> Int16 { try decoder.integer(type, at: decoder.index, key: nil) }
    func decode(_ type: Int32.Type) throws -> Int32 { try decoder.integer(type, at: decoder.index, key: nil) }
    func decode(_ type: Int64.Type) throws -> Int64 { try decoder.integer(type, at: decoder.index, key: nil) }
    func decode(_ type: UInt.Type) throws -> UInt { try decoder.integer(type, at: decoder.index, key: nil) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try decoder.integer(type, at: decoder.index, key: nil) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try decoder.integer(type, at: decoder.index, key: nil) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try decoder.integer(type, at: decoder.index, key: nil) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try decoder.integer(type, at: decoder.index, key: nil) }
    func decode(_ type: Int128.Type) throws -> Int128 { try decoder.integer(type, at: decoder.index, key: nil) }
    func decode(_ type: UInt128.Type) throws -> UInt128 { try decoder.integer(type, at: decoder.index, key: nil) }
    func decode(_ type: Double.Type) throws -> Double { try decoder.floatingPoint(type, at: decoder.index, key: nil) }
    func decode(_ type: Float.Type) throws -> Float { try decoder.floatingPoint(type, at: decoder.index, key: nil) }
    func decode(_ type: String.Type) throws -> String { try decoder.string(at: decoder.index, key: nil) }
    func decode(_ type: Bool.Type) throws -> Bool { try decoder.bool(at: decoder.index, key: nil) }
}

/// An array index or a fixed name as a coding key, for coding paths. An index key makes its
/// name only when asked (an error's path): one is made per array element. It fits an
/// existential's inline buffer (17 bytes), so passing it as `any CodingKey` allocates nothing.
struct IndexKey: CodingKey {
    private enum Value {
        case index(Int)
        case name(String)
    }

    private let value: Value

    var stringValue: String {
        switch value {
        case .index(let index): return "Index \(index)"
        case .name(let name): return name
        }
    }

    var intValue: Int? {
        guard case .index(let index) = value else { return nil }
        return index
    }

    init(stringValue: String) {
        value = .name(stringValue)
    }

    init(intValue: Int) {
        value = .index(intValue)
    }
}

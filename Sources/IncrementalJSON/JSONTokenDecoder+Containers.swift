// The three decoding containers of JSONTokenDecoder. Each primitive `decode` forwards to one
// generic implementation on the decoder.

struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: DecoderImpl
    /// Each member's key token index and value token index, in document order.
    private let members: [(key: Int, value: Int)]

    init(decoder: DecoderImpl, object: Int) {
        self.decoder = decoder
        var members: [(key: Int, value: Int)] = []
        let tape = decoder.tape
        var index = object + 1
        while tape.kind(index) == .key {
            members.append((index, index + 1))
            index = tape.next(after: index + 1)
        }
        self.members = members
    }

    var codingPath: [any CodingKey] { decoder.codingPath }

    var allKeys: [Key] { members.compactMap { Key(stringValue: decoder.tape.string($0.key)) } }

    /// The value token for `key`; the last member wins when a key repeats, as in `JSONDecoder`.
    private func valueIndex(_ key: Key) -> Int? {
        let name = key.stringValue
        let count = name.utf8.count
        return members.last { decoder.tape.keyEquals($0.key, name, utf8Count: count) }?.value
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
        let index = try require(key)
        if let primitive = try decoder.decodePrimitive(type, at: index, key: key) { return primitive }
        return try T(from: decoder.child(index, key: key))
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let index = valueIndex(key), decoder.tape.kind(index) != .null else { return nil }
        if let primitive = try decoder.decodePrimitive(type, at: index, key: key) { return primitive }
        return try T(from: decoder.child(index, key: key))
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

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try decoder.child(try require(key), key: key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try decoder.child(try require(key), key: key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        let key = IndexKey(stringValue: "super")
        guard let index = members.last(where: { decoder.tape.keyEquals($0.key, "super", utf8Count: 5) })?.value else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "No value associated with key super."))
        }
        return decoder.child(index, key: key)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder { decoder.child(try require(key), key: key) }
}

struct UnkeyedContainer: UnkeyedDecodingContainer {
    let decoder: DecoderImpl
    private let end: Int
    /// The token index of the next element.
    private var position: Int
    private(set) var currentIndex = 0

    init(decoder: DecoderImpl, array: Int) {
        self.decoder = decoder
        self.position = array + 1
        self.end = decoder.tape.ends[array]
    }

    var codingPath: [any CodingKey] { decoder.codingPath }

    var count: Int? {
        var count = 0
        var index = decoder.index + 1
        while index < end {
            count += 1
            index = decoder.tape.next(after: index)
        }
        return count
    }

    var isAtEnd: Bool { position >= end }

    private var key: IndexKey { IndexKey(intValue: currentIndex) }

    private mutating func take(_ type: Any.Type) throws -> Int {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(type, .init(codingPath: codingPath + [key],
                debugDescription: "Unkeyed container is at end."))
        }
        let index = position
        position = decoder.tape.next(after: position)
        currentIndex += 1
        return index
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, decoder.tape.kind(position) == .null else { return false }
        _ = try take(Never.self)
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let key = self.key
        let index = try take(type)
        if let primitive = try decoder.decodePrimitive(type, at: index, key: key) { return primitive }
        return try T(from: decoder.child(index, key: key))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let key = self.key
        return try decoder.child(try take([String: Any].self), key: key).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let key = self.key
        return try decoder.child(try take([Any].self), key: key).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        let key = self.key
        return decoder.child(try take(Any.self), key: key)
    }
}

struct SingleValueContainer: SingleValueDecodingContainer {
    let decoder: DecoderImpl

    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool { decoder.tape.kind(decoder.index) == .null }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.decodeValue(type) }
}

/// An array index or a fixed name as a coding key, for coding paths.
struct IndexKey: CodingKey {
    var stringValue: String
    var intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
        self.intValue = nil
    }

    init(intValue: Int) {
        self.stringValue = "Index \(intValue)"
        self.intValue = intValue
    }
}

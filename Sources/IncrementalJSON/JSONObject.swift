/// The members of a JSON object, in the order they were written, each key once.
///
/// ```swift
/// let value = try JSONValue(parsing: #"{"title": "Calm", "day": 1}"#)
/// let object = value.objectValue!
/// object["title"]?.stringValue          // "Calm"
/// object.keys                           // ["title", "day"]: as written
/// for (key, member) in object { print(key, member) }
/// let literal: JSONObject = ["title": .string("Calm")]
/// ```
///
/// A key written twice keeps its first place and takes the later value (as JavaScript's
/// `JSON.parse` does). Equality and hashing ignore the order, as JSON's objects do.
///
/// Why not a `Dictionary`: a tree is built member by member while a model writes it, and a
/// dictionary hashes every key it inserts; most objects have a handful of members, where comparing
/// keys is cheaper than hashing one, and the order a document was written in is worth keeping.
///
/// Cost: looking a key up, or setting one, is O(count) up to 16 members and O(1) beyond (a larger
/// object keeps an index of its keys); removing a member is O(count). Copies share their storage
/// until one of them changes (copy on write), as the standard collections do.
public struct JSONObject: @unchecked Sendable {
    // Unchecked: the storage is a class, changed only while uniquely referenced (copy on
    // write), and what it holds is Sendable.
    public typealias Element = (key: String, value: JSONValue)

    /// `nil` while empty: an empty object allocates nothing.
    private var storage: JSONObjectStorage?

    /// The most members looked up by comparing keys one by one.
    static var indexThreshold: Int { 16 }

    /// An empty object.
    public init() {}

    /// An empty object with room for `capacity` members.
    public init(minimumCapacity capacity: Int) {
        if capacity > 0 { storage = .make(capacity: capacity) }
    }

    /// The members of `sequence`, in its order; a repeated key keeps its first place and takes
    /// its last value.
    public init(_ sequence: some Sequence<Element>) {
        for (key, value) in sequence { set(value, forKey: key) }
    }

    /// The keys, in the order they were written.
    public var keys: [String] { map(\.key) }

    /// The values, in the order they were written.
    public var values: [JSONValue] { map(\.value) }

    /// The value of the member named `key`; setting `nil` removes the member, setting a new key
    /// adds it at the end.
    public subscript(key: String) -> JSONValue? {
        get { position(of: key).map { self[$0].value } }
        set {
            if let newValue {
                set(newValue, forKey: key)
            } else if let position = position(of: key) {
                makeUnique(capacity: count)
                storage!.remove(at: position)
            }
        }
    }

    // MARK: - For the tree builders

    /// Sets the member named `key` to `value`, in its place when the key is there already, at
    /// the end otherwise. Returns where it is.
    @discardableResult
    mutating func set(_ value: consuming JSONValue, forKey key: String) -> Int {
        if let position = position(of: key) {
            var value = value
            swapValue(at: position, with: &value)
            return position
        }
        makeUnique(capacity: count + 1)
        return storage!.append(key: key, value: value)
    }

    /// Exchanges the value at `position` (from ``set(_:forKey:)``) with `value`, by move.
    mutating func swapValue(at position: Int, with value: inout JSONValue) {
        if !isKnownUniquelyReferenced(&storage) { makeUnique(capacity: count) }
        storage!.swapValue(at: position, with: &value)
    }

    // MARK: - Private

    private func position(of key: String) -> Int? {
        storage?.position(of: key)
    }

    /// Makes `storage` this object's own, with room for `capacity` members.
    private mutating func makeUnique(capacity: Int) {
        // Checked before any other reference to the storage is taken.
        let isUnique = isKnownUniquelyReferenced(&storage)
        guard let current = storage else {
            storage = .make(capacity: Swift.max(capacity, 4))
            return
        }
        let currentCapacity = current.memberCapacity
        if isUnique && capacity <= currentCapacity { return }
        storage = current.copy(capacity: capacity > currentCapacity ? Swift.max(capacity, 2 * currentCapacity) : currentCapacity,
                               moving: isUnique)
    }
}

extension JSONObject: RandomAccessCollection {
    public var startIndex: Int { 0 }
    public var endIndex: Int { storage?.count ?? 0 }

    public subscript(position: Int) -> Element {
        precondition(position >= 0 && position < count, "member position out of range")
        return storage!.withUnsafeMutablePointerToElements { ($0[position].key, $0[position].value) }
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements.lazy.map { (key: $0, value: $1) })
    }
}

extension JSONObject: Hashable {
    /// Whether the two objects have the same keys with equal values, in any order. Cost: O(size).
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        JSONValue.object(lhs) == JSONValue.object(rhs)
    }

    public func hash(into hasher: inout Hasher) {
        JSONValue.object(self).hash(into: &hasher)
    }
}

extension JSONObject: CustomStringConvertible {
    /// The object as compact JSON text, its members in order.
    public var description: String { JSONValue.object(self).serialized() }
}

/// A ``JSONObject``'s members in one allocation, with the count, the capacity and, for a large
/// object, an index of the keys in front of them.
final class JSONObjectStorage: ManagedBuffer<JSONObjectStorage.Header, JSONObjectStorage.Member> {
    /// A member (a struct, not the public tuple: a tuple's type metadata is made at run time).
    struct Member {
        var key: String
        var value: JSONValue
    }

    struct Header {
        var count = 0
        var capacity: Int
        /// Each key's position, once there are more than `JSONObject.indexThreshold` members.
        var positions: [String: Int]?
    }

    // The header is read through its pointer: the `header` property is a class's stored
    // property, and every access to it is checked for exclusivity at run time.
    var count: Int { withUnsafeMutablePointerToHeader { $0.pointee.count } }
    var memberCapacity: Int { withUnsafeMutablePointerToHeader { $0.pointee.capacity } }

    static func make(capacity: Int) -> JSONObjectStorage {
        let buffer = create(minimumCapacity: capacity) { _ in Header(capacity: capacity) }
        return unsafeDowncast(buffer, to: JSONObjectStorage.self)
    }

    deinit {
        // One member at a time: `deinitialize(count:)` destroys through the runtime's generic path.
        withUnsafeMutablePointers { header, elements in
            for position in 0..<header.pointee.count { (elements + position).deinitialize(count: 1) }
        }
    }

    func position(of key: String) -> Int? {
        withUnsafeMutablePointers { header, elements in
            if let positions = header.pointee.positions { return positions[key] }
            // Keys of different lengths cannot be equal: most comparisons end at the count.
            let length = key.utf8.count
            for position in 0..<header.pointee.count {
                let other = elements[position].key
                if other.utf8.count == length && other == key { return position }
            }
            return nil
        }
    }

    func swapValue(at position: Int, with value: inout JSONValue) {
        withUnsafeMutablePointers { header, elements in
            precondition(position >= 0 && position < header.pointee.count, "member position out of range")
            swap(&elements[position].value, &value)
        }
    }

    /// Appends a member whose key is not there yet; needs room for it. Returns its position.
    func append(key: String, value: consuming JSONValue) -> Int {
        var member = Optional(Member(key: key, value: value))   // moved into the closure below
        return withUnsafeMutablePointers { header, elements in
            let position = header.pointee.count
            precondition(position < header.pointee.capacity, "no room for a member")
            (elements + position).initialize(to: member.take()!)
            header.pointee.count += 1
            if header.pointee.positions != nil {
                header.pointee.positions![key] = position
            } else if header.pointee.count > JSONObject.indexThreshold {
                reindex(header, elements)
            }
            return position
        }
    }

    func remove(at position: Int) {
        withUnsafeMutablePointers { header, elements in
            let count = header.pointee.count
            (elements + position).deinitialize(count: 1)
            (elements + position).moveInitialize(from: elements + position + 1, count: count - position - 1)
            header.pointee.count = count - 1
            if header.pointee.positions != nil { reindex(header, elements) }
        }
    }

    /// A storage of `capacity` with these members, moved out of this one when `moving` (this one
    /// is then empty), copied otherwise.
    func copy(capacity: Int, moving: Bool) -> JSONObjectStorage {
        let copy = JSONObjectStorage.make(capacity: capacity)
        withUnsafeMutablePointers { header, elements in
            copy.withUnsafeMutablePointers { newHeader, newElements in
                let count = header.pointee.count
                if moving {
                    newElements.moveInitialize(from: elements, count: count)
                    header.pointee.count = 0
                } else {
                    newElements.initialize(from: elements, count: count)
                }
                newHeader.pointee.count = count
                newHeader.pointee.positions = header.pointee.positions
            }
        }
        return copy
    }

    private func reindex(_ header: UnsafeMutablePointer<Header>, _ elements: UnsafeMutablePointer<Member>) {
        let count = header.pointee.count
        guard count > JSONObject.indexThreshold else { header.pointee.positions = nil; return }
        var positions = [String: Int](minimumCapacity: count)
        for position in 0..<count { positions[elements[position].key] = position }
        header.pointee.positions = positions
    }
}

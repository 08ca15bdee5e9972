/// A value while it is being written: what has arrived of it, and which of its parts are complete.
///
/// ```swift
/// // {"title": "Morning wa         (the bytes so far)
/// partial.value                          // {"title": "Morning wa"}
/// partial.openPath                       // $.title — the member still being written
/// partial.completion(at: [.key("title")])      // .inProgress
/// partial.completion(at: [.key("notes")])      // .pending (not started, or a number not yet complete)
/// ```
///
/// The contract, for the successive partial values of one value (``JSONMatcher`` builds them
/// from the token stream, never by re-reading the value's bytes):
/// - a value only grows: a string only at its end, by whole Unicode scalars (so a last visible
///   character may still gain a combining mark or variation selector), arrays and objects only
///   gain members;
/// - numbers, `true`, `false`, `null` and keys appear only when complete;
/// - a member off ``openPath`` is complete and never changes afterwards (the one exception: when
///   an object repeats a key, the later member replaces the earlier one, as in ``JSONValue``);
/// - nothing is invented: every character is one that arrived;
/// - the last partial value grows into the completed value.
public struct JSONPartialValue: Sendable, Hashable {
    /// The value as far as it has arrived: its complete members, and the member being written
    /// with what it holds so far (a string being written holds the whole characters that arrived).
    public var value: JSONValue {
        didSet { if spelledOutPath == nil { spelledOutPath = Self.memberPath(in: oldValue, depth: openDepth) } }
    }

    /// The path, inside ``value``, of the innermost value still being written. Every value on this
    /// path (``value`` itself included) is incomplete; every other member present is complete.
    /// When a number, literal or key is being written, the path ends at its container.
    ///
    /// Cost: O(its length), made when read: a partial value from ``JSONMatcher`` holds only how
    /// deep it is, as the open member of each container is its last one.
    public var openPath: JSONPath {
        get { spelledOutPath ?? Self.memberPath(in: value, depth: openDepth) }
        set { spelledOutPath = newValue }
    }

    /// How many steps ``openPath`` has, when it follows each container's last member.
    private var openDepth = 0
    /// ``openPath``, when it was given, or does not follow the last members (an object that
    /// repeats the key of the member being written).
    private var spelledOutPath: JSONPath?

    /// Where a part of a value being written stands (BAML's Pending / Incomplete / Complete).
    public enum Completion: Sendable, Hashable {
        /// Not present yet: not started, or a number, literal or key still being written.
        case pending
        /// Present and still being written: it may still grow.
        case inProgress
        /// Present and complete: it will not change.
        case complete
    }

    public init(value: JSONValue, openPath: JSONPath) {
        self.value = value
        self.spelledOutPath = openPath
    }

    /// A partial value whose open path goes `openDepth` steps down through each container's last
    /// member: no path is made until one is read.
    init(value: JSONValue, openDepth: Int) {
        self.value = value
        self.openDepth = openDepth
    }

    /// Where the part at `path` (relative to ``value``) stands. Cost: O(path length).
    public func completion(at path: JSONPath) -> Completion {
        guard value[path] != nil else { return .pending }
        if let spelledOutPath { return spelledOutPath.components.starts(with: path.components) ? .inProgress : .complete }
        guard path.components.count <= openDepth else { return .complete }
        // On the open path when each step is its container's last member.
        var container = value
        for component in path.components {
            switch (component, container) {
            case (.key(let key), .object(let members)) where members.last?.key == key:
                container = members[members.count - 1].value
            case (.index(let index), .array(let elements)) where index == elements.count - 1:
                container = elements[index]
            default:
                return .complete
            }
        }
        return .inProgress
    }

    public static func == (lhs: JSONPartialValue, rhs: JSONPartialValue) -> Bool {
        lhs.value == rhs.value && lhs.openPath == rhs.openPath
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(value)
        hasher.combine(openPath)
    }

    /// The path `depth` steps down from `value`, through the last element of each array and the
    /// member of each object at `position(level, object)` (its last one unless told otherwise).
    static func memberPath(in value: JSONValue, depth: Int,
                               position: (_ level: Int, _ object: JSONObject) -> Int = { $1.count - 1 }) -> JSONPath {
        var components: [JSONPath.Component] = []
        components.reserveCapacity(depth)
        var container = value
        while components.count < depth {
            switch container {
            case .object(let members) where !members.isEmpty:
                let member = members[position(components.count, members)]
                components.append(.key(member.key))
                container = member.value
            case .array(let elements) where !elements.isEmpty:
                components.append(.index(elements.count - 1))
                container = elements[elements.count - 1]
            default:
                return JSONPath(components)   // a value changed by its caller: the path ends here
            }
        }
        return JSONPath(components)
    }
}

extension JSONPartialValue {
    /// Decodes the value so far into a type of the caller's whose properties are optional, so
    /// that members not written yet decode as `nil`:
    ///
    /// ```swift
    /// struct DayDraft: Decodable { var day: Int?; var title: String?; var activities: [ActivityDraft]? }
    /// let draft = try partial.decode(DayDraft.self)    // draft.title: the characters so far
    /// ```
    ///
    /// Cost: O(the size of the value so far).
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if type == JSONValue.self { return value as! T }
        return try JSONTokenDecoder().decode(type, from: value.serializedUTF8())
    }
}

/// Builds a value from its tokens, iteratively (no recursion, whatever the depth), so that its
/// partial value can be taken at any moment without re-reading its bytes. ``JSONValueBuilder``
/// is this builder for complete documents.
///
/// How a partial value stays cheap: the open containers (the frames) are *linked* for it — each
/// one moved into its parent's open slot, innermost first — so the partial value is the outermost
/// frame's container itself, shared, not a copy. Before the next token changes a frame, each
/// container is moved back out of its parent's slot into its frame, outermost first. Moves, not
/// copies: no reference count changes on the way (each is an atomic operation), and each
/// container is again uniquely referenced once the caller has let go of the partial value, so
/// the builder goes on mutating in place. A partial value costs O(depth) when the caller dropped
/// the previous one (a UI that renders and forgets, a relay that encodes and sends), and
/// O(depth + the widths of the open containers) when it keeps it (the open containers are copied
/// once, by copy-on-write). A string being written is made anew from its bytes, up to 256 bytes
/// (one string made costs half of a piece made and appended); a longer one is decoded only from
/// where the previous partial value left it. The open path is not copied out either: the open
/// member of each frame is its container's last one (but for a repeated key, spelled out then).
struct PartialValueBuilder {
    private struct Frame {
        var isObject: Bool
        var elements: [JSONValue] = []
        var members = JSONObject()
        /// The key of the member that starts next (objects).
        var key: String?
        /// Where the open member sits in `members` while linked or since it was linked: found
        /// once per member, then written through.
        var openSlot: Int?
        /// Whether the open member is the container's last: it is, unless its key repeats an
        /// earlier member's (which it then replaces, in that member's place).
        var isOpenMemberLast: Bool { !isObject || openSlot == members.count - 1 }

        var value: JSONValue { isObject ? .object(members) : .array(elements) }

        /// Puts `child` in the open slot, by move. Needs `key` for an object.
        mutating func link(_ child: consuming JSONValue) {
            if !isObject {
                elements.append(consume child)
                return
            }
            if let openSlot {
                var child = child
                members.swapValue(at: openSlot, with: &child)
            } else {
                openSlot = members.set(child, forKey: key!)
            }
        }

        /// Takes the open child back out of its slot, by move: the slot is left `null` (objects)
        /// or removed (arrays).
        mutating func takeOpenChild() -> JSONValue {
            if !isObject { return elements.removeLast() }
            var child = JSONValue.null
            members.swapValue(at: openSlot!, with: &child)
            return child
        }

        /// Moves the container out, for its parent's open slot; the frame holds an empty one
        /// until ``restore(_:)`` gives it back.
        mutating func lend() -> JSONValue {
            if isObject {
                var lent = JSONObject()
                swap(&lent, &members)
                return .object(lent)
            }
            var lent: [JSONValue] = []
            swap(&lent, &elements)
            return .array(lent)
        }

        /// Takes back the container ``lend()`` moved out.
        mutating func restore(_ container: consuming JSONValue) {
            switch consume container {
            case .object(let lent): members = lent
            case .array(let lent): elements = lent
            default: preconditionFailure("a lent container came back as a scalar")
            }
        }

        /// Adds a complete member or element (the open one, when it was linked).
        mutating func add(_ value: consuming JSONValue) {
            if !isObject {
                elements.append(consume value)
                return
            }
            if let openSlot {
                var value = value
                members.swapValue(at: openSlot, with: &value)
                self.openSlot = nil
            } else {
                members.set(value, forKey: key!)
            }
            key = nil
        }
    }

    /// Every array starts as a copy of this empty one, with room for a few elements. The first
    /// append copies its storage; making new storage instead looks the generic storage type up
    /// at run time first (callgrind: ~390 instructions more per array). An object starts with
    /// room for a typical object's members.
    private static let emptyArray: [JSONValue] = { var elements: [JSONValue] = []; elements.reserveCapacity(4); return elements }()
    private static var objectCapacity: Int { 8 }

    /// The open containers, outermost (the value itself) first.
    private var frames: [Frame] = []
    private var keys = KeyCache()
    /// Whether the frames are linked into one another (and the string being written into the
    /// innermost), as the last partial value left them.
    private var isLinked = false
    /// Whether the string being written is in the innermost frame's open slot (then
    /// `stringText` is empty until ``unlink()`` takes it back).
    private var isStringLinked = false
    /// Counts the tokens added: it changes whenever the value gains something, other than
    /// characters of a string being written.
    private(set) var revision = 0
    /// The string being written, decoded up to `decodedEnd` (absolute offsets).
    private var stringQuoteOffset = -1
    private var stringDecodedEnd = 0
    private var stringText = ""
    /// The longest string being written (in bytes) that each partial value makes anew.
    private static var remadeStringLimit: Int { 256 }

    /// Whether a value is being built.
    var isOpen: Bool { !frames.isEmpty }

    /// Adds a token returned by `parser`. Returns the value when `token` completes it (the
    /// outermost container's end, or a scalar outside any container).
    mutating func append(_ token: JSONToken, from parser: JSONParser) -> JSONValue? {
        if let scalar = parser.scalarValue(of: token) { return append(scalar: scalar) }
        revision &+= 1
        if isLinked { unlink() }
        switch token.kind {
        case .objectStart: frames.append(Frame(isObject: true, members: JSONObject(minimumCapacity: Self.objectCapacity)))
        case .arrayStart: frames.append(Frame(isObject: false, elements: Self.emptyArray))
        case .objectEnd, .arrayEnd: return add(frames.removeLast().value)
        case .key: setKey(token, from: parser)
        case .string, .number, .true, .false, .null: break   // scalars, above
        }
        return nil
    }

    /// Adds the value of a scalar token, made by the caller (a string the caller needs too is
    /// made once). Returns it when it is the whole value.
    mutating func append(scalar value: consuming JSONValue) -> JSONValue? {
        revision &+= 1
        if isLinked { unlink() }
        return add(value)
    }

    /// Sets the key of the member that starts next in the innermost object: `token`, a key
    /// just returned by `parser`.
    mutating func setKey(_ token: JSONToken, from parser: JSONParser) {
        precondition(frames.last?.isObject == true, "key outside an object")
        frames[frames.count - 1].key = parser.withUnsafeRawBytes(from: token.offset + 1, to: token.endOffset - 1) { raw in
            keys.key(raw, hasEscapes: token.hasEscapes)
        }
    }

    private mutating func add(_ value: consuming JSONValue) -> JSONValue? {
        guard !frames.isEmpty else { return value }
        frames[frames.count - 1].add(consume value)
        return nil
    }

    /// Takes every lent container back from its parent's open slot, outermost first, and the
    /// string being written from the innermost: each frame then owns its container again,
    /// uniquely unless the caller still holds the partial value (the next change copies it).
    private mutating func unlink() {
        for depth in frames.indices.dropFirst() {
            let child = frames[depth - 1].takeOpenChild()
            frames[depth].restore(child)
        }
        if isStringLinked {
            guard case .string(let text) = frames[frames.count - 1].takeOpenChild() else {
                preconditionFailure("the string being written came back as another value")
            }
            stringText = text
            isStringLinked = false
        }
        isLinked = false
    }

    /// The value so far, with the string `parser` is in the middle of, if any.
    mutating func partialValue(from parser: JSONParser) -> JSONPartialValue {
        if isLinked { unlink() }
        let string = parser.stringInProgress
        if let string {
            if string.quoteOffset != stringQuoteOffset {
                stringQuoteOffset = string.quoteOffset
                stringDecodedEnd = string.quoteOffset + 1
                stringText = ""
            }
            if string.wholeEnd > stringDecodedEnd {
                if string.wholeEnd - string.quoteOffset <= Self.remadeStringLimit + 1 {
                    stringText = parser.withUnsafeRawBytes(from: string.quoteOffset + 1, to: string.wholeEnd) { raw in
                        JSONStringDecoding.decode(raw, hasEscapes: string.hasEscapes)
                    }
                } else {
                    parser.withUnsafeRawBytes(from: stringDecodedEnd, to: string.wholeEnd) { raw in
                        stringText += JSONStringDecoding.decode(raw, hasEscapes: string.hasEscapes)
                    }
                }
                stringDecodedEnd = string.wholeEnd
            }
        }
        // The open path goes through the open member of each frame but the innermost (and into
        // it too when a string is being written there).
        let openDepth = string == nil ? max(frames.count - 1, 0) : frames.count
        guard var depth = frames.indices.last else {
            return JSONPartialValue(value: string == nil ? .null : .string(stringText), openDepth: 0)
        }
        if string != nil {
            var text = ""
            swap(&text, &stringText)
            frames[depth].link(.string(consume text))
            isStringLinked = true
        }
        // Each container moves into its parent's open slot, innermost first; the outermost is
        // shared with the partial value (one reference more).
        var isEachOpenMemberLast = string == nil || frames[depth].isOpenMemberLast
        while depth > 0 {
            let child = frames[depth].lend()
            depth -= 1
            frames[depth].link(child)
            isEachOpenMemberLast = isEachOpenMemberLast && frames[depth].isOpenMemberLast
        }
        isLinked = true
        var partial = JSONPartialValue(value: frames[0].value, openDepth: openDepth)
        if !isEachOpenMemberLast {
            // An object repeats the key of its open member, which sits in the earlier one's place.
            partial.openPath = JSONPartialValue.memberPath(in: partial.value, depth: openDepth) { level, _ in
                frames[level].openSlot!
            }
        }
        return partial
    }
}

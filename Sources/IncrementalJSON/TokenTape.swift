import Foundation

/// A complete document as a flat array of tokens, 16 bytes each, over the bytes its parser holds:
/// a parser of its own that read it in one push, or — for a value a ``JSONMatcher`` recorded as
/// it scanned it — the matcher's parser, until its next push. Nothing is copied again. Each
/// container start knows how many tokens it spans, so a value is skipped in one step.
final class TokenTape {
    /// One token. `extent` is the byte length of a scalar, key or container end, and for a
    /// container start the distance to its end token; ``TokenTape/overflow`` holds the rare one
    /// that does not fit.
    struct Entry {
        var offset: Int
        var extent: UInt32
        var kind: JSONToken.Kind
        var flags: Flags
    }

    struct Flags: OptionSet {
        let rawValue: UInt8
        /// A string or key with backslash escapes: its raw text is not its value.
        static let hasEscapes = Flags(rawValue: 1)
        /// A key that is ASCII without escapes: its bytes are its only spelling, so comparing
        /// bytes is comparing strings.
        static let plainASCII = Flags(rawValue: 2)
    }

    let options: JSONParserOptions
    private let entries: [Entry]
    /// Extents of `UInt32.max` or more (a string or container of 4 GiB), by token index.
    private let overflow: [Int: Int]
    /// Values of string tokens already made (by a matcher building the same value live), by
    /// ascending token index: ``string(_:)`` shares them instead of making them again.
    private let madeStrings: [(index: Int, text: String)]
    /// Owns the bytes.
    private let parser: JSONParser
    /// The document's bytes from `firstOffset` on.
    private let bytes: UnsafeRawPointer
    private let firstOffset: Int

    /// Parses `input`, a complete document, into a tape.
    convenience init(_ input: some Collection<UInt8>, options: JSONParserOptions) throws(JSONParseError) {
        let parser = JSONParser(options: options)
        parser.push(input)
        parser.endInput()
        var recorder = Recorder()
        recorder.reserveCapacity(input.count / 6)
        while let token = try parser.nextToken() { recorder.record(token, from: parser) }
        // One push: the parser holds the whole document from `baseOffset` on while it lives.
        self.init(recorder, options: options, bytesHeldBy: parser)
    }

    /// A tape of the tokens `recorder` took from `parser`, a complete value's, whose bytes
    /// `parser` still holds (until its next push): no second parse. `parser` is kept alive with
    /// the tape, but the tape must be read before that push.
    init(_ recorder: consuming Recorder, options: JSONParserOptions, bytesHeldBy parser: JSONParser) {
        self.options = options
        var entries = recorder.entries
        precondition(recorder.isComplete, "a tape of an incomplete value")
        // A `null` after the document: the value of a missing key's `superDecoder(forKey:)`.
        entries.append(Entry(offset: entries.first?.offset ?? parser.baseOffset, extent: 0, kind: .null, flags: []))
        self.entries = entries
        self.overflow = recorder.overflow
        self.madeStrings = recorder.madeStrings
        self.parser = parser
        self.bytes = UnsafeRawPointer(parser.storage)
        self.firstOffset = parser.baseOffset
    }

    /// Turns tokens, as a parser returns them, into a tape's entries. Fed every token of one
    /// complete value, in order.
    struct Recorder {
        fileprivate private(set) var entries: [Entry] = []
        fileprivate private(set) var overflow: [Int: Int] = [:]
        fileprivate private(set) var madeStrings: [(index: Int, text: String)] = []
        /// The open containers' entry indices.
        private var open: [Int] = []

        /// Whether every container recorded is closed.
        var isComplete: Bool { open.isEmpty }

        mutating func reserveCapacity(_ count: Int) { entries.reserveCapacity(count) }

        /// Starts over, keeping the storage.
        mutating func removeAll() {
            entries.removeAll(keepingCapacity: true)
            open.removeAll(keepingCapacity: true)
            if !overflow.isEmpty { overflow = [:] }
            madeStrings.removeAll(keepingCapacity: true)
        }

        /// Gives the string token just recorded its value, made by the caller from the same
        /// bytes: the tape hands it out rather than making it again.
        mutating func attach(_ text: String) {
            madeStrings.append((entries.count - 1, text))
        }

        /// Adds `token`, just returned by `parser` (which still holds its bytes).
        @inline(__always)
        mutating func record(_ token: JSONToken, from parser: JSONParser) {
            let index = entries.count
            var flags: Flags = token.hasEscapes ? .hasEscapes : []
            var extent = token.length
            switch token.kind {
            case .objectStart, .arrayStart:
                open.append(index)
                extent = 0   // set at its end
            case .objectEnd, .arrayEnd:
                let start = open.removeLast()
                let span = index - start
                if span < Int(UInt32.max) {
                    entries[start].extent = UInt32(truncatingIfNeeded: span)
                } else {
                    entries[start].extent = .max
                    overflow[start] = span
                }
            case .key:
                if !token.hasEscapes && parser.withUnsafeRawBytes(from: token.offset + 1, to: token.endOffset - 1, TokenTape.isASCII) {
                    flags.insert(.plainASCII)
                }
            default:
                break
            }
            if extent >= Int(UInt32.max) {
                overflow[index] = extent
                extent = Int(UInt32.max)
            }
            entries.append(Entry(offset: token.offset, extent: UInt32(truncatingIfNeeded: extent), kind: token.kind, flags: flags))
        }
    }

    fileprivate static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var bits: UInt8 = 0
        for byte in bytes { bits |= byte }
        return bits < 0x80
    }

    private func extent(_ index: Int) -> Int {
        let extent = entries[index].extent
        return extent == .max ? overflow[index]! : Int(extent)
    }

    // MARK: - Structure

    /// The index of the synthetic `null` token after the document.
    var nullIndex: Int { entries.count - 1 }

    func kind(_ index: Int) -> JSONToken.Kind { entries[index].kind }

    /// For a container start, the index of its end token; for any other token, its own index.
    func end(of index: Int) -> Int {
        switch entries[index].kind {
        case .objectStart, .arrayStart: return index + extent(index)
        default: return index
        }
    }

    /// The number of tokens inside the container at `index` (its end token included).
    func span(of index: Int) -> Int { end(of: index) - index }

    /// The number of elements of the array at `index`. Cost: O(elements).
    func elementCount(of array: Int) -> Int {
        var count = 0
        var index = array + 1
        let end = end(of: array)
        while index < end {
            count += 1
            index = next(after: index)
        }
        return count
    }

    /// The index of the token after the value at `index`.
    func next(after index: Int) -> Int { end(of: index) + 1 }

    /// The members of the object at `object`: each key's token index and its value's.
    func members(of object: Int) -> Members { Members(tape: self, index: object + 1) }

    struct Members: Sequence, IteratorProtocol {
        let tape: TokenTape
        var index: Int

        mutating func next() -> (key: Int, value: Int)? {
            guard tape.kind(index) == .key else { return nil }
            defer { index = tape.next(after: index + 1) }
            return (index, index + 1)
        }
    }

    /// The value token of the first member of the object at `object` whose key is `name`, or
    /// `nil`. Keys compare as Swift strings (canonically equivalent spellings match); a plain
    /// ASCII key and an ASCII name compare in place, without making a string.
    ///
    /// Cost: O(members before it), each a length comparison — and a byte comparison where the
    /// lengths are equal.
    func member(of object: Int, named name: String) -> Int? {
        let found: Int?? = name.utf8.withContiguousStorageIfAvailable { wanted in
            Self.isASCII(UnsafeRawBufferPointer(wanted)) ? asciiMember(of: object, named: wanted, name: name) : slowMember(of: object, named: name)
        }
        return found ?? slowMember(of: object, named: name)
    }

    private func asciiMember(of object: Int, named wanted: UnsafeBufferPointer<UInt8>, name: String) -> Int? {
        let quoted = UInt32(truncatingIfNeeded: wanted.count + 2)
        return entries.withUnsafeBufferPointer { entries in
            var index = object + 1
            while entries[index].kind == .key {
                let entry = entries[index]
                if entry.flags.contains(.plainASCII) {
                    if entry.extent == quoted && Self.equal(pointer(entry.offset + 1), wanted) { return index + 1 }
                } else if string(index) == name {
                    return index + 1
                }
                index = next(after: index + 1)
            }
            return nil
        }
    }

    private static func equal(_ bytes: UnsafeRawPointer, _ wanted: UnsafeBufferPointer<UInt8>) -> Bool {
        for i in wanted.indices where bytes.load(fromByteOffset: i, as: UInt8.self) != wanted[i] { return false }
        return true
    }

    /// A name that is not ASCII (or not contiguous) may still equal an ASCII key: U+212A KELVIN
    /// SIGN is canonically `K`.
    private func slowMember(of object: Int, named name: String) -> Int? {
        members(of: object).first { string($0.key) == name }?.value
    }

    // MARK: - Text

    private func pointer(_ offset: Int) -> UnsafeRawPointer { bytes + (offset - firstOffset) }

    /// The raw text of the scalar token at `index` (a string or key with its quotes).
    func text(_ index: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: pointer(entries[index].offset), count: extent(index))
    }

    /// The raw text of the whole value at `index`, a container's brackets included.
    func valueText(_ index: Int) -> UnsafeRawBufferPointer {
        let last = end(of: index)
        let start = entries[index].offset
        return UnsafeRawBufferPointer(start: pointer(start), count: entries[last].offset + extent(last) - start)
    }

    /// The value of a string or key token.
    func string(_ index: Int) -> String {
        if !madeStrings.isEmpty, let made = madeString(at: index) { return made }
        let raw = text(index)
        return JSONStringDecoding.decode(UnsafeRawBufferPointer(rebasing: raw[1..<(raw.count - 1)]),
                                         hasEscapes: entries[index].flags.contains(.hasEscapes))
    }

    /// The value attached to the string token at `index`, if any. Cost: O(log strings made).
    private func madeString(at index: Int) -> String? {
        var low = 0
        var high = madeStrings.count
        while low < high {
            let middle = (low + high) / 2
            if madeStrings[middle].index < index { low = middle + 1 } else { high = middle }
        }
        return low < madeStrings.count && madeStrings[low].index == index ? madeStrings[low].text : nil
    }

    /// The text of a number token.
    func numberText(_ index: Int) -> String { String(decoding: text(index), as: UTF8.self) }

    /// The value of the number token at `index`, correctly rounded as `Double(String)` is,
    /// without making the string: by ``DecimalToDouble`` in the common case, else by the C
    /// library; `nil` if that read less than the token.
    func double(_ index: Int) -> Double? {
        let raw = text(index)
        if let value = DecimalToDouble.value(of: raw) { return value }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: raw.count + 1) { buffer in
            let start = buffer.baseAddress!
            UnsafeMutableRawPointer(start).copyMemory(from: raw.baseAddress!, byteCount: raw.count)
            start[raw.count] = 0
            var end: UnsafeMutablePointer<CChar>?
            let previous = uselocale(TokenTape.cLocale)
            let value = strtod(start, &end)
            uselocale(previous)
            return end == start + raw.count ? value : nil
        }
    }

    /// The C locale, set around `strtod` on this thread: a decimal point whatever the process's
    /// locale says.
    nonisolated(unsafe) private static let cLocale = newlocale(LC_NUMERIC_MASK, "C", nil)

    /// What a value is, for error messages.
    func describe(_ index: Int) -> String {
        switch kind(index) {
        case .objectStart: return "a dictionary"
        case .arrayStart: return "an array"
        case .string: return "a string"
        case .number: return "a number"
        case .true, .false: return "a bool"
        case .null: return "null"
        default: return "the end of a container"
        }
    }
}

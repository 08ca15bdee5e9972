import Foundation
import IncrementalJSON

/// The shape of a provider payload that carried only text: its bytes, and the strings in them
/// that may differ in a payload of the same shape — the text, and the strings its reader did not
/// read (an id, a timestamp, padding). A model's stream sends thousands of payloads that differ
/// only there, so recognising the shape replaces the scan of each.
///
/// Exact by construction: a payload is taken for the shape only when it is the shape's bytes
/// with each of those strings replaced by a valid JSON string (printable ASCII and the simple
/// escapes; anything else is left to the scan), so its scan would visit the same tokens, keys and
/// values but for strings its reader ignores and the text.
struct PayloadShape {
    private var bytes: [UInt8] = []
    /// The SSE event type the payload came with (a reader may act on it), if any.
    private var eventType: [UInt8]?
    /// The contents (inside the quotes, payload-relative) of the strings that may differ, in order.
    private var slots: [Range<Int>] = []
    /// How many of `slots` are in use.
    private var slotCount = 0
    private var textSlot = 0
    private(set) var isKept = false
    /// Whether the slots were narrowed, at the first payload read by shape, to the strings that
    /// changed in it: an unread string that came back the same (a model's name, a role) is then
    /// compared with the fixed bytes, a word at a time, instead of as a slot of its own. Should it
    /// change later, the payload is scanned, and its shape kept anew.
    private var isSettled = false

    mutating func forget() {
        isKept = false
    }

    /// Keeps the shape of `payload`, whose value strings are `strings`, if exactly one of those
    /// its reader read has `text` as its value: that one and the unread ones may differ in the
    /// next payloads; the others read stay as they are.
    mutating func keep(_ payload: some Collection<UInt8>, eventType: ArraySlice<UInt8>?,
                       strings: [(contents: Range<Int>, isRead: Bool)], text: [UInt8]) {
        bytes.removeAll(keepingCapacity: true)
        bytes.append(contentsOf: payload)
        var textIndex: Int?
        for (index, string) in strings.enumerated() where string.isRead {
            guard string.contents.upperBound < bytes.count else { return }
            let value = bytes.withUnsafeBytes { JSONStringDecoding.decodeUTF8(UnsafeRawBufferPointer(rebasing: $0[string.contents])) }
            guard value == text else { continue }
            guard textIndex == nil else { return }   // two strings could be the text
            textIndex = index
        }
        guard let textIndex else { return }
        slots.removeAll(keepingCapacity: true)
        for (index, string) in strings.enumerated() where !string.isRead || index == textIndex {
            if index == textIndex { textSlot = slots.count }
            slots.append(string.contents)
        }
        slotCount = slots.count
        self.eventType = eventType.map { Array($0) }
        isKept = true
        isSettled = false
    }

    /// Whether the shape was kept from a payload of event type `type`.
    func isFor(_ type: ArraySlice<UInt8>?) -> Bool {
        switch (eventType, type) {
        case (nil, nil): return true
        case (let kept?, let type?): return kept.elementsEqual(type)
        default: return false
        }
    }

    /// Puts the text of `payload` in `text` and returns `true` if the payload has this shape and a
    /// text that is not empty; `false` otherwise.
    mutating func text(of payload: UnsafeRawBufferPointer, into text: inout [UInt8]) -> Bool {
        guard isKept, let base = payload.baseAddress else { return false }
        // The slots whose string differed from the shape's (the first 64).
        var changed: UInt64 = 0
        let range = bytes.withUnsafeBytes { shape -> Range<Int>? in slots.withUnsafeBufferPointer { slots -> Range<Int>? in
            let shapeBase = shape.baseAddress!
            var position = 0
            var shapePosition = 0
            var textRange = 0..<0
            for index in 0..<slotCount {
                let slot = slots[index]
                // The bytes up to the string's contents, its opening quote included, are the shape's.
                let fixed = slot.lowerBound - shapePosition
                guard payload.count - position >= fixed,
                      ByteSearch.equal(base + position, shapeBase + shapePosition, count: fixed) else { return nil }
                position += fixed
                // The same string as the shape's (its closing quote included: nothing escapes it),
                // or another one, scanned.
                let end: Int
                let unchanged = slot.count + 1
                if payload.count - position >= unchanged, ByteSearch.equal(base + position, shapeBase + slot.lowerBound, count: unchanged) {
                    end = position + slot.count
                } else {
                    guard let quote = Self.closingQuote(in: payload, from: position) else { return nil }
                    end = quote
                    if index < 64 { changed |= 1 << UInt64(index) }
                }
                if index == textSlot { textRange = position..<end }
                position = end
                shapePosition = slot.upperBound
            }
            let rest = shape.count - shapePosition
            guard payload.count - position == rest, ByteSearch.equal(base + position, shapeBase + shapePosition, count: rest),
                  !textRange.isEmpty
            else { return nil }
            return textRange
        } }
        guard let range else { return false }
        JSONStringDecoding.decodeUTF8(UnsafeRawBufferPointer(rebasing: payload[range]), into: &text)
        if !isSettled { settle(keeping: changed) }
        return true
    }

    /// Keeps as slots the text and the strings that `changed` (a bit per slot) says differed.
    private mutating func settle(keeping changed: UInt64) {
        isSettled = true
        guard slots.count <= 64 else { return }
        slots.withUnsafeMutableBufferPointer { slots in
            var kept = 0
            for index in 0..<slotCount where index == textSlot || changed & 1 << UInt64(index) != 0 {
                if index == textSlot { textSlot = kept }
                slots[kept] = slots[index]
                kept += 1
            }
            slotCount = kept
        }
    }

    /// The offset of the quote that closes the string whose contents start at `start`, when its
    /// contents are printable ASCII, whole and valid UTF-8 sequences and the simple escapes; `nil`
    /// for anything else (a `\u` escape, invalid UTF-8, a control byte, no closing quote), which
    /// the scan reads, and rejects where it must.
    private static func closingQuote(in payload: UnsafeRawBufferPointer, from start: Int) -> Int? {
        guard let base = payload.baseAddress else { return nil }
        var index = start
        while true {
            // Eight bytes at a time up to the first that is not plain — a quote, a backslash, a
            // control byte or a byte outside ASCII — as the parser's string scan does, and
            // non-Latin text (a model's tokens in Japanese, say) by its UTF-8 sequences.
            while payload.count - index >= 8 {
                let special = JSONParser.bytesNeedingAttention(
                    UInt64(littleEndian: base.loadUnaligned(fromByteOffset: index, as: UInt64.self)))
                if special != 0 {
                    index += special.trailingZeroBitCount / 8
                    break
                }
                index += 8
            }
            guard index < payload.count else { return nil }
            let byte = payload[index]
            switch byte {
            case UInt8(ascii: "\""):
                return index
            case UInt8(ascii: "\\"):
                guard index + 1 < payload.count else { return nil }
                switch payload[index + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                     UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    index += 2
                default:
                    return nil
                }
            case 0x20..<0x80:
                index += 1
            case 0x80...:
                let next = JSONParser.endOfValidText(base.assumingMemoryBound(to: UInt8.self), from: index, to: payload.count)
                guard next > index else { return nil }
                index = next
            default:
                return nil
            }
        }
    }
}

extension JSONValue {
    /// Compact JSON text for the value: members in the order they were written, numbers as their
    /// original text.
    ///
    /// ```swift
    /// JSONValue.object(["b": .null, "a": .string("é\n")]).serialized()   // {"b":null,"a":"é\n"}
    /// ```
    ///
    /// Cost: O(the text). Written as UTF-8 bytes, strings copied a run at a time between the
    /// bytes that need escaping.
    public func serialized() -> String {
        String(decoding: serializedUTF8(), as: UTF8.self)
    }

    /// ``serialized()`` as UTF-8 bytes, for a reader of bytes (no `String` made and read again).
    func serializedUTF8() -> [UInt8] {
        // Iterative, so that a deep value cannot overflow the stack.
        enum Frame {
            case array(ArraySlice<JSONValue>)
            case object(JSONObject.SubSequence)
        }
        var output: [UInt8] = []
        var stack: [Frame] = []
        var next: JSONValue? = self
        while true {
            if let value = next {
                next = nil
                switch value {
                case .null: output += "null".utf8
                case .bool(let bool): output += (bool ? "true" : "false").utf8
                case .number(let number): output += number.text.utf8
                case .string(let string): Self.appendQuoted(string, to: &output)
                case .array(let elements):
                    output.append(ASCII.openBracket)
                    stack.append(.array(elements[...]))
                case .object(let members):
                    output.append(ASCII.openBrace)
                    stack.append(.object(members[...]))
                }
            }
            guard let frame = stack.popLast() else { return output }
            // Only a container's own opening bracket ends the text before its first member.
            switch frame {
            case .array(var rest):
                if let element = rest.popFirst() {
                    if output.last != ASCII.openBracket { output.append(ASCII.comma) }
                    next = element
                    stack.append(.array(rest))
                } else {
                    output.append(ASCII.closeBracket)
                }
            case .object(var rest):
                if let member = rest.popFirst() {
                    if output.last != ASCII.openBrace { output.append(ASCII.comma) }
                    Self.appendQuoted(member.key, to: &output)
                    output.append(ASCII.colon)
                    next = member.value
                    stack.append(.object(rest))
                } else {
                    output.append(ASCII.closeBrace)
                }
            }
        }
    }

    /// Appends `string` as a JSON string literal: `"` and `\` after a backslash, newline, carriage
    /// return and tab as `\n`, `\r`, `\t`, other controls as `\u00XX`, everything else as its UTF-8.
    static func appendQuoted(_ string: String, to output: inout [UInt8]) {
        output.append(ASCII.quote)
        var string = string
        string.withUTF8 { bytes in
            var runStart = 0
            for index in bytes.indices {
                let byte = bytes[index]
                guard byte < 0x20 || byte == ASCII.quote || byte == ASCII.backslash else { continue }
                output += bytes[runStart..<index]
                runStart = index + 1
                output.append(ASCII.backslash)
                switch byte {
                case ASCII.quote, ASCII.backslash: output.append(byte)
                case ASCII.lineFeed: output.append(ASCII.lowerN)
                case ASCII.carriageReturn: output.append(0x72)   // r
                case ASCII.tab: output.append(ASCII.lowerT)
                default:
                    let low = byte & 0x0F
                    output += [ASCII.lowerU, ASCII.zero, ASCII.zero, ASCII.zero + byte >> 4,
                               low < 10 ? ASCII.zero + low : ASCII.upperA + low - 10]
                }
            }
            output += bytes[runStart...]
        }
        output.append(ASCII.quote)
    }
}

extension JSONValue: Codable {
    /// Through ``JSONTokenDecoder``, the value exactly as its text has it (a number beyond
    /// `Double`'s range or precision included); through another decoder, what its containers give.
    public init(from decoder: any Decoder) throws {
        if let decoder = decoder as? DecoderImpl {
            self = try JSONValue(parsing: decoder.tape.valueText(decoder.index), options: decoder.tape.options)
            return
        }
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let bool = try? container.decode(Bool.self) {
            self = .bool(bool)
        } else if let string = try? container.decode(String.self) {
            self = .string(string)
        } else if let elements = try? container.decode([JSONValue].self) {
            self = .array(elements)
        } else if let members = try? container.decode([String: JSONValue].self) {
            self = .object(JSONObject(members))
        } else if let int = try? container.decode(Int.self) {
            self = .number(JSONNumber(unchecked: String(int)))
        } else {
            let double = try container.decode(Double.self)
            self = .number(JSONNumber(unchecked: "\(double)"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        if case .object(let members) = self {
            // A keyed container, member by member (an encoder may keep or sort their order).
            var container = encoder.container(keyedBy: MemberKey.self)
            for (key, value) in members { try container.encode(value, forKey: MemberKey(stringValue: key)) }
            return
        }
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let bool): try container.encode(bool)
        case .string(let string): try container.encode(string)
        case .array(let elements): try container.encode(elements)
        case .object: preconditionFailure("encoded above")
        case .number(let number):
            if let int = number.int, number.isIntegerLiteral {
                try container.encode(int)
            } else {
                try container.encode(number.double ?? .nan)
            }
        }
    }
}

/// An object member's key, for a keyed container.
private struct MemberKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

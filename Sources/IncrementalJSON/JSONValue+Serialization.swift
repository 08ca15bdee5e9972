extension JSONValue {
    /// Compact JSON text for the value: object keys sorted, numbers as their original text.
    ///
    /// ```swift
    /// JSONValue.object(["b": .null, "a": .string("é\n")]).serialized()   // {"a":"é\n","b":null}
    /// ```
    public func serialized() -> String {
        // Iterative, so that a deep value cannot overflow the stack.
        enum Frame {
            case array(ArraySlice<JSONValue>)
            case object(ArraySlice<(key: String, value: JSONValue)>)
        }
        var output = ""
        var stack: [Frame] = []
        var next: JSONValue? = self
        while true {
            if let value = next {
                next = nil
                switch value {
                case .null: output += "null"
                case .bool(let bool): output += bool ? "true" : "false"
                case .number(let number): output += number.text
                case .string(let string): output += JSONPath.quoted(string)
                case .array(let elements):
                    output += "["
                    stack.append(.array(elements[...]))
                case .object(let members):
                    output += "{"
                    stack.append(.object(members.sorted { $0.key < $1.key }[...]))
                }
            }
            guard let frame = stack.popLast() else { return output }
            switch frame {
            case .array(var rest):
                if let element = rest.popFirst() {
                    if !output.hasSuffix("[") { output += "," }
                    next = element
                    stack.append(.array(rest))
                } else {
                    output += "]"
                }
            case .object(var rest):
                if let member = rest.popFirst() {
                    if !output.hasSuffix("{") { output += "," }
                    output += JSONPath.quoted(member.key) + ":"
                    next = member.value
                    stack.append(.object(rest))
                } else {
                    output += "}"
                }
            }
        }
    }
}

extension JSONValue: Codable {
    public init(from decoder: any Decoder) throws {
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
            self = .object(members)
        } else if let int = try? container.decode(Int.self) {
            self = .number(JSONNumber(unchecked: String(int)))
        } else {
            let double = try container.decode(Double.self)
            self = .number(JSONNumber(unchecked: "\(double)"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let bool): try container.encode(bool)
        case .string(let string): try container.encode(string)
        case .array(let elements): try container.encode(elements)
        case .object(let members): try container.encode(members)
        case .number(let number):
            if let int = number.int, number.isIntegerLiteral {
                try container.encode(int)
            } else {
                try container.encode(number.double ?? .nan)
            }
        }
    }
}

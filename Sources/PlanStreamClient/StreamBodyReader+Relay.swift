import IncrementalJSON

extension StreamBodyReader {
    /// The relay protocol (``RelayEncoder``), turned back into one document
    /// `{"metadata": …, "days": [ … ]}` so that the plan parser sees what it would have seen from
    /// the model.
    mutating func relay(_ data: ArraySlice<UInt8>, into signals: inout [Signal]) throws(PayloadScanner.Malformed) {
        do {
            signals += try relay(String(decoding: data, as: UTF8.self))
        } catch {
            throw PayloadScanner.Malformed(description: "\(error)")
        }
    }

    private mutating func relay(_ data: String) throws -> [Signal] {
        // Days pass through as they arrived, so a lenient source's trailing commas may be in them.
        var options = JSONParserOptions()
        options.allowsTrailingCommas = true
        let value = try JSONValue(parsing: data, options: options)
        func raw(_ key: String) -> String? { RelayEncoder.rawMember(key, in: data) }
        switch value["type"]?.stringValue {
        case "status":
            return [.status(value["message"]?.stringValue ?? "")]
        case "metadata":
            guard !relayOpened, let metadata = raw("metadata") else { return [] }
            relayOpened = true
            return [.text(Array(("{\"metadata\": " + metadata + ", \"days\": [").utf8))]
        case "day_complete":
            guard let day = raw("data") else { return [] }
            var text = relayOpened ? "" : "{\"days\": ["
            relayOpened = true
            if relayDays > 0 { text += ", " }
            relayDays += 1
            return [.text(Array((text + day).utf8))]
        case "complete":
            if relayOpened { return [.text(Array("]}".utf8)), .finished(FinishReason(rawValue: "stop"))] }
            guard let plan = raw("plan") else { return [.finished(FinishReason(rawValue: "stop"))] }
            return [.text(Array(plan.utf8)), .finished(FinishReason(rawValue: "stop"))]
        case "partial":
            return [.finished(FinishReason(rawValue: value["reason"]?.stringValue ?? "partial"))]
        case "error":
            return [.providerError(ProviderError(message: value["message"]?.stringValue ?? data))]
        default:
            return []
        }
    }
}

import FuzzSupport
import IncrementalJSON
import JSONFuzzInvariants
import PlanStream

extension FuzzInvariants {
    /// ``checkDecoding(_:)`` for the plan's own types: JSONTokenDecoder and JSONDecoder agree on
    /// `PlanDay` and `PlanMetadata` for any input. And the plan parser, which decodes the metadata
    /// and each day from the tokens it recorded while scanning them (split at the derived cuts),
    /// gives what decoding each one's raw bytes again gives: the same value, or the same failure;
    /// and every JSON text it hands out is strict JSON (``nonStrictJSONHandedOut(_:cuts:)``).
    public static func checkPlanDecoding(_ input: [UInt8]) {
        compare(input, as: PlanDay.self, kinds: true)
        compare(input, as: PlanMetadata.self, kinds: true)
        if let problem = recordedDecodingMismatch(input, cuts: derivedCuts(input)) { require(false, problem, input) }
        if let problem = nonStrictJSONHandedOut(input, cuts: derivedCuts(input)) { require(false, problem, input) }
    }

    /// Where ``PlanStreamParser``'s decoding of `input` split at `cuts` differs from decoding each
    /// value's raw bytes with a fresh ``JSONTokenDecoder``, or `nil`. Checked without snapshots
    /// and with them (then each day is also built live, and its strings are made once, for the
    /// tree and the decoder both).
    public static func recordedDecodingMismatch(_ input: [UInt8], cuts: [Int]) -> String? {
        for snapshots in [SnapshotPolicy.off, .everyChange] {
            // The plan parser is lenient (its default), the fresh decoder strict: the raw JSON
            // leaves out the trailing commas the parser accepted (RawJSON), so both read the same.
            let parser = PlanStreamParser(snapshots: snapshots)
            if let problem = decodingMismatch(events(of: parser, fedWith: pieces(of: input, at: cuts))) {
                return snapshots == .off ? problem : problem + " (with snapshots)"
            }
        }
        return nil
    }

    /// The first JSON text the (lenient) plan parser hands out for `input` split at `cuts` that a
    /// strict reader rejects, or `nil`: raw metadata and days, the completed plan's JSON, a
    /// partial plan's. A model's trailing commas, prose and fences must not leak into them.
    public static func nonStrictJSONHandedOut(_ input: [UInt8], cuts: [Int]) -> String? {
        let parser = PlanStreamParser()
        for event in events(of: parser, fedWith: pieces(of: input, at: cuts)) {
            let what: String, text: String?
            switch event {
            case .metadataReady(_, let raw), .metadataFailed(_, let raw): (what, text) = ("the metadata", raw.text)
            case .dayCompleted(let index, _, let raw), .dayFailed(let index, _, let raw): (what, text) = ("day \(index)", raw.text)
            case .completed(let plan): (what, text) = ("the completed plan", plan.json)
            case .partial(let partial): (what, text) = ("the partial plan", partial.json)
            default: continue
            }
            if let text, (try? JSONValue(parsing: text, options: .strict)) == nil {
                return "\(what)'s JSON is not strict JSON: \(text.prefix(200))"
            }
        }
        return nil
    }

    private static func decodingMismatch(_ events: [PlanEvent<PlanMetadata, PlanDay>]) -> String? {
        let decoder = JSONTokenDecoder()
        func again<T: Decodable>(_ type: T.Type, _ raw: RawJSON) -> Result<T, PlanDecodingFailure> {
            Result { try decoder.decode(type, from: raw.bytes) }.mapError { PlanDecodingFailure($0) }
        }
        for event in events {
            switch event {
            case .metadataReady(let value, let raw) where again(PlanMetadata.self, raw) != .success(value):
                return "the metadata at \(raw.range) decodes otherwise from its bytes"
            case .metadataFailed(let error, let raw) where again(PlanMetadata.self, raw) != .failure(error):
                return "the metadata at \(raw.range) fails otherwise from its bytes"
            case .dayCompleted(let index, let day, let raw) where again(PlanDay.self, raw) != .success(day):
                return "day \(index) at \(raw.range) decodes otherwise from its bytes"
            case .dayFailed(let index, let error, let raw) where again(PlanDay.self, raw) != .failure(error):
                return "day \(index) at \(raw.range) fails otherwise from its bytes"
            default:
                continue
            }
        }
        return nil
    }
}

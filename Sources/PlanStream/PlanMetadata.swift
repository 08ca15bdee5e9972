/// The seed plan's metadata: title, summary, goals and duration. Every field but the title is
/// optional, and unknown keys are ignored, so that a model's variations still decode.
public struct PlanMetadata: Codable, Sendable, Hashable {
    public struct Duration: Codable, Sendable, Hashable {
        public var value: Int
        public var unit: String?

        public init(value: Int, unit: String? = nil) {
            self.value = value
            self.unit = unit
        }
    }

    public var title: String
    public var summary: String?
    public var goals: [String]?
    public var duration: Duration?

    public init(title: String, summary: String? = nil, goals: [String]? = nil, duration: Duration? = nil) {
        self.title = title
        self.summary = summary
        self.goals = goals
        self.duration = duration
    }
}

/// One day of the seed plan: its number, title, activities, meals and tips. Only `day` is required;
/// unknown keys are ignored.
public struct PlanDay: Codable, Sendable, Hashable {
    public struct Activity: Codable, Sendable, Hashable {
        public var name: String
        public var time: String?
        public var durationMinutes: Int?
        public var description: String?

        enum CodingKeys: String, CodingKey {
            case name, time, description
            case durationMinutes = "duration_minutes"
        }

        public init(name: String, time: String? = nil, durationMinutes: Int? = nil, description: String? = nil) {
            self.name = name
            self.time = time
            self.durationMinutes = durationMinutes
            self.description = description
        }
    }

    public struct Meal: Codable, Sendable, Hashable {
        public var type: String?
        public var name: String
        public var calories: Int?

        public init(type: String? = nil, name: String, calories: Int? = nil) {
            self.type = type
            self.name = name
            self.calories = calories
        }
    }

    public var day: Int
    public var title: String?
    public var theme: String?
    public var activities: [Activity]?
    public var meals: [Meal]?
    public var tips: [String]?

    public init(day: Int, title: String? = nil, theme: String? = nil, activities: [Activity]? = nil,
                meals: [Meal]? = nil, tips: [String]? = nil) {
        self.day = day
        self.title = title
        self.theme = theme
        self.activities = activities
        self.meals = meals
        self.tips = tips
    }
}

/// Repeated timing of one piece of work: warm-up first, then enough runs for a stable median.
struct Measurement {
    var seconds: [Double]

    var median: Double { seconds.sorted()[seconds.count / 2] }
    var minimum: Double { seconds.min() ?? 0 }
    var maximum: Double { seconds.max() ?? 0 }

    /// Runs `work` once to warm up, then repeatedly until `budget` seconds have passed (at least
    /// `minimumRuns`, at most `maximumRuns` times).
    static func run(budget: Double = 0.5, minimumRuns: Int = 5, maximumRuns: Int = 200,
                    _ work: () throws -> Void) rethrows -> Measurement {
        let clock = ContinuousClock()
        try work()
        var seconds: [Double] = []
        var spent = 0.0
        while seconds.count < minimumRuns || (spent < budget && seconds.count < maximumRuns) {
            let elapsed = try clock.measure(work)
            let value = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            seconds.append(value)
            spent += value
        }
        return Measurement(seconds: seconds)
    }
}

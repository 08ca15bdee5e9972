/// Repeated timing of one piece of work: warm-up first, then enough runs for a stable median.
struct Measurement {
    var seconds: [Double]

    /// Thrown by work that stopped early (a capped run); its extrapolated time is recorded.
    struct Stop: Error {
        var seconds: Double
    }

    var median: Double { seconds.sorted()[seconds.count / 2] }
    var minimum: Double { seconds.min() ?? 0 }
    var maximum: Double { seconds.max() ?? 0 }

    /// Runs `work` once to warm up, then repeatedly until `budget` seconds have passed (at least
    /// `minimumRuns`, at most `maximumRuns` times). A run that throws ``Stop`` ends the
    /// measurement with that run's time.
    static func run(budget: Double = 0.5, minimumRuns: Int = 5, maximumRuns: Int = 1000,
                    _ work: () throws -> Void) rethrows -> Measurement {
        let clock = ContinuousClock()
        do {
            try work()
        } catch let stop as Stop {
            return Measurement(seconds: [stop.seconds])
        }
        var seconds: [Double] = []
        var spent = 0.0
        while seconds.count < minimumRuns || (spent < budget && seconds.count < maximumRuns) {
            let value: Double
            do {
                value = try clock.measure(work).seconds
            } catch let stop as Stop {
                return Measurement(seconds: [stop.seconds])
            }
            seconds.append(value)
            spent += value
        }
        return Measurement(seconds: seconds)
    }
}

import IncrementalJSON
import PlanStream
import Synchronization

/// What the pipeline and the watchdog share.
final class StreamState<Metadata: Sendable, Day: Sendable>: Sendable {
    private struct Shared {
        var lastActivity = ContinuousClock.now
        var timeout: PlanStreamInterruption.Reason?
        var partialPlan = PartialPlanRecord<Metadata, Day>()
        var tasks: [Task<Void, Never>] = []
        var usage: JSONValue?
    }

    private let shared = Mutex(Shared())
    private let started = ContinuousClock.now

    var partialPlan: PartialPlan<Metadata, Day>? { shared.withLock { $0.partialPlan.partialPlan } }
    var timeout: PlanStreamInterruption.Reason? { shared.withLock { $0.timeout } }

    func touch() { shared.withLock { $0.lastActivity = .now } }

    /// Cost: O(the days completed since the last record) — see ``PartialPlanRecord``.
    func record(_ partial: PartialPlan<Metadata, Day>) { shared.withLock { $0.partialPlan.record(partial) } }

    func setTasks(_ tasks: [Task<Void, Never>]) { shared.withLock { $0.tasks = tasks } }

    var usage: JSONValue? { shared.withLock { $0.usage } }

    func record(usage: JSONValue) { shared.withLock { $0.usage = usage } }

    func cancelTasks() {
        for task in shared.withLock({ $0.tasks }) { task.cancel() }
    }

    /// Cancels `pipeline` when no chunk arrived for `idleTimeout`, or when `deadline` passed.
    func watch(pipeline: Task<Void, Never>, idleTimeout: Duration, deadline: Duration?) async {
        while !Task.isCancelled {
            let (last, now) = shared.withLock { ($0.lastActivity, ContinuousClock.now) }
            var wake = last + idleTimeout
            if let deadline { wake = min(wake, started + deadline) }
            if let deadline, now >= started + deadline {
                shared.withLock { $0.timeout = .deadlineExceeded(deadline) }
                pipeline.cancel()
                return
            }
            if now - last >= idleTimeout {
                shared.withLock { $0.timeout = .idleTimeout(idleTimeout) }
                pipeline.cancel()
                return
            }
            try? await Task.sleep(until: wake, clock: .continuous)
        }
    }
}

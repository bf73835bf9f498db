import Bus
import Services

/// The outbox relay's schedule: a pass every `outbox.relayInterval` while rows wait, a crash
/// between a publish and its mark, and the restart after it.
extension Simulation {
    func scheduleRelayPass() {
        guard !relayPassScheduled, relay.pending > 0, relay.state == .running else { return }
        relayPassScheduled = true
        scheduler.schedule(.relayPass, at: now + config.outboxRelayInterval)
    }

    func runRelayPass() {
        do {
            if case .crashed = try relay.runPass(now: now, batch: config.outboxRelayBatch) {
                let back = now + config.outboxRelayRestartDelay
                relay.state = .crashed(restartAt: back)
                scheduler.schedule(.relayRestart, at: back)
                return
            }
        } catch {
            storageFailed("orders.sqlite", error)
        }
        scheduleRelayPass()
    }

    func relayRestarted() {
        guard case .crashed(let at) = relay.state, at <= now else { return }
        relay.state = .running
        scheduleRelayPass()
    }
}

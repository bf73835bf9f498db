import Bus
import Events

extension Simulation {
    /// Everything the scheduler can run. Jobs of a consumer carry its incarnation, so a job
    /// scheduled for a life that has since ended does nothing.
    enum Job {
        case arrival(generation: Int)
        case poll(instance: Int, incarnation: Int)
        case finish(instance: Int, incarnation: Int)
        case pollIntervalCheck(instance: Int, incarnation: Int, poll: Int)
        case restart(instance: Int, incarnation: Int)
        case orderServiceBack
        case relayPass
        case relayRestart
        case scheduledOrder
        case sample
        case action(SimulationAction)
        /// A rolling deploy stops this instance now; it starts again `downtime` after it stopped.
        case deployStop(instance: Int, downtime: VirtualDuration)
        /// A rolling deploy's window closes: its cost is measured.
        case deployEnds(Int)
        /// A regroup looks again whether its group has emptied.
        case regroupCheck(ServiceName)
    }
}

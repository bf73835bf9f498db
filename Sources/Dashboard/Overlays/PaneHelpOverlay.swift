/// What a pane means, in a few sentences: its columns and what to watch for. `?` with the pane
/// focused opens it; `?` again lists every key.
struct PaneHelpOverlay {
    var pane: PaneID
    var glyphs: Glyphs

    static func explanation(_ pane: PaneID) -> [String] {
        switch pane {
        case .orders:
            [
                "Orders by status as order-service's table holds them, with a bar for each share.",
                "API rejected counts orders its API turned away while it was down; accepted counts the rows it wrote.",
                "Below, the newest orders: an order waiting in PENDING_PAYMENT is honest, not stuck; arrows select, Enter follows one, x cancels it.",
            ]
        case .topics:
            [
                "Each partition's log: START is the oldest offset retention keeps, END the next offset to be written.",
                "REC/S counts appends in the last virtual second; the sparkline one a column, as many seconds as fit (LAST 8s).",
                "With several brokers this is the Brokers pane: LEADER, ISR (the in-sync replicas), ELR (eligible leader replicas, Kafka 4.1+), HW (the high watermark: consumers read below it) and, per broker, its replica's log end (red: broker not serving, yellow: out of the ISR). The first line counts Kafka's UnderReplicated, UnderMinIsr, AtMinIsr and Offline partitions.",
                "A crashed broker stays leader and in the ISRs until fenced (9s). Under min ISR the HW stops and a waiting send ends with RequestTimedOut (Kafka 3.7+; NotEnoughReplicasAfterAppend before).",
            ]
        case .consumerGroups:
            [
                "Each consumer group as kafka-consumer-groups.sh --describe shows it: CURRENT-OFFSET is the committed offset, LOG-END-OFFSET the end of the log, LAG the difference.",
                "'-': nothing committed yet, the lag unknown, not 0. Red with an arrow: a lag that grew in the last second. Under a waiting group: its oldest record's wait, its catch-up at its last 10s' commit rate (∞: none).",
                "States are Kafka's: Empty (no members), PreparingRebalance ('Preparing': members rejoin at their next poll), CompletingRebalance ('Completing': the assignment is synced), Stable (KIP-848: Reconciling).",
                "As Kafka's tool, a classic group that is not Stable shows its warning and no owners; rows go by member, largest assignment first: CONSUMER-ID, else CLIENT-ID, else #2 (the instance), whichever fits.",
                "Lagging or unstable groups first. PAUSED: rebal (a rebalance), away (owner dead or restarting), none.",
            ]
        case .services:
            [
                "Each service's instances: running, stopped (left the group), killed (no goodbye: its partitions wait for the session timeout) or crashed (back by itself).",
                "PROCESSED counts records handled, REDELIV records handed out again. The outbox line shows the relay, the rows waiting and the passes a refused send cut short.",
                "A poll returns a batch (up to max.poll.records), committed once processed; the header names another commit mode (commit before-processing: at most once). 'out of group': the batch took longer than max.poll.interval.ms, the instance's heartbeat thread left the group, and its commits will fail.",
                "With several brokers: which are down, acknowledged records lost, the producers' acks, the brokers' most frequent error by Kafka's name, sends given up and sends still retrying.",
            ]
        case .events:
            [
                "The newest records appended to the bus, newest first: topic, partition@offset (narrow: order.created-2@3), the order id as key, and the event type.",
                "Failures are red, completed payments green. Arrows select a record, Enter opens it.",
                "With several brokers, a send's first error ('retry NotEnoughReplicas', yellow), a send given up ('FAILED TimeoutException'; 'RequestTimedOut' where Kafka 3.6 said NotEnoughReplicasAfterAppend) and an acknowledged record a truncation removed ('LOST (acked)', red) appear between the records.",
            ]
        case .invariants:
            [
                "What must never happen, recomputed from the databases and the log every virtual second: green at 0, red above.",
                "Each name is the same in the reconciliation sweep (r), the reports and the README.",
            ]
        case .narration:
            [
                "The scenario's story: the current step, and what comes next.",
                "g goes on when the clock waits; ] runs to the next step at full speed, [ goes back one, 0 restarts.",
                "✗ FALSE, in red at the top: a claim the step makes (its expect:) that the run contradicts, with the run's value.",
            ]
        }
    }

    func draw(on grid: inout Grid) {
        let width = min(grid.width - 4, 76)
        var lines: [Line] = []
        for paragraph in Self.explanation(pane) {
            lines += paragraph.wrapped(to: width - 4).map { Line(" " + $0) }
            lines.append(Line())
        }
        lines.append(Line(" ? again lists every key · Esc closes", .dim))
        OverlayBox(title: "\(pane.title): what it shows", lines: lines, maxWidth: width, glyphs: glyphs).draw(on: &grid)
    }
}

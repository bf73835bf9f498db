/// Every kind of wrong the order flow can end up in, by the one name the Invariants pane, the
/// reconciliation sweep, narration, the text and JSON reports and the README all use.
///
/// The invariant checker tracks some of them continuously; the sweep finds some of them in a
/// batch pass; several are found by both, and then both must agree.
package enum Anomaly: String, CaseIterable, Codable, Sendable {
    /// Committed, and no OrderCreatedEvent in the log (an outbox row still waiting does not count).
    case ordersWithoutEvent
    /// CONFIRMED with no successful charge in the provider's ledger.
    case confirmedWithoutCharge
    /// A confirmation email went out and the provider never charged.
    case emailsWithoutCharge
    /// The provider charged the order more than once.
    case doubleCharges
    /// The customer got more than one confirmation email.
    case duplicateEmails
    /// CANCELLED, and the provider charged it anyway: the payment landed after the cancel.
    case refundNeeded
    /// CANCELLED, and the customer got the confirmation email anyway (the payment landed after
    /// the cancel, and the email follows the payment, not the order).
    case emailsAfterCancel
    /// Still PENDING_PAYMENT past the configured threshold.
    case stuckPending
    /// Charged, and not CONFIRMED: still on its way, or CANCELLED and owed a refund.
    case chargedNotConfirmed
    /// More than one OrderCreatedEvent for the order: a relay crash or a repair raced a late publish.
    case duplicateEvents
    /// Records a producer was told were written that a truncation removed (with a cluster only):
    /// the broker counts them as it cuts the log; the sweep sees their orders as without an event.
    case acknowledgedRecordsLost
    /// Still PENDING_PAYMENT, and a record of it sits in a dead-letter topic: not lost, waiting
    /// for its cause to be fixed and a redrive.
    case deadLettered

    /// What the invariant checker keeps up to date every virtual second, in the pane's order.
    package static let invariants: [Anomaly] = [
        .confirmedWithoutCharge, .emailsWithoutCharge, .ordersWithoutEvent, .doubleCharges, .duplicateEmails,
        .refundNeeded, .emailsAfterCancel, .stuckPending,
    ]

    /// What the Invariants pane adds while the cluster runs (one broker cannot lose an acknowledged record).
    package static let clusterInvariants: [Anomaly] = [.acknowledgedRecordsLost]

    /// What a reconciliation sweep reports, in the overlay's and the text report's order.
    package static let sweepClasses: [Anomaly] = [
        .ordersWithoutEvent, .confirmedWithoutCharge, .emailsWithoutCharge, .chargedNotConfirmed, .doubleCharges,
        .duplicateEmails, .duplicateEvents, .emailsAfterCancel, .deadLettered,
    ]

    /// A few words for a pane, an overlay or a report line.
    package var meaning: String {
        switch self {
        case .ordersWithoutEvent: "committed, never published"
        case .confirmedWithoutCharge: "CONFIRMED, never charged"
        case .emailsWithoutCharge: "told confirmed, never charged"
        case .doubleCharges: "charged more than once"
        case .duplicateEmails: "emailed more than once"
        case .refundNeeded: "CANCELLED, then charged"
        case .emailsAfterCancel: "CANCELLED, told confirmed"
        case .stuckPending: "PENDING_PAYMENT too long"
        case .chargedNotConfirmed: "charged, not CONFIRMED"
        case .duplicateEvents: "order.created more than once"
        case .acknowledgedRecordsLost: "acknowledged, then truncated"
        case .deadLettered: "waiting in a DLT, not lost"
        }
    }
}

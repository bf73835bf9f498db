import Bus
import Events
import GRDB

/// The simulated external payment provider. It keeps its own ledger, apart from any service's
/// database, so reconciliation and the double-charge invariant can compare against the money.
package final class PaymentProvider {
    package enum Outcome: Equatable, Sendable {
        case succeeded(chargeId: String)
        case declined(reason: String)
    }

    package let database: any DatabaseWriter
    private var random: SeededRandom
    package let latency: ClosedRange<Int64>
    package let failureRate: Double
    /// How many times slower than `latency` the provider answers now (1: as configured).
    package var slowdown = 1
    /// Charges above this many cents are refused with an error, not declined: the request itself
    /// is wrong for this account, so asking again gets the same answer. nil: no limit.
    package var limitCents: Int?

    /// The provider refused the request (an HTTP 4xx, not a decline): nothing is charged and
    /// nothing goes to the ledger.
    package struct Refusal: Error, Equatable, CustomStringConvertible {
        package var amountCents: Int
        package var limitCents: Int
        package var currency: String

        package var description: String {
            "amount \(Self.money(amountCents)) \(currency) is above the account's limit of \(Self.money(limitCents)) \(currency)"
        }

        private static func money(_ cents: Int) -> String {
            "\(cents / 100).\(String(cents % 100).leftPadded(to: 2, with: "0"))"
        }
    }
    /// Successful charges in the ledger, kept as a running count for the dashboard.
    package private(set) var successfulCharges = 0
    /// Calls answered from an earlier charge with the same idempotency key, charging nothing.
    package private(set) var idempotentReplays = 0

    /// `latency` in virtual milliseconds; `failureRate` the chance a charge is declined.
    package init(location: DatabaseLocation, seed: UInt64, latency: ClosedRange<Int64>, failureRate: Double) throws {
        database = try location.open("provider.sqlite") { migrator in
            migrator.registerMigration("create ledger") { db in
                try db.execute(
                    sql: """
                        CREATE TABLE charges (
                          id INTEGER PRIMARY KEY AUTOINCREMENT,
                          charge_id TEXT NOT NULL,
                          order_id TEXT NOT NULL,
                          amount_cents INTEGER NOT NULL,
                          currency TEXT NOT NULL,
                          idempotency_key TEXT,
                          outcome TEXT NOT NULL,
                          reason TEXT,
                          charged_at INTEGER NOT NULL
                        );
                        CREATE INDEX charges_order ON charges(order_id, outcome);
                        CREATE INDEX charges_idempotency_key ON charges(idempotency_key) WHERE idempotency_key IS NOT NULL;
                        """)
            }
        }
        random = SeededRandom(seed: seed, stream: "payment-provider")
        self.latency = latency
        self.failureRate = failureRate
    }

    /// How long the next call takes, drawn when the call starts.
    package func nextLatency() -> VirtualDuration {
        let drawn = Int64(random.int(in: Int(latency.lowerBound)...Int(latency.upperBound)))
        return .milliseconds(drawn.multipliedReportingOverflow(by: Int64(slowdown)).partialValue)
    }

    /// Charges the order and writes the attempt to the ledger. Without an idempotency key every
    /// call is a new charge, even for an order already charged; with one, a key seen before gets
    /// the first call's answer back and nothing is charged.
    package func charge(
        orderId: String, amountCents: Int, currency: String, idempotencyKey: String?,
        now: VirtualTime
    ) throws -> Outcome {
        if let limitCents, amountCents > limitCents {
            throw Refusal(amountCents: amountCents, limitCents: limitCents, currency: currency)
        }
        if let idempotencyKey,
            let earlier = try database.readLatest({ db in
                try Row.fetchOne(
                    db.cachedStatement(
                        sql:
                            "SELECT charge_id, outcome, reason FROM charges WHERE idempotency_key = ? ORDER BY id LIMIT 1"
                    ),
                    arguments: [idempotencyKey])
            })
        {
            idempotentReplays += 1
            return earlier["outcome"] == "succeeded"
                ? .succeeded(chargeId: earlier["charge_id"]) : .declined(reason: earlier["reason"] ?? "declined")
        }
        let declined = random.unit() < failureRate
        let chargeId = "ch_" + random.shortHex() + random.shortHex()
        let outcome: Outcome = declined ? .declined(reason: "card declined") : .succeeded(chargeId: chargeId)
        try database.executeCached(
            """
            INSERT INTO charges (charge_id, order_id, amount_cents, currency, idempotency_key, outcome, reason, charged_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                chargeId, orderId, amountCents, currency, idempotencyKey,
                declined ? "declined" : "succeeded", declined ? "card declined" : nil, now.milliseconds,
            ])
        if !declined { successfulCharges += 1 }
        return outcome
    }
}

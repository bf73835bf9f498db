import Bus
import Events
import KafkaClient

/// What a service instance is doing, as the Services pane shows it.
package enum InstanceState: Equatable, Sendable {
    case running
    /// Left the group gracefully (a deploy); starts again on request.
    case stopped
    /// Died without a word; its partitions stay assigned until the session timeout.
    case killed
    /// Died with its service and comes back by itself at `restartAt`.
    case crashed(restartAt: VirtualTime)
}

/// One consumer of a service: its Kafka client (`consumer`) under a listener container that
/// processes each polled batch record by record. It owns its life: each start, stop and death
/// resets exactly what a real process would lose.
final class ConsumerInstance {
    let service: ServiceName
    /// 1-based, as the client id shows it.
    let number: Int
    let consumer: KafkaConsumer
    private(set) var state: InstanceState = .stopped
    /// Bumped on every death and restart, so jobs scheduled for an earlier life are ignored.
    private(set) var incarnation = 0
    /// What the last poll returned and is not finished yet, in order; the first is in hand.
    private(set) var batch: ArraySlice<Record> = []
    /// When the record in hand was taken: the start of its processing.
    private(set) var recordStartedAt = VirtualTime.zero
    /// A graceful stop waits for the batch in hand.
    private(set) var stopRequested = false
    var processed = 0
    var redeliveries = 0
    var poisonRecords = 0
    /// Batch commit: the positions processed in this batch, committed when it ends.
    private(set) var uncommitted: [TopicPartition: Int64] = [:]
    /// Per partition, the record that failed last and how many times in a row (Spring's
    /// FailedRecordTracker): in memory, so a new life or a new owner starts counting again.
    private(set) var failures: [TopicPartition: (offset: Int64, count: Int)] = [:]

    init(service: ServiceName, number: Int, coordinator: GroupCoordinator, autoCommit: KafkaConsumer.AutoCommit?) {
        self.service = service
        self.number = number
        consumer = KafkaConsumer(
            groupId: service.rawValue, clientId: "\(service.rawValue)-\(number)", topics: service.subscriptions,
            coordinator: coordinator, autoCommit: autoCommit)
    }

    var clientId: String { consumer.clientId }
    var group: String { consumer.groupId }
    var isRunning: Bool { state == .running }
    /// Stopped or killed by hand: only a start brings it back.
    var isDown: Bool { state == .stopped || state == .killed }
    var inFlight: Record? { batch.first }

    /// A new life (its client subscribes under a new member id): nothing in hand, nothing uncommitted.
    func started() {
        incarnation += 1
        state = .running
        stopRequested = false
        batch = []
        uncommitted = [:]
        failures = [:]
    }

    /// Asked to stop while a batch is in hand: it stops after finishing the batch.
    func requestStop() { stopRequested = true }

    /// Left the group; jobs of this life are void.
    func stopped() {
        state = .stopped
        stopRequested = false
        batch = []
        incarnation += 1
    }

    /// Died: what it held in memory (the batch in hand, uncommitted positions) is gone.
    func died(restartAt: VirtualTime?) {
        incarnation += 1
        batch = []
        stopRequested = false
        uncommitted = [:]
        failures = [:]
        state = restartAt.map { .crashed(restartAt: $0) } ?? .killed
    }

    /// How many records the batch in hand started with.
    private(set) var batchSize = 0

    func took(_ records: [Record], at now: VirtualTime) {
        batch = records[...]
        batchSize = records.count
        recordStartedAt = now
    }

    /// The record in hand is done (or given up on); the next one, if any, starts now.
    func finishedRecord(at now: VirtualTime) {
        batch = batch.dropFirst()
        recordStartedAt = now
    }

    /// Processing failed: the rest of the batch (the failed record first) is dropped. Returns,
    /// per partition, the first offset it held: where each must be sought back to be read again.
    func abandonBatch() -> [(TopicPartition, Int64)] {
        var first: [TopicPartition: Int64] = [:]
        for record in batch where first[record.topicPartition] == nil {
            first[record.topicPartition] = record.offset
        }
        batch = []
        return first.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// The record failed once more; returns how many times in a row it has failed.
    func failed(_ record: Record) -> Int {
        let tp = record.topicPartition
        let count = failures[tp].map { $0.offset == record.offset ? $0.count + 1 : 1 } ?? 1
        failures[tp] = (record.offset, count)
        return count
    }

    /// The record is done with (processed, stepped over or dead-lettered): its failures are forgotten.
    func done(with record: Record) {
        if failures[record.topicPartition]?.offset == record.offset { failures[record.topicPartition] = nil }
    }

    /// The record the error handler is retrying (in hand, or sought back to), and how many times
    /// it failed; of several partitions', the one that failed most.
    var failingRecord: (at: RecordMetadata, count: Int)? {
        failures.max { ($0.value.count, $1.key) < ($1.value.count, $0.key) }.map {
            (RecordMetadata(topic: $0.key.topic, partition: $0.key.partition, offset: $0.value.offset), $0.value.count)
        }
    }

    /// Batch commit: remembers the position to commit when the batch ends.
    func processedUncommitted(_ tp: TopicPartition, next: Int64) { uncommitted[tp] = next }

    /// The positions to commit now, in partition order; they count as committed from here on.
    func takeUncommitted() -> [(TopicPartition, Int64)] {
        defer { uncommitted = [:] }
        return uncommitted.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}

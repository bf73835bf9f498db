/// An append-only log with size-based retention.
///
/// Retention drops the oldest records and advances the log-start offset, so a day-long run
/// keeps bounded memory while offsets keep counting up as they do in Kafka. The records live in
/// a ring of at most `maxRecords` slots: a dropped record is released the moment a new one
/// takes its slot, so memory never holds more than the retention.
struct PartitionLog {
    private(set) var logStartOffset: Int64 = 0
    private var storage: [Record] = []
    /// The slot of the record at `logStartOffset`; stays 0 until the ring is full.
    private var start = 0
    let maxRecords: Int

    init(maxRecords: Int) {
        precondition(maxRecords > 0, "retention keeps at least one record")
        self.maxRecords = maxRecords
    }

    var logEndOffset: Int64 { logStartOffset + Int64(storage.count) }
    var count: Int { storage.count }

    mutating func append(_ record: Record) {
        if storage.count < maxRecords {
            storage.append(record)
        } else {
            storage[start] = record
            start = (start + 1) % maxRecords
            logStartOffset += 1
        }
    }

    /// Appends the records from `offset` on, at most `limit`, to `output`; `offset` must lie in
    /// `logStartOffset...logEndOffset`. A poll's batch is built with one copy of each record, not
    /// two. Returns how many it appended.
    @discardableResult
    func read(from offset: Int64, limit: Int, into output: inout [Record]) -> Int {
        precondition(offset >= logStartOffset && offset <= logEndOffset, "offset out of range")
        let relative = Int(offset - logStartOffset)
        let n = min(max(0, limit), storage.count - relative)
        guard n > 0 else { return 0 }
        let slot = (start + relative) % storage.count
        if slot + n <= storage.count {
            output.append(contentsOf: storage[slot..<slot + n])
        } else {
            output.append(contentsOf: storage[slot...])
            output.append(contentsOf: storage[0..<(slot + n - storage.count)])
        }
        return n
    }

    func record(at offset: Int64) -> Record? {
        guard offset >= logStartOffset && offset < logEndOffset else { return nil }
        return storage[(start + Int(offset - logStartOffset)) % storage.count]
    }
}

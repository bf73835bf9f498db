/// An append-only log with size-based retention.
///
/// Retention drops the oldest records and advances the log-start offset, so a day-long run
/// keeps bounded memory while offsets keep counting up as they do in Kafka.
struct PartitionLog {
    private(set) var logStartOffset: Int64 = 0
    private var records: [Record] = []
    /// Index in `records` of the record at `logStartOffset`; the slots before it are dropped
    /// records waiting for the next compaction.
    private var head = 0
    let maxRecords: Int

    init(maxRecords: Int) {
        precondition(maxRecords > 0, "retention keeps at least one record")
        self.maxRecords = maxRecords
    }

    var logEndOffset: Int64 { logStartOffset + Int64(records.count - head) }
    var count: Int { records.count - head }

    mutating func append(_ record: Record) {
        records.append(record)
        if records.count - head > maxRecords {
            head += 1
            logStartOffset += 1
            // Compact once the dropped prefix is as large as what is kept: amortised O(1).
            if head >= maxRecords {
                records.removeFirst(head)
                head = 0
            }
        }
    }

    /// Records from `offset` on, at most `limit`; `offset` must lie in `logStartOffset...logEndOffset`.
    func read(from offset: Int64, limit: Int) -> ArraySlice<Record> {
        precondition(offset >= logStartOffset && offset <= logEndOffset, "offset out of range")
        let start = head + Int(offset - logStartOffset)
        let end = min(records.count, start + limit)
        return records[start..<end]
    }

    func record(at offset: Int64) -> Record? {
        guard offset >= logStartOffset && offset < logEndOffset else { return nil }
        return records[head + Int(offset - logStartOffset)]
    }
}

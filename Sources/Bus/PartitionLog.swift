/// An append-only log with size-based retention.
///
/// Retention drops the oldest records and advances the log-start offset, so a day-long run
/// keeps bounded memory while offsets keep counting up as they do in Kafka. Records live in
/// chunks of consecutive offsets (`RecordChunk`); a chunk is released once retention has passed
/// its last record (and no consumer still holds a view of one), so memory holds the retention
/// plus at most one chunk.
struct PartitionLog {
    private(set) var logStartOffset: Int64 = 0
    private(set) var logEndOffset: Int64 = 0
    /// Chunks in offset order; the first holds `logStartOffset`.
    private var chunks: [RecordChunk] = []
    let maxRecords: Int
    private let recordsPerChunk: Int

    /// Bytes a chunk reserves per record it may hold: orderflow's events take 250–350 bytes.
    static let bytesPerRecord = 384

    init(maxRecords: Int) {
        precondition(maxRecords > 0, "retention keeps at least one record")
        self.maxRecords = maxRecords
        recordsPerChunk = min(1024, maxRecords)
    }

    var count: Int { Int(logEndOffset - logStartOffset) }

    /// Appends a record at `logEndOffset` and returns it.
    mutating func append(
        topic: String, partition: Int, key: [UInt8], value: [UInt8], headers: RecordHeaders, timestamp: VirtualTime
    ) -> Record {
        let offset = logEndOffset
        let slot: RecordSlot
        if let last = chunks.last,
            let appended = last.append(key: key, value: value, headers: headers, timestamp: timestamp)
        {
            slot = appended
        } else {
            let size = RecordChunk.size(key: key, value: value, headers: headers)
            let chunk = RecordChunk(
                firstOffset: offset, records: recordsPerChunk,
                byteCapacity: max(size, recordsPerChunk * Self.bytesPerRecord))
            chunks.append(chunk)
            // A fresh chunk holds at least this record.
            slot =
                chunk.append(key: key, value: value, headers: headers, timestamp: timestamp)
                ?? RecordSlot(
                    start: 0, keyCount: 0, valueCount: 0, eventTypeCount: 0, eventIdCount: 0,
                    correlationIdCount: 0, timestamp: timestamp)
        }
        logEndOffset += 1
        if count > maxRecords {
            logStartOffset = logEndOffset - Int64(maxRecords)
            dropExpiredChunks()
        }
        return Record(topic: topic, partition: partition, offset: offset, chunk: chunks[chunks.count - 1], slot: slot)
    }

    /// Drops chunks retention has passed entirely (a few hundred at most stay in the array, so
    /// removing from its front is cheap).
    private mutating func dropExpiredChunks() {
        while chunks.count > 1, chunks[0].lastOffset < logStartOffset { chunks.removeFirst() }
    }

    /// Appends the records from `offset` on, at most `limit`, to `output`; `offset` must lie in
    /// `logStartOffset...logEndOffset`. Returns how many it appended.
    @discardableResult
    func read(topic: String, partition: Int, from offset: Int64, limit: Int, into output: inout [Record]) -> Int {
        precondition(offset >= logStartOffset && offset <= logEndOffset, "offset out of range")
        let n = Int(min(Int64(max(0, limit)), logEndOffset - offset))
        guard n > 0 else { return 0 }
        output.reserveCapacity(output.count + n)
        var next = offset
        var c = chunkIndex(of: offset)
        while next < offset + Int64(n) {
            let chunk = chunks[c]
            let stop = min(chunk.lastOffset + 1, offset + Int64(n))
            while next < stop {
                output.append(
                    Record(
                        topic: topic, partition: partition, offset: next, chunk: chunk,
                        slot: chunk.slot(Int(next - chunk.firstOffset))))
                next += 1
            }
            c += 1
        }
        return n
    }

    func record(topic: String, partition: Int, at offset: Int64) -> Record? {
        guard offset >= logStartOffset && offset < logEndOffset else { return nil }
        let chunk = chunks[chunkIndex(of: offset)]
        return Record(
            topic: topic, partition: partition, offset: offset, chunk: chunk,
            slot: chunk.slot(Int(offset - chunk.firstOffset)))
    }

    /// The chunk holding `offset` (a live one: at or past `logStartOffset`).
    private func chunkIndex(of offset: Int64) -> Int {
        var low = 0
        var high = chunks.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if chunks[mid].firstOffset <= offset { low = mid } else { high = mid - 1 }
        }
        return low
    }
}

/// An append-only log with size-based retention.
///
/// Retention drops the oldest records and advances the log-start offset, so a day-long run
/// keeps bounded memory while offsets keep counting up as they do in Kafka. Records live in
/// chunks of consecutive offsets (`RecordChunk`). The newest `residentChunks` stay in memory;
/// with a `LogSpill`, older ones wait in it (as Kafka's older segments wait on disk) and come
/// back when a consumer reads that far behind. A chunk is released once retention has passed
/// its last record and no consumer still holds a view of one.
struct PartitionLog {
    struct Entry {
        let firstOffset: Int64
        let count: Int
        var chunk: RecordChunk?
        var spillId: Int64?
        /// How many records the spilled bytes hold (a truncation may since have cut `count`).
        var spilledCount = 0
        var lastOffset: Int64 { firstOffset + Int64(count) - 1 }
    }

    private(set) var logStartOffset: Int64 = 0
    private(set) var logEndOffset: Int64 = 0
    /// With replicas, the partition's high watermark: retention never moves the log start past
    /// it (Kafka's `UnifiedLog.maybeIncrementLogStartOffset` refuses to), so it cannot delete
    /// records consumers may not read yet. Nil with one replica, where it is the log end.
    private(set) var highWatermark: Int64?
    /// Sealed chunks in offset order; the first holds `logStartOffset`.
    private var sealed: [Entry] = []
    /// The chunk appends go to (nil before the first append).
    private var current: RecordChunk?
    /// The spilled chunk read last, kept while consumers read on through it.
    private var loaded: (index: Int64, chunk: RecordChunk)?
    let maxRecords: Int
    private let recordsPerChunk: Int
    private let spill: LogSpill?
    /// The first failure to load a spilled chunk.
    private(set) var storageFailure: String?

    /// Bytes a chunk reserves per record it may hold: orderflow's events take 250–350 bytes.
    static let bytesPerRecord = 384
    /// Sealed chunks kept in memory besides the current one: what consumers near the end read.
    static let residentChunks = 1

    /// `replicated` logs start with a high watermark of 0 (see `highWatermark`).
    init(maxRecords: Int, spill: LogSpill? = nil, replicated: Bool = false) {
        // The config refuses a retention below one; a log keeps at least one record whatever it is given.
        self.maxRecords = max(1, maxRecords)
        recordsPerChunk = min(1024, self.maxRecords)
        self.spill = spill
        highWatermark = replicated ? 0 : nil
    }

    var count: Int { Int(logEndOffset - logStartOffset) }

    /// Appends a record at `logEndOffset` and returns it.
    mutating func append(
        topic: String, partition: Int, key: [UInt8], value: [UInt8], headers: RecordHeaders, timestamp: VirtualTime
    ) -> Record {
        let offset = logEndOffset
        let chunk: RecordChunk
        let slot: RecordSlot
        if let current, let appended = current.append(key: key, value: value, headers: headers, timestamp: timestamp) {
            chunk = current
            slot = appended
        } else {
            sealCurrent()
            let size = RecordChunk.size(key: key, value: value, headers: headers)
            chunk = RecordChunk(
                firstOffset: offset, records: recordsPerChunk,
                byteCapacity: max(size, recordsPerChunk * Self.bytesPerRecord))
            current = chunk
            // A fresh chunk holds at least this record.
            slot =
                chunk.append(key: key, value: value, headers: headers, timestamp: timestamp)
                ?? RecordSlot(
                    start: 0, keyCount: 0, valueCount: 0, eventTypeCount: 0, eventIdCount: 0,
                    correlationIdCount: 0, extraCount: 0, timestamp: timestamp)
        }
        logEndOffset += 1
        if count > maxRecords { applyRetention() }
        return Record(topic: topic, partition: partition, offset: offset, chunk: chunk, slot: slot)
    }

    /// The high watermark moved (a replicated log): retention may now drop what it held back.
    mutating func highWatermarkMoved(to offset: Int64) {
        guard highWatermark != nil else { return }
        highWatermark = offset
        if count > maxRecords { applyRetention() }
    }

    /// Size-based retention: the oldest records go, but never one at or past the high watermark.
    private mutating func applyRetention() {
        let start = min(logEndOffset - Int64(maxRecords), highWatermark ?? logEndOffset)
        guard start > logStartOffset else { return }
        logStartOffset = start
        dropExpiredChunks()
    }

    /// The current chunk joins the sealed ones; the one that falls out of the resident window
    /// goes to the spill (or stays in memory when there is none or storing fails).
    private mutating func sealCurrent() {
        guard let current else { return }
        sealed.append(Entry(firstOffset: current.firstOffset, count: current.count, chunk: current))
        self.current = nil
        let i = sealed.count - 1 - Self.residentChunks
        guard let spill, i >= 0, let chunk = sealed[i].chunk, sealed[i].spillId == nil else { return }
        guard let id = try? spill.store(chunk.serialized(count: sealed[i].count)) else { return }
        sealed[i].spillId = id
        sealed[i].spilledCount = sealed[i].count
        sealed[i].chunk = nil
    }

    /// Cuts the log back to `end` (a new leader's log end): the records from `end` on are gone
    /// and the next append takes offset `end`. Views already handed out keep their bytes: the
    /// chunk holding `end` is sealed short, never rewritten.
    ///
    /// A cut below the log start (an unclean leader far behind, after retention moved the start
    /// up to the old high watermark) empties the log: it starts again at `end`. One log serves
    /// every replica here, so what only the new leader's own disk would still hold below the old
    /// start is gone with the rest.
    mutating func truncate(to end: Int64) {
        guard end >= logStartOffset else {
            sealCurrent()
            for entry in sealed { discard(entry) }
            sealed = []
            loaded = nil
            logStartOffset = max(0, end)
            logEndOffset = logStartOffset
            if highWatermark != nil { highWatermark = logStartOffset }
            return
        }
        guard end < logEndOffset else { return }
        sealCurrent()
        while let last = sealed.last, last.firstOffset >= end {
            discard(last)
            sealed.removeLast()
        }
        if let last = sealed.last, last.lastOffset >= end {
            sealed[sealed.count - 1] = Entry(
                firstOffset: last.firstOffset, count: Int(end - last.firstOffset), chunk: last.chunk,
                spillId: last.spillId, spilledCount: last.spilledCount)
        }
        logEndOffset = end
    }

    /// Forgets a sealed chunk leaving the log: its spilled copy and its loaded one.
    private mutating func discard(_ entry: Entry) {
        if let id = entry.spillId { try? spill?.remove(id) }
        if loaded?.index == entry.firstOffset { loaded = nil }
    }

    /// Drops chunks retention has passed entirely (a few hundred at most stay in the array, so
    /// removing from its front is cheap).
    private mutating func dropExpiredChunks() {
        while let first = sealed.first, first.lastOffset < logStartOffset {
            discard(first)
            sealed.removeFirst()
        }
    }

    /// Appends the records from `offset` on, at most `limit`, to `output`; an `offset` outside
    /// `logStartOffset...logEndOffset` reads nothing. Returns how many it appended (fewer only
    /// when a spilled chunk could not be loaded: see `storageFailure`).
    @discardableResult
    mutating func read(topic: String, partition: Int, from offset: Int64, limit: Int, into output: inout [Record])
        -> Int
    {
        guard offset >= logStartOffset && offset <= logEndOffset else { return 0 }
        let n = Int(min(Int64(max(0, limit)), logEndOffset - offset))
        guard n > 0 else { return 0 }
        output.reserveCapacity(output.count + n)
        var next = offset
        while next < offset + Int64(n) {
            guard let (chunk, live) = chunk(holding: next) else { break }
            let stop = min(chunk.firstOffset + Int64(live), offset + Int64(n))
            while next < stop {
                output.append(
                    Record(
                        topic: topic, partition: partition, offset: next, chunk: chunk,
                        slot: chunk.slot(Int(next - chunk.firstOffset))))
                next += 1
            }
        }
        return Int(next - offset)
    }

    mutating func record(topic: String, partition: Int, at offset: Int64) -> Record? {
        guard offset >= logStartOffset && offset < logEndOffset, let (chunk, _) = chunk(holding: offset) else {
            return nil
        }
        return Record(
            topic: topic, partition: partition, offset: offset, chunk: chunk,
            slot: chunk.slot(Int(offset - chunk.firstOffset)))
    }

    /// The chunk holding `offset` (a live one), loaded from the spill if it waits there, and how
    /// many of its records belong to the log (a truncation may have cut the rest).
    private mutating func chunk(holding offset: Int64) -> (RecordChunk, Int)? {
        if let current, offset >= current.firstOffset { return (current, current.count) }
        var low = 0
        var high = sealed.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if sealed[mid].firstOffset <= offset { low = mid } else { high = mid - 1 }
        }
        guard low < sealed.count else { return nil }
        let entry = sealed[low]
        if let chunk = entry.chunk { return (chunk, entry.count) }
        if let loaded, loaded.index == entry.firstOffset { return (loaded.chunk, entry.count) }
        guard let id = entry.spillId, let spill else { return nil }
        do {
            let bytes = try spill.load(id)
            guard let chunk = RecordChunk(firstOffset: entry.firstOffset, count: entry.spilledCount, serialized: bytes)
            else {
                throw SpillDamaged()
            }
            loaded = (entry.firstOffset, chunk)
            return (chunk, entry.count)
        } catch {
            if storageFailure == nil {
                storageFailure = "the log's spilled records at offset \(entry.firstOffset) could not be read: \(error)"
            }
            return nil
        }
    }

    private struct SpillDamaged: Error, CustomStringConvertible {
        var description: String { "the stored chunk does not match its records" }
    }
}

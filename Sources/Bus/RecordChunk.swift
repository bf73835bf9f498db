/// Where one record's bytes lie in its chunk, and when it was appended. 32 bytes: the event
/// type's and id's lengths take two bytes each (an orderflow event's are under 40), which leaves
/// room for the extra headers' length without growing the slot.
struct RecordSlot: Sendable {
    var start: Int32
    var keyCount: Int32
    var valueCount: Int32
    var eventTypeCount: UInt16
    var eventIdCount: UInt16
    /// -1: the correlation id is the key's bytes (every orderflow event), stored once.
    var correlationIdCount: Int32
    /// The extra headers' encoded bytes (`RecordChunk.encodeExtra`); 0 for an event's record.
    var extraCount: Int32
    var timestamp: VirtualTime

    var keyRange: Range<Int> { Int(start)..<Int(start) + Int(keyCount) }
    var valueRange: Range<Int> { keyRange.upperBound..<keyRange.upperBound + Int(valueCount) }
    var eventTypeRange: Range<Int> { valueRange.upperBound..<valueRange.upperBound + Int(eventTypeCount) }
    var eventIdRange: Range<Int> { eventTypeRange.upperBound..<eventTypeRange.upperBound + Int(eventIdCount) }
    var correlationIdRange: Range<Int> {
        correlationIdCount < 0
            ? keyRange : eventIdRange.upperBound..<eventIdRange.upperBound + Int(correlationIdCount)
    }
    private var headersEnd: Int { correlationIdCount < 0 ? eventIdRange.upperBound : correlationIdRange.upperBound }
    var extraRange: Range<Int> { headersEnd..<headersEnd + Int(extraCount) }
    var end: Int { extraRange.upperBound }

    /// Whether every range is well formed and inside `count` bytes (checked before any range is built).
    func lies(within count: Int) -> Bool {
        guard start >= 0, keyCount >= 0, valueCount >= 0, correlationIdCount >= -1, extraCount >= 0 else {
            return false
        }
        let fields = [
            Int(keyCount), Int(valueCount), Int(eventTypeCount), Int(eventIdCount), max(0, Int(correlationIdCount)),
            Int(extraCount),
        ]
        return Int(start) + fields.reduce(0, +) <= count
    }
}

/// A run of consecutive records of one partition, their bytes in one buffer.
///
/// A record used to be a struct of six reference-counted fields (topic, key, value, three header
/// strings): about 600 bytes in memory and six retains and releases a copy. Here a record's key,
/// value and headers are bytes in one fixed buffer, and a `Record` is a view that holds the chunk
/// (one reference) and its slot. The buffer never moves or grows, and a byte is written once,
/// before any view of it exists: the log only appends past `used`, and views read only their own
/// slot's bytes, which no one writes again. That is why sharing a chunk between threads is safe
/// (`@unchecked Sendable`): what a view reads is immutable from the moment the view exists.
final class RecordChunk: @unchecked Sendable {
    let firstOffset: Int64
    private let bytes: UnsafeMutableRawBufferPointer
    private let slots: UnsafeMutablePointer<RecordSlot>
    let slotCapacity: Int
    private(set) var count = 0
    private(set) var used = 0

    /// Room for `records` records and `byteCapacity` bytes of them.
    init(firstOffset: Int64, records: Int, byteCapacity: Int) {
        self.firstOffset = firstOffset
        slotCapacity = max(1, records)
        bytes = .allocate(byteCount: max(1, byteCapacity), alignment: 1)
        slots = .allocate(capacity: slotCapacity)
    }

    deinit {
        bytes.deallocate()
        slots.deinitialize(count: count)
        slots.deallocate()
    }

    var lastOffset: Int64 { firstOffset + Int64(count) - 1 }
    var isFull: Bool { count == slotCapacity }

    /// The bytes a record takes in a chunk.
    static func size(key: [UInt8], value: [UInt8], headers: RecordHeaders) -> Int {
        size(key: key, value: value, headers: headers, sameCorrelation: sameCorrelation(key, headers))
            + extraSize(headers.extra)
    }

    private static func size(key: [UInt8], value: [UInt8], headers: RecordHeaders, sameCorrelation: Bool) -> Int {
        key.count + value.count + headers.eventType.utf8.count + headers.eventId.utf8.count
            + (sameCorrelation ? 0 : headers.correlationId.utf8.count)
    }

    private static func extraSize(_ extra: [RecordHeader]) -> Int {
        extra.reduce(0) { $0 + 8 + $1.name.utf8.count + $1.value.utf8.count }
    }

    /// Extra headers as bytes: for each, its name's and value's UTF-8 lengths (4 bytes each,
    /// little-endian), then the name and the value.
    static func encodeExtra(_ extra: [RecordHeader]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(extraSize(extra))
        for header in extra {
            for text in [header.name, header.value] {
                let count = UInt32(truncatingIfNeeded: text.utf8.count)
                bytes += [UInt8(count & 0xFF), UInt8(count >> 8 & 0xFF), UInt8(count >> 16 & 0xFF), UInt8(count >> 24)]
            }
            bytes += Array(header.name.utf8)
            bytes += Array(header.value.utf8)
        }
        return bytes
    }

    /// What `encodeExtra` wrote; a length that runs past the bytes ends the list there.
    static func decodeExtra(_ bytes: [UInt8]) -> [RecordHeader] {
        var headers: [RecordHeader] = []
        var at = 0
        func length() -> Int? {
            guard at + 4 <= bytes.count else { return nil }
            defer { at += 4 }
            return (0..<4).reduce(0) { $0 | Int(bytes[at + $1]) << (8 * $1) }
        }
        while let nameCount = length(), let valueCount = length(), nameCount <= bytes.count - at,
            valueCount <= bytes.count - at - nameCount
        {
            let name = String(decoding: bytes[at..<at + nameCount], as: UTF8.self)
            let value = String(decoding: bytes[at + nameCount..<at + nameCount + valueCount], as: UTF8.self)
            headers.append(RecordHeader(name, value))
            at += nameCount + valueCount
        }
        return headers
    }

    /// Whether the correlation id is the key's text: every orderflow event's is, and it is then stored once.
    private static func sameCorrelation(_ key: [UInt8], _ headers: RecordHeaders) -> Bool {
        var correlation = headers.correlationId
        return correlation.withUTF8 { text in key.withUnsafeBytes { UnsafeRawBufferPointer(text).elementsEqual($0) } }
    }

    /// Appends a record if it fits; returns its slot, or nil when the chunk is full (or the event
    /// type or id is over 65,535 bytes: no event of orderflow's comes near).
    func append(key: [UInt8], value: [UInt8], headers: RecordHeaders, timestamp: VirtualTime) -> RecordSlot? {
        let same = Self.sameCorrelation(key, headers)
        let extra = headers.extra.isEmpty ? [] : Self.encodeExtra(headers.extra)
        let size = Self.size(key: key, value: value, headers: headers, sameCorrelation: same) + extra.count
        guard count < slotCapacity, size <= bytes.count - used, used + size <= Int(Int32.max),
            let eventTypeCount = UInt16(exactly: headers.eventType.utf8.count),
            let eventIdCount = UInt16(exactly: headers.eventId.utf8.count)
        else { return nil }
        let slot = RecordSlot(
            start: Int32(used), keyCount: Int32(key.count), valueCount: Int32(value.count),
            eventTypeCount: eventTypeCount, eventIdCount: eventIdCount,
            correlationIdCount: same ? -1 : Int32(headers.correlationId.utf8.count), extraCount: Int32(extra.count),
            timestamp: timestamp)
        key.withUnsafeBytes { write($0) }
        value.withUnsafeBytes { write($0) }
        write(headers.eventType)
        write(headers.eventId)
        if !same { write(headers.correlationId) }
        extra.withUnsafeBytes { write($0) }
        (slots + count).initialize(to: slot)
        count += 1
        return slot
    }

    /// The written bytes and slots, for `serialized()`.
    var storedBytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(bytes) }
    var storedSlots: UnsafeRawPointer { UnsafeRawPointer(slots) }

    /// Fills a fresh chunk from what `serialized()` wrote; false when a slot points outside the
    /// bytes (a damaged spill), and then the chunk stays empty.
    func restore(bytes source: UnsafeRawBufferPointer, slots restored: [RecordSlot]) -> Bool {
        guard count == 0, source.count <= bytes.count, restored.count <= slotCapacity else { return false }
        for slot in restored where !slot.lies(within: source.count) { return false }
        UnsafeMutableRawBufferPointer(rebasing: bytes[0..<source.count]).copyMemory(from: source)
        slots.initialize(from: restored, count: restored.count)
        count = restored.count
        used = source.count
        return true
    }

    private func write(_ source: UnsafeRawBufferPointer) {
        guard !source.isEmpty else { return }
        UnsafeMutableRawBufferPointer(rebasing: bytes[used..<used + source.count]).copyMemory(from: source)
        used += source.count
    }

    /// A string's UTF-8 bytes, from its own storage (native strings are contiguous).
    private func write(_ text: String) {
        var text = text
        text.withUTF8 { write(UnsafeRawBufferPointer($0)) }
    }

    /// The slot of the record at `index` (0 is `firstOffset`); the index must be below `count`.
    func slot(_ index: Int) -> RecordSlot { slots[index] }

    func array(_ range: Range<Int>) -> [UInt8] { Array(UnsafeRawBufferPointer(rebasing: bytes[range])) }
    func string(_ range: Range<Int>) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }
    func equals(_ range: Range<Int>, _ other: [UInt8]) -> Bool {
        UnsafeRawBufferPointer(rebasing: bytes[range]).elementsEqual(other)
    }
}

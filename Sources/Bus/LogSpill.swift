/// Where a partition's older chunks wait outside memory, as Kafka's log segments wait on disk.
///
/// The bus stays pure: it hands sealed chunks to whatever the caller plugged in and reads them
/// back when a consumer needs them; `nil` (the default) keeps every chunk in memory. A failure
/// to store keeps the chunk in memory; a failure to load is the broker's `storageFailure`.
package protocol LogSpill: AnyObject {
    /// Stores `bytes` and returns the id to load or remove them by.
    func store(_ bytes: [UInt8]) throws -> Int64
    func load(_ id: Int64) throws -> [UInt8]
    func remove(_ id: Int64) throws
}

extension RecordChunk {
    /// The chunk's first `count` records as bytes: their bytes, then their slots.
    func serialized(count: Int) -> [UInt8] {
        let count = min(max(0, count), self.count)
        let used = count == 0 ? 0 : slot(count - 1).end
        let slotBytes = count * MemoryLayout<RecordSlot>.stride
        return [UInt8](unsafeUninitializedCapacity: used + slotBytes) { buffer, initialized in
            let target = UnsafeMutableRawBufferPointer(buffer)
            target.copyMemory(from: UnsafeRawBufferPointer(rebasing: storedBytes[0..<used]))
            target.baseAddress.map { base in
                (base + used).copyMemory(from: storedSlots, byteCount: slotBytes)
            }
            initialized = used + slotBytes
        }
    }

    /// The chunk `serialized()` wrote, holding `count` records; nil when the bytes do not fit.
    convenience init?(firstOffset: Int64, count: Int, serialized: [UInt8]) {
        let slotBytes = count * MemoryLayout<RecordSlot>.stride
        let used = serialized.count - slotBytes
        guard count > 0, used >= 0 else { return nil }
        self.init(firstOffset: firstOffset, records: count, byteCapacity: used)
        let restored = serialized.withUnsafeBytes { source -> Bool in
            var slots: [RecordSlot] = []
            slots.reserveCapacity(count)
            for i in 0..<count {
                slots.append(
                    source.loadUnaligned(
                        fromByteOffset: used + i * MemoryLayout<RecordSlot>.stride, as: RecordSlot.self))
            }
            return restore(bytes: UnsafeRawBufferPointer(rebasing: source[0..<used]), slots: slots)
        }
        guard restored else { return nil }
    }
}

/// Kafka's default partitioner for keyed records, reproduced bit for bit so that a class can
/// predict here the partition a real Java producer would choose for the same key.
package enum KafkaPartitioner {
    /// murmur2 exactly as `org.apache.kafka.common.utils.Utils.murmur2` computes it.
    package static func murmur2<Bytes: Collection>(_ data: Bytes) -> Int32 where Bytes.Element == UInt8 {
        // Keys are byte arrays: hash them in place rather than copying each one.
        data.withContiguousStorageIfAvailable(murmur2(buffer:)) ?? Array(data).withUnsafeBufferPointer(murmur2(buffer:))
    }

    private static func murmur2(buffer bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        let seed: UInt32 = 0x9747_b28c
        let m: UInt32 = 0x5bd1_e995
        let r: UInt32 = 24
        let length = bytes.count
        var h: UInt32 = seed ^ UInt32(truncatingIfNeeded: length)

        let blocks = length / 4
        for i in 0..<blocks {
            let b = i * 4
            var k =
                UInt32(bytes[b]) | UInt32(bytes[b + 1]) << 8 | UInt32(bytes[b + 2]) << 16 | UInt32(bytes[b + 3]) << 24
            k = k &* m
            k ^= k >> r
            k = k &* m
            h = h &* m
            h ^= k
        }

        let tail = blocks * 4
        let rest = length % 4
        if rest >= 3 { h ^= UInt32(bytes[tail + 2]) << 16 }
        if rest >= 2 { h ^= UInt32(bytes[tail + 1]) << 8 }
        if rest >= 1 {
            h ^= UInt32(bytes[tail])
            h = h &* m
        }

        h ^= h >> 13
        h = h &* m
        h ^= h >> 15
        return Int32(bitPattern: h)
    }

    /// `toPositive(murmur2(key)) % partitionCount`; `toPositive` masks the sign bit rather than
    /// taking `abs`, which is what makes `Int32.min` safe.
    package static func partition<Bytes: Collection>(forKey key: Bytes, partitionCount: Int) -> Int
    where Bytes.Element == UInt8 {
        precondition(partitionCount > 0, "a topic has at least one partition")
        let positive = UInt32(bitPattern: murmur2(key)) & 0x7fff_ffff
        return Int(positive % UInt32(partitionCount))
    }
}

import Bus

/// A discrete-event queue on the virtual clock. Jobs due at the same instant run in the order
/// they were scheduled, so a run never depends on hash or heap order.
struct Scheduler<Job> {
    private struct Entry {
        var time: VirtualTime
        var seq: UInt64
        var job: Job
        func precedes(_ other: Entry) -> Bool { (time, seq) < (other.time, other.seq) }
    }

    private var heap: [Entry] = []
    private var nextSeq: UInt64 = 0

    var nextTime: VirtualTime? { heap.first?.time }
    var nextJob: Job? { heap.first?.job }

    /// Visits every waiting job (time, place among jobs due at the same instant, job) in no
    /// particular order, without copying the queue, until `body` returns false.
    func visitPending(_ body: (VirtualTime, UInt64, Job) -> Bool) {
        for entry in heap where !body(entry.time, entry.seq, entry.job) { return }
    }

    /// Takes the jobs with these sequence numbers out and schedules each again at its new time,
    /// in the order given (so that order decides among them at an equal instant).
    mutating func move(_ moves: [(seq: UInt64, to: VirtualTime)]) {
        let moving = Set(moves.map(\.seq))
        var jobs: [UInt64: Job] = [:]
        for entry in heap where moving.contains(entry.seq) { jobs[entry.seq] = entry.job }
        let kept = heap.filter { !moving.contains($0.seq) }
        heap = []
        for entry in kept.sorted(by: { $0.precedes($1) }) { heap.append(entry) }  // sorted is a heap
        for move in moves {
            guard let job = jobs[move.seq] else { continue }
            schedule(job, at: move.to)
        }
    }

    mutating func schedule(_ job: Job, at time: VirtualTime) {
        heap.append(Entry(time: time, seq: nextSeq, job: job))
        nextSeq += 1
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard heap[i].precedes(heap[parent]) else { break }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    /// Removes and returns the earliest job due at or before `time`.
    mutating func popDue(atOrBefore time: VirtualTime) -> (VirtualTime, Job)? {
        guard let first = heap.first, first.time <= time else { return nil }
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1
                let r = l + 1
                var m = i
                if l < heap.count && heap[l].precedes(heap[m]) { m = l }
                if r < heap.count && heap[r].precedes(heap[m]) { m = r }
                if m == i { break }
                heap.swapAt(i, m)
                i = m
            }
        }
        return (first.time, first.job)
    }
}

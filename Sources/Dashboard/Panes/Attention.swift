import Bus
import Events
import Simulation

/// What the story is about comes first and is never cut: a group with lag or not Stable, a
/// service with an instance down, whatever the current narrated step names in `focus:`.
/// Healthy ones follow, collapsed to one line when the pane is short of room.
extension PaneBuilder {
    /// The narrated step's focus, if it names this group or service.
    func isFocused(_ name: String) -> Bool { scenario?.current?.focus == name }

    func needsAttention(_ group: Snapshot.GroupRow) -> Bool {
        group.state != .stable || (group.totalLag ?? 0) > 0 || group.growing.contains(true)
    }

    func needsAttention(_ service: ServiceName) -> Bool {
        let instances = snapshot.instances.filter { $0.service == service }
        if instances.contains(where: { $0.state != .running || $0.failures > 0 }) { return true }
        switch service {
        case .order:
            if snapshot.orderServiceDownUntil != nil || snapshot.crashArmed || snapshot.outbox.pending > 0 {
                return true
            }
            if case .crashed = snapshot.outbox.relay { return true }
            return snapshot.outbox.crashArmed
        case .payment:
            return snapshot.killBeforeCommitArmed || snapshot.providerSlowdown > 1
                || instances.contains { $0.outOfGroup || $0.pollIntervalExceeded > 0 }
        case .notification: return false
        }
    }

    /// Items in the order they are shown: the focused one, then those that need attention, then
    /// the rest, each group keeping its own order.
    func attentionFirst<T>(_ items: [T], name: (T) -> String, attention: (T) -> Bool) -> [T] {
        items.filter { isFocused(name($0)) }
            + items.filter { !isFocused(name($0)) && attention($0) }
            + items.filter { !isFocused(name($0)) && !attention($0) }
    }

    /// How many lines below its head each item shows, given how many it has, the room, and focus.
    /// Every item keeps its head; those that need attention show theirs first, cut to the room
    /// left if need be (the story is never folded to unfold a healthy item); healthy ones unfold
    /// only whole.
    func detailRoom(detailLines: [Int], attention: [Bool], room: Int, focused: Bool) -> [Int] {
        if focused || detailLines.reduce(detailLines.count, +) <= room { return detailLines }
        var shown = detailLines.map { _ in 0 }
        var free = room - detailLines.count
        for pass in [true, false] {
            for i in detailLines.indices where attention[i] == pass && free > 0 {
                guard pass || detailLines[i] <= free else { continue }
                shown[i] = min(detailLines[i], free)
                free -= shown[i]
            }
        }
        return shown
    }

    /// Which items to show expanded, given the lines each needs expanded (collapsed, one), the
    /// room there is, and whether the pane has focus (then everything expands and scrolls).
    /// Every item keeps at least its one line; those that need attention expand first, then
    /// the healthy ones, each while it fits.
    func expansion(expandedLines: [Int], attention: [Bool], room: Int, focused: Bool) -> [Bool] {
        if focused || expandedLines.reduce(0, +) <= room { return expandedLines.map { _ in true } }
        var expanded = expandedLines.map { _ in false }
        var used = expandedLines.count
        for pass in [true, false] {
            for i in expanded.indices where attention[i] == pass && used - 1 + expandedLines[i] <= room {
                expanded[i] = true
                used += expandedLines[i] - 1
            }
        }
        return expanded
    }
}

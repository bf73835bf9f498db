/// Which arrangement of panes the terminal size allows.
package enum LayoutKind: Equatable, Sendable {
    /// 120×36 and larger.
    case full
    /// From 80×24 up to the full layout.
    case compact
    /// Below 80×24: a message instead of a broken screen.
    case tooSmall

    package static let minimum = (width: 80, height: 24)
    package static let fullMinimum = (width: 120, height: 36)

    package init(width: Int, height: Int) {
        if width >= Self.fullMinimum.width && height >= Self.fullMinimum.height {
            self = .full
        } else if width >= Self.minimum.width && height >= Self.minimum.height {
            self = .compact
        } else {
            self = .tooSmall
        }
    }
}

/// Where each pane goes: a left column (Orders, Services, Invariants) and a right column
/// (Consumer groups, Topics, Events), between the header and a footer line. Heights are
/// fixed per layout so the screen does not jump as numbers change.
///
/// While a scenario plays, Narration takes the Events pane's place and as many of the Topics
/// pane's lines as the current step's text needs (`narrationLines`, inside the border): the
/// story is never cut to keep a healthy pane. Topics keeps what is left, or leaves the screen
/// when fewer than four lines would remain.
///
/// With a cluster (`brokersFirst`) at the compact size, the Brokers pane is the lesson: it gets
/// the rows for its partitions, and Narration takes its lines from Consumer groups first (which
/// leaves the screen when fewer than four lines would remain), from Brokers only after that.
package func paneRects(
    width: Int, height: Int, kind: LayoutKind, narrationLines: Int? = nil, brokersFirst: Bool = false
) -> [PaneID: Rect] {
    var rects = columnRects(width: width, height: height, kind: kind, brokersFirst: brokersFirst)
    guard let needed = narrationLines, var narration = rects.removeValue(forKey: .events) else { return rects }
    var extra = max(0, needed + 2 - narration.height)
    if brokersFirst && kind == .compact, var groups = rects[.consumerGroups], var topics = rects[.topics] {
        // Consumer groups sit on top: what they give moves Brokers up and Narration with it.
        let keep = groups.height - min(extra, groups.height)
        let freed = keep < 4 ? groups.height : groups.height - keep
        if keep < 4 {
            rects[.consumerGroups] = nil
        } else {
            groups.height = keep
            rects[.consumerGroups] = groups
        }
        topics.y -= freed
        rects[.topics] = topics
        narration.y -= freed
        narration.height += freed
        extra = max(0, extra - freed)
    }
    if var topics = rects[.topics], extra > 0 {
        let take = min(extra, topics.height)
        let keep = topics.height - take
        if keep < 4 {
            narration.y = topics.y
            narration.height += topics.height
            rects[.topics] = nil
            // What Narration does not need goes to the pane above it (the groups a story cut short).
            let surplus = narration.height - (needed + 2)
            if surplus > 0, var groups = rects[.consumerGroups], groups.y + groups.height == narration.y {
                groups.height += surplus
                rects[.consumerGroups] = groups
                narration.y += surplus
                narration.height -= surplus
            }
        } else {
            topics.height = keep
            narration.y -= take
            narration.height += take
            rects[.topics] = topics
        }
    }
    rects[.narration] = narration
    return rects
}

/// The header's height: the full layout gives the last key's answer a line of its own.
func headerHeight(_ kind: LayoutKind) -> Int { kind == .full ? 2 : 1 }

private func columnRects(width: Int, height: Int, kind: LayoutKind, brokersFirst: Bool) -> [PaneID: Rect] {
    let top = headerHeight(kind)
    let body = height - top - 1
    switch kind {
    case .tooSmall:
        return [:]
    case .full:
        let left = 44 + (width - 120) / 4
        let right = width - left
        let services = 11
        let invariants = 10
        let groups = 18
        // Events keeps at least a few rows; under 40 lines Topics gives them up and scrolls.
        let events = max(6, body - groups - 12)
        let topics = body - groups - events
        return [
            .orders: Rect(x: 0, y: top, width: left, height: body - services - invariants),
            .services: Rect(x: 0, y: top + body - services - invariants, width: left, height: services),
            .invariants: Rect(x: 0, y: top + body - invariants, width: left, height: invariants),
            .consumerGroups: Rect(x: left, y: top, width: right, height: groups),
            .topics: Rect(x: left, y: top + groups, width: right, height: topics),
            .events: Rect(x: left, y: top + groups + topics, width: right, height: events),
        ]
    case .compact:
        let left = 36 + (width - 80) / 3
        let right = width - left
        let services = 6
        let invariants = 7
        // With a cluster the Brokers pane needs its metrics, its header and the partitions' rows.
        let topics = brokersFirst ? 9 : 6
        let events = 6
        return [
            .orders: Rect(x: 0, y: top, width: left, height: body - services - invariants),
            .services: Rect(x: 0, y: top + body - services - invariants, width: left, height: services),
            .invariants: Rect(x: 0, y: top + body - invariants, width: left, height: invariants),
            .consumerGroups: Rect(x: left, y: top, width: right, height: body - topics - events),
            .topics: Rect(x: left, y: top + body - topics - events, width: right, height: topics),
            .events: Rect(x: left, y: top + body - events, width: right, height: events),
        ]
    }
}

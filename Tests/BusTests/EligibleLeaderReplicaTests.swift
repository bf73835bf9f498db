import Testing

@testable import Bus

/// Kafka's `PartitionChangeBuilderTest` ELR cases (KIP-966), ported: four replicas, min ISR 3.
/// Each test is named after the Kafka test it reproduces. Kafka's controller runs with
/// `useLastKnownLeaderInBalancedRecovery` on (`LastKnownElr` holds the last leader only); its
/// tests that turn it off also check a `LastKnownElr` of several members, which orderflow, as a
/// 4.x controller, never keeps: those claims are left out.
@Suite struct EligibleLeaderReplicaTests {
    func partition(isr: [Int], elr: [Int] = [], lastKnownElr: [Int] = []) -> PartitionReplicas {
        var p = PartitionReplicas(replicas: [1, 2, 3, 4], minInsyncReplicas: 3, tracksElr: true)
        p.isr = isr
        p.elr = elr
        p.lastKnownElr = lastKnownElr
        return p
    }

    /// `testEligibleLeaderReplicas_IsrShrinkBelowMinISR`
    @Test func isrShrinkBelowMinIsr() {
        var p = partition(isr: [1, 2, 3, 4])
        p.leader = 1
        p.changeIsr(to: [1, 2])
        #expect(p.elr == [3, 4] && p.lastKnownElr == [])
    }

    /// `testEligibleLeaderReplicas_IsrExpandAboveMinISR`
    @Test func isrExpandAboveMinIsr() {
        var p = partition(isr: [1, 2], elr: [3])
        p.leader = 1
        p.changeIsr(to: [1, 2, 3])
        #expect(p.elr == [])
    }

    /// `testEligibleLeaderReplicas_IsrAddNewMemberNotInELR`
    @Test func isrAddNewMemberNotInElr() {
        var p = partition(isr: [1], elr: [3])
        p.leader = 1
        p.changeIsr(to: [1, 4])
        #expect(p.elr == [3])
    }

    /// `testEligibleLeaderReplicas_RemoveUncleanShutdownReplicasFromElr`
    @Test func removeUncleanShutdownReplicasFromElr() {
        var p = partition(isr: [1], elr: [2, 3])
        p.leader = 1
        p.removeFromIsr(3, uncleanShutdown: true)
        #expect(p.isr == [1] && p.elr == [2])
    }

    /// `testEligibleLeaderReplicas_ElrCanBeElected` (last known leader on): broker 1 fenced,
    /// the ISR empty, ELR member 3 is elected and is the ISR; 1 joins the ELR.
    @Test func elrCanBeElected() {
        var p = partition(isr: [1], elr: [3])
        p.leader = 1
        p.removeFromIsr(1)
        let elected = p.elect(isAlive: { $0 != 1 }, unclean: false)
        #expect(elected)
        #expect(p.leader == 3 && p.isr == [3] && p.elr == [1] && p.lastKnownElr == [])
    }

    /// `canElectLastKnownLeader`: the ISR emptied under leader 1, which then came back from a
    /// crash (out of the ELR): with the ISR and ELR empty, it leads again, unclean election off.
    @Test func theLastKnownLeaderLeadsAgainWhenNothingElseIsEligible() {
        var p = partition(isr: [1])
        p.leader = 1
        p.removeFromIsr(1)
        #expect(p.isr == [] && p.elr == [1] && p.lastKnownElr == [1])
        _ = p.elect(isAlive: { _ in false }, unclean: false)
        p.removeFromIsr(1, uncleanShutdown: true)
        #expect(p.elr == [] && p.lastKnownElr == [1])
        let elected = p.elect(isAlive: { $0 == 1 }, unclean: false)
        #expect(elected && p.leader == 1 && p.isr == [1] && p.lastKnownElr == [])
    }

    /// Without ELR the ISR never empties: the last member stays, so it leads again on return.
    @Test func withoutElrTheLastInSyncReplicaStays() {
        var p = PartitionReplicas(replicas: [1, 2, 3], minInsyncReplicas: 2, tracksElr: false)
        p.isr = [1]
        p.removeFromIsr(1)
        #expect(p.isr == [1] && p.elr == [])
    }
}

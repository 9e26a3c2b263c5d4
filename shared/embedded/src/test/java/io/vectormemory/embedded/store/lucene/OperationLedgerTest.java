package io.vectormemory.embedded.store.lucene;

import org.junit.jupiter.api.Test;

import static io.vectormemory.embedded.store.lucene.OperationLedger.NO_CHANGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Which operations a commit holds, from the sequence number Lucene's cut returned. */
class OperationLedgerTest {
    private static final OperationLedger.Contained NOTHING = new OperationLedger.Contained(-1, -1, 0, -1, -1, 0);

    @Test
    void aCommitHoldsWhatCameBeforeItsStartAndWhatLandedBeforeTheCut() {
        OperationLedger ledger = new OperationLedger();
        ledger.add(10, 0, 100, true);
        ledger.add(11, 1, 101, true);
        // the checkpoint starts here (2 entries); then, before the cut at 103, one more record
        ledger.add(12, 2, 103, true);
        ledger.add(13, 3, 104, true);
        OperationLedger.Contained at = new OperationLedger.Contained(11, -1, 0, 1, 11, 0);
        assertEquals(new OperationLedger.Contained(12, -1, 0, 2, 12, 3), ledger.contained(2, 103, at, NOTHING));
    }

    @Test
    void aRecordCutInTwoGoesOnInTheNextCommit() {
        OperationLedger ledger = new OperationLedger();
        ledger.add(20, 5, 200, false);
        ledger.add(20, 6, 201, false);
        ledger.add(20, 7, 205, true);
        OperationLedger.Contained first = ledger.contained(1, 202, NOTHING, NOTHING);
        assertEquals(new OperationLedger.Contained(19, 20, 2, 6, 20, 2), first);
        ledger.drop(first.entries());
        ledger.add(21, 8, 206, true);
        OperationLedger.Contained second = ledger.contained(0, 205, NOTHING, first);
        assertEquals(new OperationLedger.Contained(20, -1, 0, 7, 20, 1), second);
    }

    @Test
    void aRecordCutThreeTimesCountsItsOperationsFromItsStart() {
        OperationLedger ledger = new OperationLedger();
        ledger.add(30, 1, 300, false);
        OperationLedger.Contained first = ledger.contained(1, 300, NOTHING, NOTHING);
        assertEquals(new OperationLedger.Contained(29, 30, 1, 1, 30, 1), first);
        ledger.drop(first.entries());
        ledger.add(30, 2, NO_CHANGE, false); // matched nothing
        ledger.add(30, 3, 302, false);
        OperationLedger.Contained second = ledger.contained(0, 302, NOTHING, first);
        assertEquals(new OperationLedger.Contained(29, 30, 3, 3, 30, 2), second);
    }

    @Test
    void operationsWithoutChangesAfterTheLastHeldOneAreNotHeld() {
        OperationLedger ledger = new OperationLedger();
        ledger.add(40, 1, 400, true);
        ledger.add(41, 2, NO_CHANGE, true);
        OperationLedger.Contained held = ledger.contained(0, 400, NOTHING, NOTHING);
        assertEquals(new OperationLedger.Contained(40, -1, 0, 1, 40, 1), held);
    }

    @Test
    void aCommitWithNothingNewHoldsWhatItStartedWith() {
        OperationLedger ledger = new OperationLedger();
        ledger.add(50, 1, 500, true);
        OperationLedger.Contained at = new OperationLedger.Contained(49, -1, 0, 0, 49, 0);
        assertEquals(at, ledger.contained(0, 499, at, NOTHING));
    }

    @Test
    void aHoleInThePrefixIsRefused() {
        OperationLedger ledger = new OperationLedger();
        ledger.add(60, 1, 602, true);
        ledger.add(61, 2, 601, true);
        assertThrows(IllegalStateException.class, () -> ledger.contained(0, 601, NOTHING, NOTHING));
    }
}

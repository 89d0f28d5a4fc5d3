package io.fnlb.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnlb.nodes.NodeAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecentEditsDuringListingTest {

    private static final NodeAddress A = NodeAddress.parse("a:8080");
    private static final NodeAddress B = NodeAddress.parse("b:8080");

    @Test
    void deletionDuringAListingKeepsTheNodeOutOfThatListing() {
        RecentEdits edits = new RecentEdits();
        long ticket = edits.listingStarted();
        edits.deleted(B);

        assertThat(edits.apply(List.of(A, B), ticket)).containsExactly(A);
    }

    @Test
    void additionDuringAListingKeepsTheNodeInThatListing() {
        RecentEdits edits = new RecentEdits();
        long ticket = edits.listingStarted();
        edits.added(B);

        assertThat(edits.apply(List.of(A), ticket)).containsExactlyInAnyOrder(A, B);
    }

    @Test
    void listingStartedAfterAnEditIsTrustedAndRetiresTheEdit() {
        RecentEdits edits = new RecentEdits();
        edits.deleted(B);
        long ticket = edits.listingStarted();

        // Another instance added B back after our delete: the newer listing wins.
        assertThat(edits.apply(List.of(A, B), ticket)).containsExactlyInAnyOrder(A, B);
        assertThat(edits.apply(List.of(A, B), edits.listingStarted())).containsExactlyInAnyOrder(A, B);
    }

    @Test
    void latestEditOfANodeWins() {
        RecentEdits edits = new RecentEdits();
        long ticket = edits.listingStarted();
        edits.deleted(B);
        edits.added(B);

        assertThat(edits.apply(List.of(A), ticket)).containsExactlyInAnyOrder(A, B);
    }
}

package dev.strata.squashfs.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.squashfs.tree.NodeType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One shell makes every node with its time; a node that cannot be made is reported and the rest still are. */
class SpecialNodeBatchTest {
    @TempDir
    Path temp;

    @Test
    void makesEachNodeWithItsTimeAndReportsTheOnesItCannot() throws IOException {
        SpecialNodeBatch batch = new SpecialNodeBatch();
        batch.add(temp.resolve("first"), NodeType.FIFO, 0, 0, 1_000_000_000L);
        batch.add(temp.resolve("missing/dir/fifo"), NodeType.FIFO, 0, 0, 5);
        batch.add(temp.resolve("last fifo; $(true)"), NodeType.FIFO, 0, 0, 4_000_000_000L);
        String[] failures = batch.makeAll();

        assertEquals(3, failures.length);
        assertNull(failures[0]);
        assertNotNull(failures[1], "a fifo in a directory that does not exist");
        assertTrue(failures[1].contains("No such file or directory"), failures[1]);
        assertNull(failures[2]);
        assertEquals(FileTime.fromMillis(1_000_000_000_000L), mtime(temp.resolve("first")));
        assertEquals(FileTime.fromMillis(4_000_000_000_000L), mtime(temp.resolve("last fifo; $(true)")),
                "names reach the shell as arguments, never as script text; times past 2038 are kept");
        assertTrue((Boolean) Files.getAttribute(temp.resolve("first"), "unix:isOther", LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void aBatchLargerThanOneShellTakesReportsFailuresAtTheirOwnIndex() throws IOException {
        SpecialNodeBatch batch = new SpecialNodeBatch();
        int total = SpecialNodeBatch.NODES_PER_SHELL + 3;
        int missing = SpecialNodeBatch.NODES_PER_SHELL + 1; // in the second shell's share
        for (int i = 0; i < total; i++) {
            batch.add(temp.resolve((i == missing ? "no/such/dir/" : "") + "fifo-" + i), NodeType.FIFO, 0, 0, i);
        }
        String[] failures = batch.makeAll();
        for (int i = 0; i < total; i++) {
            if (i == missing) {
                assertNotNull(failures[i], "node " + i);
            } else {
                assertNull(failures[i], "node " + i);
                assertEquals(FileTime.fromMillis(i * 1000L), mtime(temp.resolve("fifo-" + i)), "node " + i);
            }
        }
    }

    @Test
    void anEmptyBatchRunsNothing() throws IOException {
        assertEquals(0, new SpecialNodeBatch().makeAll().length);
    }

    @Test
    void onlyDeviceNodesAndFifosAreTaken() {
        assertThrows(IllegalArgumentException.class,
                () -> new SpecialNodeBatch().add(temp.resolve("x"), NodeType.SOCKET, 0, 0, 0));
    }

    private static FileTime mtime(Path p) throws IOException {
        return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS);
    }
}

package dev.strata.squashfs.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CreationDefaultsTest {
    @TempDir
    Path dir;

    @Test
    void theProbeMeasuresWhatCreationTakesAwayAndLeavesNothing() throws IOException {
        CreationDefaults defaults = CreationDefaults.probe(dir);
        Path plain = Files.createFile(dir.resolve("plain")); // the JDK creates files 0666
        int mode = (Integer) Files.getAttribute(plain, "unix:mode") & 0777;
        assertEquals(0666 & ~defaults.removedBits(), mode);
        assertEquals((Integer) Files.getAttribute(plain, "unix:uid"), (int) defaults.uid());
        try (var entries = Files.list(dir)) {
            assertEquals(1, entries.count(), "only the file of this test is left");
        }
    }

    @Test
    void aFileCreatedWithItsModeGetsExactlyIt() throws IOException {
        CreationDefaults defaults = CreationDefaults.probe(dir);
        int checked = 0;
        for (int permissions = 0; permissions <= 07777; permissions += 0111) {
            FileAttribute<?>[] mode = defaults.modeAtCreation(permissions);
            boolean creatable = (permissions & ~0777) == 0 && (permissions & defaults.removedBits()) == 0;
            assertEquals(creatable ? 1 : 0, mode.length, Integer.toOctalString(permissions));
            if (creatable) {
                Path f = Files.createFile(dir.resolve("f" + Integer.toOctalString(permissions)), mode);
                assertEquals(permissions, (Integer) Files.getAttribute(f, "unix:mode") & 07777,
                        Integer.toOctalString(permissions));
                checked++;
            }
        }
        assertTrue(checked > 0, "some modes are created as they are");
    }

    @Test
    void bitsCreationWouldTakeAwayAskForAChmod() {
        CreationDefaults umask022 = new CreationDefaults(0, 0, 022);
        assertEquals(1, umask022.modeAtCreation(0644).length);
        assertEquals(1, umask022.modeAtCreation(0755).length);
        assertEquals(0, umask022.modeAtCreation(0664).length);
        assertEquals(0, umask022.modeAtCreation(04755).length);
        assertEquals(0, umask022.modeAtCreation(01755).length);
        assertEquals(1, new CreationDefaults(0, 0, 0).modeAtCreation(0777).length);
    }
}

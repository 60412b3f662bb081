package dev.strata.squashfs.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * With -Dstrata.libdeflate=false and -Dstrata.liblzma=false (the surefire execution "java-decoders"),
 * neither library is loaded, so the reading tests run there exercise the Java decoders alone.
 */
class DecoderLibrariesTurnedOffTest {
    @Test
    void turnedOffLibrariesAreNeverLoaded() throws Exception {
        Assumptions.assumeTrue("false".equals(System.getProperty("strata.libdeflate"))
                && "false".equals(System.getProperty("strata.liblzma")),
                "skipped: runs in the java-decoders execution, where both libraries are turned off");
        assertTrue(LibDeflate.BINDING.await(Duration.ofSeconds(5)).isEmpty());
        assertTrue(LibLzma.BINDING.await(Duration.ofSeconds(5)).isEmpty());
        assertEquals("turned off (-Dstrata.libdeflate=false)", LibDeflate.BINDING.unavailableReason());
        assertEquals("turned off (-Dstrata.liblzma=false)", LibLzma.BINDING.unavailableReason());
        assertNull(LibDeflate.BINDING.ifReady());
        assertNull(LibLzma.BINDING.ifReady());
    }
}

package dev.strata.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.luben.zstd.Zstd;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import net.jpountz.lz4.LZ4Factory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JNI libraries copied out for java.library.path are the ones lz4-java, zstd-jni and JNA load:
 * with them on the path, none unpacks a temporary copy; without, they do (the control).
 */
class NativeLibrariesTest {
    @TempDir
    Path temp;

    @Test
    void copiesTheLibrariesUnderTheNamesLoadLibraryWants() throws Exception {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "JNI libraries are copied on Linux only");
        Path dir = copyAll(temp.resolve("native"));
        try (Stream<Path> s = Files.list(dir)) {
            List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(3, names.size(), names.toString());
            assertEquals("libjnidispatch.so", names.get(0), names.toString());
            assertEquals("liblz4-java.so", names.get(1), names.toString());
            assertTrue(names.get(2).matches("libzstd-jni-[0-9.-]+\\.so"), names.toString());
            for (String n : names) {
                byte[] head = Arrays.copyOf(Files.readAllBytes(dir.resolve(n)), 4);
                assertArrayEquals(new byte[] {0x7F, 'E', 'L', 'F'}, head, n + " is an ELF shared object");
            }
        }
        assertEquals(List.of(), NativeLibraries.copy(jarOf(LZ4Factory.class), temp.resolve("other"), "Mac OS X",
                System.getProperty("os.arch")), "nothing for another OS");
    }

    @Test
    void withTheLibrariesOnThePathNothingIsUnpacked() throws Exception {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "JNI libraries are copied on Linux only");
        Path dir = copyAll(temp.resolve("native"));
        assertEquals("jnidispatch " + dir.resolve("libjnidispatch.so"),
                probe(Files.createDirectory(temp.resolve("tmp-with")), dir),
                "temporary files while the libraries are loaded, or JNA's library from elsewhere");
        Path tmp = Files.createDirectory(temp.resolve("tmp-without"));
        String without = probe(tmp, null);
        assertTrue(without.contains("lz4-java") && without.contains("jnidispatch " + tmp),
                "the control: without the path lz4-java and JNA unpack their libraries: " + without);
    }

    /** Runs Probe in a new JVM with that tmpdir (and library path); returns what it found in tmpdir. */
    private static String probe(Path tmpdir, Path libraryPath) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + tmpdir, "-Djna.tmpdir=" + tmpdir));
        if (libraryPath != null) {
            cmd.add("-Djava.library.path=" + libraryPath);
            cmd.add("-Djna.boot.library.path=" + libraryPath);
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Probe.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.startsWith("compressed\n"), out);
        return out.substring("compressed\n".length()).strip();
    }

    /**
     * Compresses with lz4-java and zstd-jni and loads JNA, then lists the temporary directory while they
     * are loaded. JNA deletes the copy it unpacks once loaded, so it says where it loaded from instead.
     */
    public static final class Probe {
        public static void main(String[] args) throws IOException {
            byte[] data = "strata strata strata strata".getBytes(StandardCharsets.US_ASCII);
            LZ4Factory.fastestInstance().fastCompressor().compress(data);
            Zstd.compress(data, 3);
            com.sun.jna.Native.getNativeSize(long.class); // loads libjnidispatch (and deletes an unpacked copy)
            System.out.println("compressed");
            System.out.println("jnidispatch " + System.getProperty("jnidispatch.path"));
            File[] left = new File(System.getProperty("java.io.tmpdir")).listFiles();
            for (File f : left == null ? new File[0] : left) {
                System.out.println(f.getName());
            }
        }
    }

    private static Path copyAll(Path dir) throws IOException, URISyntaxException {
        String os = System.getProperty("os.name");
        String arch = System.getProperty("os.arch");
        List<String> copied = new ArrayList<>(NativeLibraries.copy(jarOf(LZ4Factory.class), dir, os, arch));
        copied.addAll(NativeLibraries.copy(jarOf(Zstd.class), dir, os, arch));
        copied.addAll(NativeLibraries.copy(jarOf(com.sun.jna.Native.class), dir, os, arch));
        assumeTrue(copied.size() == 3, "lz4-java, zstd-jni or JNA have no library for " + os + " " + arch);
        return dir;
    }

    private static Path jarOf(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}

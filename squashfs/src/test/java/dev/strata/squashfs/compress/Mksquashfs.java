package dev.strata.squashfs.compress;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Runs the real mksquashfs (and other tools) for the differential tests; skips when absent. */
final class Mksquashfs {
    static final int SUPERBLOCK_SIZE = 96;
    static final int FLAG_COMPRESSOR_OPTIONS = 0x400;

    private Mksquashfs() {
    }

    /** Skips the calling test, printing why, when the program is not installed. */
    static void assumeInstalled(String program) {
        boolean found = false;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                found = true;
                break;
            }
        }
        if (!found) {
            System.out.println("SKIPPED: " + program + " is not installed (on Debian: apt-get install "
                    + (program.equals("lzop") ? "lzop" : "squashfs-tools") + ")");
        }
        assumeTrue(found, program + " is not installed");
    }

    record Result(int exitCode, String output) {
    }

    static Result run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + command);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** mksquashfs SRC IMG -comp COMP -b BLOCK X... -noappend; returns the exit code and output. */
    static Result make(Path src, Path img, String comp, int blockSize, List<String> x, String... more)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("mksquashfs", src.toString(), img.toString(), "-comp", comp,
                "-b", Integer.toString(blockSize)));
        cmd.addAll(x);
        cmd.addAll(List.of("-noappend", "-no-progress", "-no-xattrs", "-all-root", "-processors", "1"));
        cmd.addAll(List.of(more));
        return run(cmd);
    }

    /** The image's superblock and, when flag 0x400 is set, its options block payload. */
    record Image(byte[] bytes, int compressorId, int blockSize, int flags, Optional<byte[]> options) {
        ByteBuffer le() {
            return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    static Image read(Path img) throws IOException {
        byte[] b = Files.readAllBytes(img);
        ByteBuffer le = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        if (le.getInt(0) != 0x73717368) {
            throw new IOException(img + " is not a squashfs image");
        }
        int blockSize = le.getInt(12);
        int id = le.getShort(20) & 0xFFFF;
        int flags = le.getShort(24) & 0xFFFF;
        Optional<byte[]> options = Optional.empty();
        if ((flags & FLAG_COMPRESSOR_OPTIONS) != 0) {
            int header = le.getShort(SUPERBLOCK_SIZE) & 0xFFFF;
            if ((header & 0x8000) == 0) {
                throw new IOException("options block is stored compressed, mksquashfs never does that");
            }
            int len = header & 0x7FFF;
            byte[] payload = new byte[len];
            System.arraycopy(b, SUPERBLOCK_SIZE + 2, payload, 0, len);
            options = Optional.of(payload);
        }
        return new Image(b, id, blockSize, flags, options);
    }
}

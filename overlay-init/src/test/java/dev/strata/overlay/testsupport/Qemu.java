package dev.strata.overlay.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One QEMU x86-64 boot (TCG: nested KVM is not dependable on CI machines) with NVMe disks and the
 * serial console in a log file that is kept for inspection. Every boot has a time limit.
 */
public final class Qemu {
    private Qemu() {
    }

    public record Boot(String console, double seconds, Path log) {
        /** The value after "TEST key=" on the console, or null. */
        public String value(String key) {
            String prefix = "TEST " + key + "=";
            String found = null;
            for (String line : console.split("\r?\n")) {
                int i = line.indexOf(prefix);
                if (i >= 0) {
                    found = line.substring(i + prefix.length()).strip();
                }
            }
            return found;
        }
    }

    public static Boot boot(Path log, Path kernel, Path initrd, String append, List<Path> disks, int timeoutSeconds)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("qemu-system-x86_64", "-accel", "tcg", "-M", "q35", "-m", "512",
                "-smp", "1", "-nographic", "-no-reboot", "-nodefaults", "-serial", "stdio",
                "-kernel", kernel.toString(), "-initrd", initrd.toString(),
                "-append", "console=ttyS0 quiet panic=-1 " + append));
        for (int i = 0; i < disks.size(); i++) {
            cmd.addAll(List.of("-drive", "file=" + disks.get(i) + ",format=raw,if=none,id=d" + i + ",cache=writethrough",
                    "-device", "nvme,drive=d" + i + ",serial=strata" + i));
        }
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        long start = System.nanoTime();
        Process p = pb.start();
        p.getOutputStream().close();
        boolean exited = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!exited) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        String console = Files.readString(log, StandardCharsets.ISO_8859_1);
        if (!exited) {
            throw new AssertionError("QEMU did not power off within " + timeoutSeconds + " s; console log kept at "
                    + log + ":\n" + tail(console));
        }
        return new Boot(console, seconds, log);
    }

    public static String tail(String s) {
        return s.length() > 4000 ? "..." + s.substring(s.length() - 4000) : s;
    }
}

package dev.strata.overlay.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One QEMU boot (TCG: nested KVM is not dependable on CI machines) with the serial console in a log
 * file that is kept for inspection: x86-64 with NVMe disks, or a Raspberry Pi 2 with an SD card.
 * Every boot has a time limit.
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

        /** Fails, with the console's end and the log's place, unless the test init reported "done=step". */
        public Boot assertFinished(String step) {
            org.junit.jupiter.api.Assertions.assertEquals(step, value("done"),
                    "the test init did not finish; console log " + log + ":\n" + tail(console));
            return this;
        }

        /** Prints how long the boot took, one line per boot in the test output. */
        public Boot report(String what) {
            System.out.printf("QEMU boot %-60s %5.1f s%n", what, seconds);
            return this;
        }
    }

    public static Boot boot(Path log, Path kernel, Path initrd, String append, List<Path> disks, int timeoutSeconds)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("qemu-system-x86_64", "-accel", "tcg", "-M", "q35", "-m", "512",
                "-smp", "1", "-nographic", "-no-reboot", "-nodefaults", "-serial", "stdio",
                "-kernel", kernel.toString(), "-initrd", initrd.toString(),
                "-append", "console=ttyS0 quiet panic=-1 " + append));
        addDisks(cmd, disks, false);
        return run(cmd, log, timeoutSeconds);
    }

    /**
     * Boots the first disk the way a PC does: the BIOS (QEMU's SeaBIOS) runs the code in its MBR. The
     * kernel and its command line come from the disk's boot loader.
     */
    public static Boot bootFromDisk(Path log, List<Path> disks, int timeoutSeconds)
            throws IOException, InterruptedException {
        return bootFromDisk(log, null, disks, timeoutSeconds);
    }

    /** The same with other firmware than QEMU's SeaBIOS, e.g. OVMF's UEFI (null: SeaBIOS). */
    public static Boot bootFromDisk(Path log, Path firmware, List<Path> disks, int timeoutSeconds)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("qemu-system-x86_64", "-accel", "tcg", "-M", "q35", "-m", "512",
                "-smp", "1", "-nographic", "-no-reboot", "-nodefaults", "-serial", "stdio"));
        if (firmware != null) {
            cmd.addAll(List.of("-bios", firmware.toString()));
        }
        addDisks(cmd, disks, true);
        return run(cmd, log, timeoutSeconds);
    }

    /** NVMe disks; with bootFirst the BIOS boots the first one (QEMU's -kernel needs no boot disk). */
    private static void addDisks(List<String> cmd, List<Path> disks, boolean bootFirst) {
        for (int i = 0; i < disks.size(); i++) {
            cmd.addAll(List.of("-drive", "file=" + disks.get(i) + ",format=raw,if=none,id=d" + i + ",cache=writethrough",
                    "-device", "nvme,drive=d" + i + ",serial=strata" + i + (bootFirst && i == 0 ? ",bootindex=0" : "")));
        }
    }

    private static Boot run(List<String> cmd, Path log, int timeoutSeconds) throws IOException, InterruptedException {
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

    /**
     * One Raspberry Pi 2 boot ({@code qemu-system-arm -M raspi2b}, 1 GiB, SD card). The emulated
     * board cannot power off, so the console is watched until a line contains one of the end
     * markers, then QEMU is stopped; a boot that shows none within the time limit fails with the
     * console log kept.
     *
     * @param sdImage a raw SD card image whose size QEMU requires to be a power of two
     */
    public static Boot raspi2b(Path log, Path kernel, Path dtb, Path initrd, String append, Path sdImage,
                               List<String> endMarkers, int timeoutSeconds) throws IOException, InterruptedException {
        long size = Files.size(sdImage);
        if (Long.bitCount(size) != 1) {
            throw new IllegalArgumentException("QEMU's raspi2b needs an SD card image whose size is a power of two; "
                    + sdImage + " has " + size + " bytes");
        }
        // The board always has four cores, which multi-threaded TCG runs as four host threads: on a
        // loaded two-core host a descheduled one stalled the others (soft lockups of 90 s in
        // stop_machine, RCU stalls) until the boot ran out of time. One guest CPU (maxcpus=1), emulated
        // by one host thread (thread=single), boots the same init without waiting on another.
        List<String> cmd = List.of("qemu-system-arm", "-M", "raspi2b", "-accel", "tcg,thread=single", "-nographic",
                "-no-reboot", "-nodefaults",
                "-serial", "stdio", "-kernel", kernel.toString(), "-dtb", dtb.toString(), "-initrd", initrd.toString(),
                // the last console= is /dev/console: after any from the image's cmdline.txt (serial0, tty1)
                "-append", "quiet panic=-1 maxcpus=1 " + append + " console=ttyAMA0",
                // no host sync per write: with writethrough the emulated SD host stalled long enough on
                // a slow host disk for the guest's sdhost driver to time out and oops while mke2fs ran.
                // A raw image has no cache inside QEMU, so stopping the board loses nothing the guest wrote.
                "-drive", "file=" + sdImage + ",format=raw,if=sd,cache=unsafe");
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        long start = System.nanoTime();
        long deadline = start + timeoutSeconds * 1_000_000_000L;
        Process p = pb.start();
        p.getOutputStream().close();
        String console = "";
        boolean ended = false;
        boolean exitedAlone = false;
        try {
            while (!ended && System.nanoTime() < deadline) {
                exitedAlone = p.waitFor(250, TimeUnit.MILLISECONDS);
                console = Files.readString(log, StandardCharsets.ISO_8859_1);
                ended = endMarkers.stream().anyMatch(console::contains);
                if (exitedAlone) {
                    break;
                }
            }
        } finally {
            if (p.isAlive()) {
                p.destroy();
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!ended) {
            String why = exitedAlone ? "QEMU exited (status " + p.exitValue() + ")"
                    : "QEMU was stopped after " + timeoutSeconds + " s";
            throw new AssertionError(why + " before the console showed any of " + endMarkers
                    + "; console log kept at " + log + ":\n" + tail(console));
        }
        return new Boot(console, seconds, log);
    }

    public static String tail(String s) {
        return s.length() > 4000 ? "..." + s.substring(s.length() - 4000) : s;
    }
}

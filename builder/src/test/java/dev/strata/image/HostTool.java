package dev.strata.image;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Real programs the image tests check against (fsck.fat, mtools, sfdisk, sgdisk, mount), run with a timeout. */
public final class HostTool {
    private HostTool() {
    }

    /** What a program printed (stdout and stderr together) and its exit status. */
    public record Result(int status, String output, String command) {
        public Result ok() throws IOException {
            if (status != 0) {
                throw new IOException(command + " failed (" + status + "):\n" + output);
            }
            return this;
        }
    }

    public static boolean installed(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        for (String dir : List.of("/usr/sbin", "/sbin")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /**
     * For a check inside a test that also checks other things: true when program is installed, else
     * false after saying on the test output which check was left out and what to install.
     */
    public static boolean available(String program, String debianPackage) {
        if (installed(program)) {
            return true;
        }
        System.out.println("[not checked] " + program + " is not installed (Debian package " + debianPackage + ")");
        return false;
    }

    /** Skips the test (with the Debian package to install) unless every program is installed. */
    public static void assume(String debianPackage, String... programs) {
        List<String> missing = new ArrayList<>();
        for (String p : programs) {
            if (!installed(p)) {
                missing.add(p);
            }
        }
        assumeTrue(missing.isEmpty(), "skipped: " + missing + " not installed (Debian package " + debianPackage + ")");
    }

    /** Skips unless running as root on Linux with a free loop device. */
    public static void assumeRootWithLoop() throws IOException, InterruptedException {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "skipped: kernel mounts need Linux");
        assumeTrue("root".equals(System.getProperty("user.name")), "skipped: kernel mounts need root");
        assumeTrue(installed("losetup") && run("losetup", "-f").status() == 0,
                "skipped: no free loop device (modprobe loop)");
    }

    /** True when the running kernel knows fs (after trying to load its module). */
    public static boolean filesystemAvailable(String fs) throws IOException, InterruptedException {
        if (installed("modprobe")) {
            run("modprobe", fs);
        }
        String known = Files.exists(Path.of("/proc/filesystems")) ? Files.readString(Path.of("/proc/filesystems")) : "";
        return known.lines().anyMatch(l -> l.endsWith("\t" + fs));
    }

    /** Skips unless the running kernel knows fs (after trying to load its module). */
    public static void assumeFilesystem(String fs) throws IOException, InterruptedException {
        assumeTrue(filesystemAvailable(fs), "skipped: the running kernel (" + System.getProperty("os.version") + ") has no " + fs
                + " support (not in /proc/filesystems, modprobe " + fs + " failed)");
    }

    public static Result run(String... command) throws IOException, InterruptedException {
        return run(Map.of(), command);
    }

    public static Result run(Map<String, String> env, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        String path = pb.environment().getOrDefault("PATH", "/usr/bin:/bin");
        pb.environment().put("PATH", path + ":/usr/sbin:/sbin");
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish within 120 s");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), String.join(" ", command));
    }
}

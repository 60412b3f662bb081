package dev.strata.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;

/**
 * Copies the JNI libraries of lz4-java and zstd-jni, and JNA's libjnidispatch, for this Linux machine
 * out of the strata jar, once, for the {@code ./strata} launcher to put on java.library.path (and
 * jna.boot.library.path). Each library looks there first and otherwise unpacks itself into a new
 * temporary file at every start (lz4-java: 40-46 ms of each run, 15-18 ms with the library on the path).
 */
public final class NativeLibraries {
    private NativeLibraries() {
    }

    /**
     * Usage: NativeLibraries DIR. Makes DIR and copies the libraries into it; DIR stays empty on a
     * machine they have no library for (the launcher then does not try again for this jar).
     */
    public static void main(String[] args) throws IOException, URISyntaxException {
        Path jar = Path.of(NativeLibraries.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path dir = Files.createDirectories(Path.of(args[0]));
        copy(jar, dir, System.getProperty("os.name"), System.getProperty("os.arch"));
    }

    /**
     * Copies the entries of jar that are lz4-java's or zstd-jni's library for osName and osArch (the
     * JDK's system properties, whose arch names both libraries use) into dir, under the file names
     * System.loadLibrary looks for. Returns those names; none on another OS or for a jar without them.
     */
    static List<String> copy(Path jar, Path dir, String osName, String osArch) throws IOException {
        List<String> copied = new ArrayList<>();
        if (!osName.startsWith("Linux")) {
            return copied;
        }
        String arch = Pattern.quote(osArch);
        // JNA names its directories by its own platform names (linux-x86-64 for os.arch amd64)
        String jnaArch = Pattern.quote(switch (osArch) {
            case "amd64", "x86_64" -> "x86-64";
            case "i386", "i486", "i586", "i686" -> "x86";
            default -> osArch;
        });
        Pattern library = Pattern.compile("(net/jpountz/util/)?linux/" + arch + "/(liblz4-java|libzstd-jni-[0-9][0-9.-]*)\\.so"
                + "|com/sun/jna/linux-" + jnaArch + "/libjnidispatch\\.so");
        try (JarFile file = new JarFile(jar.toFile())) {
            for (Enumeration<JarEntry> e = file.entries(); e.hasMoreElements(); ) {
                JarEntry entry = e.nextElement();
                if (!library.matcher(entry.getName()).matches()) {
                    continue;
                }
                Files.createDirectories(dir);
                String name = entry.getName().substring(entry.getName().lastIndexOf('/') + 1);
                try (InputStream in = file.getInputStream(entry)) {
                    Files.copy(in, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                }
                copied.add(name);
            }
        }
        return copied;
    }
}

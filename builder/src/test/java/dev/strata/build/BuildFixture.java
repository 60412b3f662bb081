package dev.strata.build;

import dev.strata.spec.Spec;
import dev.strata.spec.SpecParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A spec written into a temporary directory, built, and looked at with unsquashfs. */
final class BuildFixture {
    final Path dir;
    final List<String> warnings = new ArrayList<>();

    BuildFixture(Path dir) {
        this.dir = dir;
    }

    Path write(String relative, String text) throws IOException {
        Path p = dir.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    Path write(String relative, byte[] bytes) throws IOException {
        Path p = dir.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.write(p, bytes);
        return p;
    }

    /** Writes spec.yaml with a name, version and epoch header, then sources as given. */
    Path spec(String body) throws IOException {
        return write("spec.yaml", "name: test\nversion: \"1\"\nsource-date-epoch: 1700000000\n" + body);
    }

    BuildResult build(String body) throws Exception {
        return build(spec(body));
    }

    BuildResult build(Path specFile) throws Exception {
        Spec spec = SpecParser.parse(specFile);
        BuildRequest request = new BuildRequest(spec, java.util.Optional.of(dir.resolve("out")), Map.of(),
                Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC), 2);
        return new FirmwareBuilder(new BuildListener() {
            @Override
            public void warning(String line) {
                warnings.add(line);
            }
        }).build(request);
    }

    String manifest() throws IOException {
        return Files.readString(dir.resolve("out/manifest.json"));
    }

    /** unsquashfs -lln lines with runs of spaces squeezed and the squashfs-root prefix dropped. */
    static List<String> listing(Path image) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("unsquashfs", "-lln", "-d", "", image.toString()).redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("unsquashfs failed:\n" + out);
        }
        List<String> lines = new ArrayList<>();
        for (String l : out.split("\n")) {
            lines.add(l.replaceAll(" +", " "));
        }
        return lines;
    }

    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile(
            "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d (.*)$");

    /** The listing line for an image path ("/etc/passwd"), or fails. */
    static String line(List<String> listing, String path) {
        for (String l : listing) {
            java.util.regex.Matcher m = NAME.matcher(l);
            if (m.find() && (m.group(1).equals(path) || m.group(1).startsWith(path + " -> "))) {
                return l;
            }
        }
        throw new AssertionError(path + " not in\n" + String.join("\n", listing));
    }

    static boolean unsquashfsInstalled() {
        try {
            Process p = new ProcessBuilder("unsquashfs", "-version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}

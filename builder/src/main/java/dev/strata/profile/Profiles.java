package dev.strata.profile;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The device profiles Strata ships (the repository's {@code profiles/} directory, packed into the
 * jar) and profile files a spec names by path ({@code profile: boards/my-board.yaml}).
 */
public final class Profiles {
    /** Where the build puts profiles/*.yaml in the jar. */
    static final String RESOURCE_DIR = "dev/strata/profile/builtin";
    private static Map<String, Profile> builtin;

    private Profiles() {
    }

    /** Shipped profiles by name, sorted. */
    public static synchronized Map<String, Profile> builtin() {
        if (builtin == null) {
            try {
                builtin = java.util.Collections.unmodifiableMap(loadBuiltin());
            } catch (IOException e) {
                throw new UncheckedIOException("reading the profiles shipped in the jar", e);
            }
        }
        return builtin;
    }

    /** True when a spec's profile value names a file rather than a shipped profile. */
    public static boolean isFileReference(String value) {
        return value.contains("/") || value.endsWith(".yaml") || value.endsWith(".yml");
    }

    /**
     * The profile a spec names: a shipped one by name, or a file relative to the spec's directory.
     *
     * @throws ProfileException with the known names when there is no such profile
     */
    public static Profile find(String value, Path baseDirectory) throws ProfileException {
        if (isFileReference(value)) {
            Path file = baseDirectory.resolve(value).normalize();
            try {
                return ProfileReader.read(Files.readString(file, StandardCharsets.UTF_8), value);
            } catch (NoSuchFileException e) {
                throw new ProfileException("profile file " + value + " does not exist (looked for " + file + ")");
            } catch (ProfileException e) {
                throw e;
            } catch (IOException e) {
                throw new ProfileException("cannot read profile file " + value + ": " + e.getMessage());
            }
        }
        Profile p = builtin().get(value);
        if (p == null) {
            throw new ProfileException("unknown profile '" + value + "'" + closest(value)
                    + " (known: " + String.join(", ", builtin().keySet()) + "; or give a profile file, e.g. ./board.yaml)");
        }
        return p;
    }

    private static String closest(String value) {
        String best = null;
        int bestScore = Integer.MAX_VALUE;
        for (String k : builtin().keySet()) {
            int d = distance(value, k);
            if (d < bestScore) {
                best = k;
                bestScore = d;
            }
        }
        return best != null && bestScore <= Math.max(2, value.length() / 3) ? "; did you mean '" + best + "'?" : "";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** Reads every *.yaml under the resource directory, from the class path directory or the jar. */
    private static Map<String, Profile> loadBuiltin() throws IOException {
        URL url = Profiles.class.getClassLoader().getResource(RESOURCE_DIR);
        Map<String, Profile> out = new TreeMap<>();
        if (url == null) {
            return out;
        }
        URI uri;
        try {
            uri = url.toURI();
        } catch (URISyntaxException e) {
            throw new IOException("bad resource URL " + url, e);
        }
        if (uri.getScheme().equals("jar")) {
            FileSystem fs;
            boolean opened = false;
            try {
                fs = FileSystems.getFileSystem(uri);
            } catch (FileSystemNotFoundException e) {
                fs = FileSystems.newFileSystem(uri, Map.of());
                opened = true;
            }
            try {
                readAll(fs.getPath(RESOURCE_DIR), out);
            } finally {
                if (opened) {
                    fs.close();
                }
            }
        } else {
            readAll(Path.of(uri), out);
        }
        return out;
    }

    private static void readAll(Path dir, Map<String, Profile> out) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> p.getFileName().toString().endsWith(".yaml")).forEach(files::add);
        }
        files.sort(null);
        for (Path f : files) {
            String source = "profiles/" + f.getFileName();
            Profile p;
            try (InputStream in = Files.newInputStream(f)) {
                p = ProfileReader.read(new String(in.readAllBytes(), StandardCharsets.UTF_8), source);
            }
            String expected = f.getFileName().toString().replaceFirst("\\.yaml$", "");
            if (!p.name().equals(expected)) {
                throw new ProfileException(source + ": profile name '" + p.name() + "' differs from its file name");
            }
            out.put(p.name(), p);
        }
    }

    /** The profile's option or input, for messages ("image option root-size"). */
    public static Optional<String> knobOf(Profile profile, String key) {
        if (profile.options().containsKey(key)) {
            return Optional.of("image option " + key);
        }
        if (profile.inputs().containsKey(key)) {
            return Optional.of("image input " + key);
        }
        return Optional.empty();
    }
}

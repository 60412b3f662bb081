package dev.strata.overlay.initramfs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The modules of one kernel ({@code lib/modules/VERSION}) and their dependencies: from
 * {@code modules.dep} when present, otherwise from each module's {@code .modinfo depends=}.
 * Module names compare with '-' and '_' treated alike, as the kernel does.
 */
public final class KernelModules {
    private final Path dir;
    /** Normalized name to path relative to dir, sorted. */
    private final Map<String, String> byName;
    /** Relative path to the relative paths it depends on, from modules.dep; null without it. */
    private final Map<String, List<String>> modulesDep;

    private KernelModules(Path dir, Map<String, String> byName, Map<String, List<String>> modulesDep) {
        this.dir = dir;
        this.byName = byName;
        this.modulesDep = modulesDep;
    }

    /** Indexes every {@code .ko} under dir (compressed modules are refused: busybox insmod cannot load them). */
    public static KernelModules scan(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new InitramfsException("kernel module directory " + dir + " does not exist");
        }
        Map<String, String> byName = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted()::iterator) {
                String file = p.getFileName().toString();
                if (!Files.isRegularFile(p)) {
                    continue;
                }
                if (file.endsWith(".ko")) {
                    byName.putIfAbsent(normalize(file.substring(0, file.length() - 3)), rel(dir, p));
                } else if (file.matches(".*\\.ko\\.(xz|gz|zst)")) {
                    byName.putIfAbsent(normalize(file.substring(0, file.indexOf(".ko."))), rel(dir, p));
                }
            }
        }
        Map<String, List<String>> dep = null;
        Path depFile = dir.resolve("modules.dep");
        if (Files.isRegularFile(depFile)) {
            dep = new TreeMap<>();
            for (String line : Files.readAllLines(depFile, StandardCharsets.UTF_8)) {
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                List<String> deps = new ArrayList<>();
                for (String d : line.substring(colon + 1).trim().split("\\s+")) {
                    if (!d.isEmpty()) {
                        deps.add(d);
                    }
                }
                dep.put(line.substring(0, colon), deps);
            }
        }
        return new KernelModules(dir, byName, dep);
    }

    private static String rel(Path dir, Path p) {
        return dir.relativize(p).toString().replace('\\', '/');
    }

    static String normalize(String name) {
        return name.replace('-', '_');
    }

    public Path directory() {
        return dir;
    }

    /** The kernel version: the directory's name. */
    public String version() {
        return dir.getFileName().toString();
    }

    public int size() {
        return byName.size();
    }

    /**
     * The modules to load for the requested names, dependencies first, each once, in a stable order
     * (depth-first in the order requested and declared).
     *
     * @return paths relative to {@link #directory()}
     */
    public List<String> resolve(List<String> names) {
        LinkedHashSet<String> order = new LinkedHashSet<>();
        for (String name : names) {
            String path = byName.get(normalize(name));
            if (path == null) {
                throw new InitramfsException("kernel module '" + name + "' not found under " + dir + " ("
                        + byName.size() + " modules there)" + builtinHint(name));
            }
            visit(path, order, new LinkedHashSet<>(), name);
        }
        return List.copyOf(order);
    }

    private String builtinHint(String name) {
        Path builtin = dir.resolve("modules.builtin");
        try {
            if (Files.isRegularFile(builtin)) {
                String n = normalize(name);
                for (String line : Files.readAllLines(builtin, StandardCharsets.UTF_8)) {
                    String f = line.substring(line.lastIndexOf('/') + 1);
                    if (f.endsWith(".ko") && normalize(f.substring(0, f.length() - 3)).equals(n)) {
                        return "; it is built into this kernel (modules.builtin): drop it from the list";
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "";
    }

    private void visit(String path, LinkedHashSet<String> order, LinkedHashSet<String> stack, String requested) {
        if (order.contains(path)) {
            return;
        }
        if (!stack.add(path)) {
            throw new InitramfsException("kernel modules depend on each other in a cycle: "
                    + String.join(" -> ", stack) + " -> " + path);
        }
        for (String dep : dependencies(path)) {
            visit(dep, order, stack, requested);
        }
        stack.remove(path);
        order.add(path);
    }

    /** The direct dependencies of a module, as paths relative to the directory. */
    List<String> dependencies(String path) {
        if (modulesDep != null && modulesDep.containsKey(path)) {
            return modulesDep.get(path);
        }
        if (!path.endsWith(".ko")) {
            throw new InitramfsException("module " + path + " is compressed; busybox insmod needs plain .ko files"
                    + " (decompress them, or build the kernel without module compression)");
        }
        byte[] data;
        try {
            data = Files.readAllBytes(dir.resolve(path));
        } catch (IOException e) {
            throw new UncheckedIOException("reading module " + dir.resolve(path), e);
        }
        List<String> deps = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String value : ElfFile.modinfo(dir.resolve(path).toString(), data).getOrDefault("depends", List.of())) {
            for (String d : value.split(",")) {
                if (d.isEmpty() || !seen.add(normalize(d))) {
                    continue;
                }
                String dp = byName.get(normalize(d));
                if (dp == null) {
                    throw new InitramfsException("module " + path + " depends on '" + d + "', which is not under " + dir);
                }
                deps.add(dp);
            }
        }
        return deps;
    }
}

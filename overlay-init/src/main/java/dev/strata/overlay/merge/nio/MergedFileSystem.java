package dev.strata.overlay.merge.nio;

import dev.strata.overlay.merge.MergedDirectory;
import dev.strata.overlay.merge.MergedEntry;
import dev.strata.overlay.merge.MergedTree;
import dev.strata.squashfs.tree.InvalidNameException;
import dev.strata.squashfs.tree.Name;
import dev.strata.squashfs.tree.SymlinkNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.WatchService;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.spi.FileSystemProvider;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A merged overlay view as a read-only {@link FileSystem}: what the device would see, browsable
 * with java.nio.file (Files.walk, Files.readAllBytes, readAttributes "posix:*" and "unix:*").
 * Symbolic links resolve inside the view. Create one with {@link MergedFileSystems#of(MergedTree)}.
 */
public final class MergedFileSystem extends FileSystem {
    private static final int MAX_SYMLINKS = 40;

    private final MergedFileSystemProvider provider;
    private final MergedTree tree;
    private volatile boolean open = true;
    /** st_ino per inode (node within its layer), numbered as first asked for. */
    private final Map<MergedAttributes.Key, Long> inodeNumbers = new HashMap<>();

    MergedFileSystem(MergedFileSystemProvider provider, MergedTree tree) {
        this.provider = provider;
        this.tree = tree;
    }

    public MergedTree tree() {
        return tree;
    }

    synchronized long inodeNumber(MergedAttributes.Key key) {
        return inodeNumbers.computeIfAbsent(key, k -> inodeNumbers.size() + 1L);
    }

    @Override
    public FileSystemProvider provider() {
        return provider;
    }

    @Override
    public void close() {
        open = false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public boolean isReadOnly() {
        return true;
    }

    @Override
    public String getSeparator() {
        return "/";
    }

    @Override
    public Iterable<Path> getRootDirectories() {
        return List.of(getPath("/"));
    }

    @Override
    public Iterable<FileStore> getFileStores() {
        return List.of(new MergedFileStore(this));
    }

    @Override
    public Set<String> supportedFileAttributeViews() {
        return Set.of("basic", "posix", "unix", "owner");
    }

    @Override
    public Path getPath(String first, String... more) {
        return MergedPath.parse(this, first, more);
    }

    @Override
    public PathMatcher getPathMatcher(String syntaxAndPattern) {
        int colon = syntaxAndPattern.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("expected syntax:pattern, got " + syntaxAndPattern);
        }
        String syntax = syntaxAndPattern.substring(0, colon);
        String pattern = syntaxAndPattern.substring(colon + 1);
        Pattern regex = switch (syntax) {
            case "regex" -> Pattern.compile(pattern);
            case "glob" -> Pattern.compile(globToRegex(pattern));
            default -> throw new UnsupportedOperationException("syntax '" + syntax + "' (glob or regex)");
        };
        return p -> regex.matcher(p.toString()).matches();
    }

    private static String globToRegex(String glob) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*') {
                boolean two = i + 1 < glob.length() && glob.charAt(i + 1) == '*';
                sb.append(two ? ".*" : "[^/]*");
                i += two ? 1 : 0;
            } else if (c == '?') {
                sb.append("[^/]");
            } else {
                sb.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return sb.toString();
    }

    @Override
    public UserPrincipalLookupService getUserPrincipalLookupService() {
        throw new UnsupportedOperationException("owners are numeric ids in a merged view");
    }

    @Override
    public WatchService newWatchService() {
        throw new UnsupportedOperationException("a merged view does not change");
    }

    void checkOpen() throws IOException {
        if (!open) {
            throw new java.nio.file.ClosedFileSystemException();
        }
    }

    /** Resolves path (relative paths against "/"), following symlinks; the last one only if followLast. */
    MergedEntry lookup(MergedPath path, boolean followLast) throws IOException {
        checkOpen();
        List<String> todo = new ArrayList<>(((MergedPath) path.toAbsolutePath()).names());
        List<MergedEntry> stack = new ArrayList<>();
        stack.add(tree.root());
        int links = 0;
        while (!todo.isEmpty()) {
            String c = todo.remove(0);
            if (c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (stack.size() > 1) {
                    stack.remove(stack.size() - 1);
                }
                continue;
            }
            MergedEntry current = stack.get(stack.size() - 1);
            if (!(current instanceof MergedDirectory dir)) {
                throw new NotDirectoryException(path.toString());
            }
            MergedEntry next;
            try {
                next = dir.get(Name.of(c.getBytes(StandardCharsets.ISO_8859_1)));
            } catch (InvalidNameException e) {
                throw new NoSuchFileException(path.toString(), null, e.getMessage());
            }
            if (next == null) {
                throw new NoSuchFileException(path.toString());
            }
            if (next.node() instanceof SymlinkNode link && (followLast || !todo.isEmpty())) {
                if (++links > MAX_SYMLINKS) {
                    throw new FileSystemException(path.toString(), null, "too many levels of symbolic links");
                }
                String target = new String(link.target(), StandardCharsets.ISO_8859_1);
                List<String> parts = new ArrayList<>();
                for (String p : target.split("/")) {
                    if (!p.isEmpty()) {
                        parts.add(p);
                    }
                }
                todo.addAll(0, parts);
                if (target.startsWith("/")) {
                    stack.subList(1, stack.size()).clear();
                }
                continue;
            }
            stack.add(next);
        }
        return stack.get(stack.size() - 1);
    }

    Path realPath(MergedPath path, boolean follow) throws IOException {
        MergedEntry e = lookup(path, follow);
        List<MergedEntry> chain = new ArrayList<>();
        for (MergedEntry x = e; x.parent() != null; x = x.parent()) {
            chain.add(0, x);
        }
        MergedPath p = (MergedPath) getPath("/");
        for (MergedEntry x : chain) {
            p = p.child(x.name().bytes());
        }
        return p;
    }
}

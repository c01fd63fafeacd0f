package io.archiver.deploycheck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Keeps the repository's prose honest: every file and test class that a Markdown document or a comment
 * names must exist. Read are every Markdown file (all of it, code blocks included), the comments of every
 * Java source, and the {@code #} comments of YAML, properties, Dockerfiles and shell scripts. Checked:
 * <ul>
 * <li>a path whose first segment is an entry of the repository root ({@code deploy/base/configmap.yaml},
 * {@code docs/deploy.md}, {@code system-tests/fault-suite}) exists from the root;</li>
 * <li>a path beginning with {@code ../} exists from the naming file's directory, inside the repository, and one beginning
 * with {@code ./} from there or from the root (a command such as {@code ./archiver-demo});</li>
 * <li>any other path ending in a source or document extension ({@code db/ledger/V1__archive_ledger.sql},
 * {@code base/configmap.yaml}) is the end of some path of the repository;</li>
 * <li>a Markdown link target exists from the document's directory, and its {@code #anchor} is a heading there;</li>
 * <li>a test class (a capitalised name ending in {@code Test} or {@code IT}) has a source file, and {@code Class#member}
 * names a member of that class where the class is one of the repository's;</li>
 * <li>README.md has at most {@value #README_MAX_LINES} lines.</li>
 * </ul>
 * Not paths: URLs and absolute paths (preceded by {@code /} or {@code :}), anything with a placeholder
 * ({@code <env>}, {@code {a,b}}, {@code *}, {@code ...}), build and run output ({@code target/}, {@code .local-stack/}),
 * and slash-separated names without a file extension that do not start at the root (Kubernetes
 * {@code deployment/exporter-service}, topic coordinates {@code archive.uploads/2/7}, label keys {@code app.kubernetes.io/name}).
 */
public final class NamedFiles {

    public static final int README_MAX_LINES = 200;

    /** Names that look like test classes of this repository but are not, each with its reason. */
    static final Map<String, String> NOT_OUR_TESTS = Map.of(
            "ParameterizedTest", "JUnit's annotation",
            "QuarkusTest", "Quarkus's test annotation",
            "QuarkusIntegrationTest", "Quarkus's test annotation");

    /** Extensions of files a path without a root segment is taken to name (other dotted words are data: keys, file names of objects). */
    private static final Set<String> SOURCE_EXTENSIONS = Set.of("md", "java", "yaml", "yml", "json", "sql", "properties", "xml", "sh");

    /** Directories never read: version control, build output, the local stack's data, IDE settings. */
    private static final Set<String> SKIPPED_DIRECTORIES = Set.of(".git", "target", ".local-stack", ".idea", ".vscode", "node_modules");

    private static final Pattern PATH = Pattern.compile("(?<![\\w/:.@$\\\\-])((?:\\.{1,2}/)*[\\w.<>{}*…-]+(?:/[\\w.<>{}*…,-]+)+/?)");
    private static final Pattern TEST_CLASS = Pattern.compile("(?<![@\\w])([A-Z][a-z][A-Za-z0-9]*(?:Test|IT))\\b");
    private static final Pattern MEMBER = Pattern.compile("(?<![\\w.])([A-Z][A-Za-z0-9]*)#([A-Za-z_][A-Za-z0-9_]*)(\\*?)");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.+?)\\s*#*\\s*$");

    private final Path root;
    private final List<Path> files;
    private final Set<String> rootEntries = new HashSet<>();
    private final Map<String, Path> javaByClass = new HashMap<>();
    private final Map<Path, Set<String>> anchors = new HashMap<>();

    private NamedFiles(Path root, List<Path> files) {
        this.root = root;
        this.files = files;
        for (Path file : files) {
            rootEntries.add(file.getName(0).toString());
            String name = file.getFileName().toString();
            if (name.endsWith(".java")) {
                javaByClass.put(name.substring(0, name.length() - ".java".length()), file);
            }
        }
    }

    /** Every problem of the repository at {@code root}: one line each, {@code file:line: what}. */
    public static List<String> problems(Path root) {
        return new NamedFiles(root, repositoryFiles(root)).check();
    }

    private List<String> check() {
        List<String> problems = new ArrayList<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            if (name.endsWith(".md")) {
                String text = read(root.resolve(file));
                checkProse(file, text, problems);
                checkLinks(file, text, problems);
            } else if (name.endsWith(".java")) {
                checkProse(file, CommentText.ofJava(read(root.resolve(file))), problems);
            } else if (hasHashComments(file)) {
                checkProse(file, CommentText.ofHashComments(read(root.resolve(file))), problems);
            }
        }
        Path readme = root.resolve("README.md");
        if (Files.isRegularFile(readme)) {
            long lines = read(readme).lines().count();
            if (lines > README_MAX_LINES) {
                problems.add("README.md: " + lines + " lines, more than " + README_MAX_LINES + ": move the detail to docs/");
            }
        }
        return problems;
    }

    /** YAML, properties, Dockerfiles, and shell scripts (by extension, or a file without one that starts with {@code #!}). */
    private boolean hasHashComments(Path file) {
        String name = file.getFileName().toString();
        if (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".properties") || name.endsWith(".sh")
                || name.startsWith("Dockerfile")) {
            return true;
        }
        return !name.contains(".") && read(root.resolve(file)).startsWith("#!");
    }

    private void checkProse(Path file, String text, List<String> problems) {
        Matcher path = PATH.matcher(text);
        while (path.find()) {
            String named = path.group(1).replaceAll("[.,]+$", "");
            String problem = pathProblem(file, named);
            if (problem != null) {
                problems.add(where(file, text, path.start(1)) + named + " " + problem);
            }
        }
        Matcher test = TEST_CLASS.matcher(text);
        while (test.find()) {
            String name = test.group(1);
            if (!javaByClass.containsKey(name) && !NOT_OUR_TESTS.containsKey(name)) {
                problems.add(where(file, text, test.start(1)) + "test class " + name + " does not exist");
            }
        }
        Matcher member = MEMBER.matcher(text);
        while (member.find()) {
            Path source = javaByClass.get(member.group(1));
            if (source != null && !Pattern.compile("\\b" + member.group(2) + (member.group(3).isEmpty() ? "\\b" : "")).matcher(read(root.resolve(source))).find()) {
                problems.add(where(file, text, member.start(1)) + member.group(1) + "#" + member.group(2) + ": " + source
                        + " has no member " + member.group(2));
            }
        }
    }

    /** Why {@code named}, as it appears in {@code file}, is not a file of the repository; null when it is, or is not a path. */
    private String pathProblem(Path file, String named) {
        List<String> segments = List.of(named.split("/"));
        if (segments.stream().anyMatch(s -> s.matches(".*[<>{}*…].*") || s.matches("\\.{3,}"))
                || segments.contains("target") || segments.contains(".local-stack")) {
            return null;
        }
        if (named.startsWith("./") && existsFrom(Path.of(""), named) == null) {
            return null; // a command run from the root, like ./archiver-demo
        }
        if (named.startsWith("./") || named.startsWith("../")) {
            return existsFrom(parentOf(file), named);
        }
        if (rootEntries.contains(segments.get(0))) {
            return Files.exists(root.resolve(named)) ? null : "does not exist";
        }
        String last = segments.get(segments.size() - 1);
        int dot = last.lastIndexOf('.');
        if (dot < 0 || !SOURCE_EXTENSIONS.contains(last.substring(dot + 1))) {
            return null;
        }
        String suffix = "/" + named;
        boolean found = files.stream().anyMatch(f -> ("/" + f.toString().replace('\\', '/')).endsWith(suffix));
        return found ? null : "is no file of the repository";
    }

    private String existsFrom(Path directory, String relative) {
        Path target = root.resolve(directory).resolve(relative).normalize();
        if (!target.startsWith(root)) {
            return "is outside the repository";
        }
        return Files.exists(target) ? null : "does not exist";
    }

    private void checkLinks(Path file, String text, List<String> problems) {
        Matcher link = LINK.matcher(text);
        while (link.find()) {
            String target = link.group(1);
            if (target.matches("[a-z][a-z0-9+.-]*:.*")) {
                continue; // https:, mailto:
            }
            int hash = target.indexOf('#');
            String pathPart = hash < 0 ? target : target.substring(0, hash);
            Path linked = pathPart.isEmpty() ? file : parentOf(file).resolve(pathPart).normalize();
            if (!pathPart.isEmpty()) {
                String problem = existsFrom(parentOf(file), pathPart);
                if (problem != null) {
                    problems.add(where(file, text, link.start(1)) + "link " + target + " " + problem);
                    continue;
                }
            }
            if (hash >= 0 && linked.toString().endsWith(".md") && !anchorsOf(linked).contains(target.substring(hash + 1))) {
                problems.add(where(file, text, link.start(1)) + "link " + target + ": no heading #" + target.substring(hash + 1)
                        + " in " + linked);
            }
        }
    }

    /** GitHub's anchors of a document's headings: lower case, punctuation dropped, blanks to '-', repeats numbered. */
    private Set<String> anchorsOf(Path document) {
        return anchors.computeIfAbsent(document, d -> {
            Set<String> found = new TreeSet<>();
            Map<String, Integer> seen = new HashMap<>();
            boolean fenced = false;
            for (String line : read(root.resolve(d)).split("\n")) {
                if (line.startsWith("```")) {
                    fenced = !fenced;
                    continue;
                }
                Matcher heading = HEADING.matcher(line);
                if (!fenced && heading.matches()) {
                    String slug = heading.group(1).toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
                    int count = seen.merge(slug, 1, Integer::sum);
                    found.add(count == 1 ? slug : slug + "-" + (count - 1));
                }
            }
            return found;
        });
    }

    private static Path parentOf(Path file) {
        Path parent = file.getParent();
        return parent == null ? Path.of("") : parent;
    }

    private static String where(Path file, String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return file + ":" + line + ": ";
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The repository's files, relative to the root: what git tracks plus what it would add (not ignored),
     * or, without git, every file outside the skipped directories.
     */
    static List<Path> repositoryFiles(Path root) {
        if (Files.exists(root.resolve(".git"))) {
            try {
                Process git = new ProcessBuilder("git", "-C", root.toString(), "ls-files", "--cached", "--others", "--exclude-standard", "-z")
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                byte[] listing = git.getInputStream().readAllBytes();
                if (git.waitFor(60, TimeUnit.SECONDS) && git.exitValue() == 0) {
                    List<Path> tracked = new ArrayList<>();
                    for (String name : new String(listing, StandardCharsets.UTF_8).split("\0")) {
                        if (!name.isEmpty() && Files.isRegularFile(root.resolve(name))) {
                            tracked.add(Path.of(name));
                        }
                    }
                    return tracked;
                }
            } catch (IOException e) {
                // no git here: walk the tree below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while listing the repository's files", e);
            }
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).map(root::relativize)
                    .filter(p -> Stream.iterate(p.getParent(), q -> q != null, Path::getParent)
                            .noneMatch(dir -> SKIPPED_DIRECTORIES.contains(dir.getFileName().toString())))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

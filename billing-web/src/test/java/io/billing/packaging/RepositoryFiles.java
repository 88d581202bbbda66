package io.billing.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** The repository's own files, found from wherever a module's tests run, without build output or Git's data. */
final class RepositoryFiles {

    private static final Set<String> NOT_SOURCES = Set.of(".git", "target", "node_modules", ".idea");

    private RepositoryFiles() {
    }

    /** The repository's top folder: the nearest folder above the working directory that holds the Maven wrapper. */
    static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve(".mvn"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no repository (a folder with mvnw and .mvn) above " + Path.of("").toAbsolutePath());
    }

    /** Every file of the repository, build output and version-control data left out, in path order. */
    static List<Path> all() {
        Path root = root();
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .filter(file -> root.relativize(file).getNameCount() > 0)
                    .filter(file -> {
                        for (Path part : root.relativize(file)) {
                            if (NOT_SOURCES.contains(part.toString())) {
                                return false;
                            }
                        }
                        return true;
                    })
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

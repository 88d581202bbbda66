package io.billing.packaging;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The repository stands on its own: no pom, source file, script or document refers to a folder beside it or to a
 * path that exists only on one machine, so a clone anywhere builds, tests and runs with what it holds.
 */
class SelfContainedRepositoryTest {

    /** Texts a build, a test or a person reads; binaries (images, the wrapper's jar) cannot name a path usefully. */
    private static final Set<String> TEXT_SUFFIXES = Set.of(".xml", ".java", ".properties", ".sh", ".yaml", ".yml",
            ".json", ".md", ".txt", ".conf", ".xhtml", ".html", ".js", ".css", ".sql", ".cmd", ".cfg");
    private static final Set<String> TEXT_NAMES = Set.of("run", "mvnw", "Dockerfile", ".gitignore");

    /** A reference out of the repository: to a sibling folder, or upwards from the top of the build. */
    private static final Pattern OUTSIDE = Pattern.compile(
            "\\.\\./+(shared|\\.library)\\b"
                    + "|\\$\\{(maven\\.multiModuleProjectDirectory|session\\.executionRootDirectory)}/+\\.\\."
                    + "|\\$\\{(project\\.)?basedir}/+\\.\\./+\\.\\.");
    /** A path under a user's or a workplace's own folders (the system's folders, /usr or /etc, are the same everywhere). */
    private static final Pattern MACHINE_PATH = Pattern.compile(
            "(?<![\\w.$}/-])(/(work|root)/|/(home|Users|mnt)/\\w|[A-Za-z]:\\\\(Users|work)\\\\)");

    @Test
    void noFileRefersToAFolderBesideTheRepositoryOrToAMachinesOwnPath() throws IOException {
        List<String> found = new ArrayList<>();
        Path root = RepositoryFiles.root();
        int read = 0;
        for (Path file : RepositoryFiles.all()) {
            if (!isText(file)) {
                continue;
            }
            String text;
            try {
                text = Files.readString(file);
            } catch (MalformedInputException notUtf8) {
                continue;
            }
            read++;
            found.addAll(references(root.relativize(file).toString(), text));
        }
        assertTrue(read > 300, "the walk read the repository's files (" + read + ")");
        assertEquals(List.of(), found, "references out of the repository");
    }

    @Test
    void theCheckRecognisesWhatItLooksFor() {
        // The samples are put together from pieces so that this file itself names no such path.
        String sibling = ".." + "/shared";
        String home = "/" + "home";
        assertFalse(references("pom.xml", "<it.fixtures>${maven.multiModuleProjectDirectory}/" + sibling
                + "/stripe-events</it.fixtures>").isEmpty());
        assertFalse(references("X.java", "Path.of(\"" + sibling + "/stripe-events\")").isEmpty());
        assertFalse(references("run", "cp /" + "work/main/x /" + "root/.m2/y").isEmpty());
        assertFalse(references("a.properties", "db=jdbc:h2:file:" + home + "/alice/h2").isEmpty());
        assertFalse(references("b.cmd", "set X=C:\\" + "Users\\bob\\h2").isEmpty());
        assertEquals(List.of(), references("pom.xml", "<directory>${project.basedir}/../billing-domain/src/test"
                + "</directory> /usr/bin/chromium /etc/postgresql /opt/payara/deployments https://example.com/" + "work/x"));
    }

    private static List<String> references(String name, String text) {
        List<String> found = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (OUTSIDE.matcher(lines[i]).find() || MACHINE_PATH.matcher(lines[i]).find()) {
                found.add(name + ":" + (i + 1) + ": " + lines[i].strip());
            }
        }
        return found;
    }

    private static boolean isText(Path file) {
        String name = file.getFileName().toString();
        return TEXT_NAMES.contains(name) || TEXT_SUFFIXES.stream().anyMatch(name::endsWith);
    }
}

package superconv.training.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProvenanceTest {

  @Test
  void versionIsTheMavenProjectVersion() {
    assertThat(Provenance.version()).matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
  }

  @Test
  void commitIsTheCommitThisSourceTreeWasBuiltFrom() throws Exception {
    Path moduleRoot = Path.of("").toAbsolutePath();
    boolean inGit = Files.exists(moduleRoot.resolve("../.git"));
    String commit = Provenance.gitCommit();
    if (!inGit) {
      assertThat(commit).isNull();
      return;
    }
    Process git = new ProcessBuilder("git", "rev-parse", "HEAD").directory(moduleRoot.toFile()).start();
    String head = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(git.waitFor()).isZero();
    assertThat(commit).matches("[0-9a-f]{40}(-dirty)?").startsWith(head);
  }
}

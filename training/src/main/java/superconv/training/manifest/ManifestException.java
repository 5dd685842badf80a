package superconv.training.manifest;

import java.util.List;

/** A manifest that cannot run, with every problem found (each names the file and the line, key or run). */
public final class ManifestException extends Exception {

  private final List<String> problems;

  public ManifestException(List<String> problems) {
    super(String.join("\n", problems));
    this.problems = List.copyOf(problems);
  }

  public ManifestException(String problem) {
    this(List.of(problem));
  }

  public List<String> problems() {
    return problems;
  }
}

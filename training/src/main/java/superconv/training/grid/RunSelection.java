package superconv.training.grid;

import java.util.ArrayList;
import java.util.List;

/**
 * Which of a grid's runs one process trains: all of them, the one at an index, or every N-th. Indices count the
 * runs in the order {@code list} prints them (the manifest's order after {@code --only}), from 0, because that is
 * how Slurm array task ids and Kubernetes completion indices count: one array task or pod per index needs no
 * arithmetic in its job script, and the same manifest and {@code --only} always give the same mapping.
 *
 * @param index the one run to train, or null
 * @param shard every {@code shard.count()}-th run from {@code shard.number()}, or null
 */
public record RunSelection(Integer index, Shard shard) {

  /** Everything: no index, no shard. */
  public static final RunSelection ALL = new RunSelection(null, null);

  public RunSelection {
    if (index != null && shard != null) {
      throw new IllegalArgumentException("--index and --shard exclude each other: give one");
    }
    if (index != null && index < 0) {
      throw new IllegalArgumentException("--index must be 0 or more, not " + index);
    }
  }

  /**
   * Shard {@code number} of {@code count}: the runs whose index {@code i} has {@code i mod count == number}.
   * Shards interleave rather than cut the list into blocks, so each one gets a similar mix of experiments.
   */
  public record Shard(int number, int count) {

    public Shard {
      if (count < 1) {
        throw new IllegalArgumentException("the shard count in K/N must be 1 or more, not " + count);
      }
      if (number < 0 || number >= count) {
        throw new IllegalArgumentException("the shard number in K/N counts from 0 to N-1 (0-" + (count - 1)
            + "), not " + number);
      }
    }

    /** {@code K/N}, as {@code --shard} takes it. */
    public static Shard parse(String text) {
      String[] parts = text.strip().split("/", -1);
      if (parts.length != 2) {
        throw new IllegalArgumentException("\"" + text + "\" is not K/N (shard K of N, K from 0 to N-1)");
      }
      try {
        return new Shard(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("\"" + text + "\" is not K/N (shard K of N, K from 0 to N-1)");
      }
    }

    @Override
    public String toString() {
      return number + "/" + count;
    }
  }

  /** One selected run and its index in the whole ordered list. */
  public record Indexed<T>(int index, T run) {}

  /**
   * The selected runs of {@code runs}, with their indices, in order.
   *
   * @throws IllegalArgumentException when the index is past the end (the message names the count)
   */
  public <T> List<Indexed<T>> apply(List<T> runs) {
    if (index != null) {
      if (index >= runs.size()) {
        throw new IllegalArgumentException("--index " + index + " is out of range: the selection has "
            + switch (runs.size()) {
              case 0 -> "no runs";
              case 1 -> "1 run (index 0)";
              default -> runs.size() + " runs (indices 0-" + (runs.size() - 1) + ")";
            });
      }
      return List.of(new Indexed<>(index, runs.get(index)));
    }
    List<Indexed<T>> selected = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      if (shard == null || i % shard.count() == shard.number()) {
        selected.add(new Indexed<>(i, runs.get(i)));
      }
    }
    return selected;
  }

  /** The selected runs without their indices. */
  public <T> List<T> select(List<T> runs) {
    return apply(runs).stream().map(Indexed::run).toList();
  }
}

package superconv.optimizers;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Lays schedules end to end over a span into a {@link SequenceSchedule}, each laid over its own stretch: the parts
 * of a {@code sequence} table, and the phases of a {@link SwitchingSpec}. Failures name the part's place.
 */
final class SequenceLayout {

  private final Span span;
  private final List<SequenceSchedule.Part> parts = new ArrayList<>();
  private long start;

  SequenceLayout(Span span) {
    this.span = span;
  }

  /**
   * Adds the next part, {@code iterations} long (null: the rest of the span), its schedule made by
   * {@code scheduleOver} for the part's own stretch.
   */
  void add(String where, Long iterations, Function<Span, Schedule> scheduleOver) {
    long total = span.iterations();
    long length;
    if (iterations != null) {
      length = iterations;
    } else {
      length = total - start;
      if (length <= 0) {
        throw SpecException.at(where,
            "the earlier parts already fill the run of " + total + " iterations; nothing is left for this one");
      }
    }
    if (start + length > total) {
      throw SpecException.at(where,
          String.format("this part ends at iteration %d, after the run's %d iterations", start + length, total));
    }
    Schedule schedule = scheduleOver.apply(new Span(length, span.iterationsPerEpoch()));
    if (schedule instanceof SequenceSchedule) {
      throw SpecException.at(where, "a sequence cannot nest another sequence; list all parts in one");
    }
    parts.add(new SequenceSchedule.Part(start, length, schedule));
    start += length;
  }

  /** The sequence of the parts added, which must cover the span; {@code where} names the whole. */
  SequenceSchedule sequence(String where) {
    long total = span.iterations();
    if (start != total) {
      throw SpecException.at(where, String.format("the parts cover %d iterations but the run has %d (%s epochs of %d); "
          + "omit the last part's length to let it take the rest", start, total,
          Table.fmt((double) total / span.iterationsPerEpoch()), span.iterationsPerEpoch()));
    }
    return new SequenceSchedule(parts);
  }
}

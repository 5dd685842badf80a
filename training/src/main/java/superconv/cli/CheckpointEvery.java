package superconv.cli;

import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --checkpoint-every STEPS}, for {@code run} and the submit commands that write its command line: how often
 * a run checkpoints inside an epoch. Not a manifest key: it changes where a preempted run can resume, not what the
 * run computes, so it belongs to where the run trains (a cluster that preempts) rather than to its spec.
 */
final class CheckpointEvery {

  static final String OPTION = "--checkpoint-every";

  @Option(names = OPTION, paramLabel = "STEPS", converter = Steps.class,
      description = "Also checkpoint every STEPS steps inside an epoch (default: at each epoch's end only), so that "
          + "a run killed without warning resumes from its last such step. A run stopped by SIGTERM or Ctrl-C "
          + "checkpoints where it stops either way.")
  Integer steps;

  /** The interval, 0 when not given. */
  int steps() {
    return steps == null ? 0 : steps;
  }

  /** The option as a {@code run} command line repeats it: empty when not given. */
  List<String> arguments() {
    return steps == null ? List.of() : List.of(OPTION, steps.toString());
  }

  static final class Steps implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      int steps;
      try {
        steps = Integer.parseInt(value.strip());
      } catch (NumberFormatException e) {
        throw new TypeConversionException("'" + value + "' is not a number of steps");
      }
      if (steps < 1) {
        throw new TypeConversionException("a checkpoint interval is 1 step or more, not " + steps);
      }
      return steps;
    }
  }
}

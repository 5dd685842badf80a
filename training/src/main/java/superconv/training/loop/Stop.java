package superconv.training.loop;

/**
 * A {@link StopCondition} ended the loop after global step {@code globalStep} (0-based) of epoch {@code epoch},
 * for {@code reason}; that epoch is not evaluated.
 */
public record Stop(long globalStep, int epoch, String reason) {}

package superconv.training.loop;

/**
 * The loss became NaN or infinite at {@code globalStep} (in 0-based {@code epoch}); {@code loss} is its value as
 * text, or "non-finite" where the step did not fetch it.
 */
public record Divergence(long globalStep, int epoch, String loss) {}

/**
 * {@code superconv bench}: times the training step a run takes ({@link superconv.training.bench.Bench}), through
 * the same graph, pipeline and {@link superconv.optimizers.ScheduledStep} as training.
 */
package superconv.training.bench;

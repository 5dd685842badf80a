/**
 * The training loop of one run and the events it sends.
 *
 * <p>{@link superconv.training.loop.TrainingLoop} owns the epochs and steps: per step it feeds the step's data
 * and steps through {@link superconv.optimizers.ScheduledStep}; per epoch it evaluates. Everything a run writes
 * or shows hears it as a {@link superconv.training.loop.TrainingListener}: {@code onStart}, {@code
 * onEpochStart}, {@code onStep}, {@code onEpochEnd}, {@code onDivergence}, {@code onStop}, {@code onFinish}, {@code onFailure},
 * with small records as events ({@link superconv.training.loop.RunStart}, {@link
 * superconv.training.loop.StepEnd}, {@link superconv.training.loop.EpochEnd}, {@link
 * superconv.training.loop.Divergence}). The listeners of a run and their order are in {@code
 * session.Trainer#listeners}; to add one, write the class in {@code training.listeners} and add it there. A
 * {@link superconv.training.loop.StopCondition} may end a loop early, and {@link
 * superconv.training.loop.TrainingLoop.Evaluations} may evaluate every k steps instead of at epoch ends, each heard
 * as a {@link superconv.training.loop.StepEvaluation} ({@code onEvaluation}): the range test's; runs use neither.
 */
package superconv.training.loop;

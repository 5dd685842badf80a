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
 * {@link superconv.training.loop.StopCondition} may end a loop early (the range test's); runs never pass one.
 */
package superconv.training.loop;

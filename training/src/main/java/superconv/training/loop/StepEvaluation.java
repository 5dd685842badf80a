package superconv.training.loop;

import superconv.graph.TrainingGraph;

/**
 * The test set evaluated after a step, between epoch ends, as {@link TrainingLoop.Evaluations#everySteps} asks (the
 * range test's accuracy); a run's own evaluation is its {@link EpochEnd}.
 *
 * @param globalStep the step just taken (0-based)
 * @param rate the rate that step was fed, or NaN where the optimizer calculated its own
 * @param evaluation mean loss and accuracy of the evaluation tower over every image of the loop's test set
 */
public record StepEvaluation(long globalStep, double rate, TrainingGraph.Evaluation evaluation) {}

/**
 * Smith's learning-rate range test: train a run's network from its initial weights while the rate grows from tiny
 * to huge, record the loss per iteration ({@link superconv.training.rangetest.RangeCurve}), stop once it explodes,
 * and read bounds for a cyclical schedule off the curve ({@link superconv.training.rangetest.Bounds}). With an
 * {@link superconv.training.rangetest.EvaluationPlan} it also evaluates a fixed, seeded, stratified subset of the
 * test set every k iterations, and {@link superconv.training.rangetest.AccuracyPeak} observes where that accuracy
 * peaked, beside the bounds, never instead; {@link superconv.training.rangetest.RangePlot} draws it all. It steps
 * through the run's own {@code TrainingLoop} and writes nothing into a runs directory: an exploration, not a run.
 */
package superconv.training.rangetest;

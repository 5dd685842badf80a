/**
 * Setting a run up on TensorFlow: {@link superconv.training.session.Trainer} builds the graph (a {@link
 * superconv.training.session.RunGraph}, which the placement audit builds too), the session and the listeners and
 * hands them to the training loop; {@link superconv.training.session.Devices} lists and chooses
 * devices; {@link superconv.training.session.SessionOptions} holds threads and XLA; {@link
 * superconv.training.session.Exporter} rebuilds a run's model for {@code export}; {@link
 * superconv.training.session.RunLog} tees the log into the run folder; {@link
 * superconv.training.session.Provenance} gives the version and commit a run records.
 */
package superconv.training.session;

/**
 * The experiment manifest ({@code experiments.toml}) into validated, typed {@link
 * superconv.training.manifest.RunSpec}s, listing every problem of every experiment before anything runs.
 *
 * <p>{@link superconv.training.manifest.ManifestReader} turns the file into a TOML tree (a file that cannot be read,
 * or is not UTF-8, says so in words; a syntax error names its lines); {@link superconv.training.manifest.Manifest}
 * merges {@code [defaults]} into each experiment and bounds the grid's size before expanding it; {@link
 * superconv.training.manifest.GridExpansion} expands {@code [experiment.grid]} (dotted keys, run names); {@link
 * superconv.training.manifest.RunResolver} and {@link superconv.training.manifest.PhaseResolver} resolve one run's
 * settings and phases, checking optimizers and schedules with the optimizers module ({@link
 * superconv.training.manifest.ComponentRules}) and the network's memory ({@link
 * superconv.training.manifest.Footprint}). The choices (data sets, networks, protocols, precisions, input modes) are
 * the ids of their enums ({@link superconv.training.manifest.Schema}); optimizer and schedule types come from the
 * optimizers module's registries.
 *
 * <p>A run's optimizer and schedule stay the tables the user wrote ({@link superconv.training.manifest.Component}):
 * that is what {@code list --json} and {@code run.json} show. {@link
 * superconv.training.manifest.RunSpec#optimizerSpec()} and {@link superconv.training.manifest.RunSpec#scheduleOver}
 * give the typed values the run trains with.
 */
package superconv.training.manifest;

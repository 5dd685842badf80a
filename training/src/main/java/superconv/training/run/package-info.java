/**
 * One run's folder and what is in it: {@link superconv.training.run.RunFolder} (paths, atomic writes, the
 * checkpoint swap), {@link superconv.training.run.RunRecord} ({@code run.json}, with the {@link
 * superconv.training.run.SchedulerContext} of its latest session), {@link
 * superconv.training.run.EpochMetrics} ({@code metrics.csv} rows), {@link superconv.training.run.RateHistory}
 * ({@code rates.csv.gz}), {@link superconv.training.run.RunLock} (one process per run folder), {@link
 * superconv.training.run.RunPlan} (what {@code run} will do with each run) and {@link
 * superconv.training.run.ResumePoint} (where an interrupted run continues, checked against the whole folder). No
 * TensorFlow session lives here: these are the files, read and written.
 */
package superconv.training.run;

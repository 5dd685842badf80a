/**
 * The {@link superconv.training.loop.TrainingListener}s of a run, one output or view each: {@code metrics.csv}
 * ({@link superconv.training.listeners.MetricsFile}), {@code rates.csv.gz} ({@link
 * superconv.training.listeners.RateHistoryFile}), TensorBoard scalars ({@link
 * superconv.training.listeners.TensorBoardScalars}), {@code best/} ({@link superconv.training.listeners.BestWeights}),
 * {@code checkpoint/} ({@link superconv.training.listeners.Checkpoints}), {@code saved_model/} ({@link
 * superconv.training.listeners.SavedModelOnFinish}), {@code run.json} ({@link
 * superconv.training.listeners.RunRecordFile}), {@code events.jsonl} ({@link superconv.training.listeners.EventLog}),
 * the log lines ({@link superconv.training.listeners.ConsoleLog}) and the progress bar ({@link
 * superconv.training.listeners.ProgressBar}).
 *
 * <p>A listener that writes a file a resume reads must never fall behind the checkpoint: it may run ahead (the
 * resume truncates it back in {@code onStart}), which is why the checkpoint is written after the files it
 * describes.
 */
package superconv.training.listeners;

/**
 * A grid of runs in one process ({@link superconv.training.grid.GridRunner}): plan the runs against the runs
 * directory, load each data set once, then per run take its lock, decide again, train, and summarize ({@link
 * superconv.training.grid.GridSummary}). Processes that share a runs directory share the grid through the run
 * locks; a run is deterministic given its spec, seed and data, so any process can resume any interrupted run.
 * {@link superconv.training.grid.RunSelection} gives one process of many (a Slurm array task, a Kubernetes pod)
 * its run or its shard of the grid, by index in the order {@code list} prints. {@link
 * superconv.training.grid.WorkerPool} is {@code run --workers}: worker JVMs on one machine, one per device ({@link
 * superconv.training.grid.WorkerPlan}), sharing a grid through the same locks, shown and stopped by their parent.
 */
package superconv.training.grid;

/**
 * A grid of runs in one process ({@link superconv.training.grid.GridRunner}): plan the runs against the runs
 * directory, load each data set once, then per run take its lock, decide again, train, and summarize ({@link
 * superconv.training.grid.GridSummary}). Processes that share a runs directory share the grid through the run
 * locks; a run is deterministic given its spec, seed and data, so any process can resume any interrupted run.
 * {@link superconv.training.grid.RunSelection} gives one process of many (a Slurm array task, a Kubernetes pod)
 * its run or its shard of the grid, by index in the order {@code list} prints.
 */
package superconv.training.grid;

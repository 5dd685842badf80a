/**
 * {@code superconv report}: the thesis's results table over whatever ran ({@link
 * superconv.training.report.ResultsTable}, {@link superconv.training.report.RunResult}), as Markdown or CSV, and
 * the PNG plots of accuracy, loss and rates ({@link superconv.training.report.Plots}). Learning speed (epochs, steps
 * and seconds to a target accuracy, the normalized area under the accuracy curve) comes from {@link
 * superconv.training.report.LearningSpeed}; runs that differ only in their seed are grouped by {@link
 * superconv.training.report.SeedGroups} and summarized by {@link superconv.training.report.Stats}. The titles of
 * networks, optimizers and schedules are {@code SpecTitles}'.
 *
 * <p>{@code superconv status}: where each run stands now ({@link superconv.training.report.RunStates}, {@link
 * superconv.training.report.RunState}), running only while a process holds its lock.
 */
package superconv.training.report;

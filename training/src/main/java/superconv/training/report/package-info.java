/**
 * {@code superconv report}: the thesis's results table over whatever ran ({@link
 * superconv.training.report.ResultsTable}, {@link superconv.training.report.RunResult}), as Markdown or CSV, and
 * the PNG plots of accuracy, loss and rates ({@link superconv.training.report.Plots}). {@code superconv status}:
 * where each run stands now ({@link superconv.training.report.RunStates}, {@link
 * superconv.training.report.RunState}), running only while a process holds its lock.
 */
package superconv.training.report;

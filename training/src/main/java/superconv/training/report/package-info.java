/**
 * {@code superconv report}: the thesis's results table over whatever ran ({@link
 * superconv.training.report.ResultsTable}, {@link superconv.training.report.RunResult}), as Markdown or CSV, and
 * the PNG plots of accuracy, loss and rates ({@link superconv.training.report.Plots}).
 */
package superconv.training.report;

/** Line charts as PNG files ({@link superconv.training.plot.LineChart}, on XChart), shared by reports and commands. */
package superconv.training.plot;

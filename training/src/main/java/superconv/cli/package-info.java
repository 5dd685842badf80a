/**
 * The command line ({@code superconv COMMAND}, picocli): {@link superconv.cli.Main} lists the commands; each
 * command class parses its options and calls the library (a {@code run} is a {@link
 * superconv.training.grid.GridRunner}, a {@code report} a {@link superconv.training.report.Report}). To add a
 * command, write its class here and add it to {@code Main}'s subcommands.
 */
package superconv.cli;

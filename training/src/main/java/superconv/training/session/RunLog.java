package superconv.training.session;

import java.nio.file.Path;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.FileAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Copies everything logged while a run trains into its {@code run.log} (besides the console): one file appender on
 * the root logger for the run's lifetime.
 */
public final class RunLog implements AutoCloseable {

  private final LoggerContext context;
  private final FileAppender appender;

  private RunLog(LoggerContext context, FileAppender appender) {
    this.context = context;
    this.appender = appender;
  }

  public static RunLog open(Path file, String name) {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    Configuration config = context.getConfiguration();
    FileAppender appender = FileAppender.newBuilder()
        .setName("run:" + name)
        .withFileName(file.toString())
        .withAppend(true)
        .setLayout(PatternLayout.newBuilder()
            .withPattern("%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level %c{1} - %msg%n")
            .withConfiguration(config)
            .build())
        .setConfiguration(config)
        .build();
    appender.start();
    config.getRootLogger().addAppender(appender, Level.INFO, null);
    context.updateLoggers();
    return new RunLog(context, appender);
  }

  @Override
  public void close() {
    context.getConfiguration().getRootLogger().removeAppender(appender.getName());
    context.updateLoggers();
    appender.stop();
  }
}

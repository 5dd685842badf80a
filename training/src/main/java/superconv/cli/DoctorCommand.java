package superconv.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import superconv.datasets.DataLocation;
import superconv.training.doctor.Check;
import superconv.training.doctor.Doctor;
import superconv.training.doctor.Host;
import superconv.training.doctor.Report;

/** {@code superconv doctor}: what this machine offers a run, one check per line; fails when the device cannot run. */
@Command(name = "doctor", description = "Check this machine: Java, TensorFlow's natives and devices, CUDA libraries,"
    + " CPU features, data sets, free space. Exits non-zero when the asked device cannot run.")
final class DoctorCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  @Option(names = "--device", paramLabel = "auto|cpu|gpu|gpu:N", defaultValue = "auto",
      description = "The device a run would ask for (default: ${DEFAULT-VALUE}).")
  String device;

  @Option(names = "--runs-dir", paramLabel = "DIR", defaultValue = "runs",
      description = "Where runs would be written, for the free space (default: ${DEFAULT-VALUE}).")
  Path runsDir;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Data root, the only place looked at (default: $SUPERCONV_DATA, else ~/.cache/superconv and then /usr/share/datasets).")
  Path dataDir;

  @Option(names = "--json", description = "Print one JSON object with every check.")
  boolean json;

  @Mixin Verbose verbose;

  @Override
  public Integer call() {
    Report report;
    try {
      report = new Doctor(Host.real(), runsDir, DataLocation.standard(dataDir)).examine(device);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.line(json(report)));
    } else {
      int width = report.checks().stream().mapToInt(c -> c.name().length()).max().orElse(0);
      for (Check check : report.checks()) {
        out.printf("%-8s %-" + width + "s  %s%n", check.status().label(), check.name(), check.detail());
        if (check.fix() != null && check.status() != Check.Status.OK) {
          out.printf("%-8s %-" + width + "s  fix: %s%n", "", "", check.fix());
        }
      }
    }
    out.flush();
    if (!report.runnable()) {
      throw new UserError(report.reason());
    }
    return 0;
  }

  private static Map<String, Object> json(Report report) {
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("device", report.device());
    object.put("runnable", report.runnable());
    object.put("reason", report.reason());
    object.put("devices", report.devices());
    object.put("checks", report.checks().stream().map(check -> {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("name", check.name());
      row.put("status", check.status().label());
      row.put("detail", check.detail());
      row.put("fix", check.fix());
      return row;
    }).toList());
    return object;
  }
}

package superconv.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import superconv.datasets.DataLocation;
import superconv.datasets.Dataset;

/** {@code superconv data list}: every known set, its shape, and where it was found (or not). */
@Command(name = "list", description = "List the data sets and where each is found.")
final class DataListCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Data root, the only place looked at (default: $SUPERCONV_DATA, else ~/.cache/superconv and then /usr/share/datasets).")
  Path dataDir;

  @Option(names = "--json", description = "Print one JSON array as the last line.")
  boolean json;

  @Mixin Verbose verbose;

  @Override
  public Integer call() throws Exception {
    DataLocation location = DataLocation.standard(dataDir);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Dataset dataset : Dataset.values()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("dataset", dataset.id());
      row.put("shape", List.of(dataset.height(), dataset.width(), dataset.channels()));
      row.put("classes", dataset.classes());
      row.put("folder", location.find(dataset).map(Path::toString).orElse(null));
      rows.add(row);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.line(rows));
    } else {
      out.printf("data root: %s%n", location.root());
      out.printf("%-14s %-9s %7s  %s%n", "dataset", "shape", "classes", "found in");
      for (Map<String, Object> row : rows) {
        @SuppressWarnings("unchecked")
        List<Integer> shape = (List<Integer>) row.get("shape");
        out.printf("%-14s %-9s %7d  %s%n", row.get("dataset"), shape.get(0) + "x" + shape.get(1) + "x" + shape.get(2),
            row.get("classes"), row.get("folder") == null
                ? "missing (superconv data fetch " + row.get("dataset") + ")"
                : row.get("folder"));
      }
    }
    out.flush();
    return 0;
  }
}

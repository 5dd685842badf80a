package superconv.training.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** How the thesis's tables name a run's network, optimizer, schedule and rates, from its spec in run.json. */
final class SpecTitles {

  private SpecTitles() {}

  interface Title {
    String of(JsonNode phase);
  }

  static String join(JsonNode phases, Title title) {
    List<String> parts = new ArrayList<>();
    phases.forEach(p -> parts.add(title.of(p)));
    return String.join(" → ", parts);
  }

  static String networkTitle(String network) {
    return switch (network) {
      case "resnet18" -> "ResNet18";
      case "resnet50" -> "ResNet50";
      default -> network;
    };
  }

  static String optimizerTitle(JsonNode phase) {
    JsonNode optimizer = phase.path("optimizer");
    String title = switch (optimizer.path("type").asText()) {
      case "sgd" -> "SGD";
      // The thesis calls Adam CLR-Adam throughout: "CLR-Adam with constant learning rate is normal Adam".
      case "adam" -> "CLR-Adam";
      case "cus-adam" -> "CUS-Adam";
      case "adasecant" -> "AdaSecant";
      case "simple-adasecant" -> "Simple AdaSecant";
      default -> optimizer.path("type").asText();
    };
    List<String> extras = new ArrayList<>();
    if (optimizer.path("momentum").asDouble(0) != 0) {
      extras.add((optimizer.path("nesterov").asBoolean(false) ? "Nesterov " : "momentum ")
          + number(optimizer.get("momentum")));
    }
    if (optimizer.path("weight_decay").asDouble(0) != 0) {
      extras.add("wd " + number(optimizer.get("weight_decay")));
    }
    return extras.isEmpty() ? title : title + " (" + String.join(", ", extras) + ")";
  }

  static String schemeTitle(JsonNode phase) {
    JsonNode schedule = phase.path("schedule");
    if (schedule.isMissingNode() || schedule.isNull()) {
      return "calculated";
    }
    return switch (schedule.path("type").asText()) {
      case "triangular" -> {
        String cycle = schedule.has("cycle_epochs")
            ? number(schedule.get("cycle_epochs")) + "-cycle"
            : "cycle of " + number(schedule.get("cycle_iterations")) + " it.";
        List<String> shape = new ArrayList<>();
        if (schedule.has("up_fraction") && schedule.get("up_fraction").asDouble() != 0.5) {
          shape.add("up " + number(schedule.get("up_fraction")));
        }
        if (schedule.has("peak_decay")) {
          shape.add("peaks ×" + number(schedule.get("peak_decay")));
        }
        yield shape.isEmpty() ? cycle : cycle + " (" + String.join(", ", shape) + ")";
      }
      case "exponential" -> "decay";
      default -> schedule.path("type").asText();
    };
  }

  static String rateTitle(JsonNode phase) {
    JsonNode schedule = phase.path("schedule");
    if (schedule.isMissingNode() || schedule.isNull()) {
      JsonNode optimizer = phase.path("optimizer");
      if (!optimizer.path("type").asText().equals("simple-adasecant")) {
        return "None";
      }
      JsonNode threshold = optimizer.get("threshold");
      return threshold == null || Double.isInfinite(value(threshold)) ? "< ∞" : number(threshold);
    }
    return switch (schedule.path("type").asText()) {
      case "constant" -> number(schedule.get("lr"));
      case "exponential" -> number(schedule.get("start"));
      default -> "[" + number(schedule.get("min")) + ", " + number(schedule.get("max")) + "]";
    };
  }

  private static double value(JsonNode node) {
    if (node.isTextual()) {
      return switch (node.asText()) {
        case "Infinity" -> Double.POSITIVE_INFINITY;
        case "-Infinity" -> Double.NEGATIVE_INFINITY;
        default -> Double.NaN;
      };
    }
    return node.asDouble();
  }

  /** 1.0 as 1, 0.0001 as 0.0001 (what the thesis's tables print); 1e30 as 1e30, 2.5e-7 as 2.5e-7. */
  static String number(JsonNode node) {
    if (node == null || node.isNull()) {
      return "?";
    }
    double v = value(node);
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return node.asText();
    }
    return compact(v);
  }

  /** Plain decimals from 0.0001 to below a million, else the shortest mantissa and a power of ten. */
  public static String compact(double v) {
    BigDecimal exact = new BigDecimal(Double.toString(v)).stripTrailingZeros();
    double magnitude = Math.abs(v);
    if (v == 0 || (magnitude >= 1e-4 && magnitude < 1e6)) {
      return exact.toPlainString();
    }
    String digits = exact.unscaledValue().abs().toString();
    int exponent = digits.length() - 1 - exact.scale();
    String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
    return (v < 0 ? "-" : "") + mantissa + "e" + exponent;
  }
}

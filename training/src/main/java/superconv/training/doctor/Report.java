package superconv.training.doctor;

import java.util.List;

/**
 * What {@code superconv doctor} found.
 *
 * @param device the device setting asked about ({@code auto}, {@code cpu}, {@code gpu}, {@code gpu:N})
 * @param checks every check, in the order shown
 * @param reason why that device cannot run here, one line; null when it can
 * @param devices the devices TensorFlow lists ({@code /job:localhost/replica:0/task:0/device:GPU:0}, ...); empty when
 *     it could not list them
 */
public record Report(String device, List<Check> checks, String reason, List<String> devices) {

  public Report {
    checks = List.copyOf(checks);
    devices = List.copyOf(devices);
  }

  /** Whether a run with this device setting can start here. */
  public boolean runnable() {
    return reason == null;
  }
}

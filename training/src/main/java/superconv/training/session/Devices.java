package superconv.training.session;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_CloseSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteDeviceList;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteGraph;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteSessionOptions;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListCount;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListName;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_GetCode;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_Message;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewGraph;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewSessionOptions;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SessionListDevices;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tensorflow.DeviceSpec;
import org.tensorflow.TensorFlow;
import org.tensorflow.internal.c_api.TF_DeviceList;
import org.tensorflow.internal.c_api.TF_Graph;
import org.tensorflow.internal.c_api.TF_Session;
import org.tensorflow.internal.c_api.TF_SessionOptions;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;

/**
 * The devices TensorFlow sees and the choice a run's {@code device} setting makes among them: {@code cpu},
 * {@code gpu} (the first GPU), {@code gpu:N}, or {@code auto} (the first GPU when one is listed, else the CPU).
 */
public final class Devices {

  private static final Pattern GPU = Pattern.compile("gpu(?::(\\d+))?");
  private static final Logger LOG = LogManager.getLogger(Devices.class);
  private static final AtomicBoolean FALLBACK_LOGGED = new AtomicBoolean();
  private static volatile List<String> listed;

  private Devices() {}

  /** Device names as TensorFlow lists them, e.g. {@code /job:localhost/replica:0/task:0/device:CPU:0}. */
  public static List<String> list() {
    List<String> names = listed;
    if (names == null) {
      names = query();
      listed = names;
    }
    return names;
  }

  private static List<String> query() {
    TensorFlow.version(); // loads the native library
    TF_Status status = TF_NewStatus();
    TF_Graph graph = TF_NewGraph();
    TF_SessionOptions options = TF_NewSessionOptions();
    try {
      TF_Session session = TF_NewSession(graph, options, status);
      check(status);
      try {
        TF_DeviceList devices = TF_SessionListDevices(session, status);
        check(status);
        try {
          List<String> names = new ArrayList<>();
          for (int i = 0; i < TF_DeviceListCount(devices); i++) {
            names.add(TF_DeviceListName(devices, i, status).getString());
            check(status);
          }
          return List.copyOf(names);
        } finally {
          TF_DeleteDeviceList(devices);
        }
      } finally {
        TF_CloseSession(session, status);
        TF_DeleteSession(session, status);
      }
    } finally {
      TF_DeleteSessionOptions(options);
      TF_DeleteGraph(graph);
      TF_DeleteStatus(status);
    }
  }

  private static void check(TF_Status status) {
    if (TF_GetCode(status) != 0) {
      throw new IllegalStateException("TensorFlow cannot list its devices: " + TF_Message(status).getString());
    }
  }

  /** Indices of the GPUs among {@code devices}. */
  public static List<Integer> gpus(List<String> devices) {
    List<Integer> gpus = new ArrayList<>();
    Pattern name = Pattern.compile(".*device:GPU:(\\d+)$");
    for (String device : devices) {
      Matcher m = name.matcher(device);
      if (m.matches()) {
        gpus.add(Integer.parseInt(m.group(1)));
      }
    }
    return gpus;
  }

  /**
   * The device (as {@code /device:CPU:0} or {@code /device:GPU:N}) that the setting picks among {@code devices};
   * a GPU that is not listed is an error naming what is.
   */
  public static String choose(String setting, List<String> devices) {
    List<Integer> gpus = gpus(devices);
    if (setting.equals("cpu")) {
      return "/device:CPU:0";
    }
    if (setting.equals("auto")) {
      if (gpus.isEmpty()) {
        // Once per process: a grid of runs would otherwise repeat it for every run.
        if (FALLBACK_LOGGED.compareAndSet(false, true)) {
          LOG.info("device auto: the CPU, because {}", noGpuReason(TensorFlowNatives.current()));
        }
        return "/device:CPU:0";
      }
      return "/device:GPU:" + gpus.get(0);
    }
    Matcher m = GPU.matcher(setting);
    if (!m.matches()) {
      throw new IllegalArgumentException("device \"" + setting + "\" is not one of auto, cpu, gpu, gpu:N");
    }
    int index = m.group(1) == null ? (gpus.isEmpty() ? 0 : gpus.get(0)) : Integer.parseInt(m.group(1));
    if (!gpus.contains(index)) {
      throw new IllegalArgumentException("device \"" + setting + "\" asks for GPU " + index + " but TensorFlow lists "
          + (gpus.isEmpty() ? "no GPU (CPU natives, or no CUDA 12 / cuDNN 9 on this host; build with -Pgpu,cuda)"
              : "GPUs " + gpus) + "; devices: " + String.join(", ", devices));
    }
    return "/device:GPU:" + index;
  }

  /** Why TensorFlow lists no GPU, as far as the natives tell; {@code superconv doctor --device gpu} tells more. */
  public static String noGpuReason(TensorFlowNatives natives) {
    return natives.gpu()
        ? "TensorFlow lists no GPU although its GPU natives are loaded (no CUDA device, or a CUDA 12 / cuDNN 9"
            + " library missing: superconv doctor --device gpu says which)"
        : "TensorFlow's CPU natives are on the class path (the GPU build: SUPERCONV_MAVEN_ARGS=-Pgpu,cuda)";
  }

  /** The {@link DeviceSpec} of a device {@link #choose} names ({@code /device:CPU:0}, {@code /device:GPU:N}). */
  public static DeviceSpec spec(String device) {
    String[] parts = device.substring("/device:".length()).split(":");
    return DeviceSpec.newBuilder()
        .deviceType(parts[0].equals("GPU") ? DeviceSpec.DeviceType.GPU : DeviceSpec.DeviceType.CPU)
        .deviceIndex(Integer.parseInt(parts[1]))
        .build();
  }

  /**
   * Session options: ops without a kernel on the chosen device (uint8 gathers, string ops) fall back to the CPU
   * instead of failing, and a GPU's memory is taken as needed rather than all at once.
   */
  public static ConfigProto sessionConfig() {
    return ConfigProto.newBuilder()
        .setAllowSoftPlacement(true)
        .setGpuOptions(GPUOptions.newBuilder().setAllowGrowth(true))
        .build();
  }
}

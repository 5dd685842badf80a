package superconv.training.grid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the parent of run --workers starts a JVM like its own, and lists the GPUs through one. */
class JavaCommandTest {

  @TempDir Path dir;

  @Test
  void agentsAndDebuggersStayWithTheFirstJvm() {
    assertThat(JavaCommand.passedOn(List.of("-Xmx8g", "-Djava.awt.headless=true",
        "-agentlib:jdwp=transport=dt_socket,server=y,address=5005", "-javaagent:/x/jacoco.jar", "-Xdebug",
        "-Xrunjdwp:transport=dt_socket", "-agentpath:/x/lib.so", "-XX:+UseG1GC")))
        .containsExactly("-Xmx8g", "-Djava.awt.headless=true", "-XX:+UseG1GC");
  }

  @Test
  void aClassLoadersFileUrlsAreAClassPathAndAnythingElseIsNot() throws Exception {
    URL jar = dir.resolve("a b.jar").toUri().toURL();
    URL classes = dir.resolve("classes").toUri().toURL();
    assertThat(JavaCommand.paths(new URL[] {jar, classes})).contains(
        List.of(dir.resolve("a b.jar").toString(), dir.resolve("classes").toString()));
    assertThat(JavaCommand.paths(new URL[] {jar, new URL("http://example.org/x.jar")})).isEmpty();
  }

  @Test
  void theCommandStartsAJvmRunningTheSameClassesAsThisOne() throws Exception {
    JavaCommand java = JavaCommand.of(Probe.class);
    Process process = new ProcessBuilder(java.command(List.of("hello"))).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(output).isZero();
    assertThat(output).isEqualTo("probe hello\n");
  }

  @Test
  void underAUrlClassLoaderAsMvnExecJavaHasItTheClassPathIsTheLoadersUrls() throws Exception {
    URL testClasses = Probe.class.getProtectionDomain().getCodeSource().getLocation();
    try (URLClassLoader loader = new URLClassLoader(new URL[] {testClasses}, null)) {
      Class<?> probe = loader.loadClass(Probe.class.getName());
      assertThat(probe.getClassLoader()).isSameAs(loader);
      JavaCommand java = JavaCommand.of(probe);
      assertThat(java.classPath()).containsExactly(Path.of(testClasses.toURI()).toString());
      assertThat(java.options()).containsExactly("-Djava.awt.headless=true");
      Process process = new ProcessBuilder(java.command(List.of("from", "exec"))).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor()).as(output).isZero();
      assertThat(output).isEqualTo("probe from exec\n");
    }
  }

  @Test
  void aClassFromALoaderWithoutAClassPathIsRefusedWithTheWayOut() {
    assertThatThrownBy(() -> JavaCommand.of(String.class)).hasMessage("cannot tell the class path to start worker"
        + " JVMs with (superconv was loaded by the boot class loader): run --workers through ./superconv");
  }

  @Test
  void cpuNativesOnTheClassPathListNoGpuWithoutStartingAJvm() {
    JavaCommand java = new JavaCommand("/nonexistent/java", List.of(),
        List.of("/m2/org/tensorflow/tensorflow-core-native-1.1.0-linux-x86_64.jar"), "superconv.cli.Main");
    GpuListing listing = GpuListing.of(java);
    assertThat(listing.gpus()).isEmpty();
    assertThat(listing.whyNone()).contains("CPU natives are on the class path");
  }

  @Test
  void doctorsJsonListsTheGpus() {
    GpuListing two = GpuListing.parse("{\"device\":\"cpu\",\"runnable\":true,\"reason\":null,\"devices\":["
        + "\"/job:localhost/replica:0/task:0/device:CPU:0\",\"/job:localhost/replica:0/task:0/device:GPU:0\","
        + "\"/job:localhost/replica:0/task:0/device:GPU:1\"],\"checks\":[]}", 0);
    assertThat(two.gpus()).containsExactly(0, 1);
    assertThat(two.whyNone()).isNull();
    assertThat(GpuListing.parse("{\"runnable\":true,\"devices\":[\"/device:CPU:0\"]}", 0).whyNone())
        .contains("no usable GPU");
    assertThatThrownBy(() -> GpuListing.parse("{\"runnable\":false,\"reason\":\"TensorFlow cannot list its"
        + " devices: x\",\"devices\":[]}", 1))
        .hasMessage("cannot list the GPUs: TensorFlow cannot list its devices: x");
    assertThatThrownBy(() -> GpuListing.parse("Error: no main class", 1)).hasMessage("cannot list the GPUs:"
        + " superconv doctor --json exited with status 1 and printed no device list (superconv doctor says why)");
  }

  /** A main class for the started JVM. */
  public static final class Probe {
    public static void main(String[] args) {
      System.out.println("probe " + String.join(" ", args));
    }
  }
}

package superconv.training.doctor;

import java.util.Locale;

/**
 * One line of {@code superconv doctor}: what was checked, how it stands, what was found, and what to do about it.
 *
 * @param name what was checked, e.g. {@code java}, {@code libcudnn.so.9}, {@code data cifar10}
 * @param status how it stands
 * @param detail what was found, one line
 * @param fix what to do about it, one line; null when nothing needs doing
 */
public record Check(String name, Status status, String detail, String fix) {

  /** From fine to broken; {@code MISSING} is something absent that superconv can do without until it is needed. */
  public enum Status {
    OK, WARN, MISSING, FAIL;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public static Check ok(String name, String detail) {
    return new Check(name, Status.OK, detail, null);
  }

  public static Check warn(String name, String detail, String fix) {
    return new Check(name, Status.WARN, detail, fix);
  }

  public static Check missing(String name, String detail, String fix) {
    return new Check(name, Status.MISSING, detail, fix);
  }

  public static Check fail(String name, String detail, String fix) {
    return new Check(name, Status.FAIL, detail, fix);
  }
}

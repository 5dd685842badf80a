/**
 * {@code superconv doctor}: what this machine offers a run. {@link superconv.training.doctor.Host} gathers every
 * input that differs between machines (cpuinfo, environment, loaded libraries, {@code ldconfig -p}, the device list,
 * free space), so that {@link superconv.training.doctor.Doctor}'s verdicts are tested on machines described by hand;
 * the command line only formats the {@link superconv.training.doctor.Check}s. The device list is the truth about GPUs:
 * missing CUDA libraries explain an empty list but never overrule a GPU TensorFlow did register.
 */
package superconv.training.doctor;

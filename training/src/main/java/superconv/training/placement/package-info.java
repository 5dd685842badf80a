/**
 * The placement audit ({@code graph summary MANIFEST --placement}): where each op of a run's graphs would compute on
 * a GPU machine, and what crosses PCIe per session call, known here because TensorFlow's GPU natives register their
 * GPU kernels whether or not a GPU is present. {@link superconv.training.placement.PlacementAudit} builds a run's
 * graphs as {@code run} and {@code export} build them ({@link superconv.training.session.RunGraph}, the SavedModel's
 * serving graph), {@link superconv.training.placement.PlacedGraph} places them by TensorFlow 2.18's placer rules
 * against the {@link superconv.training.placement.KernelRegistry} (kernels from {@code TF_GetAllRegisteredKernels},
 * their dtype constraints and host-memory arguments), and a {@link superconv.training.placement.PlacementReport} per
 * session call lists each {@link superconv.training.placement.OpPlacement} and {@link
 * superconv.training.placement.Transfer}. {@link superconv.training.placement.DeliberateHostOps} is the one list of
 * ops that stay on the host on purpose, with the reasons; the placement test fails on any other.
 *
 * <p>What the audit models and what it does not: the placer (kernel support by dtype, reference and {@code _class}
 * colocation, soft placement, the DEFAULT device, kernel priorities, the constant and shape-op heuristics) on the
 * graph as built, before Grappler, whose constant folding removes shape arithmetic of static shapes; the memory each
 * kernel reads and writes; a session's pruning to what its fetches and targets need.
 */
package superconv.training.placement;

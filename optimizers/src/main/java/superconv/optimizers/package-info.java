/**
 * Learning-rate schedules and graph-level optimizers whose rate is fed every step (thesis 2.4-2.6, 3.2, 3.3).
 *
 * <h2>For the training loop</h2>
 *
 * <pre>{@code
 * OptimizerSpec spec = Optimizers.fromTable(optimizerTable);           // validated; spec.toTable() for reports
 * RunLength run = new RunLength(epochs, iterationsPerEpoch);
 * Schedule schedule = Optimizers.schedule(spec, scheduleTable, run);   // scheduleTable may be null (see there)
 *
 * ScheduledStep step = ScheduledStep.build(tf, spec, schedule, trainableVariables, loss,
 *     spec.needsNextBatch() ? lossOfNextBatch : null, TFloat32.class, lossScale, opsToRunAlongside);
 * // step.stateVariables(): every optimizer variable (slots, step counters, tau, the loss scale); their
 * // initializers are registered with the graph (Session.initialize()); save and restore them with the weights.
 *
 * for each epoch e, iteration j (counted over the whole run):
 *   Session.Runner runner = session.runner();   // plus the step's data (scalars or a batch)
 *   ScheduledStep.Values v = step.run(runner, j, e, EnumSet.of(Fetch.LOSS_FINITE, Fetch.LOSS));
 *   // it fed schedule.rate(j) [and schedule.momentum(j)], ran the train op of the phase owning epoch e
 *   // with the ops alongside, and fetched what was asked: the loss, its finiteness, the update norm, and
 *   // the calculated rates' norm and mean where the optimizer has them (AdaSecant variants)
 * }</pre>
 *
 * <p>The diagnostics come from the same run as the train op: they are the values of that step. All assignments of a
 * step wait for the loss and every gradient of the step, so a loss fetched in the same run is the loss before the
 * update. A switching spec's phases each keep their own state, fresh at the phase's first step (the thesis built a
 * new optimizer at the switch); only the weights carry over.
 *
 * <p>Gradients come from TensorFlow's C++ registry for exactly the listed variables ({@link
 * superconv.optimizers.Optimizers#gradients}). Its gradient of {@code Square} (and {@code Pow}) fails on a variable
 * fed in directly (a reference type): build such terms from {@code tf.identity(variable)}; {@code build} refuses
 * them with a message naming the op and the variable rather than letting TensorFlow crash the JVM.
 *
 * <p>Mixed precision: {@code spec.build(..., LossScale.dynamic())} scales the loss by a power of two before
 * differentiation, unscales the gradients and skips a step whose gradients are not all finite (every assignment keeps
 * its value, step counters too), halving the scale; the scale and its counter are state variables to checkpoint.
 * SGD applies {@code theta -= lr * step} in place ({@code ApplyGradientDescent}); its update norm is computed only
 * when fetched. AdaSecant and Simple AdaSecant on a CPU apply their whole update in one native kernel ({@link
 * superconv.optimizers.NativeKernels}, {@code src/main/c}) where the module was built with a C compiler, else as
 * TensorFlow ops; both compute the same operations in the same order.
 *
 * <h2>Tables</h2>
 *
 * <p>Schedules ({@link superconv.optimizers.Schedules}): {@code constant} (lr), {@code triangular} (min, max,
 * cycle_epochs | cycle_iterations, up_fraction = 0.5, peak_decay = 1), {@code one-cycle} (min, max, cycle_fraction =
 * 0.9 | cycle_epochs | cycle_iterations, final_div = 100, momentum_max + momentum_min), {@code exponential} (start,
 * end | gamma), {@code random} (min, max, seed = 0), {@code cosine} (min = 0, max, cycle_epochs | cycle_iterations =
 * the run, cycle_mult = 1, peak_decay = 1), {@code sequence} (parts = [{ epochs | iterations, schedule }, ...]).
 *
 * <p>Optimizers ({@link superconv.optimizers.Optimizers}): {@code sgd} (momentum = 0, nesterov = false,
 * weight_decay = 0), {@code adam} and {@code cus-adam} (beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8),
 * {@code simple-adasecant} (threshold = inf, momentum = 0), {@code adasecant}, {@code switching} (phases = [{ epochs,
 * optimizer, schedule }, ...]).
 *
 * <p>Adding a type touches two files. A schedule: its record implementing {@link superconv.optimizers.Schedule},
 * with a static {@code fromTable(Table, Span)}, and its line in {@code Schedules.PARSERS}. An optimizer: its
 * {@link superconv.optimizers.SuperconvOptimizer} subclass, with a nested {@code Spec} record (e.g. {@link
 * superconv.optimizers.SgdOptimizer.Spec}) that reads its table, and its line in {@code Optimizers.PARSERS}. The
 * {@code TYPES} lists, and the messages naming the valid types, follow from the registries.
 *
 * <p>{@link superconv.optimizers.Trace} runs any of them on a small problem exactly as training does.
 */
package superconv.optimizers;

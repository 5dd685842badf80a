/**
 * Static TensorFlow graphs for the thesis's networks: ResNet18 / ResNet50 (CIFAR layout), the in-graph input
 * pipeline, loss and metrics, checkpoints over explicit variable lists, SavedModel export and TensorBoard files.
 *
 * <h2>Training graph (what the training loop uses)</h2>
 *
 * <pre>{@code
 * ImageSet train = ..., test = ...;
 * ModelSpec model = new ModelSpec(Network.RESNET18, 10, 64, ImageShape.of(train), DataFormat.NHWC, seed);
 * TrainingGraphSpec spec = TrainingGraphSpec.of(model, train, test, 128)
 *     .withStandardProtocol(ChannelStats.of(train))   // or keep the thesis protocol
 *     .withNextBatch(true);                            // AdaSecant: loss on batch j+1 too
 * try (Graph g = new Graph(); Session s = new Session(g)) {
 *   Ops tf = Ops.create(g);
 *   TrainingGraph tg = TrainingGraph.build(tf, spec);
 *   // optimizer: minimize tg.loss() over tg.trainableVariables() (explicit list), rate = a placeholder;
 *   // run the train op together with tg.batchNormUpdates() (e.g. as control dependencies).
 *   s.run(tg.initializer());              // seeded weights, BN stats (not on resume: restore instead)
 *   tg.uploadData(s, train, test);        // once per session
 *   for (epoch ...) for (step = 0; step < tg.stepsPerEpoch(); step++)
 *     try (var feed = tg.feed(epoch, step); Result r = feed.apply(s.runner()).feed(rate, ...)
 *             .addTarget(trainOp).fetch(tg.loss()).run()) { ... }
 *   TrainingGraph.Evaluation e = tg.evaluate(s);     // every test image, moving BN statistics
 * }
 * }</pre>
 *
 * <p>Per step only scalars are fed: {@link superconv.graph.TrainingGraph#epoch()} and
 * {@link superconv.graph.TrainingGraph#step()} (int64, step within the epoch). The permutation, batches, crops and
 * flips are stateless functions of (seed, epoch, step) — see {@link superconv.graph.InputPipeline} — so a run resumed
 * from a checkpoint at step k sees exactly the batches of an uninterrupted run.
 *
 * <h2>Variables</h2>
 *
 * <ul>
 *   <li>{@code trainableVariables()}: conv kernels ({@code [k, k, in, out]}), BN gamma/beta, head kernel
 *       ({@code [in, classes]}) and bias, float32 — ResNet18 has exactly 11,173,962 trainable scalars for 10 classes.
 *   <li>{@code stateVariables()}: BN moving mean / variance (PyTorch semantics: momentum 0.1, unbiased variance).
 *   <li>Resident data ({@code input/data/*}): uint8 images and int32 labels; never in checkpoints or exports.
 * </ul>
 *
 * <h2>TensorFlow facts this package relies on (TF Java 1.1.0 = TF 2.18)</h2>
 *
 * <ul>
 *   <li>{@code Ops.withSubScope} uniquifies on every call: shared scopes are created once ({@code Scopes}).
 *   <li>The C++ {@code Conv2D} gradient ignores {@code explicit_paddings}: strided convs pad with {@code Pad}, then VALID.
 *   <li>The C++ {@code Mean} gradient crashes the process on int64 reduction axes: use int32 axes.
 *   <li>{@code FusedBatchNormV3} in training mode returns the Bessel-corrected batch variance; it has no float64 kernel,
 *       so float64 networks (gradient checks) use the same formula from elementary ops.
 * </ul>
 */
package superconv.graph;

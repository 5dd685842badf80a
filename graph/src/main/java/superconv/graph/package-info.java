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
 *   <li>Resident data ({@code input/data/*}): the uint8 images packed eight bytes to an int64 word, and int64
 *       labels: TensorFlow's GPU kernels hold, slice and gather int64 tensors on the card, while it has no uint8
 *       GatherV2 and no int32 GPU variable (an int32 set would stay in host memory and cross to the GPU whole for
 *       every gather); never in checkpoints or exports.
 * </ul>
 *
 * <h2>Mixed precision</h2>
 *
 * <p>{@code ModelSpec.withPrecision(Precision.BFLOAT16 | FLOAT16)}: the variables stay float32 (master weights,
 * checkpoints, exports unchanged); each tower casts its input and the conv kernels to the compute type,
 * {@code FusedBatchNormV3} takes compute-type activations with float32 gamma/beta and float32 statistics, and the
 * pooled features go back to float32 for the head and the loss. float16 needs dynamic loss scaling
 * ({@code superconv.optimizers.LossScale}); bfloat16 does not. Both have CPU kernels in TF 2.18 (checked against
 * float32 in {@code MixedPrecisionTest}); bfloat16 uses oneDNN's AMX/AVX512-BF16 kernels where the CPU has them.
 * Grappler's own {@code auto_mixed_precision_cpu} pass aborted the JVM on this graph (TF 2.18,
 * {@code std::out_of_range}), hence explicit casts.
 *
 * <h2>Checkpoints, exports, TensorBoard</h2>
 *
 * <ul>
 *   <li>{@link superconv.graph.Checkpoint}: {@code tg.checkpoint(optimizerSlots)} builds SaveV2/RestoreV2 ops over
 *       the model variables plus the given ones; {@code save(session, dir, step)} writes {@code dir/ckpt-<step>.*}
 *       then atomically replaces {@code dir/checkpoint}; {@code restore(session, dir)} (instead of the initializer).
 *   <li>{@link superconv.graph.SavedModelExport#export}: a clean inference graph (no data, no optimizer state,
 *       normalization inside) with signature {@code serving_default}: {@code images} float32 [-1, H, W, C] in
 *       0-255 scale to {@code logits}, {@code probabilities}, {@code classes} (int64); {@code labels.txt} beside it.
 *       {@link superconv.graph.Predictor} loads it through {@code SavedModelBundle}.
 *   <li>{@link superconv.graph.EventWriter}: {@code events.out.tfevents.*} with the GraphDef ({@code graph(g)}) and
 *       scalars ({@code scalar("train/loss", step, value)}), flushed per record.
 * </ul>
 *
 * <h2>Measured (2-core CPU, shared)</h2>
 *
 * <ul>
 *   <li>Permutation of 50,000 indices (TopK over float64 keys): about 4 ms, so the resident pipeline computes it once
 *       per epoch into a cache variable (Switch/Merge; uninitialized until the first step, never checkpointed) and
 *       later steps of the epoch read it. The gathered batch 5-6 ms (thesis) or 6-8 ms (standard, with crop and flip)
 *       including the sort. Upload of CIFAR-sized train + test sets: under 0.5 s.
 *   <li>{@link superconv.graph.DataFormat#NCHW} runs on CPU (oneDNN) but a ResNet18 width-16 training step was about 3x
 *       slower than NHWC; NHWC is the default, NCHW is for cuDNN (not measured here: no GPU TensorFlow available).
 * </ul>
 *
 * <h2>TensorFlow facts this package relies on (TF Java 1.1.0 = TF 2.18)</h2>
 *
 * <ul>
 *   <li>{@code Ops.withSubScope} uniquifies on every call: shared scopes are created once ({@code Scopes}).
 *   <li>The C++ {@code Conv2D} gradient ignores {@code explicit_paddings}: strided convs pad with {@code Pad}, then VALID.
 *   <li>The C++ {@code Mean} gradient crashes the process on int64 reduction axes: use int32 axes.
 *   <li>The C++ gradient of {@code SoftmaxCrossEntropyWithLogits} fails to build in float64 (float constant);
 *       float64 checks use log-softmax.
 *   <li>{@code TFRecordDatasetV2} cannot serialize itself when an iterator is made from it (TF 2.18); the V1 op
 *       reads event files back in the tests.
 *   <li>{@code FusedBatchNormV3} in training mode returns the Bessel-corrected batch variance; it has no float64 kernel,
 *       so float64 networks (gradient checks) use the same formula from elementary ops.
 *   <li>oneDNN's bfloat16 NHWC {@code Conv2D} forward returns garbage (up to NaN) for an odd number of input channels
 *       above 1 on AVX512-BF16 CPUs without AMX; such convolutions get a zero input channel and a zero kernel slice.
 * </ul>
 */
package superconv.graph;

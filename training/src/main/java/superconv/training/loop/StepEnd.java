package superconv.training.loop;

import superconv.optimizers.ScheduledStep;

/**
 * One step just taken.
 *
 * @param epoch 0-based
 * @param step 0-based within the epoch
 * @param globalStep {@code epoch * stepsPerEpoch + step}
 * @param rate the rate fed, or NaN where the optimizer calculated its own
 * @param values what the step fetched: the loss's finiteness always; the loss and calculated-rate norm when
 *     {@code fetched}, else NaN
 * @param fetched whether the loss was fetched (every {@code loss_every} steps, at the epoch's end, and every step
 *     of optimizers that calculate their rates)
 * @param epochLoss the mean of the losses fetched so far this epoch (NaN before the first)
 */
public record StepEnd(int epoch, int step, long globalStep, double rate, ScheduledStep.Values values,
    boolean fetched, double epochLoss) {}

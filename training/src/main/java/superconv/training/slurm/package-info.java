/**
 * Submitting a grid to Slurm as one job array ({@code superconv submit slurm}). A submission first snapshots the
 * manifest and the selected runs' indices into the runs directory, because array tasks start later, possibly days
 * later, and a manifest edited meanwhile would shift the indices under them. Each task maps its array task id to a
 * run index through the list written into its script and runs {@code superconv run SNAPSHOT --index I}: the run
 * folder, its lock and its checkpoint make a requeued or repeated task resume the run rather than start it again.
 */
package superconv.training.slurm;

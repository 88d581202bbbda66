/**
 * Jobs that must run on one node of the cluster at a time (the missed-event recovery, data retention): a lease
 * row per job in the shared database, taken and renewed by whichever node runs the job.
 */
package io.billing.platform.cluster;

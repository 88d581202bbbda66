/**
 * Technical foundations shared by every part of the application: persistence wiring, transactions, leased
 * work queues, cluster job leases, health and time. The bottom layer: nothing here knows the inbox, the
 * engine or the domain.
 */
package io.billing.platform;

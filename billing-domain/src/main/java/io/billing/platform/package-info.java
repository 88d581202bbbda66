/** Technical foundations shared by every part of the application: persistence wiring and time. */
package io.billing.platform;

/** Who may use the operator API: Jakarta Security with HTTP Basic and the staff accounts. */
package io.billing.web.security;

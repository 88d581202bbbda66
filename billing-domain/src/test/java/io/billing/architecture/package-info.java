/** The layering of the domain module, checked on its compiled classes. */
package io.billing.architecture;

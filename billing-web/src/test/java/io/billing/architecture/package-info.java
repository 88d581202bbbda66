/** The layering of every module together, checked on the compiled classes. */
package io.billing.architecture;

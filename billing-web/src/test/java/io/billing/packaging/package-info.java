/** Static checks of the files that package and run the service (Docker cannot run on the project's machines). */
package io.billing.packaging;
